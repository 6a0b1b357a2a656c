"""Records become facts: a child's programmes, levels, assessments, plans, contacts, allocations and
events (and a worker's leave) as the rules module's input.

This is the only place that knows how a record maps to a fact type (timescales.md, "Facts"). Nobody
ticks an obligation: recording the thing it asks for is what meets it.
"""

from django.db.models import Q
from django.utils import timezone

from core.registry import registry

from .models import Allocation, Assessment, Child, Contact, EventType, Leave, Programme

# Event types that state a fact on their own (001 App. 1; 000 §1.3; 004 §7).
EVENT_FACTS: dict[str, list[dict[str, str]]] = {
    EventType.ASSETPLUS_COMPLETION: [{"type": "assessment_completed", "assessment": "assetplus"}],
    EventType.CONTACT: [{"type": "contact", "kind": "face_to_face"}],
    EventType.HOME_VISIT: [{"type": "contact", "kind": "face_to_face"}],
    EventType.CMM_ACTIONS: [{"type": "cmm_actions_recorded"}],
    EventType.MANAGEMENT_OVERSIGHT_SUPERVISION: [
        {"type": "case_discussion_held"},
        {"type": "case_discussion_recorded"},
    ],
    EventType.MANAGEMENT_OVERSIGHT: [{"type": "oversight_decision"}, {"type": "oversight_recorded"}],
    EventType.CO_ALLOCATION_AGREEMENT: [{"type": "co_allocation_recorded"}],
    EventType.CO_ALLOCATION_DISCUSSION: [{"type": "co_allocation_discussion"}],
    EventType.REFERRAL_PANEL_INITIAL: [{"type": "panel_held", "panel": "initial"}],
    EventType.REFERRAL_PANEL_REVIEW: [{"type": "panel_held", "panel": "review"}],
    EventType.PSR_SHARED: [{"type": "psr_shared_with_family"}],
    EventType.PLANNING_MEETING: [{"type": "planning_meeting_held"}],
    EventType.VICTIM_CONTACT_REFERRAL: [{"type": "victim_contact_referral"}],
    EventType.YJAF_ENTERING_CUSTODY: [{"type": "yjaf_entering_custody_uploaded"}],
    EventType.YJAF_PLAN_UPLOADED: [{"type": "yjaf_plan_uploaded"}],
    EventType.YJAF_COMMENT: [{"type": "yjaf_comment_added"}],
}

# Programmes the rules module knows (timescales.md, "Programmes"); a parenting order has no timescales.
RULES_PROGRAMMES = {kind for kind in Programme.Kind.values if kind != Programme.Kind.PARENTING_ORDER}

# Assessment stages as the rules module names them. Plan-only and administrative reviews are not a
# review of the assessment (001 App. 1 lets the case holder do them as housekeeping), so they state no
# `assessment_completed` and do not meet a 3-monthly review.
STAGE_FACT: dict[str, str] = {
    Assessment.Stage.INITIAL: "initial",
    Assessment.Stage.PSR: "initial",
    Assessment.Stage.REVIEW: "review",
    Assessment.Stage.INTERIM_REVIEW: "review",
    Assessment.Stage.PRE_RELEASE: "pre_release",
    Assessment.Stage.CLOSURE: "closure",
}

# Fields each programme needs before the rules can place its timescales (timescales.md, "Programmes").
REQUIRED: dict[str, str] = {Programme.Kind.PSR: "court_date"}


def _programme_facts(programme: Programme) -> list[dict]:
    """A programme's start (with the fields its timescales need) and its end, if closed."""
    if programme.kind not in RULES_PROGRAMMES:
        return []
    needed = REQUIRED.get(programme.kind)
    if needed and getattr(programme, needed) is None:
        return []
    fact: dict[str, object] = {
        "type": "programme_started",
        "programme": programme.kind,
        "date": programme.start_date.isoformat(),
    }
    if programme.length_months:
        fact["length_months"] = programme.length_months
    for name in ("court_date", "panel_date", "release_date"):
        value = getattr(programme, name)
        if value:
            fact[name] = value.isoformat()
    if programme.custody_months:
        fact["custody_months"] = programme.custody_months
    if programme.kind == Programme.Kind.REFERRAL_ORDER:
        fact["custody_threshold"] = programme.custody_threshold
    if programme.kind == Programme.Kind.YRO:
        fact["iss"] = programme.iss
    if programme.kind == Programme.Kind.BAIL_SUPERVISION_SUPPORT:
        fact["assessed_for_court"] = programme.assessed_for_court
    # Fields another app records about the programme (courts: Crown Court tracking's first appearance).
    for extra in registry.programme_fact_fields.get(programme.kind, []):
        fact.update(extra(programme))
    facts = [fact]
    if programme.end_date:
        facts.append(
            {"type": "programme_ended", "programme": programme.kind, "date": programme.end_date.isoformat()}
        )
    return facts


def _rating_facts(child: Child) -> list[dict]:
    """Each change of agreed levels, from the child's history, as `risk_rated` on the day it was made."""
    facts, last = [], None
    for record in child.history.order_by("history_date", "history_id").only(
        "history_date", "rosh", "saw", "lor"
    ):
        levels = (record.rosh, record.saw, record.lor)
        if all(levels) and levels != last:
            date = timezone.localdate(record.history_date).isoformat()
            facts.append(
                {"type": "risk_rated", "date": date, "rosh": levels[0], "saw": levels[1], "lor": levels[2]}
            )
            last = levels
    return facts


def _assessment_facts(child: Child) -> list[dict]:
    """Gatekeeping (a manager's first review) and completion (sign-off) of each assessment stage."""
    facts = []
    rows = child.assessments.filter(Q(gatekept_on__isnull=False) | Q(status=Assessment.Status.COMPLETED))
    for kind, stage, status, gatekept_on, completed_on in rows.values_list(
        "kind", "stage", "status", "gatekept_on", "completed_on"
    ):
        if gatekept_on:
            facts.append({"type": "assessment_gatekept", "assessment": kind, "date": gatekept_on.isoformat()})
        if status == Assessment.Status.COMPLETED and completed_on and stage in STAGE_FACT:
            facts.append(
                {
                    "type": "assessment_completed",
                    "assessment": kind,
                    "stage": STAGE_FACT[stage],
                    "date": completed_on.isoformat(),
                }
            )
    return facts


def _contact_facts(child: Child) -> list[dict]:
    """A kept contact is `contact`; an unacceptable failure is `failure_to_comply` (000 §1.3)."""
    facts = []
    for kind, date, outcome in child.contacts.filter(
        outcome__in=[Contact.Outcome.KEPT, Contact.Outcome.UNACCEPTABLE_FAILURE]
    ).values_list("kind", "date", "outcome"):
        if outcome == Contact.Outcome.KEPT:
            facts.append({"type": "contact", "kind": kind, "date": date.isoformat()})
        else:
            facts.append({"type": "failure_to_comply", "date": date.isoformat()})
    return facts


def _allocation_facts(child: Child) -> list[dict]:
    """A case manager allocated is `allocated` (with the time, for 48-hour rules); a co-worker `co_allocated`."""
    facts = []
    for role, started_on, ended_on, created_at in child.allocations.values_list(
        "role", "started_on", "ended_on", "created_at"
    ):
        if role == Allocation.Role.CO_WORKER:
            # 003 §5.4: once de-allocated, the co-workers' six-weekly discussions are no longer due. The
            # spec has no "co-allocation ended" fact, so an ended co-allocation states nothing.
            if ended_on:
                continue
            facts.append({"type": "co_allocated", "date": started_on.isoformat()})
            continue
        fact = {"type": "allocated", "date": started_on.isoformat()}
        created = timezone.localtime(created_at)
        if created.date() == started_on:
            fact["at"] = created.replace(microsecond=0).isoformat()
        facts.append(fact)
    return facts


def child_facts(*, child: Child) -> list[dict]:
    """Every fact the child's record states, in no particular order (the engine sorts what it needs)."""
    facts = []
    for programme in child.programmes.all():
        facts.extend(_programme_facts(programme))
    facts.extend(_rating_facts(child))
    facts.extend(_assessment_facts(child))
    for kind, is_review, completed_on in child.plans.values_list("kind", "is_review", "completed_on"):
        facts.append(
            {"type": "plan_completed", "plan": kind, "review": is_review, "date": completed_on.isoformat()}
        )
    facts.extend(_contact_facts(child))
    facts.extend(_allocation_facts(child))
    # What the other apps' records state (meetings, case discussions, transfers, MAPPA), as registered.
    for provider in registry.child_facts:
        facts.extend(provider(child=child))
    # Events written for a structured record (source set) add nothing: the record's own facts count.
    for event_type, occurred_on in child.events.filter(is_current=True, source="").values_list(
        "event_type", "occurred_on"
    ):
        for template in EVENT_FACTS.get(event_type, []):
            facts.append({**template, "date": occurred_on.isoformat()})
    return facts


def worker_facts(*, worker) -> list[dict]:
    """A worker's own facts: supervision (000 §4.1, 002) and unplanned leave with its follow-ups (003 §7.2)."""
    facts = [fact for provider in registry.worker_facts for fact in provider(worker=worker)]
    for leave in Leave.objects.filter(worker=worker, kind=Leave.Kind.UNPLANNED):
        facts.append(
            {"type": "unplanned_leave_started", "worker": worker.pk, "date": leave.start_date.isoformat()}
        )
        if leave.cases_reviewed_on:
            facts.append(
                {
                    "type": "leave_cases_reviewed",
                    "worker": worker.pk,
                    "date": leave.cases_reviewed_on.isoformat(),
                }
            )
        if leave.reallocation_considered_on:
            facts.append(
                {
                    "type": "leave_reallocation_considered",
                    "worker": worker.pk,
                    "date": leave.reallocation_considered_on.isoformat(),
                }
            )
    return facts
