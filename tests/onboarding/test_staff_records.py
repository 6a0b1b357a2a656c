"""Agreed supervision frequencies, leave and its cover, management oversight decisions and OOC oversight
holders in the import format: each error reported with its column and reason, the records made as the
product's own services make them (with the obligations they place), and a second run changing nothing."""

import copy
import datetime

import pytest

from cases.models import Child, Event, EventType, Leave, LeaveCover, Obligation, User
from onboarding.models import ImportedRecord, ServiceImport
from retention.erasure import child_erase
from supervision.models import OversightDecision, OversightHolder, SupervisionFrequency

from .factories import SMALL_SET, write_folder
from .helpers import import_folder, problems_in

pytestmark = pytest.mark.usefixtures("on_the_import_day")

WORKER = "omar.quillfeather@yjs.example.gov.uk"
MANAGER = "tamsin.ravel@yjs.example.gov.uk"

# SMALL_SET's two children and two staff, with an out-of-court programme for RV-1002 and these files.
RECORDS: dict[str, list[dict[str, str]]] = {
    "supervision_frequencies": [
        {
            "Frequency ID": "SF-1",
            "Worker email": WORKER,
            "Weeks": "2",
            "From date": "2026-01-05",
            "Reason": "New case manager: fortnightly for the first three months",
            "Set by email": MANAGER,
        }
    ],
    "leave": [
        {
            "Leave ID": "LV-1",
            "Worker email": WORKER,
            "Kind": "planned",
            "Start date": "2026-01-12",
            "End date": "2026-01-16",
            "Recorded by email": MANAGER,
            "Notes": "Annual leave",
        },
        {
            "Leave ID": "LV-2",
            "Worker email": WORKER,
            "Kind": "unplanned",
            "Start date": "2026-02-23",
            "Recorded by email": MANAGER,
            "Notes": "Sickness absence",
            "Cases reviewed on": "2026-02-25",
        },
    ],
    "leave_cover": [
        {
            "Cover ID": "LC-1",
            "Leave ID": "LV-1",
            "Case number": "RV-1001",
            "Cover worker email": MANAGER,
            "Arrangements": "Keep the weekly appointment; tell the family who is covering",
        }
    ],
    "oversight_decisions": [
        {
            "Decision ID": "MO-1",
            "Case number": "RV-1001",
            "Label": "panel",
            "Panel name": "MARP",
            "Manager email": MANAGER,
            "Decided at": "2026-02-10 14:00",
            "Decision": "Keep RoSH at High; police to share intelligence weekly",
            "Rationale": "Good engagement; imminence not indicated",
            "Recorded on": "2026-02-11",
        },
        {
            "Decision ID": "MO-2",
            "Case number": "RV-1002",
            "Label": "oversight_holder",
            "Manager email": MANAGER,
            "Decided at": "2026-02-20 15:00",
            "Significant": "yes",
            "Decision": "The locality team manager holds oversight of the out-of-court programme",
        },
    ],
    "oversight_holders": [
        {
            "Holder ID": "OH-1",
            "Case number": "RV-1002",
            "Programme ID": "ORD-3",
            "Holder email": MANAGER,
            "From date": "2026-02-20",
            "Decision ID": "MO-2",
        }
    ],
}


def _set() -> dict[str, list[dict[str, str]]]:
    data = copy.deepcopy(SMALL_SET)
    data["programmes"].append(
        {
            "Programme ID": "ORD-3",
            "Case number": "RV-1002",
            "Kind": "oocd_intervention",
            "Start date": "2026-02-16",
        }
    )
    data.update(copy.deepcopy(RECORDS))
    return data


@pytest.mark.django_db
def test_the_set_checks_clean(tmp_path):
    """The set the other tests import has no errors."""
    assert problems_in(tmp_path / "set", _set()) == set()


@pytest.mark.django_db
def test_each_error_is_reported_with_its_column_and_reason(tmp_path):
    """What the product's forms refuse, the check refuses, naming the file, row and column."""
    data = _set()
    frequency = data["supervision_frequencies"][0]
    data["supervision_frequencies"] += [
        {**frequency, "Frequency ID": "SF-2", "Set by email": WORKER, "From date": "2026-02-02"},
        {**frequency, "Frequency ID": "SF-3", "Weeks": "5"},
        {**frequency, "Frequency ID": "SF-4"},
    ]
    planned, unplanned = data["leave"]
    data["leave"] += [
        {**planned, "Leave ID": "LV-3", "Start date": "2025-06-02", "End date": ""},
        {**planned, "Leave ID": "LV-4", "Start date": "2025-07-10", "End date": "2025-07-07"},
        {**unplanned, "Leave ID": "LV-5", "Start date": "2026-03-04", "Cases reviewed on": ""},
        {**planned, "Leave ID": "LV-6", "Start date": "2025-08-04", "End date": "2025-08-08"}
        | {"Cases reviewed on": "2025-08-05"},
        {**planned, "Leave ID": "LV-7", "Start date": "2026-01-15", "End date": "2026-01-19"},
        {**unplanned, "Leave ID": "LV-8", "Worker email": MANAGER, "Start date": "2025-10-06"}
        | {
            "End date": "2025-10-08",
            "Cases reviewed on": "2025-10-03",
            "Reallocation considered on": "2025-10-08",
        },
    ]
    cover = data["leave_cover"][0]
    data["leave_cover"] += [
        {**cover, "Cover ID": "LC-2", "Case number": "RV-1002", "Cover worker email": WORKER},
        {**cover, "Cover ID": "LC-3", "Leave ID": "LV-9"},
        {**cover, "Cover ID": "LC-4", "Leave ID": "LV-2"},
        {**cover, "Cover ID": "LC-5"},
    ]
    decision = data["oversight_decisions"][0]
    data["oversight_decisions"] += [
        {**decision, "Decision ID": "MO-3", "Panel name": ""},
        {**decision, "Decision ID": "MO-4", "Label": "audit"},
        {**decision, "Decision ID": "MO-5", "Recorded on": "2026-02-09"},
        {**decision, "Decision ID": "MO-6", "Decided at": "2026-03-03 10:00", "Recorded on": ""},
    ]
    holder = data["oversight_holders"][0]
    data["oversight_holders"] += [
        {**holder, "Holder ID": "OH-2", "Programme ID": "ORD-2"},
        {**holder, "Holder ID": "OH-3", "Programme ID": "ORD-1"},
        {**holder, "Holder ID": "OH-4", "From date": "2026-02-13"},
        {**holder, "Holder ID": "OH-5", "Decision ID": "MO-1"},
        {**holder, "Holder ID": "OH-6", "Decision ID": "MO-9"},
    ]
    assert problems_in(tmp_path / "set", data) == {
        (
            "supervision_frequencies.csv",
            3,
            "Set by email",
            "nobody agrees their own supervision frequency",
        ),
        ("supervision_frequencies.csv", 4, "Weeks", "not one of the allowed values (docs/import-format.md)"),
        (
            "supervision_frequencies.csv",
            5,
            "From date",
            "the worker's frequency agreed twice from that day: also on row 2",
        ),
        ("leave.csv", 4, "End date", "required for planned leave: its last day"),
        ("leave.csv", 5, "End date", "the last day of leave must be on or after the first day"),
        ("leave.csv", 6, "Start date", "unplanned leave has already started: not after 2026-03-02"),
        ("leave.csv", 7, "Cases reviewed on", "only unplanned leave has the manager's follow-ups (003 §7.2)"),
        ("leave.csv", 8, "Start date", "overlaps the worker's leave on row 2"),
        ("leave.csv", 9, "Cases reviewed on", "before the leave started"),
        ("leave.csv", 9, "Reallocation decision", "required with the date reallocation was considered"),
        ("leave_cover.csv", 3, "Cover worker email", "the worker on leave cannot cover their own cases"),
        ("leave_cover.csv", 4, "Leave ID", "unknown leave: not in leave.csv or imported before"),
        ("leave_cover.csv", 5, "Leave ID", "only planned leave has named cover (003 §7.1)"),
        ("leave_cover.csv", 6, "Case number", "the case covered twice in this leave: also on row 2"),
        ("oversight_decisions.csv", 4, "Panel name", "required for a panel's decision (004 §7)"),
        ("oversight_decisions.csv", 5, "Panel name", "only a panel's decision names a panel"),
        ("oversight_decisions.csv", 6, "Recorded on", "before the decision was made"),
        ("oversight_decisions.csv", 7, "Decided at", "a date in the future (the import is on 2026-03-02)"),
        (
            "oversight_holders.csv",
            3,
            "Programme ID",
            "not an out-of-court or My Future programme: only those have oversight to hold (001 §6.3)",
        ),
        ("oversight_holders.csv", 4, "Programme ID", "a programme of another child"),
        ("oversight_holders.csv", 5, "From date", "before the programme started"),
        ("oversight_holders.csv", 6, "Decision ID", "a decision about another child"),
        (
            "oversight_holders.csv",
            7,
            "Decision ID",
            "unknown decision: not in oversight_decisions.csv or imported before",
        ),
    }


@pytest.mark.django_db
def test_import_makes_the_records_and_their_obligations(tmp_path, settings):
    """Each file makes what the product's own forms make, and the obligations they place follow."""
    settings.POLICY_PROFILE = "enfield"  # a profile with the oversight recording timescale (004 §7.1)
    import_folder(write_folder(tmp_path / "set", _set()))
    worker, manager = User.objects.get(email=WORKER), User.objects.get(email=MANAGER)

    frequency = SupervisionFrequency.objects.get()
    assert (frequency.worker, frequency.weeks, frequency.set_by) == (worker, 2, manager)
    assert Obligation.objects.filter(worker=worker, code="supervision.agreed").exists()

    # 003 §7.2: the open absence marks the worker absent; the first-week review is met, the two-week
    # reallocation decision is due.
    worker.refresh_from_db()
    assert worker.is_absent
    assert Leave.objects.count() == 2
    reviewed = Obligation.objects.get(worker=worker, code="leave.review_cases")
    assert reviewed.met_on == datetime.date(2026, 2, 25)
    reallocation = Obligation.objects.get(worker=worker, code="leave.consider_reallocation")
    assert reallocation.met_on is None and reallocation.due == datetime.date(2026, 3, 9)

    cover = LeaveCover.objects.get()
    assert (cover.child.case_number, cover.cover_worker, cover.leave.kind) == ("RV-1001", manager, "planned")
    entry = Event.objects.get(source=f"leave:{cover.leave_id}")
    assert entry.event_type == EventType.LEAVE_COVER and entry.child_id == cover.child_id

    panel = OversightDecision.objects.get(child__case_number="RV-1001")
    assert panel.heading == "Management Oversight by MARP" and panel.recorded_on == datetime.date(2026, 2, 11)
    assert panel.event.source == f"oversight:{panel.pk}"
    assert panel.event.event_type == EventType.MANAGEMENT_OVERSIGHT_PANEL
    recorded = Obligation.objects.get(child=panel.child, code="oversight.recorded")
    assert recorded.met_on == datetime.date(2026, 2, 11)

    holder = OversightHolder.objects.get()
    assert holder.child.case_number == "RV-1002" and holder.programme.kind == "oocd_intervention"
    assert holder.holder == manager and holder.decision.label == "oversight_holder"
    # Blank "Recorded on": put on the file the day it was decided.
    assert holder.decision.recorded_on == datetime.date(2026, 2, 20) and holder.decision.significant
    assert Child.objects.count() == 2


def _records() -> dict:
    models = (SupervisionFrequency, Leave, LeaveCover, OversightDecision, OversightHolder, Event, Obligation)
    counts = {m.__name__: m.objects.count() for m in models}
    counts["decision history"] = OversightDecision.history.count()
    counts["holder history"] = OversightHolder.history.count()
    counts["absent"] = list(User.objects.filter(is_absent=True).values_list("email", flat=True))
    return counts


@pytest.mark.django_db
def test_second_run_changes_nothing(tmp_path):
    """The same files again: every row unchanged, nothing added."""
    folder = write_folder(tmp_path / "set", _set())
    import_folder(folder)
    first = _records()
    import_folder(folder)
    assert _records() == first
    report = ServiceImport.objects.order_by("pk").last().report
    counts = {c["file"]: (c["read"], c["created"], c["updated"], c["unchanged"]) for c in report["files"]}
    for name, rows in RECORDS.items():
        assert counts[f"{name}.csv"] == (len(rows), 0, 0, len(rows))


@pytest.mark.django_db
def test_the_return_from_an_absence_clears_it(tmp_path):
    """Corrected files with the absence's last day: the leave is updated, the worker no longer absent."""
    import_folder(write_folder(tmp_path / "one", _set()))
    data = _set()
    data["leave"][1]["End date"] = "2026-02-27"
    import_folder(write_folder(tmp_path / "two", data))
    report = ServiceImport.objects.order_by("pk").last().report
    assert next(c for c in report["files"] if c["file"] == "leave.csv")["updated"] == 1
    assert Leave.objects.get(kind="unplanned").end_date == datetime.date(2026, 2, 27)
    assert not User.objects.get(email=WORKER).is_absent
    assert Leave.objects.count() == 2


@pytest.mark.django_db
def test_a_corrected_decision_gets_a_new_version_of_its_entry(tmp_path):
    """The decision is updated; its timeline entry is a new version that keeps the old (never edited)."""
    import_folder(write_folder(tmp_path / "one", _set()))
    first = OversightDecision.objects.get(child__case_number="RV-1001").event
    data = _set()
    data["oversight_decisions"][0]["Decision"] = "Keep RoSH at High; police to share intelligence daily"
    import_folder(write_folder(tmp_path / "two", data))
    decision = OversightDecision.objects.get(child__case_number="RV-1001")
    assert decision.decision.endswith("daily") and decision.event.corrects_id == first.pk
    assert decision.event.source == f"oversight:{decision.pk}" and "daily" in decision.event.summary
    first.refresh_from_db()
    assert not first.is_current and OversightDecision.objects.count() == 2


@pytest.mark.django_db
def test_erasing_a_child_removes_the_ids_of_its_oversight_and_cover(tmp_path, service_manager):
    """The old system's ids of an erased child's decisions, holders and cover go with it."""
    data = _set()
    for child in data["children"]:
        child["Open"] = "no"  # only a closed record is erased
    import_folder(write_folder(tmp_path / "set", data))
    child = Child.objects.get(case_number="RV-1002")
    assert ImportedRecord.objects.filter(kind="oversight_holders", external_id="OH-1").exists()
    child_erase(
        child_id=child.pk, user=service_manager, reason="Retention period ended", confirmation="RV-1002"
    )
    assert (
        not ImportedRecord.objects.filter(kind__in=["oversight_decisions", "oversight_holders"])
        .exclude(external_id="MO-1")
        .exists()
    )
    first = Child.objects.get(case_number="RV-1001")
    child_erase(
        child_id=first.pk, user=service_manager, reason="Retention period ended", confirmation="RV-1001"
    )
    assert not ImportedRecord.objects.filter(
        kind__in=["oversight_decisions", "oversight_holders", "leave_cover"]
    ).exists()
    assert ImportedRecord.objects.filter(kind="leave", external_id="LV-1").exists()  # the worker's own
