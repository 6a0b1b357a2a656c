"""Named permissions (django-rules) for meetings; registered when the app is ready (MeetingsConfig.ready)."""

import rules

from cases.permissions import is_manager, is_service_wide
from cases.signoff import ROLES_FOR

from .booking_rules import can_open_booking
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


# A manager's list of the booked meetings coming up: their team's, or every team's for the service manager.
rules.add_perm("meetings.view_team_meetings", is_manager | is_service_wide)
rules.add_perm("meetings.view_service_wide", is_service_wide)
# With the child: `user.has_perm("meetings.manage_meetings", child)`.
rules.add_perm("meetings.manage_meetings", manages_meetings_for)
# The booking page's own test, for the links to it (core.registry.WorkLink.permission).
rules.add_perm("meetings.open_booking", opens_booking_for)
