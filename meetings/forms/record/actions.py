"""The CMM Record's agreed actions (001 App. 4 "Agreed plan/actions (including referrals)"): the shared
agreed-action form (meetings/actions.py) in the CMM's words, offering the meeting's people."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Role, User

from ...actions import ActionWording, AgreedActionForm
from ...models import Meeting

CMM_ACTIONS = ActionWording(
    action="Action",
    owner="By whom: a colleague",
    owner_hint="The action becomes a task on their My work",
    owner_name="Or by whom: someone outside the service",
    owner_name_hint="Their name and agency, for example a social worker",
    due="By when",
    too_early="By when must be on or after the date of the meeting, {date}",
    owner_label=lambda u: f"{u.get_full_name() or u.username} ({u.get_role_display()})",
)


def action_owner_candidates(meeting: Meeting) -> QuerySet[User]:
    """Who an action may name: active staff of the child's team, and the chair, case manager and panel."""
    core = [meeting.chair_id, meeting.case_manager_id, *[p.pk for p in meeting.panel_members.all()]]
    return (
        User.objects.filter(is_active=True)
        .filter(Q(team_id=meeting.child.team_id) | Q(pk__in=core))
        .exclude(role=Role.ADMINISTRATOR)
        .order_by("last_name", "first_name", "pk")
    )


def meeting_action_form(data, *, meeting: Meeting) -> AgreedActionForm:
    """Add an agreed action to the meeting's record: due on or after the day it was held (or booked for)."""
    return AgreedActionForm(
        data,
        owners=action_owner_candidates(meeting),
        not_before=timezone.localdate(meeting.held_at or meeting.starts_at),
        wording=CMM_ACTIONS,
    )
