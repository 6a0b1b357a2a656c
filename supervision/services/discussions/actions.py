"""The agreed actions of a case discussion (Agreed Action / Who will complete this / Date to be completed
by: 001 App. 5): added and removed while the discussion is a draft, each a tracked `core.Task` once the
discussion is on the child's file."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import User
from core.audit import audit_record
from core.models import AuditEntry, Task

from ...models import CaseDiscussion, DiscussionAction
from ...selectors import discussions as selectors
from .case import locked_discussion
from .co_allocated import TASK_BASIS as CO_ALLOCATED_BASIS


@transaction.atomic
def discussion_action_add(
    *,
    discussion: CaseDiscussion,
    user: User,
    action: str,
    due: datetime.date,
    owner: User | None = None,
    owner_name: str = "",
) -> DiscussionAction:
    """Add an agreed action (Agreed Action / Who will complete this / Date to be completed by: 001 App. 5).
    It becomes a task when the discussion is recorded on the file."""
    current = locked_discussion(discussion)
    if not selectors.can_write_discussion(user=user, discussion=current):
        raise ValidationError("You cannot add actions to this case discussion.")
    if not current.is_draft:
        raise ValidationError("This case discussion is recorded on the child's file: its actions are fixed.")
    if owner is None and not owner_name.strip():
        raise ValidationError("Say who will complete it: a colleague, or someone outside the service.")
    if due < current.held_on:
        raise ValidationError(
            f"The date to be completed by must be on or after the discussion, {current.held_on:%-d %B %Y}."
        )
    item = DiscussionAction(
        discussion=current, action=action.strip(), due=due, owner=owner, owner_name=owner_name.strip()
    )
    item.full_clean()
    item.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=current.child,
        description=f"Added case discussion action {item.pk}",
    )
    return item


@transaction.atomic
def discussion_action_remove(*, action: DiscussionAction, user: User) -> None:
    """Remove an action agreed in error, while the discussion is a draft."""
    current = locked_discussion(action.discussion)
    if not selectors.can_write_discussion(user=user, discussion=current):
        raise ValidationError("You cannot remove actions from this case discussion.")
    if not current.is_draft:
        raise ValidationError("Actions recorded on the child's file cannot be removed.")
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=current.child,
        description=f"Removed case discussion action {action.pk}",
    )
    action.delete()


def action_task(*, action: DiscussionAction, discussion: CaseDiscussion, user: User) -> Task:
    """The tracked task of an agreed action; created once (by the action's own source)."""
    if action.task is not None:
        return action.task
    basis = CO_ALLOCATED_BASIS if discussion.kind == CaseDiscussion.Kind.CO_ALLOCATED else "001 App. 5"
    task, _ = Task.objects.get_or_create(
        source=f"discussion:{discussion.pk}:{action.pk}",
        defaults={
            "child": discussion.child,
            "assignee": action.owner,
            "assignee_name": "" if action.owner_id else action.owner_name,
            "title": action.action[:300],
            "due": action.due,
            "basis": f"Case discussion on {discussion.held_on:%-d %b %Y} ({basis})",
            "created_by": user,
        },
    )
    action.task = task
    action.save(update_fields=["task"])
    return task
