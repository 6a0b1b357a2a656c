"""A small import set (fictional names only), written as CSV files, a ZIP or an XLSX workbook."""

import csv
import io
import zipfile
from pathlib import Path

import openpyxl

from onboarding.format import BY_NAME

# Every kind's rows, by heading; columns left out are blank. Dates are before the tests' pinned day.
SMALL_SET: dict[str, list[dict[str, str]]] = {
    "teams": [
        {"Team name": "Riverside locality team", "Team kind": "locality"},
        {"Team name": "Interventions", "Team kind": "interventions"},
    ],
    "staff": [
        {
            "Email": "tamsin.ravel@yjs.example.gov.uk",
            "First name": "Tamsin",
            "Last name": "Ravel",
            "Role": "team_manager",
            "Team": "Riverside locality team",
            "Started on": "2020-01-06",
        },
        {
            "Email": "omar.quillfeather@yjs.example.gov.uk",
            "First name": "Omar",
            "Last name": "Quillfeather",
            "Role": "Case manager (Band A)",
            "Team": "Riverside locality team",
            "Line manager email": "tamsin.ravel@yjs.example.gov.uk",
            "Gender": "male",
            "Started on": "06/01/2021",
        },
    ],
    "children": [
        {
            "Case number": "RV-1001",
            "First name": "Jory",
            "Last name": "Pemberwick",
            "Date of birth": "2010-04-14",
            "Gender identity": "male",
            "Team": "Riverside locality team",
            "Case manager email": "omar.quillfeather@yjs.example.gov.uk",
        },
        {
            "Case number": "RV-1002",
            "First name": "Ada",
            "Last name": "Thornbury",
            "Date of birth": "2009-11-30",
            "Gender identity": "female",
            "Team": "Riverside locality team",
            "Case manager email": "omar.quillfeather@yjs.example.gov.uk",
            "Open to CSC": "yes",
        },
    ],
    "levels": [
        {
            "Case number": "RV-1001",
            "Agreed on": "2025-12-01",
            "RoSH": "medium",
            "SaW": "medium",
            "LoR": "low",
        },
        {
            "Case number": "RV-1001",
            "Agreed on": "2026-01-20",
            "RoSH": "high",
            "SaW": "medium",
            "LoR": "medium",
        },
    ],
    "programmes": [
        {
            "Programme ID": "ORD-1",
            "Case number": "RV-1001",
            "Kind": "yro",
            "Start date": "2025-12-01",
            "Length (months)": "12",
        },
        {
            "Programme ID": "ORD-2",
            "Case number": "RV-1002",
            "Kind": "psr",
            "Start date": "2026-02-16",
            "Court date": "2026-03-16",
        },
    ],
    "allocations": [
        {
            "Allocation ID": "AL-1",
            "Case number": "RV-1001",
            "Worker email": "omar.quillfeather@yjs.example.gov.uk",
            "Role": "case_manager",
            "Started on": "2025-12-02",
            "Allocated at": "2025-12-02 10:15",
        },
        {
            "Allocation ID": "AL-2",
            "Case number": "RV-1002",
            "Worker email": "omar.quillfeather@yjs.example.gov.uk",
            "Role": "case_manager",
            "Started on": "2026-02-16",
        },
    ],
    "assessments": [
        {
            "Assessment ID": "AS-1",
            "Case number": "RV-1001",
            "Kind": "assetplus",
            "Stage": "initial",
            "Status": "completed",
            "Author email": "omar.quillfeather@yjs.example.gov.uk",
            "Signed off by email": "tamsin.ravel@yjs.example.gov.uk",
            "Completed on": "2025-12-20",
            "Programme ID": "ORD-1",
        }
    ],
    "plans": [
        {
            "Plan ID": "PL-1",
            "Case number": "RV-1001",
            "Kind": "intervention",
            "Completed on": "2025-12-22",
            "Objectives": "Attend college; victim awareness sessions",
            "Author email": "omar.quillfeather@yjs.example.gov.uk",
        }
    ],
    "contacts": [
        {
            "Contact ID": "CT-1",
            "Case number": "RV-1001",
            "Kind": "face_to_face",
            "Date": "2026-02-10",
            "Time": "14:30",
            "Outcome": "kept",
            "Author email": "omar.quillfeather@yjs.example.gov.uk",
        }
    ],
    "case_notes": [
        {
            "Note ID": "EV-1",
            "Case number": "RV-1001",
            "Type": "note",
            "Date": "2026-01-05",
            "Summary": "Spoke to college about attendance",
            "Author email": "omar.quillfeather@yjs.example.gov.uk",
        }
    ],
    "cmms": [
        {
            "Meeting ID": "CMM-1",
            "Case number": "RV-1001",
            "Reason": "risk_review",
            "Held at": "2026-01-20 10:00",
            "Chair email": "tamsin.ravel@yjs.example.gov.uk",
            "Actions recorded on": "2026-01-21",
            "Minutes completed on": "2026-01-26",
        }
    ],
    "case_discussions": [
        {
            "Discussion ID": "CD-1",
            "Case number": "RV-1001",
            "Kind": "supervision",
            "Held on": "2026-02-03",
            "Manager email": "tamsin.ravel@yjs.example.gov.uk",
            "Worker email": "omar.quillfeather@yjs.example.gov.uk",
            "Recorded on": "2026-02-04",
        }
    ],
    "mappa": [
        {
            "MAPPA ID": "MP-1",
            "Case number": "RV-1001",
            "Category": "2",
            "Criterion": "sch15_custody",
            "Identified on": "2026-01-12",
            "Form H sent on": "2026-01-14",
            "Level": "1",
            "Level set on": "2026-01-14",
            "Recorded by email": "omar.quillfeather@yjs.example.gov.uk",
        }
    ],
    "supervision": [
        {
            "Session ID": "SUP-1",
            "Worker email": "omar.quillfeather@yjs.example.gov.uk",
            "Supervisor email": "tamsin.ravel@yjs.example.gov.uk",
            "Held on": "2026-02-17",
            "Method": "one_to_one",
        }
    ],
}


def rows_of(kind: str, rows: list[dict[str, str]]) -> list[list[str]]:
    """The heading row and each row's cells in the format's column order."""
    headings = BY_NAME[kind].headings
    return [headings, *[[row.get(h, "") for h in headings] for row in rows]]


def csv_bytes(kind: str, rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows_of(kind, rows))
    return out.getvalue().encode("utf-8")


def write_folder(folder: Path, data: dict[str, list[dict[str, str]]] = SMALL_SET) -> Path:
    """The set as a folder of CSV files."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind, rows in data.items():
        (folder / f"{kind}.csv").write_bytes(csv_bytes(kind, rows))
    return folder


def zip_bytes(data: dict[str, list[dict[str, str]]] = SMALL_SET) -> bytes:
    """The set as a ZIP of CSV files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for kind, rows in data.items():
            archive.writestr(f"export/{kind}.csv", csv_bytes(kind, rows))
    return out.getvalue()


def xlsx_bytes(data: dict[str, list[dict[str, str]]] = SMALL_SET) -> bytes:
    """The set as one workbook, a sheet per kind."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for kind, rows in data.items():
        sheet = book.create_sheet(kind)
        for cells in rows_of(kind, rows):
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
