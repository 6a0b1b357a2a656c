"""Demo management oversight outside supervision for `seed_demo` (004 §7, 002): a handful of panel,
audit and multi-agency decisions, and one decision on who holds oversight of an out-of-court case
assessed High (001 §6.3), each with its event. All names and text are fictional.
"""

import datetime

from django.utils import timezone

from cases.models import HIGH_LEVELS, MEDIUM_OR_ABOVE, Event, EventType, Programme
from supervision.models import OversightDecision, OversightHolder

from .common import CAL, aware, working
from .discussions import OOC_KINDS

DECISIONS = [
    (
        OversightDecision.Label.PANEL,
        "MARP",
        "Discussed at the Multi-Agency Risk Panel. Agreed to keep RoSH at High; police to share intelligence weekly.",
        "Escalating concerns about exploitation outweighed by good engagement; imminence is not indicated.",
    ),
    (
        OversightDecision.Label.PANEL,
        "MARP",
        "Reviewed at the Multi-Agency Risk Panel: safety plan refreshed, no change to levels.",
        "Protective factors at home strengthened since the last panel.",
    ),
    (
        OversightDecision.Label.AUDIT,
        "",
        "Response to the case audit: the assessment's analysis of SaW to be strengthened at the next review.",
        "Audit found the plan sound but the rationale for SaW brief.",
    ),
    (
        OversightDecision.Label.AUDIT,
        "",
        "Response to the case audit: contact levels confirmed as meeting the order; no further action.",
        "",
    ),
    (
        OversightDecision.Label.MULTI_AGENCY,
        "",
        "Escalated to the social work team manager: no response to the strategy meeting request in ten days.",
        "Risk of harm to the child's own safety if the placement breaks down without a plan.",
    ),
]


def build_decisions(*, children, programmes, by_name, today, rnd) -> int:
    """A handful of management oversight decisions outside supervision (004 §7, 002), and one decision on
    who holds oversight of an out-of-court case assessed High (001 §6.3)."""
    statutory = [
        c
        for c in children
        if programmes.get(c.pk, (None,))[0] in (Programme.Kind.YRO, Programme.Kind.REFERRAL_ORDER)
        and c.rosh in MEDIUM_OR_ABOVE
    ]
    chosen = rnd.sample(statutory, min(len(DECISIONS), len(statutory)))
    made = []
    for child, (label, panel, direction, rationale) in zip(chosen, DECISIONS, strict=False):
        slug = child.team.name.split()[0].lower()
        manager = by_name[f"tm.{slug}"]
        day = working(today - datetime.timedelta(days=rnd.randint(10, 120)))
        significant = label == OversightDecision.Label.MULTI_AGENCY
        made.append(
            (
                OversightDecision(
                    child=child,
                    label=label,
                    panel_name=panel,
                    manager=manager,
                    decided_at=aware(day, rnd.choice([10, 11, 14])),
                    significant=significant,
                    decision=direction,
                    rationale=rationale,
                    actions="Case manager to update the plan within five working days.",
                    recorded_on=day if significant else CAL.add_working_days(day, 1),
                ),
                None,
            )
        )
    ooc = [c for c in children if programmes.get(c.pk, (None,))[0] in OOC_KINDS and c.rosh in HIGH_LEVELS]
    if ooc:
        child = ooc[0]
        slug = child.team.name.split()[0].lower()
        day = working(programmes[child.pk][1] + datetime.timedelta(days=7))
        if day <= today:
            made.append(
                (
                    OversightDecision(
                        child=child,
                        label=OversightDecision.Label.OVERSIGHT_HOLDER,
                        manager=by_name[f"tm.{slug}"],
                        decided_at=aware(day, 15),
                        decision="Assessed High RoSH after panel: the locality team manager holds oversight and "
                        "will review the OOC assessment at closure.",
                        rationale="Risk to others is High; the TM and AP agreed the TM is best placed (001 §6.3).",
                        recorded_on=day,
                    ),
                    child,
                )
            )
    decisions = [d for d, _ in made]
    OversightDecision.objects.bulk_create(decisions)
    events = []
    for decision in decisions:
        first = decision.decision.splitlines()[0]
        decision.event = Event(
            child=decision.child,
            author=decision.manager,
            event_type=EventType.MANAGEMENT_OVERSIGHT_PANEL
            if decision.label == OversightDecision.Label.PANEL
            else EventType.MANAGEMENT_OVERSIGHT,
            occurred_on=timezone.localdate(decision.decided_at),
            summary=f"{decision.heading}: {first}"[:200],
            details=f"Decision and case direction:\n{decision.decision}"
            + (f"\n\nRationale:\n{decision.rationale}" if decision.rationale else ""),
            source=f"oversight:{decision.pk}",
        )
        events.append(decision.event)
    Event.objects.bulk_create(events)
    for decision, event in zip(decisions, events, strict=True):  # one event per decision, in order
        decision.event_id = event.pk
    OversightDecision.objects.bulk_update(decisions, ["event"])
    for decision, holder_child in made:
        if holder_child is not None:
            programme = holder_child.programmes.order_by("start_date").first()
            OversightHolder.objects.create(
                child=holder_child,
                programme=programme,
                holder=decision.manager,
                from_date=timezone.localdate(decision.decided_at),
                decision=decision,
            )
    return len(decisions)
