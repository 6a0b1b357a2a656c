"""Transfers, caretaking, MAPPA levels and register shares in the import format (003 §11-§12, 001 §8):
the check reports each error with its column and reason; the import makes the records as the product's
services leave them, their obligations follow at once, and a second run changes nothing."""

import copy
import datetime
import io

import pytest
from django.core.management import call_command

from cases.models import Child, Obligation, User
from core.models import Task
from mappa.models import MappaLevel, MappaRecord, RegisterShare
from mappa.services.share import task_source
from onboarding.reader import read_path
from onboarding.validate import check
from transfers.models import CaretakingAgreement, InternalTransfer, TransferIn, TransferOut

from .factories import SMALL_SET, write_folder
from .helpers import TODAY, file_counts, import_folder, problems_in

pytestmark = pytest.mark.usefixtures("on_the_import_day")

CM = "omar.quillfeather@yjs.example.gov.uk"
TM = "tamsin.ravel@yjs.example.gov.uk"
NEW_CM = "fenna.brightwater@yjs.example.gov.uk"

INTERNAL = {
    "Transfer ID": "IT-1",
    "Case number": "RV-1001",
    "Status": "allocated",
    "From team": "Riverside locality team",
    "To team": "Hillside locality team",
    "From case manager email": CM,
    "Proposed by email": CM,
    "Proposed on": "2026-02-16",
    "New address": "7 Example Lane, Sampletown",
    "Move term": "long",
    "Effect on safety and wellbeing": "A calmer home",
    "Effect on RoSH management": "None expected",
    "Child's views": "Happy to meet a new worker",
    "Home visit on": "2026-02-17",
    "Review assessment on": "2026-02-18",
    "Endorsed by email": TM,
    "Endorsed on": "2026-02-19",
    "New case manager email": NEW_CM,
    "Allocated by email": TM,
    "Allocated on": "2026-02-20",
}
TRANSFER_IN = {
    "Transfer in ID": "TI-1",
    "Case number": "RV-1002",
    "Status": "accepted",
    "Received on": "2026-02-23",
    "Home YJS": "Example City YJS",
    "Home case ID": "ECY-2231",
    "Proposed address": "4 Sample Close, Sampletown",
    "Order type": "Referral Order, 9 months",
    "Offence details": "Theft from a shop; no specific victims",
    "Documents missing": "psr: awaiting the court",
    "Documents not applicable": "referral_order; custody_planning",
    "Decided by email": TM,
    "Decided on": "2026-02-24",
    "Recorded by email": TM,
}
CARETAKING = {
    "Agreement ID": "CA-1",
    "Case number": "RV-1002",
    "Transfer in ID": "TI-1",
    "Status": "active",
    "Case manager email": CM,
    "Home YJS": "Example City YJS",
    "Home officer": "Responsible officer, Example City YJS",
    "Starts on": "2026-02-24",
    "Our responsibilities": "planning; assessments",
    "Home responsibilities": "breach",
    "Contact frequency": "Weekly face to face",
    "Agreed by email": TM,
}
TRANSFER_OUT = {
    "Transfer out ID": "TO-1",
    "Case number": "RV-1001",
    "Status": "needed",
    "Kind": "transfer",
    "Host area": "Example County YJS",
    "Move known on": "2026-02-26",
    "Requested by email": CM,
}
LEVELS = [
    {
        "Level ID": "ML-1",
        "Case number": "RV-1001",
        "MAPPA ID": "MP-1",
        "Level": "2",
        "Set on": "2026-01-12",
        "Reason": "Initial level on identification",
        "Set by email": CM,
    },
    {
        "Level ID": "ML-2",
        "Case number": "RV-1001",
        "MAPPA ID": "MP-1",
        "Level": "1",
        "Set on": "2026-01-14",
        "Reason": "Lowest defensible level",
        "Set by email": TM,
    },
]
SHARE = {
    "Share ID": "RS-1",
    "Quarter": "2025-Q4",
    "Shared on": "2025-12-19",
    "Shared by email": TM,
    "Rows": "1",
}


def _set() -> dict:
    """The small set with a second locality team and worker, and a row of each transfer file."""
    data = copy.deepcopy(SMALL_SET)
    data["teams"].append({"Team name": "Hillside locality team", "Team kind": "locality"})
    data["staff"].append(
        {
            "Email": NEW_CM,
            "First name": "Fenna",
            "Last name": "Brightwater",
            "Role": "case_manager",
            "Team": "Hillside locality team",
            "Line manager email": TM,
            "Started on": "2021-01-06",
        }
    )
    data["internal_transfers"] = [dict(INTERNAL)]
    data["transfers_in"] = [dict(TRANSFER_IN)]
    data["caretaking"] = [dict(CARETAKING)]
    data["transfers_out"] = [dict(TRANSFER_OUT)]
    data["mappa_levels"] = copy.deepcopy(LEVELS)
    data["register_shares"] = [dict(SHARE)]
    return data


def _records() -> dict:
    models = (InternalTransfer, TransferIn, CaretakingAgreement, TransferOut, MappaLevel, RegisterShare)
    counts = {m.__name__: m.objects.count() for m in models}
    counts.update({f"{m.__name__} history": m.history.count() for m in models[:5]})
    return counts


@pytest.mark.django_db
def test_the_set_checks_clean(tmp_path):
    """The set used here has no errors, so the tests below judge only what they change."""
    assert check(read_path(write_folder(tmp_path / "set", _set())), today=TODAY).report.problems == []


@pytest.mark.django_db
def test_transfers_in_progress_import_with_their_obligations(tmp_path):
    """Each record as the services leave it at its status; the obligations of transfers in progress show
    the moment the import ends (003 §11.4-§11.7, §12.1, §12.6, App. A)."""
    out = import_folder(write_folder(tmp_path / "set", _set()))
    for filename in ("internal_transfers.csv", "transfers_in.csv", "caretaking.csv", "transfers_out.csv"):
        assert file_counts(out, filename)[:2] == [1, 1], filename
    moving = Child.objects.get(case_number="RV-1001")
    caretaken = Child.objects.get(case_number="RV-1002")

    transfer = InternalTransfer.objects.get(child=moving)
    assert transfer.status == InternalTransfer.Status.ALLOCATED
    assert (transfer.from_team.name, transfer.to_team.name) == (
        "Riverside locality team",
        "Hillside locality team",
    )
    assert transfer.to_case_manager.email == NEW_CM and transfer.endorsed_by.email == TM
    assert transfer.allocated_on == datetime.date(2026, 2, 20)
    # Responsibility stays with the original team until the three-way meeting (003 §11.7).
    assert moving.team.name == "Riverside locality team" and moving.case_manager.email == CM

    transfer_in = TransferIn.objects.get(child=caretaken)
    assert transfer_in.status == TransferIn.Status.ACCEPTED
    assert (transfer_in.first_name, transfer_in.team_id) == (caretaken.first_name, caretaken.team_id)
    assert transfer_in.documents["psr"] == {"answer": "no", "reason": "awaiting the court"}
    assert transfer_in.documents["custody_planning"]["answer"] == "na"
    assert transfer_in.documents["cps"]["answer"] == "yes"

    agreement = CaretakingAgreement.objects.get(child=caretaken)
    assert agreement.transfer_in == transfer_in and agreement.status == CaretakingAgreement.Status.ACTIVE
    assert agreement.our_responsibilities == ["assessments", "planning"]
    # Blank review date: the latest allowed, three months on (003 §12.1).
    assert agreement.review_on == datetime.date(2026, 5, 22)

    move = TransferOut.objects.get(child=moving)
    assert move.status == TransferOut.Status.NEEDED and move.requested_by.email == CM

    due = {
        (number, code): status
        for number, code, status in Obligation.objects.filter(child__isnull=False).values_list(
            "child__case_number", "code", "status"
        )
    }
    assert due[("RV-1001", "transfer.allocate")] == Obligation.Status.MET
    assert due[("RV-1001", "transfer.three_way_meeting")] == Obligation.Status.OVERDUE
    assert due[("RV-1001", "transfer_out.request")] == Obligation.Status.OVERDUE
    assert due[("RV-1002", "transfer_in.confirm")] == Obligation.Status.OVERDUE
    assert due[("RV-1002", "caretaking.review")] == Obligation.Status.OPEN


@pytest.mark.django_db
def test_every_mappa_level_and_the_register_shares_import(tmp_path):
    """Each level set is kept as history, the current one too (mappa.csv's Level is not made twice); the
    register's share is recorded with its quarter's task done (001 §8)."""
    folder = write_folder(tmp_path / "set", _set())
    import_folder(folder)
    record = MappaRecord.objects.get(child__case_number="RV-1001")
    assert sorted(record.levels.values_list("set_on", "level", "reason", "set_by__email")) == [
        (datetime.date(2026, 1, 12), 2, "Initial level on identification", CM),
        (datetime.date(2026, 1, 14), 1, "Lowest defensible level", TM),
    ]
    assert record.current_level == 1
    share = RegisterShare.objects.get()
    assert (share.quarter, share.shared_on, share.shared_by.email, share.rows) == (
        "2025-Q4",
        datetime.date(2025, 12, 19),
        TM,
        1,
    )
    # The quarter's share task, set after the first run: the next run finds the share and marks it done.
    task = Task.objects.create(
        title="Share the MAPPA register",
        source=task_source("2025-Q4"),
        due=TODAY,
        created_by=User.objects.get(email=TM),
    )
    import_folder(folder)
    task.refresh_from_db()
    assert (task.done_on, task.done_by.email) == (datetime.date(2025, 12, 19), TM)


@pytest.mark.django_db
def test_second_run_changes_nothing(tmp_path):
    """The same files again: every transfer row unchanged, no record or history row added."""
    folder = write_folder(tmp_path / "set", _set())
    import_folder(folder)
    first = _records()
    obligations = sorted(
        Obligation.objects.values_list("child__case_number", "code", "due", "status"), key=str
    )
    out = import_folder(folder)
    assert _records() == first
    assert sorted(Obligation.objects.values_list("child__case_number", "code", "due", "status"), key=str) == (
        obligations
    )
    for filename, rows in (
        ("internal_transfers.csv", 1),
        ("transfers_in.csv", 1),
        ("caretaking.csv", 1),
        ("transfers_out.csv", 1),
        ("mappa_levels.csv", 2),
        ("register_shares.csv", 1),
    ):
        assert file_counts(out, filename)[:4] == [rows, 0, 0, rows], filename


@pytest.mark.django_db
def test_export_of_the_import_imports_unchanged(tmp_path):
    """The export writes every record with the ids it was imported by: importing it changes nothing."""
    import_folder(write_folder(tmp_path / "set", _set()))
    first = _records()
    call_command("export_service", str(tmp_path / "export"), stdout=io.StringIO())
    assert check(read_path(tmp_path / "export"), today=TODAY).report.problems == []
    out = import_folder(tmp_path / "export")
    assert _records() == first
    assert file_counts(out, "mappa_levels.csv")[:4] == [2, 0, 0, 2]
    assert file_counts(out, "internal_transfers.csv")[:4] == [1, 0, 0, 1]
    assert file_counts(out, "transfers_in.csv")[:4] == [1, 0, 0, 1]
    assert file_counts(out, "caretaking.csv")[:4] == [1, 0, 0, 1]


@pytest.mark.django_db
def test_check_reports_each_error_with_its_column_and_reason(tmp_path):
    """Status and dates disagreeing, dates out of order, the Transfer In Summary's own checks, references
    to records nowhere, the current MAPPA level given twice differently, quarters that are not."""
    data = _set()
    data["internal_transfers"] = [
        {**INTERNAL, "Status": "completed"},
        {**INTERNAL, "Transfer ID": "IT-2", "Case number": "RV-1002", "Allocated on": "2026-02-18"},
        {**INTERNAL, "Transfer ID": "IT-3", "Status": "escalated"},
        {
            **{k: v for k, v in INTERNAL.items() if "Endorsed" not in k and "Allocated" not in k},
            "Transfer ID": "IT-4",
            "To team": "Interventions",
            "Status": "proposed",
        },
    ]
    data["transfers_in"] = [
        dict(TRANSFER_IN),
        {**TRANSFER_IN, "Transfer in ID": "TI-2", "Status": "rejected"},
        {
            **TRANSFER_IN,
            "Transfer in ID": "TI-3",
            "Documents missing": "cps",
            "Documents not applicable": "summary",
        },
        {**TRANSFER_IN, "Transfer in ID": "TI-4", "High risk": "yes", "RoSH": "low", "SaW": "low"},
    ]
    data["caretaking"] = [
        {**CARETAKING, "Status": "returned"},
        {**CARETAKING, "Agreement ID": "CA-2", "Transfer in ID": "TI-9"},
        {
            **CARETAKING,
            "Agreement ID": "CA-3",
            "Case number": "RV-1001",
            "Transfer in ID": "",
            "Review by": "2026-07-01",
        },
    ]
    data["transfers_out"] = [
        {**TRANSFER_OUT, "Status": "caretaken"},
        {**TRANSFER_OUT, "Transfer out ID": "TO-2", "Case number": "RV-1002", "Requested on": "2026-02-20"},
    ]
    data["mappa_levels"] = [
        {**LEVELS[0], "Set on": "2026-01-05"},
        {**LEVELS[1], "Level ID": "ML-3", "MAPPA ID": "MP-9"},
        {**LEVELS[1], "Level": "2"},
    ]
    data["register_shares"] = [
        {**SHARE, "Quarter": "2025-Q5"},
        {**SHARE, "Share ID": "RS-2", "Quarter": "2026-Q2", "Shared on": "2026-02-01"},
        {**SHARE, "Share ID": "RS-3", "Quarter": "2025-Q3", "Shared on": "2025-06-30"},
    ]
    problems = problems_in(tmp_path / "set", data)
    review = {p for p in problems if p[:3] == ("caretaking.csv", 4, "Review by")}
    assert len(review) == 1 and "no later than three months on" in review.pop()[3]
    stay = "required for a stay or rejection, so the home YJS can address them (003 §12.4)"
    assert {p for p in problems if p[:3] != ("caretaking.csv", 4, "Review by")} == {
        (
            "internal_transfers.csv",
            2,
            "Three-way meeting on",
            "required for a completed transfer (003 §11.7)",
        ),
        ("internal_transfers.csv", 3, "Allocated on", "before the transfer was endorsed"),
        ("internal_transfers.csv", 4, "Escalated on", "required for an escalated transfer (003 §11.4)"),
        ("internal_transfers.csv", 4, "Escalation reason", "required for an escalated transfer (003 §11.4)"),
        (
            "internal_transfers.csv",
            4,
            "Endorsed on",
            "only an endorsed transfer has this date: this one is escalated",
        ),
        (
            "internal_transfers.csv",
            4,
            "Allocated on",
            "only an allocated transfer has this date: this one is escalated",
        ),
        # Who endorsed and allocated only with those steps taken (003 §11.4: an escalation clears them).
        (
            "internal_transfers.csv",
            4,
            "Endorsed by email",
            "only an endorsed transfer has this: this one is escalated",
        ),
        *(
            (
                "internal_transfers.csv",
                4,
                column,
                "only an allocated transfer has this: this one is escalated",
            )
            for column in ("New case manager email", "Allocated by email")
        ),
        (
            "internal_transfers.csv",
            5,
            "New case manager email",
            "only an allocated transfer has this: this one is proposed",
        ),
        ("internal_transfers.csv", 5, "To team", "not a locality team (003 §11)"),
        ("transfers_in.csv", 3, "Decision reasons", stay),
        ("transfers_in.csv", 3, "Reasons communicated on", stay),
        (
            "transfers_in.csv",
            4,
            "Documents missing",
            "Give the reason “CPS documentation for the current offence” is missing",
        ),
        (
            "transfers_in.csv",
            4,
            "Documents not applicable",
            "“Completed Transfer in summary” cannot be marked N/A: say Yes or No",
        ),
        (
            "transfers_in.csv",
            5,
            "RoSH",
            "The risk of harm is high or very high, so RoSH is High or Very High: change the RoSH level, or "
            "answer No to high or very high risk of harm",
        ),
        ("caretaking.csv", 2, "Ended on", "required once caretaking has ended (003 §12.1)"),
        (
            "caretaking.csv",
            3,
            "Transfer in ID",
            "unknown transfer in: not in transfers_in.csv or imported before",
        ),
        ("transfers_out.csv", 2, "Requested on", "required when the status is caretaken (003 §12.6)"),
        (
            "transfers_out.csv",
            2,
            "Outcome on",
            "required when the status is caretaken: the host area's answer",
        ),
        (
            "transfers_out.csv",
            2,
            "Responsibilities",
            "required when the status is caretaken: agreed in writing (003 §12.7)",
        ),
        ("transfers_out.csv", 3, "Requested on", "before the move was known"),
        (
            "transfers_out.csv",
            3,
            "Status",
            "the request was sent, so the move is requested: change the status",
        ),
        ("mappa_levels.csv", 2, "Set on", "before the child was identified as eligible (001 §8)"),
        ("mappa_levels.csv", 3, "MAPPA ID", "unknown MAPPA record: not in mappa.csv or imported before"),
        (
            "mappa_levels.csv",
            4,
            "Level",
            "the latest level set differs from mappa.csv's Level and Level set on: give the same current "
            "level in both",
        ),
        ("register_shares.csv", 2, "Quarter", "not a quarter: use YYYY-Qn, for example 2025-Q4"),
        ("register_shares.csv", 3, "Quarter", "the quarter has not started yet"),
        ("register_shares.csv", 4, "Shared on", "before the quarter started (2025-07-01)"),
    }
