"""meetings/facts.py: what a child's meetings, further offences and bail applications tell the rules module."""

import datetime

import pytest
from django.utils import timezone

from meetings.facts import meeting_facts
from meetings.models import BailApplication, FurtherOffence, Meeting, MeetingKind

pytestmark = pytest.mark.django_db

HELD = timezone.make_aware(datetime.datetime(2026, 3, 10, 14, 30))


def _meeting(child, team_manager, **fields):
    """A meeting row as the services leave it (held unless told otherwise)."""
    values = {
        "kind": MeetingKind.RISK_REVIEW,
        "status": Meeting.Status.HELD,
        "starts_at": HELD,
        "held_at": HELD,
        "chair": team_manager,
        "case_manager": child.case_manager,
        "booked_by": team_manager,
        "venue": "Office",
    }
    values.update(fields)
    return Meeting.objects.create(child=child, **values)


def test_held_cmm_states_cmm_held_with_reason_and_time(child, team_manager):
    """A held CMM is `cmm_held` with its reason and the London time it was held (for the 48-hour rule)."""
    _meeting(child, team_manager, kind=MeetingKind.COMPLIANCE)
    assert meeting_facts(child=child) == [
        {"type": "cmm_held", "reason": "compliance", "date": "2026-03-10", "at": "2026-03-10T14:30:00+00:00"}
    ]


def test_booked_and_cancelled_meetings_state_nothing(child, team_manager):
    """Only a held meeting is a fact: booking or cancelling one meets nothing."""
    _meeting(child, team_manager, status=Meeting.Status.BOOKED, held_at=None)
    _meeting(child, team_manager, status=Meeting.Status.CANCELLED, held_at=None)
    assert meeting_facts(child=child) == []


def test_actions_and_minutes_are_their_own_facts(child, team_manager):
    """001 §6.2: the actions event and the completed minutes are dated when each was done."""
    _meeting(
        child,
        team_manager,
        status=Meeting.Status.FINALISED,
        actions_recorded_on=datetime.date(2026, 3, 11),
        finalised_on=datetime.date(2026, 3, 16),
    )
    types = {(f["type"], f["date"]) for f in meeting_facts(child=child)}
    assert ("cmm_actions_recorded", "2026-03-11") in types
    assert ("cmm_minutes_completed", "2026-03-16") in types


def test_clock_change_time_is_british_summer_time(child, team_manager):
    """A meeting held after the March clock change carries +01:00, so 48 hours runs in London time."""
    held = timezone.make_aware(datetime.datetime(2026, 3, 30, 10, 0))
    _meeting(child, team_manager, starts_at=held, held_at=held)
    assert meeting_facts(child=child)[0]["at"] == "2026-03-30T10:00:00+01:00"


def test_csc_combined_meeting_is_csc_meeting_held_only(child, team_manager):
    """000 §1.4, 001 §6.5: a combined CSC meeting stands in for the CMM and states `csc_meeting_held`."""
    _meeting(child, team_manager, csc_meeting_type=Meeting.CscMeetingType.CORE_GROUP, csc_decision="combine")
    assert meeting_facts(child=child) == [{"type": "csc_meeting_held", "date": "2026-03-10"}]


def test_mappa_level_1_meeting_is_also_the_risk_review(child, team_manager):
    """001 §8: level 1 meetings follow the CMM timescales, so they also count as the RoSH/SaW review."""
    _meeting(
        child, team_manager, kind=MeetingKind.MAPPA_LEVEL_1, mappa_minutes_sent_on=datetime.date(2026, 3, 20)
    )
    types = [(f["type"], f.get("reason")) for f in meeting_facts(child=child)]
    assert ("mappa_meeting_held", None) in types
    assert ("cmm_held", "risk_review") in types
    assert ("mappa_minutes_sent", None) in types


def test_further_offence_with_both_dates_takes_the_psr_route(child, case_manager):
    """timescales.md: with a PSR court date and a sentence date, the PSR route applies."""
    FurtherOffence.objects.create(
        child=child,
        description="Fictional offence",
        psr_court_date=datetime.date(2026, 4, 1),
        sentence_date=datetime.date(2026, 4, 20),
        recorded_on=datetime.date(2026, 3, 2),
        recorded_by=case_manager,
    )
    assert meeting_facts(child=child) == [
        {"type": "reoffended", "date": "2026-03-02", "psr_court_date": "2026-04-01"}
    ]


def test_bail_application_states_its_date(child, case_manager):
    """000 §1.3: the bail strategy CMM is due before the application's date."""
    BailApplication.objects.create(
        child=child,
        bail_date=datetime.date(2026, 5, 5),
        recorded_on=datetime.date(2026, 4, 28),
        recorded_by=case_manager,
    )
    assert meeting_facts(child=child) == [
        {"type": "bail_application_planned", "date": "2026-04-28", "bail_date": "2026-05-05"}
    ]
