"""Records become the rules module's facts (timescales.md "Facts"): what each record states, and what not."""

import datetime

import pytest

from cases import services
from cases.facts import child_facts, worker_facts
from cases.models import Allocation, Assessment, Contact, EventType, Leave, Obligation, Plan, Programme
from cases.rules import compute
from demo.factories import EventFactory, ProgrammeFactory

D = datetime.date


def _types(child):
    return sorted(f["type"] for f in child_facts(child=child))


def _assessment(child, author, **kw):
    fields = {"kind": Assessment.Kind.ASSETPLUS, "stage": Assessment.Stage.INITIAL, "author": author}
    fields.update(kw)
    return Assessment.objects.create(child=child, **fields)


@pytest.mark.django_db
def test_completed_stage_states_gatekept_and_completed(child, case_manager, team_manager):
    """001 App. 1: the manager's first review is gatekeeping; completing the stage is the sign-off."""
    _assessment(
        child,
        case_manager,
        status=Assessment.Status.COMPLETED,
        gatekept_by=team_manager,
        gatekept_on=D(2024, 1, 24),
        completed_on=D(2024, 1, 25),
    )
    facts = [f for f in child_facts(child=child) if f["type"].startswith("assessment")]
    assert {"type": "assessment_gatekept", "assessment": "assetplus", "date": "2024-01-24"} in facts
    assert {
        "type": "assessment_completed",
        "assessment": "assetplus",
        "stage": "initial",
        "date": "2024-01-25",
    } in facts


@pytest.mark.django_db
def test_drafts_and_housekeeping_reviews_state_no_completion(child, case_manager):
    """A draft says nothing; a plan-only or administrative review does not meet a 3-monthly review."""
    _assessment(child, case_manager)
    for stage in (Assessment.Stage.PLAN_ONLY, Assessment.Stage.ADMINISTRATIVE):
        _assessment(
            child, case_manager, stage=stage, status=Assessment.Status.COMPLETED, completed_on=D(2024, 2, 1)
        )
    assert "assessment_completed" not in _types(child)


@pytest.mark.django_db
def test_contacts_kept_and_failed(child, case_manager):
    """A kept contact is `contact`; an unacceptable failure is `failure_to_comply`; others state nothing."""
    for outcome in Contact.Outcome.values:
        Contact.objects.create(
            child=child, kind=Contact.Kind.PHONE, date=D(2024, 3, 1), outcome=outcome, author=case_manager
        )
    facts = [f for f in child_facts(child=child) if f["type"] in ("contact", "failure_to_comply")]
    assert sorted(f["type"] for f in facts) == ["contact", "failure_to_comply"]
    assert {"type": "contact", "kind": "phone", "date": "2024-03-01"} in facts


@pytest.mark.django_db
def test_plans_state_their_kind_and_review(child, case_manager):
    """A plan is `plan_completed` with its kind; a review carries `review: true` (001 §6 table)."""
    plan = Plan.objects.create(
        child=child,
        kind=Plan.Kind.INTERVENTION,
        completed_on=D(2024, 1, 20),
        objectives="x",
        author=case_manager,
    )
    Plan.objects.create(
        child=child,
        kind=Plan.Kind.INTERVENTION,
        is_review=True,
        reviews=plan,
        completed_on=D(2024, 4, 20),
        objectives="x",
        author=case_manager,
    )
    plans = sorted(
        (f["date"], f["review"]) for f in child_facts(child=child) if f["type"] == "plan_completed"
    )
    assert plans == [("2024-01-20", False), ("2024-04-20", True)]


@pytest.mark.django_db
def test_events_written_for_a_record_add_no_fact(child, case_manager):
    """The record's own facts count; its timeline entry must not count a second time."""
    EventFactory(
        child=child, author=case_manager, event_type=EventType.ASSETPLUS_COMPLETION, source="assessment:1"
    )
    EventFactory(child=child, author=case_manager, event_type=EventType.PSR_SHARED, occurred_on=D(2024, 2, 2))
    assert [f["type"] for f in child_facts(child=child) if f["type"] != "risk_rated"] == [
        "psr_shared_with_family"
    ]


@pytest.mark.django_db
def test_parenting_orders_have_no_timescales(child):
    """003 §12.11: a parenting order is recorded but the rules module has no programme for it."""
    ProgrammeFactory(child=child, kind=Programme.Kind.PARENTING_ORDER)
    assert "programme_started" not in _types(child)


@pytest.mark.django_db
def test_allocations_state_allocated_and_co_allocated(child, case_manager, colleague, team_manager):
    """A case manager is `allocated` (with the time, for 48-hour rules); a co-worker `co_allocated`."""
    today = datetime.date.today()
    Allocation.objects.create(child=child, worker=case_manager, started_on=today, allocated_by=team_manager)
    Allocation.objects.create(
        child=child,
        worker=colleague,
        role=Allocation.Role.CO_WORKER,
        started_on=D(2024, 1, 5),
        allocated_by=team_manager,
    )
    facts = {f["type"]: f for f in child_facts(child=child)}
    assert facts["allocated"]["date"] == today.isoformat() and "at" in facts["allocated"]
    assert facts["co_allocated"]["date"] == "2024-01-05"


@pytest.mark.django_db
def test_unplanned_leave_is_a_worker_fact(case_manager, team_manager):
    """003 §7.2: unplanned leave and the manager's two follow-ups are facts about the worker."""
    Leave.objects.create(
        worker=case_manager,
        kind=Leave.Kind.UNPLANNED,
        start_date=D(2024, 3, 4),
        recorded_by=team_manager,
        cases_reviewed_on=D(2024, 3, 8),
    )
    Leave.objects.create(
        worker=case_manager, kind=Leave.Kind.PLANNED, start_date=D(2024, 5, 1), recorded_by=team_manager
    )
    facts = worker_facts(worker=case_manager)
    # The worker has a supervisor, so their start anchors formal supervision (000 §4.1) too.
    assert [f["type"] for f in facts] == ["worker_started", "unplanned_leave_started", "leave_cases_reviewed"]
    assert all(f["worker"] == case_manager.pk for f in facts)


@pytest.mark.django_db
def test_worker_obligations_are_stored_for_the_worker(case_manager, team_manager):
    """The leave follow-ups are stored as the worker's obligations, due 7 and 14 days on (003 §7.2)."""
    Leave.objects.create(
        worker=case_manager, kind=Leave.Kind.UNPLANNED, start_date=D(2024, 3, 4), recorded_by=team_manager
    )
    services.worker_obligations_refresh(worker_id=case_manager.pk, as_of=D(2024, 3, 12))
    rows = {o.code: o for o in Obligation.objects.filter(worker=case_manager)}
    assert rows["leave.review_cases"].due == D(2024, 3, 11) and rows["leave.review_cases"].status == "overdue"
    assert rows["leave.consider_reallocation"].due == D(2024, 3, 18)
    assert rows["leave.review_cases"].child is None


@pytest.mark.django_db
def test_a_yro_run_through_records_meets_its_obligations(child, case_manager, team_manager):
    """YRO sentenced Mon 8 Jan 2024: assessment signed off and plan completed on time meet 001 §6 table."""
    ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2024, 1, 8), length_months=12)
    _assessment(
        child,
        case_manager,
        status=Assessment.Status.COMPLETED,
        gatekept_on=D(2024, 1, 24),
        gatekept_by=team_manager,
        completed_on=D(2024, 1, 26),
    )
    Plan.objects.create(
        child=child,
        kind=Plan.Kind.INTERVENTION,
        completed_on=D(2024, 1, 26),
        objectives="x",
        author=case_manager,
    )
    services.child_obligations_refresh(child_id=child.pk, as_of=D(2024, 2, 1))
    stored = {o.code: (o.due, o.status) for o in child.obligations.all()}
    expected = compute({"as_of": "2024-02-01", "facts": child_facts(child=child)})["obligations"]
    for item in expected:
        assert stored[item["code"]][0].isoformat() == item["due"]
    assert stored["assetplus.gatekeep"] == (D(2024, 1, 25), "met")
    assert stored["assetplus.due"] == (D(2024, 1, 29), "met")
    assert stored["plan.intervention"] == (D(2024, 1, 29), "met")


@pytest.mark.django_db
def test_an_ended_co_allocation_states_nothing(child, colleague, team_manager):
    """003 §5.4: after de-allocation the co-workers' six-weekly discussions stop falling due."""
    Allocation.objects.create(
        child=child,
        worker=colleague,
        role=Allocation.Role.CO_WORKER,
        started_on=D(2024, 1, 5),
        ended_on=D(2024, 3, 1),
        allocated_by=team_manager,
    )
    assert "co_allocated" not in _types(child)
