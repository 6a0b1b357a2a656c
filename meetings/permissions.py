"""Named permissions (django-rules) for meetings; registered when the app is ready (MeetingsConfig.ready)."""

import rules

from cases.permissions import is_manager, is_service_wide

from .selectors import can_manage_meetings


@rules.predicate
def manages_meetings_for(user, child) -> bool:
    """Books, chairs and records the child's meetings (meetings.selectors.can_manage_meetings, 001 §6.2)."""
    return child is not None and can_manage_meetings(user=user, child=child)


# A manager's list of the booked meetings coming up: their team's, or every team's for the service manager.
rules.add_perm("meetings.view_team_meetings", is_manager | is_service_wide)
rules.add_perm("meetings.view_service_wide", is_service_wide)
# With the child: `user.has_perm("meetings.manage_meetings", child)`.
rules.add_perm("meetings.manage_meetings", manages_meetings_for)
