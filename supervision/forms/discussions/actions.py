"""The agreed actions of a case discussion (001 App. 5): the shared agreed-action form of
meetings/actions.py, in App. 5's words."""

from meetings.actions import ActionWording, AgreedActionForm

from ...models import CaseDiscussion
from .case import staff_label

# 001 App. 5's words for the shared agreed-action form (meetings/actions.py).
DISCUSSION_ACTIONS = ActionWording(
    action="Agreed action",
    owner="Who will complete this: a colleague",
    owner_hint="The action becomes a task on their My work when the discussion is recorded",
    owner_name="Or who will complete this: someone outside the service",
    owner_name_hint="Their name and agency",
    due="Date to be completed by",
    too_early="Date to be completed by must be on or after the discussion, {date}",
    owner_label=staff_label,
)


def discussion_action_form(data, *, discussion: CaseDiscussion, owners) -> AgreedActionForm:
    """Add an agreed action to a draft case discussion: due on or after the day it was held."""
    return AgreedActionForm(data, owners=owners, not_before=discussion.held_on, wording=DISCUSSION_ACTIONS)
