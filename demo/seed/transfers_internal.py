"""Demo data for internal transfers between locality teams (003 §11).

Four North children: one ENDORSED to South waiting for South to allocate (§11.4), one ALLOCATED to a South
case manager waiting for the three-way meeting (North still responsible, §11.7), one COMPLETED last month
(now South's, with the Allocation rows to match, §11.8) and one ESCALATED to the service manager after
West's manager disagreed (§11.4). Rows are created directly; seed_demo recomputes obligations afterwards.
"""

from __future__ import annotations

import datetime

from cases.models import Allocation, Child, Event, EventType, Programme, RiskLevel
from cases.rules.calendar import get_calendar
from transfers.models import InternalTransfer, MoveTerm

Status = InternalTransfer.Status
NOTE = "Fictional demonstration record."


def clear() -> None:
    """Remove this module's demo rows before seed_demo rebuilds the service."""
    InternalTransfer.objects.all().delete()


def _candidates(today: datetime.date) -> list[Child]:
    """North children held by a case manager, low or medium levels, on a programme for two months or more;
    from the end of the list, so the journeys other demo modules pick from the start are left alone."""
    started = today - datetime.timedelta(days=60)
    ok = (RiskLevel.LOW, RiskLevel.MEDIUM)
    long_running = Programme.objects.filter(end_date__isnull=True, start_date__lte=started).values("child_id")
    return list(
        Child.objects.filter(
            team__name__startswith="North",
            is_open=True,
            case_manager__isnull=False,
            rosh__in=ok,
            saw__in=ok,
            case_number__startswith="YJ24",
            pk__in=long_running,
        )
        .exclude(case_number__startswith="YJ9000")
        .select_related("case_manager", "team")
        .order_by("-case_number")[:12]
    )


def _event(child, author, day, summary, transfer, step, details=NOTE) -> Event:
    """A TRANSFER event on the timeline for a step (the record states the facts)."""
    return Event(
        child=child,
        author=author,
        event_type=EventType.TRANSFER,
        occurred_on=day,
        summary=summary,
        details=details,
        source=f"itransfer:{transfer.pk}:{step}",
    )


def _proposal(child, *, to_team, proposed_on, rnd) -> InternalTransfer:
    """A proposal with the §11.2 considerations and the §11.3 home visit and review assessment."""
    return InternalTransfer(
        child=child,
        from_team=child.team,
        to_team=to_team,
        from_case_manager=child.case_manager,
        proposed_by=child.case_manager,
        proposed_on=proposed_on,
        new_address=rnd.choice(["14 Larch Close", "3 Mill Lane", "27 Station Road", "8 Orchard Way"])
        + ", Nottinghamshire",
        move_term=MoveTerm.LONG,
        time_left="About six months of the order remain.",
        saw_effect="Settled with an aunt; no adverse effect expected from a change of worker.",
        rosh_effect="RoSH is managed through the plan; the new team will keep the same arrangements.",
        continuity="School place continues; the social worker is unchanged.",
        detriment="Progress is steady; a handover meeting will introduce the new worker.",
        child_views="Would prefer a worker nearer the new home; wants to keep the same group session.",
        home_visit_on=proposed_on - datetime.timedelta(days=2),
        review_assessment_on=proposed_on - datetime.timedelta(days=1),
    )


def build(*, staff, today, rnd) -> None:
    """Add the four internal transfers (after children, meetings and supervision exist)."""
    by_name = {u.username: u for u in staff}
    needed = ("tm.north", "tm.south", "tm.west", "ap.south", "cm.south.1", "cm.south.2")
    if any(name not in by_name for name in needed):
        return
    children = _candidates(today)
    if len(children) < 4:
        return
    cal = get_calendar()
    tm_north, tm_south, tm_west = (by_name[n] for n in ("tm.north", "tm.south", "tm.west"))
    south, west = tm_south.team, tm_west.team
    events: list[Event] = []

    # 1. Endorsed yesterday (a working day): South to allocate within 2 working days (003 §11.4).
    child = children[0]
    endorsed_on = cal.subtract_working_days(today, 1)
    t = _proposal(child, to_team=south, proposed_on=cal.subtract_working_days(endorsed_on, 2), rnd=rnd)
    t.status, t.endorsed_by, t.endorsed_on = Status.ENDORSED, tm_north, endorsed_on
    t.decision_notes = "Agreed: the move is permanent and the child supports it."
    t.save()
    events += [
        _event(
            child,
            child.case_manager,
            t.proposed_on,
            "Internal transfer proposed to South locality team",
            t,
            "proposed",
        ),
        _event(
            child, tm_north, endorsed_on, "Internal transfer to South locality team endorsed", t, "endorsed"
        ),
    ]

    # 2. Allocated two working days ago: the three-way meeting is due within 5 working days; North and
    # the current case manager remain responsible until it is held (003 §11.7).
    child = children[1]
    allocated_on = cal.subtract_working_days(today, 2)
    endorsed_on = cal.subtract_working_days(allocated_on, 1)
    t = _proposal(child, to_team=south, proposed_on=cal.subtract_working_days(endorsed_on, 3), rnd=rnd)
    t.status, t.endorsed_by, t.endorsed_on = Status.ALLOCATED, tm_north, endorsed_on
    t.to_case_manager, t.allocated_by, t.allocated_on = (
        by_name["cm.south.1"],
        by_name["ap.south"],
        allocated_on,
    )
    t.enforcement_pending = True
    t.enforcement_notes = "Breach listed at the youth court for next week."
    t.save()
    events += [
        _event(
            child,
            child.case_manager,
            t.proposed_on,
            "Internal transfer proposed to South locality team",
            t,
            "proposed",
        ),
        _event(
            child, tm_north, endorsed_on, "Internal transfer to South locality team endorsed", t, "endorsed"
        ),
        _event(
            child,
            by_name["ap.south"],
            allocated_on,
            f"Internal transfer allocated to {t.to_case_manager} in South locality team",
            t,
            "allocated",
        ),
    ]

    # 3. Completed last month: the three-way meeting moved the case to South (003 §11.7-§11.8).
    child = children[2]
    meeting_on = cal.subtract_working_days(today, 22)
    allocated_on = cal.subtract_working_days(meeting_on, 4)
    endorsed_on = cal.subtract_working_days(allocated_on, 2)
    new_cm = by_name["cm.south.2"]
    previous_cm = child.case_manager
    t = _proposal(child, to_team=south, proposed_on=cal.subtract_working_days(endorsed_on, 3), rnd=rnd)
    t.status, t.endorsed_by, t.endorsed_on = Status.COMPLETED, tm_north, endorsed_on
    t.to_case_manager, t.allocated_by, t.allocated_on = new_cm, tm_south, allocated_on
    t.meeting_on = meeting_on
    t.meeting_notes = "Handover held with the child: contact every Tuesday; ETE referral outstanding."
    t.save()
    for allocation in Allocation.objects.filter(
        child=child, role=Allocation.Role.CASE_MANAGER, ended_on__isnull=True
    ):
        allocation.ended_on = max(meeting_on, allocation.started_on)
        allocation.save(update_fields=["ended_on"])
    Allocation.objects.create(
        child=child,
        worker=new_cm,
        started_on=meeting_on,
        allocated_by=tm_south,
        reason="Internal transfer from North locality team at the three-way meeting (003 §11.7)",
    )
    Child.objects.filter(pk=child.pk).update(team=south, case_manager=new_cm)
    events += [
        _event(
            child,
            previous_cm,
            t.proposed_on,
            "Internal transfer proposed to South locality team",
            t,
            "proposed",
        ),
        _event(
            child, tm_north, endorsed_on, "Internal transfer to South locality team endorsed", t, "endorsed"
        ),
        _event(
            child,
            tm_south,
            allocated_on,
            f"Internal transfer allocated to {new_cm} in South locality team",
            t,
            "allocated",
        ),
        _event(
            child,
            new_cm,
            meeting_on,
            "Transferred to South locality team at the three-way meeting",
            t,
            "completed",
        ),
        Event(
            child=child,
            author=tm_south,
            event_type=EventType.ALLOCATION,
            occurred_on=meeting_on,
            summary=f"Reallocated from {previous_cm} to {new_cm} as case manager",
            details="Internal transfer at the three-way meeting (003 §11.7).",
            source=f"itransfer:{t.pk}:allocation",
        ),
    ]

    # 4. Escalated: West's manager could not agree the transfer; the service manager decides (003 §11.4).
    child = children[3]
    escalated_on = cal.subtract_working_days(today, 3)
    t = _proposal(child, to_team=west, proposed_on=cal.subtract_working_days(escalated_on, 2), rnd=rnd)
    t.status, t.escalated_on = Status.ESCALATED, escalated_on
    t.move_term = MoveTerm.UNKNOWN
    t.escalation_reason = (
        "West believes the move may be short term: the placement is only agreed for six weeks."
    )
    t.save()
    events += [
        _event(
            child,
            child.case_manager,
            t.proposed_on,
            "Internal transfer proposed to West locality team",
            t,
            "proposed",
        ),
        _event(
            child,
            tm_west,
            escalated_on,
            "Internal transfer to West locality team escalated to the service manager",
            t,
            "escalated",
        ),
    ]
    Event.objects.bulk_create(events)
