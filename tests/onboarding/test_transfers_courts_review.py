"""What a review of the transfer and court files found (issue 22, ADR 0021): a programme the import starts
for a Crown Court tracking or an accepted My Futures offer keeps an id, so the export of an import
imports unchanged; a transfer in is followed by one caretaking agreement (a OneToOne), refused by the
check rather than failing in the database; a child's MAPPA levels are matched on its own records only.
Fictional names only."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Child, Obligation, Programme, User
from cases.selectors import children_for_user
from courts.models import AwaitingHearing, CrownCourtTracking
from mappa.models import MappaLevel, MappaRecord
from onboarding.models import ImportedRecord
from onboarding.reader import read_path
from onboarding.services.writer import Writer
from onboarding.validate import check
from transfers.models import CaretakingAgreement

from .factories import write_folder
from .helpers import TODAY, import_folder, problems_in
from .test_courts import _court_set
from .test_transfers import CARETAKING, INTERNAL, NEW_CM, TRANSFER_IN, TRANSFER_OUT, _set

pytestmark = pytest.mark.usefixtures("on_the_import_day")


def _state() -> tuple:
    return (
        sorted(Programme.objects.values_list("pk", "child_id", "kind", "start_date", "end_date")),
        sorted(CrownCourtTracking.objects.values_list("pk", "programme_id")),
        sorted(AwaitingHearing.objects.values_list("pk", "programme_id")),
        sorted(Obligation.objects.values_list("child_id", "code", "due", "status"), key=str),
    )


@pytest.mark.django_db
def test_export_of_imported_court_rows_imports_unchanged(tmp_path):
    """The tracking's programme and the accepted offer's My Future programme, started by the import, are
    written out with the id the import gave them: importing the export again adds no second programme
    (which would double the tracking's and My Futures' obligations) and moves no record to another."""
    data = _court_set()
    data["crown_court"][0] |= {"Ended on": "2026-02-27", "Outcome": "Referral Order 9 months"}
    import_folder(write_folder(tmp_path / "set", data))
    first = _state()
    call_command("export_service", str(tmp_path / "export"), stdout=io.StringIO())
    assert check(read_path(tmp_path / "export"), today=TODAY).report.problems == []
    import_folder(tmp_path / "export")
    assert _state() == first
    # The original files again still find the programmes they started.
    import_folder(write_folder(tmp_path / "again", data))
    assert _state() == first


@pytest.mark.django_db
def test_a_transfer_in_followed_by_two_agreements_is_refused_by_the_check(tmp_path):
    """A transfer in is followed by one caretaking agreement (003 §12.4-§12.5; a OneToOne in the product):
    a second row naming it was a database error that skipped the child with a technical message."""
    data = _set()
    data["caretaking"] = [
        {**CARETAKING, "Status": "ended", "Ended on": "2026-02-25"},
        {**CARETAKING, "Agreement ID": "CA-2", "Starts on": "2026-02-26"},
    ]
    assert problems_in(tmp_path / "set", data) == {
        (
            "caretaking.csv",
            3,
            "Transfer in ID",
            "the transfer in of another caretaking agreement: also on row 2 (one agreement follows a "
            "transfer in)",
        )
    }


@pytest.mark.django_db
def test_a_transfer_in_already_followed_here_is_refused_by_the_check(tmp_path):
    """An agreement imported before holds the transfer in: another agreement naming it is refused with
    a reason, and the agreement already holding it may be imported again unchanged."""
    import_folder(write_folder(tmp_path / "first", _set()))
    data = _set()
    data["caretaking"] = [{**CARETAKING, "Agreement ID": "CA-9"}]
    assert problems_in(tmp_path / "second", data) == {
        (
            "caretaking.csv",
            2,
            "Transfer in ID",
            "already followed by another caretaking agreement here (one agreement follows a transfer in)",
        )
    }
    again = _set()
    again["caretaking"] = [{**CARETAKING, "Status": "ended", "Ended on": "2026-02-26"}]
    again["transfers_in"] = [dict(TRANSFER_IN)]
    assert problems_in(tmp_path / "third", again) == set()
    import_folder(write_folder(tmp_path / "third", again))
    agreement = CaretakingAgreement.objects.get()
    assert (agreement.status, agreement.ended_on) == ("ended", datetime.date(2026, 2, 26))


@pytest.mark.django_db
def test_a_childs_mappa_levels_look_up_only_its_own_records(tmp_path, monkeypatch):
    """Matching mappa.csv's current level to its row reads the ids of the child's own levels, not every
    level imported for the service (a child's writes cost the same however many are here, ADR 0021)."""
    seen: list[str] = []
    real = Writer._adopt_levels

    def watched(self, rows, records):
        with CaptureQueriesContext(connection) as queries:
            real(self, rows, records)
        seen.extend(q["sql"] for q in queries.captured_queries)

    monkeypatch.setattr(Writer, "_adopt_levels", watched)
    import_folder(write_folder(tmp_path / "set", _set()))
    assert MappaLevel.objects.count() == 2
    reads = [sql for sql in seen if sql.startswith("SELECT") and "onboarding_importedrecord" in sql]
    assert reads and all(
        '"onboarding_importedrecord"."object_id" IN' in sql
        or '"onboarding_importedrecord"."external_id" IN' in sql
        for sql in reads
    ), reads
    assert ImportedRecord.objects.filter(kind="mappa_levels").count() == 2


@pytest.mark.django_db
def test_who_allocated_and_endorsed_only_with_the_step_taken(tmp_path):
    """The product names the new case manager and who allocated only when the receiving team allocates,
    and who endorsed only on endorsement (an escalation clears it; a withdrawal keeps both, 003 §11.4). An
    endorsed transfer naming a new case manager let that worker see the child before being allocated
    (transfers' incoming_children), which the product never allows."""
    data = _set()
    not_allocated = {k: v for k, v in INTERNAL.items() if k != "Allocated on"}
    data["internal_transfers"] = [{**not_allocated, "Status": "endorsed"}]
    data["transfers_out"] = []
    folder = write_folder(tmp_path / "set", data)
    checked = check(read_path(folder), today=TODAY)
    assert {(p.file, p.row, p.column, p.reason) for p in checked.report.problems} == {
        (
            "internal_transfers.csv",
            2,
            column,
            "only an allocated transfer has this: this one is endorsed",
        )
        for column in ("New case manager email", "Allocated by email")
    }
    data["internal_transfers"] = [
        {
            **{k: v for k, v in not_allocated.items() if k != "Endorsed on"},
            "Status": "escalated",
            "Escalated on": "2026-02-19",
            "Escalation reason": "The receiving team disputes the move",
            "New case manager email": "",
            "Allocated by email": "",
        }
    ]
    assert problems_in(tmp_path / "escalated", data) == {
        (
            "internal_transfers.csv",
            2,
            "Endorsed by email",
            "only an endorsed transfer has this: this one is escalated",
        )
    }
    # A withdrawn transfer keeps who endorsed and allocated it (internal_transfer_withdraw clears dates).
    data["internal_transfers"] = [
        {
            **{k: v for k, v in INTERNAL.items() if k not in ("Endorsed on", "Allocated on")},
            "Status": "withdrawn",
            "Closed reason": "The family stayed at the old address",
        }
    ]
    assert problems_in(tmp_path / "withdrawn", data) == set()
    import_folder(write_folder(tmp_path / "withdrawn", data))
    worker = User.objects.get(email=NEW_CM)
    assert not children_for_user(user=worker).filter(pk=Child.objects.get(case_number="RV-1001").pk).exists()


@pytest.mark.django_db
def test_an_ended_tracking_needs_its_programme_imported_before_ended_too(tmp_path):
    """crown_court_end closes the tracking's programme (003 §9, timescales.md "Recurring"). A tracking
    ended in a later file, naming a programme an earlier import made, left that programme open when
    programmes.csv no longer carried it: its monthly contact stayed due after the tracking ended."""
    data = _court_set()
    data["programmes"].append(
        {
            "Programme ID": "ORD-3",
            "Case number": "RV-1001",
            "Kind": "crown_court_tracking",
            "Start date": "2026-02-16",
        }
    )
    data["crown_court"][0]["Programme ID"] = "ORD-3"
    import_folder(write_folder(tmp_path / "first", data))
    later = _court_set()
    later["crown_court"][0] |= {
        "Programme ID": "ORD-3",
        "Ended on": "2026-02-27",
        "Outcome": "Referral Order 9 months",
    }
    assert problems_in(tmp_path / "later", later) == {
        (
            "crown_court.csv",
            2,
            "Programme ID",
            "the tracking has ended but this programme is still open here: give it the end date in "
            "programmes.csv too",
        )
    }
    later["programmes"].append({**data["programmes"][-1], "End date": "2026-02-27"})
    assert problems_in(tmp_path / "fixed", later) == set()


@pytest.mark.django_db
def test_a_transfer_out_completed_leaves_no_programme_open_from_before(tmp_path):
    """A move out transferred to the host area closes the child's open programmes (transfer_out_update,
    003 §12.6): a programme still open from before the host's answer kept every contact due for a child
    who has left. One started after the answer is the child's new order and stays."""
    data = _set()
    data["internal_transfers"] = []
    data["transfers_out"] = [
        {
            **TRANSFER_OUT,
            "Status": "transferred",
            "Requested on": "2026-02-26",
            "Outcome on": "2026-02-27",
        }
    ]
    assert problems_in(tmp_path / "set", data) == {
        (
            "transfers_out.csv",
            2,
            "Status",
            "the transfer closed the child's programmes (003 §12.6), but ORD-1 is still open: give its end "
            "date in programmes.csv",
        )
    }
    ended = next(p for p in data["programmes"] if p["Programme ID"] == "ORD-1")
    ended["End date"] = "2026-02-27"
    data["programmes"].append(
        {
            "Programme ID": "ORD-9",
            "Case number": "RV-1001",
            "Kind": "referral_order",
            "Start date": "2026-02-28",
            "Length (months)": "6",
            "Panel date": "2026-03-01",
        }
    )
    assert problems_in(tmp_path / "ended", data) == set()


@pytest.mark.django_db
def test_a_caretaking_agreement_naming_the_wrong_transfer_in_says_which_fault(tmp_path):
    """One message covered two faults ("not this child's transfer in accepted on a caretaking basis"):
    another child's transfer in, and one not (yet) accepted. Each now says what is wrong."""
    data = _set()
    data["transfers_in"].append(
        {
            **TRANSFER_IN,
            "Transfer in ID": "TI-2",
            "Case number": "RV-1001",
            "Status": "received",
            "Decided by email": "",
            "Decided on": "",
        }
    )
    data["caretaking"] = [
        {**CARETAKING, "Transfer in ID": "TI-2"},
        {**CARETAKING, "Agreement ID": "CA-2", "Case number": "RV-1001", "Transfer in ID": "TI-2"},
    ]
    data["transfers_out"] = []
    assert problems_in(tmp_path / "set", data) == {
        ("caretaking.csv", 2, "Transfer in ID", "the transfer in of another child"),
        (
            "caretaking.csv",
            3,
            "Transfer in ID",
            "the transfer in is received, not accepted: caretaking follows a transfer in accepted on a "
            "caretaking basis (003 §12.4)",
        ),
    }


@pytest.mark.django_db
def test_two_levels_set_the_same_day_keep_mappa_csvs_current_level(tmp_path):
    """Identified at level 2 and lowered to level 1 the same day (mappa.csv: level 1): the record's current
    level is the later one, as mappa_level_set leaves it, and a second run changes nothing."""
    data = _set()
    data["mappa_levels"][1]["Set on"] = "2026-01-12"
    data["mappa"][0]["Level set on"] = "2026-01-12"
    folder = write_folder(tmp_path / "set", data)
    assert check(read_path(folder), today=TODAY).report.problems == []
    import_folder(folder)
    record = MappaRecord.objects.get()
    assert record.current_level == 1
    out = import_folder(folder)
    counts = {line.split()[0]: line.split()[1:5] for line in out.splitlines() if ".csv " in line}
    assert counts["mappa.csv"] == ["1", "0", "0", "1"] and counts["mappa_levels.csv"] == ["2", "0", "0", "2"]
    record.refresh_from_db()
    assert record.current_level == 1


@pytest.mark.django_db
def test_checking_court_rows_reads_their_programmes_once(tmp_path):
    """Rows naming programmes an earlier import made are checked with the same queries however many there
    are (each row looked its programme up, and copied programmes.csv's kinds, on its own)."""
    data = _court_set()
    tracking = data["crown_court"][0] | {"Ended on": "2026-02-20", "Outcome": "Acquitted"}
    data["crown_court"] = []
    for n in range(3, 6):
        data["programmes"].append(
            {
                "Programme ID": f"ORD-{n}",
                "Case number": "RV-1001",
                "Kind": "crown_court_tracking",
                "Start date": "2026-02-16",
                "End date": "2026-02-20",
            }
        )
        data["crown_court"].append({**tracking, "Tracking ID": f"CC-{n}", "Programme ID": f"ORD-{n}"})
    import_folder(write_folder(tmp_path / "first", data))
    data["programmes"] = data["programmes"][:2]

    def queries(rows: int) -> int:
        later = {**data, "crown_court": data["crown_court"][:rows]}
        sheets = read_path(write_folder(tmp_path / f"later{rows}", later))
        with CaptureQueriesContext(connection) as captured:
            assert check(sheets, today=TODAY).report.problems == []
        return len(captured)

    assert queries(1) == queries(3)


@pytest.mark.django_db
def test_the_answer_to_an_offer_is_kept_as_the_product_keeps_it(tmp_path):
    """awaiting_hearing_respond keeps the day of the child's answer in the decision notes ("Declined on
    24/02/2026"). The import dropped a declined offer's Answered on (nothing else holds it), so the export
    lost it; it is now kept the same way, and neither a re-run nor the export's import adds it twice."""
    data = _court_set()
    data["hearings_awaited"][0] |= {"Decision": "declined", "Decision notes": "Family prefer to wait"}
    import_folder(write_folder(tmp_path / "set", data))
    hearing = AwaitingHearing.objects.get()
    assert hearing.programme is None
    assert hearing.decision_notes == "Family prefer to wait\nDeclined on 24/02/2026"
    import_folder(write_folder(tmp_path / "again", data))
    call_command("export_service", str(tmp_path / "export"), stdout=io.StringIO())
    import_folder(tmp_path / "export")
    hearing.refresh_from_db()
    assert hearing.decision_notes == "Family prefer to wait\nDeclined on 24/02/2026"
    assert AwaitingHearing.history.count() == 1


@pytest.mark.django_db
def test_an_allocated_transfers_new_case_manager_is_of_the_receiving_team(tmp_path):
    """The receiving team allocates one of its own case managers (internal_transfer_allocate, 003 §11.4):
    one from elsewhere would see the child (transfers' incoming_children) and hold it from the three-way
    meeting. A completed transfer is not checked: its worker may have moved team since."""
    data = _set()
    data["internal_transfers"][0]["New case manager email"] = data["staff"][1]["Email"]  # Riverside
    assert problems_in(tmp_path / "set", data) == {
        (
            "internal_transfers.csv",
            2,
            "New case manager email",
            "not in the To team: the receiving team allocates one of its own case managers (003 §11.4)",
        )
    }
    data["internal_transfers"][0] |= {"Status": "completed", "Three-way meeting on": "2026-02-25"}
    data["transfers_out"] = []
    assert problems_in(tmp_path / "completed", data) == set()
