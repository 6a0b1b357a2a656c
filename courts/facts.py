"""Court tracking records become facts (timescales.md "Facts").

003 §9.2: "Allocation of the Youth Justice Case Manager will be undertaken within 48 hours of their first
appearance". A child who already has a case manager when the tracking starts has met that: their
allocation predates the tracking, so the `allocated` fact from the allocation (cases/facts.py) is dated
before the trigger and would not count, leaving `crown_court.allocate` due and then falsely overdue. The
tracking therefore states `allocated` at the first appearance when a case manager held the child then.
A case manager allocated after the first appearance needs nothing from here: that allocation's own fact
meets (or is late for) the 48 hours, truthfully.
"""

from django.utils import timezone

from cases.models import Allocation

from .models import CrownCourtTracking


def _held_on(allocations: list[tuple], day) -> bool:
    """Whether a case manager allocation covered this day (started on or before it, not ended before)."""
    return any(start <= day and (end is None or end >= day) for start, end in allocations)


def crown_court_facts(*, child) -> list[dict]:
    """`allocated` at the first appearance of each tracking that started with a case manager in place."""
    trackings = list(
        CrownCourtTracking.objects.filter(child=child, programme__isnull=False).values_list(
            "first_appearance_at", flat=True
        )
    )
    if not trackings:
        return []
    allocations = list(
        Allocation.objects.filter(child=child, role=Allocation.Role.CASE_MANAGER).values_list(
            "started_on", "ended_on"
        )
    )
    facts = []
    for first in trackings:
        local = timezone.localtime(first).replace(microsecond=0)
        # A record without allocation history (kept before allocations were recorded) counts the case
        # manager it names.
        held = _held_on(allocations, local.date()) if allocations else child.case_manager_id is not None
        if held:
            facts.append({"type": "allocated", "date": local.date().isoformat(), "at": local.isoformat()})
    return facts
