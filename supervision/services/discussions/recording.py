"""Putting a Case Discussion Record on the child's file (001 App. 5, 004 §7): its event, a task per agreed
action, `case_discussion_recorded`, and the PDF queued on commit. Recording is the one move a draft
makes (`CaseDiscussion.TRANSITIONS`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import EventType, User
from cases.services.core import child_obligations_refresh_on_commit, event_create
from cases.services.requests import manager_requests_done
from core import outbox
from core.audit import audit_record
from core.models import AuditEntry

from ...models import CaseDiscussion
from ...selectors import discussions as selectors
from .actions import action_task
from .case import SECTIONS, locked_discussion
from .co_allocated import co_allocated_file_entry

# The outbox topic that renders a recorded Case Discussion Record (registered in supervision/plugin.py).
DISCUSSION_RENDER = "supervision.discussion_render"


def discussion_details_text(discussion: CaseDiscussion) -> str:
    """The App. 5 record as the event's text: each section under its heading, then the actions."""
    # A User's str is their full name, or their username without one.
    parts = [
        f"Date of Case Discussion: {discussion.held_on:%-d %B %Y}"
        + (f", {timezone.localtime(discussion.held_at):%H:%M}" if discussion.held_at else ""),
        f"Manager: {discussion.manager}",
        f"Worker: {discussion.worker}",
    ]
    if discussion.significant:
        parts.append("Significant case decision or urgent matter.")
    if discussion.brief_check:
        parts.append("Brief check of the actions of a CMM held in the last month (000 §4.3).")
    if discussion.plans_reviewed:
        parts.append("The professionals plan and intervention plan were reviewed (001 §6.3).")
    for name, heading in SECTIONS:
        parts.append(f"{heading}:\n{getattr(discussion, name) or 'Nothing recorded.'}")
    actions = [
        f"- {a.action} — {a.by_whom}, by {a.due:%-d %B %Y}"
        for a in discussion.actions.select_related("owner")
    ]
    parts.append("Actions:\n" + ("\n".join(actions) if actions else "No actions agreed."))
    return "\n\n".join(parts)


def _file_entry(discussion: CaseDiscussion) -> tuple[str, str]:
    """The event type and summary the record goes on the file under (004 §7; 003 §5.3)."""
    if discussion.kind == CaseDiscussion.Kind.CO_ALLOCATED:
        return co_allocated_file_entry(discussion)
    return (
        EventType.MANAGEMENT_OVERSIGHT_SUPERVISION,
        f"Management Oversight - Supervision: case discussion with {discussion.worker}",
    )


@transaction.atomic
def case_discussion_record(
    *, discussion: CaseDiscussion, user: User, today: datetime.date | None = None
) -> CaseDiscussion:
    """Put the Case Discussion Record on the child's file: the "Management Oversight - Supervision" event
    (004 §7; a co-allocated workers' discussion event for 003 §5.3), a task per agreed action,
    `case_discussion_recorded`, and the PDF queued on commit. Idempotent: a recorded one is returned as
    it is. Also called by the supervision record's finalising for the discussions held in it."""
    today = today or timezone.localdate()
    current = locked_discussion(discussion)
    if not current.can_move_to(CaseDiscussion.Status.RECORDED):
        return current
    if not selectors.can_write_discussion(user=user, discussion=current):
        raise ValidationError("You cannot record this case discussion on the child's file.")
    if today < current.held_on:
        raise ValidationError("A case discussion cannot be recorded before the day it was held.")
    for action in current.actions.select_related("owner", "task"):
        action_task(action=action, discussion=current, user=user)
    event_type, summary = _file_entry(current)
    event = event_create(
        child=current.child,
        author=user,
        event_type=event_type,
        occurred_on=current.held_on,
        summary=summary,
        details=discussion_details_text(current),
        source=f"discussion:{current.pk}",
    )
    current.status = CaseDiscussion.Status.RECORDED
    current.recorded_on = today
    current.recorded_by = user
    current.event = event
    current.save(update_fields=["status", "recorded_on", "recorded_by", "event"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=current.child,
        description=f"Recorded the case discussion of {current.held_on:%d/%m/%Y} on the child's file",
    )
    # Someone asked a manager for this discussion (issue 20): it is done.
    manager_requests_done(
        child=current.child, code="case_discussion.", user=user, note=f"Recorded on {today:%d/%m/%Y}"
    )
    child_obligations_refresh_on_commit(child=current.child)
    # Rendered from the outbox once this commits (ADR 0010); the download renders it on demand.
    outbox.enqueue(
        topic=DISCUSSION_RENDER,
        payload={"discussion_id": current.pk},
        description="PDF of a Case Discussion Record",
        source=f"render:discussion:{current.pk}",
        child=current.child,
    )
    return current
