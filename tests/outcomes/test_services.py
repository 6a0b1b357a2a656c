"""Writes for the KPI facts (outcomes/services.py): validated, audited, on the timeline, and the child's
snapshots and obligations kept in step (issue 21)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.models import Event, EventType, Obligation, Programme
from cases.services import programmes
from core.models import AuditEntry
from demo.factories import ChildFactory
from outcomes import services
from outcomes.models import Accommodation, BoardAttendance, BoardMeeting, Snapshot

from .factories import OffenceFactory, full_record

K = Programme.Kind
ATTENDED = {"attended": True, "senior": True, "contributed_data": True}
ABSENT = {"attended": False}


@pytest.fixture(autouse=True)
def _today():
    """A fixed day (Tuesday 3 March 2026)."""
    with time_machine.travel(datetime.datetime(2026, 3, 3, 10, 0), tick=False):
        yield


def _accommodation(**changes):
    values = {"kind": "parents", "suitable": True, "from_date": datetime.date(2026, 1, 5), "notes": ""}
    return {**values, **changes}


def test_a_record_is_audited_and_put_on_the_timeline(child, case_manager, django_capture_on_commit_callbacks):
    """Recording accommodation writes the record, an audit entry and a timeline event naming it."""
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_create(
            kind="accommodation", child=child, user=case_manager, values=_accommodation()
        )
    assert record.recorded_by == case_manager
    event = Event.objects.get(child=child, source=f"outcome:accommodation:{record.pk}")
    assert event.event_type == EventType.CIRCUMSTANCES
    assert event.occurred_on == datetime.date(2026, 1, 5)
    assert event.summary == "Accommodation: with parents or carers (suitable)"
    assert AuditEntry.objects.filter(
        object_type="accommodation", object_id=str(record.pk), action=AuditEntry.Action.CREATE, child=child
    ).exists()


def test_a_correction_keeps_the_earlier_version_and_adds_a_timeline_entry(child, case_manager):
    """A corrected record keeps its history; the timeline says it was corrected."""
    record = services.record_create(
        kind="accommodation", child=child, user=case_manager, values=_accommodation()
    )
    services.record_correct(record=record, user=case_manager, values={"suitable": False})
    record.refresh_from_db()
    assert record.suitable is False
    assert record.history.count() == 2
    summaries = list(
        Event.objects.filter(source=f"outcome:accommodation:{record.pk}").values_list("summary", flat=True)
    )
    assert "Accommodation: with parents or carers (not suitable) (corrected)" in summaries
    assert AuditEntry.objects.filter(object_id=str(record.pk), action=AuditEntry.Action.UPDATE).count() == 1


@pytest.mark.parametrize(
    "kind,values,field",
    [
        ("accommodation", _accommodation(to_date=datetime.date(2026, 1, 4)), "to_date"),
        ("accommodation", _accommodation(from_date=datetime.date(2001, 1, 1)), "from_date"),
        ("accommodation", _accommodation(kind="castle"), "kind"),
        (
            "ete",
            {
                "provision": "college",
                "suitable": True,
                "from_date": datetime.date(2026, 1, 5),
                "hours_offered": Decimal("10"),
                "hours_attended": Decimal("12"),
            },
            "hours_attended",
        ),
        (
            "send",
            {
                "identified": True,
                "plan": "ehcp",
                "plan_academic_year": "2026/28",
                "from_date": datetime.date(2026, 1, 5),
            },
            "plan_academic_year",
        ),
        (
            "send",
            {
                "identified": False,
                "plan": "ehcp",
                "plan_academic_year": "2025/26",
                "from_date": datetime.date(2026, 1, 5),
            },
            "plan",
        ),
        (
            "health",
            {
                "area": "mental_health",
                "need_identified": False,
                "intervention": "CAMHS",
                "from_date": datetime.date(2026, 1, 5),
            },
            "need_identified",
        ),
        (
            "health",
            {
                "area": "mental_health",
                "need_identified": True,
                "attending": True,
                "from_date": datetime.date(2026, 1, 5),
            },
            "attending",
        ),
        (
            "offences",
            {
                "description": "Robbery",
                "category": "robbery",
                "gravity": 9,
                "committed_on": datetime.date(2026, 1, 5),
            },
            "gravity",
        ),
        (
            "victims",
            {"reference": "VR-1", "identified_on": datetime.date(2026, 1, 5), "rj_taken_part": True},
            "rj_taken_part",
        ),
    ],
)
def test_the_service_refuses_what_does_not_add_up(child, case_manager, kind, values, field):
    """Each check names the field at fault, and nothing is saved."""
    with pytest.raises(ValidationError) as caught:
        services.record_create(kind=kind, child=child, user=case_manager, values=values)
    assert field in caught.value.message_dict
    assert not Event.objects.filter(child=child).exists()


def test_another_childs_offence_or_programme_is_refused(child, case_manager, north):
    """A victim cannot be linked to another child's offence or programme."""
    other = ChildFactory(team=north)
    offence = OffenceFactory(child=other, recorded_by=case_manager)
    programme = Programme.objects.create(child=other, kind=K.YRO, start_date=datetime.date(2026, 1, 5))
    with pytest.raises(ValidationError) as caught:
        services.record_create(
            kind="victims",
            child=child,
            user=case_manager,
            values={
                "reference": "VR-2",
                "identified_on": datetime.date(2026, 1, 5),
                "offence_id": offence.pk,
                "programme_id": programme.pk,
            },
        )
    assert {"offence", "programme"} <= set(caught.value.message_dict)


def test_protected_fields_cannot_be_set(child, case_manager, north):
    """Who the record is about is never changed by a correction."""
    record = services.record_create(
        kind="accommodation", child=child, user=case_manager, values=_accommodation()
    )
    with pytest.raises(ValueError):
        services.record_correct(
            record=record, user=case_manager, values={"child_id": ChildFactory(team=north).pk}
        )
    assert Accommodation.objects.get(pk=record.pk).child_id == child.pk


def test_the_missing_fact_completes_the_snapshot_and_meets_its_obligation(
    child, case_manager, django_capture_on_commit_callbacks
):
    """The start snapshot is owed until its last fact is entered; entering it meets kpi.start_snapshot."""
    with django_capture_on_commit_callbacks(execute=True):
        programme = programmes.programme_create(
            child=child,
            user=case_manager,
            kind=K.YRO,
            start_date=datetime.date(2026, 2, 23),
            length_months=12,
        )
    owed = Obligation.objects.get(child=child, code="kpi.start_snapshot")
    # Mon 23 Feb 2026 + 15 working days: Mon 16 March.
    assert (owed.due, owed.status) == (datetime.date(2026, 3, 16), "open")
    records = full_record(child=child, user=case_manager, day=datetime.date(2026, 1, 5))
    records[0].delete()  # the accommodation is entered through the service below
    with django_capture_on_commit_callbacks(execute=True):
        services.record_create(kind="accommodation", child=child, user=case_manager, values=_accommodation())
    snap = Snapshot.objects.get(programme=programme, point="start")
    assert snap.complete and snap.completed_on == datetime.date(2026, 3, 3)
    met = Obligation.objects.get(child=child, code="kpi.start_snapshot")
    assert (met.status, met.met_on) == ("met", datetime.date(2026, 3, 3))
    assert "15 working days after the intervention starting on 23 February 2026" in met.explanation


def test_the_end_snapshot_is_owed_once_the_intervention_ends(
    child, case_manager, django_capture_on_commit_callbacks
):
    """Closing an intervention raises kpi.end_snapshot, 10 working days after the end."""
    programme = programmes.programme_create(
        child=child, user=case_manager, kind=K.YRO, start_date=datetime.date(2025, 12, 1), length_months=3
    )
    with django_capture_on_commit_callbacks(execute=True):
        programmes.programme_close(
            programme=programme,
            user=case_manager,
            end_date=datetime.date(2026, 2, 27),
            closure_reason="completed",
        )
    owed = Obligation.objects.get(child=child, code="kpi.end_snapshot")
    # Fri 27 Feb 2026 + 10 working days: Fri 13 March.
    assert owed.due == datetime.date(2026, 3, 13)


def test_a_board_meeting_with_every_partner(service_manager):
    """A meeting is recorded with one attendance row per statutory partner; seniority needs attendance."""
    attendance = {p: ATTENDED for p in services.PARTNERS}
    attendance["police"] = {"attended": False, "senior": True, "contributed_data": True}
    meeting = services.board_meeting_record(
        user=service_manager, held_on=datetime.date(2026, 1, 20), attendance=attendance
    )
    rows = {r.partner: r for r in BoardAttendance.objects.filter(meeting=meeting)}
    assert len(rows) == 5
    assert (rows["police"].attended, rows["police"].senior, rows["police"].contributed_data) == (
        False,
        False,
        False,
    )
    assert AuditEntry.objects.filter(object_type="boardmeeting", object_id=str(meeting.pk)).exists()


def test_a_board_meeting_needs_every_partner_and_a_day_of_its_own(service_manager):
    """A partner left out, or a second meeting the same day, is refused and nothing is kept."""
    attendance = {p: ATTENDED for p in services.PARTNERS}
    with pytest.raises(ValidationError):
        services.board_meeting_record(
            user=service_manager, held_on=datetime.date(2026, 1, 20), attendance={"police": ATTENDED}
        )
    assert not BoardMeeting.objects.exists()
    services.board_meeting_record(
        user=service_manager, held_on=datetime.date(2026, 1, 20), attendance=attendance
    )
    with pytest.raises(ValidationError):
        services.board_meeting_record(
            user=service_manager, held_on=datetime.date(2026, 1, 20), attendance=attendance
        )


def test_a_board_meeting_is_corrected_in_place(service_manager):
    """Correcting the attendance replaces each partner's row (history kept)."""
    attendance = {p: ATTENDED for p in services.PARTNERS}
    meeting = services.board_meeting_record(
        user=service_manager, held_on=datetime.date(2026, 1, 20), attendance=attendance
    )
    services.board_meeting_correct(
        meeting=meeting,
        user=service_manager,
        held_on=datetime.date(2026, 1, 21),
        attendance={**attendance, "health": ABSENT},
    )
    meeting.refresh_from_db()
    assert meeting.held_on == datetime.date(2026, 1, 21)
    assert BoardAttendance.objects.filter(meeting=meeting).count() == 5
    assert not BoardAttendance.objects.get(meeting=meeting, partner="health").attended
