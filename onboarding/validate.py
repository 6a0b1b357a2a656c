"""Checking a set of import files before anything is written: every cell against its column
(onboarding.values), then each row against the others and the records already here (unknown team, a
worker not in staff, a duplicate case number, a programme without its required court date...).

Reads only. Every problem goes in the report; rows with none are returned for the import.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from cases.facts import REQUIRED
from cases.models import Allocation, Assessment, Child, Contact, Programme, Team, User
from cases.services.programmes import KIND_FIELDS, LENGTH_REQUIRED
from mappa.models import Criterion

from .format import BY_NAME, CHILD_KINDS, KINDS
from .models import ImportedRecord
from .reader import Sheet
from .report import Report
from .values import parse

# Programme fields and the column that carries each (a field its kind does not take must be blank).
PROGRAMME_FIELDS = {
    "length_months": "Length (months)",
    "court_date": "Court date",
    "panel_date": "Panel date",
    "custody_threshold": "Custody threshold",
    "iss": "ISS",
    "custody_months": "Custody (months)",
    "assessed_for_court": "Assessed for court",
    "release_date": "Release date",
}


@dataclass
class Row:
    """A row with no errors: its spreadsheet row number and its values by heading."""

    number: int
    values: dict

    def __getitem__(self, heading: str):
        return self.values.get(heading)


@dataclass
class Checked:
    """The rows that passed, per kind, with the report so far (errors, rows read)."""

    report: Report
    rows: dict[str, list[Row]] = field(default_factory=dict)
    today: datetime.date | None = None


class _Checker:
    def __init__(self, sheets: dict[str, Sheet], today: datetime.date):
        self.sheets = sheets
        self.today = today
        self.report = Report()
        self.rows: dict[str, list[Row]] = {}

    # -- the cells --------------------------------------------------------------------------------------
    def cells(self, kind: str) -> list[Row]:
        """Each row's values, checked against its columns; headings checked first."""
        sheet = self.sheets.get(kind)
        if sheet is None:
            return []
        spec = BY_NAME[kind]
        counts = self.report.counts(kind)
        counts.read = len(sheet.rows)
        known = set(spec.headings)
        for heading in sheet.headings:
            if heading and heading not in known:
                self.report.error(kind, 1, heading, heading, "unknown column (docs/import-format.md)")
        missing = {c.name for c in spec.columns if c.required and c.name not in sheet.headings}
        for name in sorted(missing):
            self.report.error(kind, 1, name, "", "required column missing")
        if missing:
            return []
        for heading, total in Counter(sheet.headings).items():
            if heading and total > 1:
                self.report.error(kind, 1, heading, heading, "column given twice")
        good = []
        for number, raw in sheet.rows:
            values, ok = {}, True
            for column in spec.columns:
                text = raw.get(column.name, "")
                try:
                    values[column.name] = parse(column, text, today=self.today)
                except ValueError as error:
                    self.report.error(kind, number, column.name, text, str(error))
                    ok = False
            if ok:
                good.append(Row(number, values))
        return good

    def fail(self, kind: str, row: Row, column: str, reason: str) -> None:
        value = row[column]
        text = "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
        self.report.error(kind, row.number, column, text, reason)

    def unique(self, kind: str, rows: list[Row], column: str, what: str) -> list[Row]:
        """Rows whose `column` no earlier row has (compared case-insensitively); later ones are errors."""
        seen: dict[str, int] = {}
        kept = []
        for row in rows:
            key = str(row[column]).lower()
            if key in seen:
                self.fail(kind, row, column, f"duplicate {what}: also on row {seen[key]}")
                continue
            seen[key] = row.number
            kept.append(row)
        return kept

    # -- each kind --------------------------------------------------------------------------------------
    def run(self) -> Checked:
        teams = self.unique("teams", self.cells("teams"), "Team name", "team name")
        self.team_names = {n.lower() for n in Team.objects.values_list("name", flat=True)} | {
            r["Team name"].lower() for r in teams
        }
        self.rows["teams"] = teams
        self.rows["staff"] = self.staff()
        self.rows["children"] = self.children()
        self.external = {
            kind: set(ImportedRecord.objects.filter(kind=kind).values_list("external_id", flat=True))
            for kind in ("programmes",)
        }
        for kind in CHILD_KINDS:
            rows = [r for r in self.cells(kind) if self.child_known(kind, r)]
            self.rows[kind] = getattr(self, kind)(rows)
        self.rows["supervision"] = self.supervision(self.cells("supervision"))
        return Checked(report=self.report, rows=self.rows, today=self.today)

    def staff(self) -> list[Row]:
        rows = self.unique("staff", self.cells("staff"), "Email", "email")
        existing = dict(User.objects.exclude(email="").values_list("username", "email"))
        existing = {u.lower(): e.lower() for u, e in existing.items()}
        self.emails = set(existing.values()) | {r["Email"] for r in rows}
        kept, usernames = [], {}
        for row in rows:
            ok = True
            username = (row["Username"] or row["Email"].split("@")[0]).lower()
            row.values["Username"] = username
            if existing.get(username, row["Email"]) != row["Email"]:
                self.fail("staff", row, "Username", "already used by another member of staff here")
                ok = False
            elif username in usernames:
                self.fail("staff", row, "Username", f"duplicate username: also on row {usernames[username]}")
                ok = False
            usernames.setdefault(username, row.number)
            if row["Team"] and row["Team"].lower() not in self.team_names:
                self.fail("staff", row, "Team", "unknown team: not in teams.csv or here")
                ok = False
            manager = row["Line manager email"]
            if manager and manager not in self.emails:
                self.fail("staff", row, "Line manager email", "line manager not in staff")
                ok = False
            elif manager and manager == row["Email"]:
                self.fail("staff", row, "Line manager email", "nobody is their own line manager")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def children(self) -> list[Row]:
        rows = self.unique("children", self.cells("children"), "Case number", "case number")
        kept = []
        for row in rows:
            if row["Team"].lower() not in self.team_names:
                self.fail("children", row, "Team", "unknown team: not in teams.csv or here")
                continue
            if not self.known_staff("children", row, "Case manager email"):
                continue
            kept.append(row)
        self.case_numbers = set(Child.objects.values_list("case_number", flat=True)) | {
            r["Case number"] for r in kept
        }
        self.file_case_numbers = {r["Case number"] for r in self.sheets_rows("children")}
        return kept

    def sheets_rows(self, kind: str) -> list[Row]:
        sheet = self.sheets.get(kind)
        return [Row(n, v) for n, v in sheet.rows] if sheet else []

    def child_known(self, kind: str, row: Row) -> bool:
        """A row's child is here or in children.csv. A child whose own row had errors is reported there:
        their other rows are left out without a second error."""
        number = row["Case number"]
        if number in self.case_numbers:
            return True
        if number not in self.file_case_numbers:
            self.fail(kind, row, "Case number", "unknown case number: not in children.csv or here")
        return False

    def known_staff(self, kind: str, row: Row, *columns: str) -> bool:
        ok = True
        for column in columns:
            if row[column] and row[column] not in self.emails:
                what = "case manager" if column == "Case manager email" else "worker"
                self.fail(kind, row, column, f"{what} not in staff: not in staff.csv or here")
                ok = False
        return ok

    def levels(self, rows: list[Row]) -> list[Row]:
        seen: dict[tuple, int] = {}
        kept = []
        for row in rows:
            key = (row["Case number"], row["Agreed on"])
            if key in seen:
                self.fail(
                    "levels",
                    row,
                    "Agreed on",
                    f"the child's levels agreed twice that day: also on row {seen[key]}",
                )
                continue
            seen[key] = row.number
            kept.append(row)
        return kept

    def programmes(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("programmes", rows, "Programme ID", "programme ID")
        self.programme_children = {r["Programme ID"]: r["Case number"] for r in rows}
        kept = []
        for row in rows:
            kind, ok = row["Kind"], True
            needed = REQUIRED.get(kind)
            if needed and row[PROGRAMME_FIELDS[needed]] is None:
                label = Programme.Kind(kind).label
                self.fail("programmes", row, PROGRAMME_FIELDS[needed], f"required for a {label.lower()}")
                ok = False
            if kind in LENGTH_REQUIRED and row["Length (months)"] is None:
                self.fail(
                    "programmes", row, "Length (months)", f"required for a {Programme.Kind(kind).label}"
                )
                ok = False
            for name, column in PROGRAMME_FIELDS.items():
                if row[column] and name not in KIND_FIELDS.get(kind, ()):
                    self.fail("programmes", row, column, f"not recorded for a {Programme.Kind(kind).label}")
                    ok = False
            if row["End date"] and row["End date"] < row["Start date"]:
                self.fail("programmes", row, "End date", "before the start date")
                ok = False
            if row["Closure reason"] and not row["End date"]:
                self.fail("programmes", row, "Closure reason", "a closure reason needs an end date")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def programme_known(self, kind: str, row: Row) -> bool:
        ref = row["Programme ID"]
        if not ref:
            return True
        if ref in self.programme_children:
            if self.programme_children[ref] != row["Case number"]:
                self.fail(kind, row, "Programme ID", "a programme of another child")
                return False
            return True
        if ref in self.external["programmes"]:
            return True
        self.fail(kind, row, "Programme ID", "unknown programme: not in programmes.csv or imported before")
        return False

    def allocations(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("allocations", rows, "Allocation ID", "allocation ID")
        kept, open_cm = [], {}
        for row in rows:
            ok = self.known_staff("allocations", row, "Worker email", "Allocated by email")
            if row["Ended on"] and row["Ended on"] < row["Started on"]:
                self.fail("allocations", row, "Ended on", "before the start date")
                ok = False
            if ok and row["Role"] == Allocation.Role.CASE_MANAGER and not row["Ended on"]:
                if row["Case number"] in open_cm:
                    self.fail(
                        "allocations",
                        row,
                        "Role",
                        f"a second case manager still allocated: also on row {open_cm[row['Case number']]}",
                    )
                    ok = False
                else:
                    open_cm[row["Case number"]] = row.number
            if ok:
                kept.append(row)
        return kept

    def assessments(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("assessments", rows, "Assessment ID", "assessment ID")
        kept = []
        for row in rows:
            ok = self.known_staff(
                "assessments", row, "Author email", "Gatekept by email", "Signed off by email"
            )
            ok = self.programme_known("assessments", row) and ok
            completed = row["Status"] == Assessment.Status.COMPLETED
            if completed and not row["Completed on"]:
                self.fail("assessments", row, "Completed on", "required for a completed assessment")
                ok = False
            if row["Completed on"] and not completed:
                self.fail(
                    "assessments", row, "Completed on", "only a completed assessment has a completion date"
                )
                ok = False
            if row["Gatekept on"] and not row["Gatekept by email"]:
                self.fail("assessments", row, "Gatekept by email", "required with a gatekeeping date")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def plans(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("plans", rows, "Plan ID", "plan ID")
        kept = []
        for row in rows:
            ok = self.known_staff("plans", row, "Author email")
            ok = self.programme_known("plans", row) and ok
            if ok:
                kept.append(row)
        return kept

    def contacts(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("contacts", rows, "Contact ID", "contact ID")
        kept = []
        for row in rows:
            ok = self.known_staff("contacts", row, "Author email", "Worker email")
            ok = self.programme_known("contacts", row) and ok
            appointment = row["Appointment"] is not False
            # 000 App. B: an outcome is recorded once the appointment has been; a failure needs an
            # appointment given to the child and the explanation given.
            if row["Outcome"] != Contact.Outcome.BOOKED and row["Date"] > self.today:
                self.fail("contacts", row, "Date", "a date in the future: only a booked appointment can be")
                ok = False
            if row["Outcome"] in Contact.FAILURES and not appointment:
                self.fail(
                    "contacts", row, "Outcome", "only an appointment given to the child can be a failure"
                )
                ok = False
            if row["Outcome"] in Contact.FAILURES and not (row["Explanation"] or "").strip():
                self.fail(
                    "contacts", row, "Explanation", "required for a failure: the explanation given, or none"
                )
                ok = False
            if ok:
                kept.append(row)
        return kept

    def case_notes(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("case_notes", rows, "Note ID", "note ID")
        return [row for row in rows if self.known_staff("case_notes", row, "Author email")]

    def cmms(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("cmms", rows, "Meeting ID", "meeting ID")
        kept = []
        for row in rows:
            ok = self.known_staff("cmms", row, "Chair email", "Case manager email")
            held = row["Held at"].date()
            for column in ("Actions recorded on", "Minutes completed on", "Minutes sent to MAPPA on"):
                if row[column] and row[column] < held:
                    self.fail("cmms", row, column, "before the meeting was held")
                    ok = False
            if row["Next meeting at"] and row["Next meeting at"] <= row["Held at"]:
                self.fail("cmms", row, "Next meeting at", "not after the meeting")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def case_discussions(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("case_discussions", rows, "Discussion ID", "discussion ID")
        kept = []
        for row in rows:
            ok = self.known_staff("case_discussions", row, "Manager email", "Worker email")
            if row["Recorded on"] and row["Recorded on"] < row["Held on"]:
                self.fail("case_discussions", row, "Recorded on", "before the discussion was held")
                ok = False
            if ok:
                kept.append(row)
        return kept

    def mappa(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("mappa", rows, "MAPPA ID", "MAPPA ID")
        kept = []
        for row in rows:
            ok = self.known_staff("mappa", row, "Recorded by email")
            # 001 §8: each criterion belongs to one category (its label says which).
            if f"(category {row['Category']})" not in Criterion(row["Criterion"]).label:
                self.fail(
                    "mappa", row, "Criterion", f"not a criterion of category {row['Category']} (001 §8)"
                )
                ok = False
            if row["Level"] and not row["Level set on"]:
                self.fail("mappa", row, "Level set on", "required with a level")
                ok = False
            for column in ("Form H sent on", "Level set on", "Ended on"):
                if row[column] and row[column] < row["Identified on"]:
                    self.fail("mappa", row, column, "before the child was identified as eligible")
                    ok = False
            if ok:
                kept.append(row)
        return kept

    def supervision(self, rows: list[Row]) -> list[Row]:
        rows = self.unique("supervision", rows, "Session ID", "session ID")
        kept = []
        for row in rows:
            ok = self.known_staff("supervision", row, "Worker email", "Supervisor email")
            if ok and row["Worker email"] == row["Supervisor email"]:
                self.fail("supervision", row, "Supervisor email", "nobody supervises themselves")
                ok = False
            if ok:
                kept.append(row)
        return kept


def check(sheets: dict[str, Sheet], *, today: datetime.date) -> Checked:
    """Check every file of the set; nothing is written."""
    checked = _Checker(sheets, today).run()
    # Report every file given, in import order, even one with no rows.
    for kind in KINDS:
        if kind.name in sheets:
            checked.report.counts(kind.name)
    return checked
