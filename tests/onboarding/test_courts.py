"""The court files of the import format (crown_court, hearings_awaited, further_offences,
bail_applications): their checks, the records and programmes they write, the obligations that follow,
and re-runs that change nothing (issue 22, ADR 0021). Fictional names only."""

import copy
import datetime

import pytest

from cases.models import Child, Obligation, Programme
from courts.models import AwaitingHearing, Band, CrownCourtTracking
from meetings.models import BailApplication, FurtherOffence
from onboarding.models import ImportedRecord
from onboarding.reader import read_path
from onboarding.validate import check
from retention.erasure import child_erase, rows_left

from .factories import SMALL_SET, write_folder
from .helpers import TODAY, import_folder

pytestmark = pytest.mark.usefixtures("on_the_import_day")

FILES = ("crown_court.csv", "hearings_awaited.csv", "further_offences.csv", "bail_applications.csv")
MANAGER = "tamsin.ravel@yjs.example.gov.uk"
WORKER = "omar.quillfeather@yjs.example.gov.uk"

COURT_ROWS: dict[str, list[dict[str, str]]] = {
    "crown_court": [
        {
            "Tracking ID": "CC-1",
            "Case number": "RV-1001",
            "First appearance at": "2026-02-16 10:00",
            "Offence": "Robbery",
            "Seriousness": "medium",
            "RoSH at screening": "high",
            "SaW at screening": "medium",
            "Band": "b",
            "Next hearing on": "2026-04-01",
            "Principles done": "solicitor; details_given",
            "Oversight decision": "Case manager to attend each day of the trial",
            "Oversight by email": MANAGER,
            "Oversight on": "2026-02-18",
            "Recorded by email": MANAGER,
        }
    ],
    "hearings_awaited": [
        {
            "Hearing ID": "AH-1",
            "Case number": "RV-1002",
            "Hearing on": "2026-04-06",
            "Offence": "Criminal damage",
            "Listed on": "2026-02-19",
            "Adjournment over six weeks": "yes",
            "Risk to others": "no",
            "No other agencies": "yes",
            "Decision": "accepted",
            "Screened by email": MANAGER,
            "Screened on": "2026-02-20",
            "Answered on": "2026-02-24",
            "Added by email": MANAGER,
        }
    ],
    "further_offences": [
        {
            "Offence ID": "FO-1",
            "Case number": "RV-1001",
            "Description": "Theft from a shop while on the order",
            "Offence date": "2026-02-10",
            "PSR court date": "2026-03-23",
            "Recorded on": "2026-02-18",
            "Recorded by email": WORKER,
        }
    ],
    "bail_applications": [
        {
            "Application ID": "BA-1",
            "Case number": "RV-1002",
            "Bail date": "2026-03-09",
            "Court": "County Youth Court",
            "Recorded on": "2026-02-27",
            "Recorded by email": WORKER,
        }
    ],
}


def _court_set() -> dict:
    return {**copy.deepcopy(SMALL_SET), **copy.deepcopy(COURT_ROWS)}


def _counts(out: str) -> dict[str, list[str]]:
    """The report's counts per file: read, new, updated, unchanged, skipped, errors."""
    return {line.split()[0]: line.split()[1:] for line in out.splitlines() if ".csv " in line}


def _obligations(number: str) -> dict[str, tuple]:
    return {
        code: (due, status)
        for code, due, status in Obligation.objects.filter(child__case_number=number).values_list(
            "code", "due", "status"
        )
    }


def _errors(data: dict, tmp_path) -> list[tuple]:
    checked = check(read_path(write_folder(tmp_path / "set", data)), today=TODAY)
    return sorted((p.file, p.row, p.column, p.reason) for p in checked.report.problems)


@pytest.mark.django_db
def test_court_rows_are_checked_as_the_forms_check_them(tmp_path):
    """Each error is reported with its file, row, column and reason (the forms' and services' rules)."""
    data = _court_set()
    tracking = COURT_ROWS["crown_court"][0]
    data["crown_court"] += [
        {**tracking, "Tracking ID": "CC-2"},  # a second tracking still running for RV-1001
        {
            **tracking,
            "Tracking ID": "CC-3",
            "Case number": "RV-1002",
            "Seriousness": "high",
            "RoSH at screening": "",
            "Band": "a",
            "Next hearing on": "2026-02-01",
            "Principles done": "details_given; bribed_the_judge",
            "Oversight by email": "",
            "Oversight on": "",
            "Ended on": "2026-02-27",
        },
        {
            **tracking,
            "Tracking ID": "CC-4",
            "Programme ID": "ORD-1",
            "Ended on": "2026-02-20",
            "Outcome": "YRO",
        },
        {**tracking, "Tracking ID": "CC-5", "First appearance at": "2026-03-09 10:00"},
        {
            **tracking,
            "Tracking ID": "CC-6",
            "Programme ID": "CCT-1",
            "Ended on": "2026-02-20",
            "Outcome": "YRO",
        },
    ]
    data["programmes"].append(
        {
            "Programme ID": "CCT-1",
            "Case number": "RV-1001",
            "Kind": "crown_court_tracking",
            "Start date": "2026-02-16",
        }
    )
    hearing = COURT_ROWS["hearings_awaited"][0]
    data["hearings_awaited"] += [
        {**hearing, "Hearing ID": "AH-2", "Decision": "offer", "Risk to others": "", "Answered on": ""},
        {
            **hearing,
            "Hearing ID": "AH-3",
            "Decision": "",
            "Hearing on": "2026-02-01",
            "Adjournment over six weeks": "",
            "Risk to others": "",
            "No other agencies": "",
            "Screened by email": "",
            "Answered on": "",
        },
        {**hearing, "Hearing ID": "AH-4", "Answered on": "", "Screened on": "2026-02-18"},
        {**hearing, "Hearing ID": "AH-5", "Programme ID": "ORD-2"},
    ]
    offence = COURT_ROWS["further_offences"][0]
    data["further_offences"] += [
        {**offence, "Offence ID": "FO-2", "PSR court date": ""},
        {**offence, "Offence ID": "FO-3", "PSR court date": "2026-02-17", "Offence date": "2026-02-20"},
        {**offence, "Offence ID": "FO-1"},
    ]
    bail = COURT_ROWS["bail_applications"][0]
    data["bail_applications"] += [
        {
            **bail,
            "Application ID": "BA-2",
            "Bail date": "2026-02-26",
            "Recorded by email": "x@yjs.example.gov.uk",
        }
    ]
    assert _errors(data, tmp_path) == sorted(
        [
            ("crown_court.csv", 3, "Ended on", "a second Crown Court tracking still running: also on row 2"),
            (
                "crown_court.csv",
                4,
                "Screening notes",
                f"the screening proposes {Band.B.label}: required to explain deciding otherwise (003 §9.2)",
            ),
            ("crown_court.csv", 4, "Next hearing on", "before the first appearance"),
            ("crown_court.csv", 4, "Oversight by email", "required with an oversight decision (003 §9.5)"),
            ("crown_court.csv", 4, "Oversight on", "required with an oversight decision (003 §9.5)"),
            ("crown_court.csv", 4, "Outcome", "required when the tracking has ended"),
            (
                "crown_court.csv",
                4,
                "Principles done",
                "not a case tracking principle: bribed_the_judge (docs/import-format.md)",
            ),
            ("crown_court.csv", 5, "Programme ID", "not a Crown Court tracking programme"),
            (
                "crown_court.csv",
                6,
                "First appearance at",
                "a date in the future (the import is on 2026-03-02)",
            ),
            (
                "crown_court.csv",
                7,
                "Programme ID",
                "the tracking has ended but this programme is still open in programmes.csv: give it the end "
                "date too",
            ),
            (
                "hearings_awaited.csv",
                3,
                "Risk to others",
                "required for a screening decision (offer my futures)",
            ),
            (
                "hearings_awaited.csv",
                4,
                "Screened on",
                "the decision is pending: not screened yet, so leave it blank",
            ),
            ("hearings_awaited.csv", 4, "Hearing on", "before the date added to the list"),
            ("hearings_awaited.csv", 5, "Screened on", "before the date added to the list"),
            (
                "hearings_awaited.csv",
                5,
                "Answered on",
                "required for an accepted offer: My Futures starts that day (003 §10.3)",
            ),
            ("hearings_awaited.csv", 6, "Programme ID", "not a My Future programme"),
            (
                "further_offences.csv",
                3,
                "PSR court date",
                "required: the PSR court date or, if sentenced without a PSR, the sentence date",
            ),
            (
                "further_offences.csv",
                4,
                "Sentence date",
                "required: the PSR court date had passed when the offence was recorded",
            ),
            ("further_offences.csv", 4, "Offence date", "after the offence was recorded"),
            ("further_offences.csv", 5, "Offence ID", "duplicate offence ID: also on row 2"),
            ("bail_applications.csv", 3, "Bail date", "before the day it was recorded"),
            (
                "bail_applications.csv",
                3,
                "Recorded by email",
                "worker not in staff: not in staff.csv or here",
            ),
        ]
    )


@pytest.mark.django_db
def test_court_rows_import_with_their_programmes_and_obligations_follow(tmp_path):
    """The records the product's services would make, the programmes they start, and what is due at once."""
    counts = _counts(import_folder(write_folder(tmp_path / "set", _court_set())))
    assert {file: counts[file] for file in FILES} == {file: ["1", "1", "0", "0", "0", "0"] for file in FILES}
    tracking = CrownCourtTracking.objects.get()
    assert tracking.child.case_number == "RV-1001" and tracking.band == Band.B
    assert tracking.court == "Nottingham Crown Court" and tracking.oversight_by.email == MANAGER
    assert tracking.principles == ["details_given", "solicitor"]
    assert (tracking.programme.kind, tracking.programme.start_date) == (
        Programme.Kind.CROWN_COURT_TRACKING,
        datetime.date(2026, 2, 16),
    )
    assert tracking.is_open
    hearing = AwaitingHearing.objects.get()
    assert hearing.decision == AwaitingHearing.Decision.ACCEPTED and hearing.risk_to_others is False
    assert (hearing.programme.kind, hearing.programme.start_date) == (
        Programme.Kind.MY_FUTURE,
        datetime.date(2026, 2, 24),
    )
    assert FurtherOffence.objects.get().recorded_by.email == WORKER
    assert BailApplication.objects.get().court == "County Youth Court"
    first, second = _obligations("RV-1001"), _obligations("RV-1002")
    day = datetime.date
    # 003 §9.2: the case manager in place at the first appearance meets the 48-hour allocation; no
    # contact since the first appearance leaves the 5-day contact overdue (the tracking's programme).
    assert first["crown_court.allocate"] == (day(2026, 2, 18), Obligation.Status.MET)
    assert first["contact.initial"] == (day(2026, 2, 20), Obligation.Status.OVERDUE)
    # 000 §1.3: the re-offending CMM before the PSR court date, the bail strategy CMM before the bail date.
    assert first["cmm.reoffending"] == (day(2026, 3, 20), Obligation.Status.OPEN)
    assert second["cmm.bail"] == (day(2026, 3, 6), Obligation.Status.OPEN)
    # 003 §10.3: My Futures from the day the offer was accepted (fortnightly contact).
    assert second["contact.fortnightly"] == (day(2026, 3, 10), Obligation.Status.OPEN)


@pytest.mark.django_db
def test_court_rows_rerun_changes_nothing_and_an_end_closes_the_programme(tmp_path):
    """The same files again: every row unchanged, no record or programme added; an end date later given
    ends the tracking and the programme it started (crown_court_end)."""
    data = _court_set()
    folder = write_folder(tmp_path / "one", data)
    import_folder(folder)
    records = [
        m.objects.count() for m in (CrownCourtTracking, AwaitingHearing, FurtherOffence, BailApplication)
    ]
    programmes = sorted(Programme.objects.values_list("pk", "kind", "start_date", "end_date"))
    obligations = sorted(
        Obligation.objects.values_list("child__case_number", "code", "due", "status"), key=str
    )
    counts = _counts(import_folder(folder))
    assert {file: counts[file] for file in FILES} == {file: ["1", "0", "0", "1", "0", "0"] for file in FILES}
    assert records == [
        m.objects.count() for m in (CrownCourtTracking, AwaitingHearing, FurtherOffence, BailApplication)
    ]
    assert sorted(Programme.objects.values_list("pk", "kind", "start_date", "end_date")) == programmes
    assert (
        sorted(Obligation.objects.values_list("child__case_number", "code", "due", "status"), key=str)
        == obligations
    )
    data["crown_court"][0] |= {"Ended on": "2026-02-27", "Outcome": "Referral Order 9 months"}
    counts = _counts(import_folder(write_folder(tmp_path / "two", data)))
    assert counts["crown_court.csv"] == ["1", "0", "1", "0", "0", "0"]
    tracking = CrownCourtTracking.objects.get()
    assert not tracking.is_open and tracking.outcome == "Referral Order 9 months"
    assert (tracking.programme.end_date, tracking.programme.closure_reason) == (
        datetime.date(2026, 2, 27),
        Programme.ClosureReason.SENTENCED,
    )
    assert Programme.objects.count() == len(programmes)
    assert Child.objects.count() == 2


@pytest.mark.django_db
def test_erasing_a_child_removes_the_old_ids_of_its_court_records(tmp_path, service_manager):
    """The old system's ids of an erased child's court records go with it (retention/, UK GDPR Art. 17);
    another child's stay."""
    data = _court_set()
    data["children"][1]["Open"] = "no"
    import_folder(write_folder(tmp_path / "set", data))
    child = Child.objects.get(case_number="RV-1002")
    kinds = ("hearings_awaited", "bail_applications")
    assert ImportedRecord.objects.filter(kind__in=kinds).count() == 2
    child_erase(
        child_id=child.pk, user=service_manager, reason="Retention period ended", confirmation="RV-1002"
    )
    assert not ImportedRecord.objects.filter(kind__in=kinds).exists()
    assert set(
        ImportedRecord.objects.filter(kind__in=("crown_court", "further_offences")).values_list(
            "external_id", flat=True
        )
    ) == {"CC-1", "FO-1"}
    assert rows_left(child.pk) == {}
