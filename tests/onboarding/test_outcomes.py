"""The KPI facts and the management board in the import format (issue 21, 22): each check's error with its
column and reason, the records and snapshots an import makes (the KPI snapshot obligation met as the old
system's entry times say), a re-run that changes nothing, and a correction. Names are fictional."""

import copy
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from cases.models import Child, Obligation, Programme
from onboarding.models import ImportedRecord
from onboarding.reader import read_path
from onboarding.validate import check
from outcomes.models import (
    Accommodation,
    BoardAttendance,
    BoardMeeting,
    Education,
    HealthNeed,
    Offence,
    Snapshot,
    SpecialNeed,
    VictimContact,
    WiderService,
)
from retention.erasure import child_erase, rows_left

from .factories import SMALL_SET, write_folder
from .helpers import TODAY, import_folder

pytestmark = pytest.mark.usefixtures("on_the_import_day")

LONDON = zoneinfo.ZoneInfo("Europe/London")
OMAR = "omar.quillfeather@yjs.example.gov.uk"
TAMSIN = "tamsin.ravel@yjs.example.gov.uk"
MODELS = (
    Accommodation,
    Education,
    SpecialNeed,
    HealthNeed,
    WiderService,
    Offence,
    VictimContact,
    BoardMeeting,
    BoardAttendance,
)

# RV-1001's YRO (ORD-1) started on 1 December 2025: every fact its start snapshot needs, entered that day.
OUTCOMES: dict[str, list[dict[str, str]]] = {
    "accommodation": [
        {
            "Accommodation ID": "ACC-1",
            "Case number": "RV-1001",
            "Type": "parents",
            "Suitable": "yes",
            "From": "2024-09-02",
            "Until": "2025-10-31",
            "Recorded by email": OMAR,
            "Recorded at": "2024-09-03 10:15",
        },
        {
            "Accommodation ID": "ACC-2",
            "Case number": "RV-1001",
            "Type": "family_friends",
            "Suitable": "no",
            "From": "2025-11-01",
            "Recorded by email": OMAR,
            "Recorded at": "2025-11-03 09:40",
        },
    ],
    "education": [
        {
            "ETE ID": "ETE-1",
            "Case number": "RV-1001",
            "Provision": "alternative_provision",
            "Hours offered": "15",
            "Hours attended": "12.5",
            "Suitable": "no",
            "From": "2025-09-03",
            "Recorded by email": OMAR,
            "Recorded at": "2025-12-01 11:20",
        }
    ],
    "special_needs": [
        {
            "SEND ID": "SEN-1",
            "Case number": "RV-1001",
            "Need": "Speech, language and communication",
            "Plan": "ehcp",
            "Plan academic year": "2025/26",
            "From": "2025-09-03",
            "Recorded by email": OMAR,
            "Recorded at": "2025-12-01 11:25",
        }
    ],
    "health_needs": [
        {
            "Screening ID": "HS-1",
            "Case number": "RV-1001",
            "Area": "mental_health",
            "Screened on": "2025-11-24",
            "Need identified": "yes",
            "Intervention": "CAMHS assessment",
            "Offered on": "2025-12-01",
            "Attending": "yes",
            "Recorded by email": OMAR,
            "Recorded at": "2025-12-01 11:30",
        },
        {
            "Screening ID": "HS-2",
            "Case number": "RV-1001",
            "Area": "substance_misuse",
            "Screened on": "2025-11-24",
            "Need identified": "no",
            "Recorded by email": OMAR,
            "Recorded at": "2025-12-01 11:30",
        },
    ],
    "wider_services": [
        {
            "Service ID": "WS-1",
            "Case number": "RV-1001",
            "Service": "early_help",
            "From": "2025-04-14",
            "Recorded by email": OMAR,
            "Recorded at": "2025-04-15 09:00",
        }
    ],
    "offences": [
        {
            "Offence ID": "OF-1",
            "Case number": "RV-1001",
            "Offence": "Robbery",
            "Category": "robbery",
            "Gravity": "6",
            "Serious violence": "yes",
            "Committed on": "2025-10-20",
            "Proven on": "2025-12-01",
            "Programme ID": "ORD-1",
            "Recorded by email": OMAR,
            "Recorded at": "2025-12-01 11:35",
        }
    ],
    "victim_contacts": [
        {
            "Victim ID": "VC-1",
            "Case number": "RV-1001",
            "Victim reference": "VR-00031",
            "Identified on": "2025-12-03",
            "Offence ID": "OF-1",
            "Consented": "yes",
            "Views sought": "yes",
            "Information given": "yes",
            "RJ offered": "yes",
            "RJ taken part": "no",
            "Programme ID": "ORD-1",
            "Recorded by email": OMAR,
            "Recorded at": "2025-12-03 14:00",
        }
    ],
    "board_meetings": [
        {
            "Board meeting ID": "BRD-1",
            "Held on": "2026-02-17",
            "Children's services attendance": "senior",
            "Children's services data": "yes",
            "Education attendance": "attended",
            "Police attendance": "senior",
            "Police data": "yes",
            "Probation attendance": "absent",
            "Health attendance": "attended",
            "Recorded by email": TAMSIN,
        }
    ],
}


def _set(**changes) -> dict:
    """SMALL_SET with the KPI files, each row's cells changed as given ({"offences": {0: {...}}})."""
    data = copy.deepcopy({**SMALL_SET, **OUTCOMES})
    for kind, rows in changes.items():
        for index, cells in rows.items():
            if index >= len(data[kind]):
                data[kind].append(cells)
            else:
                data[kind][index].update(cells)
    return data


def _counts(out: str, filename: str) -> list[str]:
    """A file's line of the report: read, new, updated, unchanged, skipped, errors."""
    line = next(line for line in out.splitlines() if line.startswith(filename))
    return line.split()[1:]


@pytest.mark.django_db
def test_each_check_reports_its_column_and_reason(tmp_path):
    """The outcomes forms' and services' rules, each an error on its row and column."""
    bad = {
        "accommodation": {1: {"Until": "2025-10-01"}},
        "education": {0: {"Hours offered": "12", "Hours attended": "12.5"}, 1: {
            **OUTCOMES["education"][0], "ETE ID": "ETE-2", "Hours offered": "61", "Hours attended": "12.25"
        }},
        "special_needs": {0: {"Plan academic year": ""}, 1: {
            **OUTCOMES["special_needs"][0], "SEND ID": "SEN-2", "Plan academic year": "2025/27",
            "Identified": "no",
        }},
        "health_needs": {1: {"Intervention": "Substance misuse worker"}, 0: {"Offered on": "2025-11-20"}},
        "wider_services": {0: {"From": "2009-01-05"}},
        "offences": {0: {"Gravity": "9"}, 1: {
            **OUTCOMES["offences"][0], "Offence ID": "OF-2", "Proven on": "2025-10-01",
            "Recorded by email": "nobody@yjs.example.gov.uk",
        }},
        "victim_contacts": {0: {"Victim reference": "Marlow Fenwick", "RJ offered": "no", "RJ taken part": "yes"}, 1: {
            **OUTCOMES["victim_contacts"][0], "Victim ID": "VC-2", "Offence ID": "OF-9", "Consented": "no",
        }},
        "board_meetings": {0: {"Probation data": "yes"}, 1: {
            **OUTCOMES["board_meetings"][0], "Board meeting ID": "BRD-2", "Held on": "2026-03-10",
            "Health attendance": "",
        }, 2: {**OUTCOMES["board_meetings"][0], "Board meeting ID": "BRD-3"}},
    }  # fmt: skip
    checked = check(read_path(write_folder(tmp_path / "set", _set(**bad))), today=TODAY)
    problems = sorted((p.file, p.row, p.column, p.value, p.reason) for p in checked.report.problems)
    assert problems == sorted(
        [
            ("accommodation.csv", 3, "Until", "2025-10-01", "before the date it started"),
            ("education.csv", 2, "Hours attended", "12.5", "more than the hours offered"),
            ("education.csv", 3, "Hours offered", "61", "not a number of hours from 0 to 60"),
            ("education.csv", 3, "Hours attended", "12.25", "at most one decimal place, like 12.5"),
            ("special_needs.csv", 2, "Plan academic year", "", "required with a learning plan"),
            ("special_needs.csv", 3, "Plan academic year", "2025/27", "not an academic year: write it like 2025/26"),
            ("special_needs.csv", 3, "Plan", "ehcp", "no learning plan where no need was identified"),
            ("health_needs.csv", 2, "Offered on", "2025-11-20", "before the screening"),
            (
                "health_needs.csv", 3, "Need identified", "False",
                "an intervention is planned or offered only where the screening found a need",
            ),
            ("wider_services.csv", 2, "From", "2009-01-05", "before the child's date of birth"),
            ("offences.csv", 2, "Gravity", "9", "not one of the allowed values (docs/import-format.md)"),
            ("offences.csv", 3, "Proven on", "2025-10-01", "before the date of the offence"),
            (
                "offences.csv", 3, "Recorded by email", "nobody@yjs.example.gov.uk",
                "worker not in staff: not in staff.csv or here",
            ),
            (
                "victim_contacts.csv", 2, "Victim reference", "Marlow Fenwick",
                "looks like a name: a victim is known by a reference with a digit, never by name",
            ),
            ("victim_contacts.csv", 2, "RJ taken part", "True", "restorative justice was not offered"),
            (
                "victim_contacts.csv", 3, "Offence ID", "OF-9",
                "unknown offence: not in offences.csv or imported before",
            ),
            (
                "victim_contacts.csv", 3, "Consented", "False",
                "a victim who did not consent to contact was not asked or offered anything",
            ),
            ("board_meetings.csv", 2, "Probation data", "True", "Probation did not attend, so brought no data"),
            ("board_meetings.csv", 3, "Held on", "2026-03-10", "a date in the future (the import is on 2026-03-02)"),
            ("board_meetings.csv", 3, "Health attendance", "", "required: enter a value"),
            ("board_meetings.csv", 4, "Held on", "2026-02-17", "a second board meeting that day: also on row 2"),
        ]
    )  # fmt: skip
    # Every KPI error is RV-1001's: that child is skipped, RV-1002 goes in; the board's rows with errors
    # are left out, the others kept.
    assert checked.skipped == {"RV-1001"}
    assert checked.rows["board_meetings"] == []


@pytest.mark.django_db
def test_import_creates_the_records_and_takes_the_snapshots(tmp_path):
    """Each file's records with the fields the services set; the child's start snapshot taken and complete
    from the day its last fact was entered, so the KPI snapshot obligation is met on time."""
    out = import_folder(write_folder(tmp_path / "set", _set()))
    assert _counts(out, "accommodation.csv") == ["2", "2", "0", "0", "0", "0"]
    assert _counts(out, "board_meetings.csv") == ["1", "1", "0", "0", "0", "0"]
    child = Child.objects.get(case_number="RV-1001")
    yro = Programme.objects.get(child=child, kind="yro")
    assert [(a.kind, a.suitable, a.to_date) for a in Accommodation.objects.order_by("from_date")] == [
        ("parents", True, datetime.date(2025, 10, 31)),
        ("family_friends", False, None),
    ]
    ete = Education.objects.get()
    assert (ete.hours_offered, ete.hours_attended, ete.suitable) == (Decimal("15.0"), Decimal("12.5"), False)
    assert ete.created_at == datetime.datetime(2025, 12, 1, 11, 20, tzinfo=LONDON)
    assert SpecialNeed.objects.get().identified is True
    screening = HealthNeed.objects.get(area="substance_misuse")
    assert (screening.need_identified, screening.intervention, screening.attending) == (False, "", None)
    offence = Offence.objects.get()
    assert (offence.gravity, offence.serious_violence, offence.programme_id) == (6, True, yro.pk)
    victim = VictimContact.objects.get()
    assert (victim.offence_id, victim.kind, victim.rj_taken_part) == (offence.pk, "person", False)
    assert WiderService.objects.get().kind == "early_help"
    meeting = BoardMeeting.objects.get()
    assert meeting.held_on == datetime.date(2026, 2, 17)
    assert sorted(meeting.attendance.values_list("partner", "attended", "senior", "contributed_data")) == [
        ("childrens_services", True, True, True),
        ("education", True, False, False),
        ("health", True, False, False),
        ("police", True, True, True),
        ("probation", False, False, False),
    ]
    assert all(m.history.count() == m.objects.count() for m in MODELS)
    snapshot = Snapshot.objects.get(programme=yro)
    assert (snapshot.point, snapshot.as_of, snapshot.complete) == ("start", yro.start_date, True)
    assert snapshot.completed_on == datetime.date(2025, 12, 1)
    assert snapshot.values["accommodation"] == {"kind": "family_friends", "suitable": False}
    assert snapshot.values["wider_services"] == ["early_help"]
    obligation = Obligation.objects.get(child=child, code="kpi.start_snapshot")
    assert obligation.status == Obligation.Status.MET


@pytest.mark.django_db
def test_without_entry_times_the_snapshot_is_complete_on_the_day_of_the_import(tmp_path):
    """Blank `Recorded at`: the records were entered by the import, so the snapshot was completed today
    and its obligation (due 15 working days after the start) met late, as the product would judge it."""
    blank = {kind: {i: {"Recorded at": ""} for i in range(len(rows))} for kind, rows in OUTCOMES.items()}
    blank.pop("board_meetings")
    import_folder(write_folder(tmp_path / "set", _set(**blank)))
    snapshot = Snapshot.objects.get(programme__child__case_number="RV-1001")
    assert snapshot.complete and snapshot.completed_on == TODAY
    obligation = Obligation.objects.get(child__case_number="RV-1001", code="kpi.start_snapshot")
    assert obligation.status == Obligation.Status.MET_LATE


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_a_correction_updates(tmp_path):
    """The same files again: every KPI row unchanged, nothing duplicated. A corrected accommodation and a
    board attendance alone are updates; the snapshot follows the correction."""
    folder = write_folder(tmp_path / "set", _set())
    import_folder(folder)
    before = {m.__name__: (m.objects.count(), m.history.count()) for m in MODELS}
    snapshots = list(Snapshot.objects.values_list("pk", "values", "completed_on", "taken_at"))
    out = import_folder(folder)
    for kind, rows in OUTCOMES.items():
        assert _counts(out, f"{kind}.csv") == [str(len(rows)), "0", "0", str(len(rows)), "0", "0"]
    assert {m.__name__: (m.objects.count(), m.history.count()) for m in MODELS} == before
    assert list(Snapshot.objects.values_list("pk", "values", "completed_on", "taken_at")) == snapshots
    assert ImportedRecord.objects.filter(kind="victim_contacts").count() == 1

    corrected = _set(
        accommodation={1: {"Suitable": "yes"}}, board_meetings={0: {"Probation attendance": "attended"}}
    )
    out = import_folder(write_folder(tmp_path / "corrected", corrected))
    assert _counts(out, "accommodation.csv") == ["2", "0", "1", "1", "0", "0"]
    assert _counts(out, "board_meetings.csv") == ["1", "0", "1", "0", "0", "0"]
    assert Accommodation.objects.count() == 2 and BoardAttendance.objects.count() == 5
    assert BoardAttendance.objects.get(partner="probation").attended is True
    snapshot = Snapshot.objects.get()
    assert snapshot.values["accommodation"] == {"kind": "family_friends", "suitable": True}
    assert snapshot.completed_on == datetime.date(2025, 12, 1)


@pytest.mark.django_db
def test_a_board_meeting_of_a_day_already_here_is_refused(tmp_path):
    """One board meeting a day (the model's rule): a row for a day recorded here by another ID is an error,
    and the import says which row."""
    folder = write_folder(tmp_path / "set", _set())
    import_folder(folder)
    again = _set(board_meetings={0: {"Board meeting ID": "BRD-NEW"}})
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_service", str(write_folder(tmp_path / "again", again)), stdout=out, stderr=io.StringIO()
        )
    assert "board_meetings.csv row 2, Held on '2026-02-17': a board meeting of that day is already here" in (
        out.getvalue()
    )
    assert BoardMeeting.objects.count() == 1


@pytest.mark.django_db
def test_erasing_a_child_removes_the_old_ids_of_its_kpi_facts(tmp_path, service_manager):
    """UK GDPR Art. 17 (retention/): the erased child's KPI facts go, and with them their ImportedRecord rows;
    the board's meeting (the service's, not the child's) stays."""
    import_folder(write_folder(tmp_path / "set", _set(children={0: {"Open": "no"}})))
    child = Child.objects.get(case_number="RV-1001")
    child_kinds = [kind for kind in OUTCOMES if kind != "board_meetings"]
    assert ImportedRecord.objects.filter(kind__in=child_kinds).count() == 9
    child_erase(
        child_id=child.pk, user=service_manager, reason="Retention period ended", confirmation="RV-1001"
    )
    assert not ImportedRecord.objects.filter(kind__in=child_kinds).exists()
    assert ImportedRecord.objects.filter(kind="board_meetings").count() == 1
    assert rows_left(child.pk) == {}
