"""Named permissions (django-rules) for meetings; registered when the app is ready (MeetingsConfig.ready)."""

import rules

from cases.models import Assessment
from cases.permissions import is_manager, is_service_wide
from cases.signoff import ROLES_FOR
from core.registry import registry

from .booking_rules import can_open_booking
from .models import Meeting
from .selectors import can_manage_meetings

# Who may gatekeep an assessment, and so book a child's initial CMM (001 §6.2): the sign-off roles.
GATEKEEPING_ROLES = frozenset().union(*ROLES_FOR.values())


@rules.predicate
def manages_meetings_for(user, child) -> bool:
    """Books, chairs and records the child's meetings (meetings.selectors.can_manage_meetings, 001 §6.2)."""
    return child is not None and can_manage_meetings(user=user, child=child)


@rules.predicate
def opens_booking_for(user, child) -> bool:
    """May open the child's booking page (booking_rules.can_open_booking). A case manager never may, so
    their My work answers without a query per CMM row."""
    if child is None:
        return False
    if can_manage_meetings(user=user, child=child):
        return True
    return user.role in GATEKEEPING_ROLES and can_open_booking(user=user, child=child)


def opens_booking_for_children(user, children: list) -> set[int]:
    """`opens_booking_for` for many children at once (two queries, whatever their number): the same
    readings as `booking_rules.can_open_booking`, so My work's CMM rows cost no query each (issue 20)."""
    allowed = {child.pk for child in children if can_manage_meetings(user=user, child=child)}
    rest = [child.pk for child in children if child.pk not in allowed]
    if not rest or user.role not in GATEKEEPING_ROLES or not user.is_active:
        return allowed
    held = set(
        Meeting.objects.filter(
            child_id__in=rest, status__in=[Meeting.Status.HELD, Meeting.Status.FINALISED], csc_meeting_type=""
        ).values_list("child_id", flat=True)
    )
    initial = [pk for pk in rest if pk not in held]
    if not initial:
        return allowed
    keepers: dict[int, int] = {}
    for child_id, keeper_id in (
        Assessment.objects.filter(child_id__in=initial, gatekept_by__isnull=False)
        .order_by("child_id", "-gatekept_on", "-pk")
        .values_list("child_id", "gatekept_by_id")
    ):
        keepers.setdefault(child_id, keeper_id)  # the most recent gatekept assessment's gatekeeper
    return allowed | {pk for pk in initial if keepers.get(pk) == user.pk}


# A manager's list of the booked meetings coming up: their team's, or every team's for the service manager.
rules.add_perm("meetings.view_team_meetings", is_manager | is_service_wide)
rules.add_perm("meetings.view_service_wide", is_service_wide)
# With the child: `user.has_perm("meetings.manage_meetings", child)`.
rules.add_perm("meetings.manage_meetings", manages_meetings_for)
# The booking page's own test, for the links to it (core.registry.WorkLink.permission).
rules.add_perm("meetings.open_booking", opens_booking_for)
# Its answer for many children at once, for lists of links (My work's CMM rows, issue 20).
registry.add_bulk_permission("meetings.open_booking", opens_booking_for_children)
