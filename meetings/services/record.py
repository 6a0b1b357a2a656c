"""The meeting's record (001 App. 4): held, its sections, its agreed actions as tracked tasks, and
finalising (001 §6.2: actions into an event within 48 hours, minutes within five working days)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import policy
from cases.models import EventType, User
from cases.services.core import child_levels_set, child_obligations_refresh_on_commit, event_create
from core import outbox
from core.audit import audit_record
from core.models import AuditEntry, Task
from core.services import version_advance

from .. import selectors
from ..models import Meeting, MeetingAction
from .common import audit, locked

# The outbox topic that renders a finalised record to PDF (registered in meetings/plugin.py).
RECORD_RENDER = "meetings.record_render"

LEVEL_NAMES = (("rosh", "RoSH"), ("saw", "SaW"), ("lor", "LoR"))


@transaction.atomic
def meeting_held_record(
    *,
    meeting: Meeting,
    user: User,
    held_at: datetime.datetime,
    attended: list[int],
    attendees: str,
    apologies: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    """Record that the meeting took place, when, and who came: the `cmm_held` fact from now on.

    `attended` lists the invitations whose invitees came; `attendees` and `apologies` are the record's
    text (pre-filled from the invitations by the form).
    """
    now = now or timezone.now()
    current = locked(meeting)
    if not selectors.can_edit_record(user=user, meeting=current):
        raise ValidationError("Only the chair or a manager of the child's team can record the meeting.")
    if not current.is_open:
        raise ValidationError("This meeting's record is closed.")
    if held_at > now:
        raise ValidationError("The meeting cannot be recorded as held in the future.")
    if not attendees.strip():
        raise ValidationError("Enter who attended.")
    first_time = current.status == Meeting.Status.BOOKED
    current.status = Meeting.Status.HELD
    current.held_at = held_at
    current.attendees = attendees.strip()
    current.apologies = apologies.strip()
    current.full_clean()
    current.save()
    current.invitations.update(attended=False)
    current.invitations.filter(pk__in=attended).update(attended=True)
    audit(
        user=user,
        meeting=current,
        description=f"Recorded {current.title} as held",
    )
    if not first_time:
        child_obligations_refresh_on_commit(child=current.child)  # the held time may have changed
        return current
    event_create(
        child=current.child,
        author=user,
        event_type=EventType.CSC_MEETING if current.is_csc_combined else EventType.CMM,
        occurred_on=timezone.localdate(held_at),
        summary=f"{current.title} held",
        details=f"Attendees: {current.attendees}"
        + (f"\nApologies: {current.apologies}" if current.apologies else ""),
        source=current.source,
    )
    return current


# The App. 4 sections the chair writes while the record is open.
RECORD_FIELDS = (
    "reason",
    "previous_actions_review",
    "plan_progress",
    "circumstances",
    "changing_circumstances",
    "diversity",
    "agency_updates",
    "views",
    "rosh_analysis",
    "saw_analysis",
    "lor_analysis",
    "strengths",
    "risk_management_plan",
    "revised_rosh",
    "revised_saw",
    "revised_lor",
    "next_meeting_at",
    "next_meeting_venue",
    "breach_presumption_considered",
    "confidential_discussion_needed",
)


@transaction.atomic
def meeting_record_update(
    *, meeting: Meeting, user: User, data: dict, version: int | None = None, draft: bool = False
) -> Meeting:
    """Save sections of the CMM Record (001 App. 4); only the names in RECORD_FIELDS are written.

    The chair and the team's managers may all write the record: a save from a form loaded at another
    `version` is refused (StaleVersion), so nobody's words are overwritten unseen (ADR 0009). `draft`
    (the page's autosave, ADR 0018) changes only the audit's words: a record is never complete until it
    is finalised, whoever or whatever saved it."""
    current = locked(meeting)
    if not selectors.can_edit_record(user=user, meeting=current):
        raise ValidationError("Only the chair or a manager of the child's team can write the record.")
    if not current.is_open:
        raise ValidationError("This meeting's record is closed.")
    unknown = set(data) - set(RECORD_FIELDS)
    if unknown:
        raise ValueError(f"Not a record field: {', '.join(sorted(unknown))}")
    version_advance(current, version)
    for name, value in data.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    current.full_clean()
    current.save()
    audit(
        user=user,
        meeting=current,
        description=("Autosaved a draft of the record: " if draft else "Updated the record: ")
        + ", ".join(sorted(data)),
    )
    return current


@transaction.atomic
def meeting_action_add(
    *,
    meeting: Meeting,
    user: User,
    action: str,
    due: datetime.date,
    owner: User | None = None,
    owner_name: str = "",
) -> MeetingAction:
    """Add an agreed action (action, by whom, by when: 001 App. 4). It becomes a task when recorded."""
    meeting = locked(meeting)
    if not selectors.can_edit_record(user=user, meeting=meeting):
        raise ValidationError("Only the chair or a manager of the child's team can add actions.")
    if not meeting.is_open:
        raise ValidationError("This meeting's record is closed.")
    if owner is None and not owner_name.strip():
        raise ValidationError("Say who will do it: a colleague, or someone outside the service.")
    item = MeetingAction(
        meeting=meeting, action=action.strip(), due=due, owner=owner, owner_name=owner_name.strip()
    )
    item.full_clean()
    item.save()
    audit(
        user=user,
        meeting=meeting,
        description=f"Added action {item.pk}",
    )
    if meeting.actions_recorded_on:
        # Actions already went to the timeline: a late one becomes a task, and an entry, at once.
        _task_for(action=item, meeting=meeting, user=user)
        event_create(
            child=meeting.child,
            author=user,
            event_type=EventType.CMM_ACTIONS,
            occurred_on=timezone.localdate(),
            summary=f"Further action from {meeting.title}",
            details=f"- {item.action} — {item.by_whom}, by {item.due:%-d %B %Y}",
            source=meeting.source,
        )
    return item


@transaction.atomic
def meeting_action_remove(*, action: MeetingAction, user: User) -> None:
    """Remove an action agreed in error, before the actions are recorded."""
    meeting = locked(action.meeting)
    if not selectors.can_edit_record(user=user, meeting=meeting):
        raise ValidationError("Only the chair or a manager of the child's team can remove actions.")
    if meeting.actions_recorded_on or meeting.status == Meeting.Status.FINALISED:
        raise ValidationError("Actions already recorded on the child's file cannot be removed.")
    audit(
        user=user,
        meeting=meeting,
        description=f"Removed action {action.pk}",
    )
    action.delete()


def _task_for(*, action: MeetingAction, meeting: Meeting, user: User) -> Task:
    """The tracked task for an agreed action; created once (the action keeps its task)."""
    if action.task is not None:
        return action.task
    task = Task.objects.create(
        child=meeting.child,
        assignee=action.owner,
        assignee_name="" if action.owner_id else action.owner_name,
        title=action.action[:300],
        due=action.due,
        basis=f"{meeting.title} on {timezone.localtime(meeting.held_at or meeting.starts_at):%-d %b %Y} (001 §6.2)",
        source=meeting.source,
        created_by=user,
    )
    action.task = task
    action.save(update_fields=["task"])
    return task


def _actions_text(meeting: Meeting) -> str:
    """The agreed actions as the event's lines: action, by whom, by when (001 §6.2)."""
    return (
        "\n".join(f"- {a.action} — {a.by_whom}, by {a.due:%-d %B %Y}" for a in meeting.actions.all())
        or "No actions agreed."
    )


@transaction.atomic
def meeting_actions_record(*, meeting: Meeting, user: User, today: datetime.date | None = None) -> Meeting:
    """Copy the agreed actions into an event on the child's record (001 §6.2: within 48 hours) and make
    each a tracked task for the person named. Idempotent: a second call changes nothing."""
    today = today or timezone.localdate()
    current = locked(meeting)
    if not selectors.can_edit_record(user=user, meeting=current):
        raise ValidationError("Only the chair or a manager of the child's team can record the actions.")
    if current.held_at is None:
        raise ValidationError("Record that the meeting was held first.")
    if current.actions_recorded_on:
        return current
    actions = list(current.actions.select_related("owner", "task"))
    for action in actions:
        _task_for(action=action, meeting=current, user=user)
    event = event_create(
        child=current.child,
        author=user,
        event_type=EventType.CMM_ACTIONS,
        occurred_on=today,
        summary=f"Actions from {current.title} on {timezone.localtime(current.held_at):%-d %B %Y}",
        details=_actions_text(current),
        source=current.source,
    )
    current.actions_recorded_on = today
    current.actions_event = event
    current.save(update_fields=["actions_recorded_on", "actions_event"])
    audit(
        user=user,
        meeting=current,
        description="Recorded the actions as an event",
    )
    child_obligations_refresh_on_commit(child=current.child)
    return current


@transaction.atomic
def meeting_finalise(*, meeting: Meeting, user: User, today: datetime.date | None = None) -> Meeting:
    """Finalise the record: actions recorded (if not already), revised levels made the child's, minutes
    complete (001 §6.2: within five working days), a business support task where the child is open to
    CSC, and the PDF queued. The record is then read-only."""
    today = today or timezone.localdate()
    current = locked(meeting)
    if not selectors.can_edit_record(user=user, meeting=current):
        raise ValidationError("Only the chair or a manager of the child's team can finalise the record.")
    if not current.can_move_to(Meeting.Status.FINALISED):
        raise ValidationError("Only a held meeting whose record is open can be finalised.")
    missing = selectors.record_missing(meeting=current)
    if missing:
        raise ValidationError(missing)
    meeting_actions_record(meeting=current, user=user, today=today)
    current.refresh_from_db()
    changed = child_levels_set(
        child=current.child,
        levels={name: getattr(current, f"revised_{name}") for name, _ in LEVEL_NAMES},
        user=user,
        reason=f"at {current.title} {current.pk}",
        # The levels were agreed at the meeting: the history (the `risk_rated` fact) is dated then.
        agreed_at=current.held_at,
    )
    current.status = Meeting.Status.FINALISED
    current.finalised_on = today
    current.finalised_by = user
    current.save(update_fields=["status", "finalised_on", "finalised_by"])
    _minutes_completed_events(current, user=user, today=today, levels_changed=bool(changed))
    _csc_minutes_task(current, user=user, today=today)
    audit(user=user, meeting=current, description=f"Finalised {current.title}")
    # The PDF is rendered from the outbox once this commits (ADR 0010): a render or broker failure never
    # undoes the finalised record; the render is retried, and the download renders it on demand.
    outbox.enqueue(
        topic=RECORD_RENDER,
        payload={"meeting_id": current.pk},
        description=f"PDF of the record of {current.title}",
        source=f"render:meeting:{current.pk}",
        child=current.child,
    )
    return current


def _minutes_completed_events(
    meeting: Meeting, *, user: User, today: datetime.date, levels_changed: bool
) -> None:
    """The timeline's "Minutes completed" entry with the agreed levels, and for a combined CSC meeting
    that needed no CMM, the management entry (000 §1.4)."""
    levels = ", ".join(
        f"{label} {getattr(meeting, f'get_revised_{name}_display')()}" for name, label in LEVEL_NAMES
    )
    event_create(
        child=meeting.child,
        author=user,
        event_type=EventType.CSC_MEETING if meeting.is_csc_combined else EventType.CMM,
        occurred_on=today,
        summary=f"Minutes completed: {meeting.title} on {timezone.localtime(meeting.held_at):%-d %B %Y}",
        details=f"Agreed levels: {levels}."
        + (" Levels changed." if levels_changed else " Levels unchanged."),
        source=meeting.source,
    )
    if meeting.is_csc_combined and meeting.csc_decision == Meeting.CscDecision.NO_CMM_NEEDED:
        # 000 §1.4: "TM/AP to put a management entry on CAPITA."
        event_create(
            child=meeting.child,
            author=user,
            event_type=EventType.MANAGEMENT_ENTRY,
            occurred_on=today,
            summary="No CMM needed: the CSC meeting reviewed safety and wellbeing",
            details=meeting.csc_decision_rationale,
            source=meeting.source,
        )


def _csc_minutes_task(meeting: Meeting, *, user: User, today: datetime.date) -> None:
    """001 §6.2: where the child is open to CSC, business support (or the chair) attaches the minutes to
    the CSC record; one task per meeting."""
    if not meeting.child.open_to_csc:
        return
    support = selectors.business_support_for(child=meeting.child)
    Task.objects.get_or_create(
        source=f"{meeting.source}:csc",
        defaults={
            "child": meeting.child,
            "assignee": support or meeting.chair,
            "title": "Attach the meeting minutes to the CSC record",
            "due": policy.due_after("cmm.csc_minutes_task", today),
            "basis": "001 §6.2: the child is open to CSC",
            "created_by": user,
        },
    )


@transaction.atomic
def task_complete(*, task: Task, user: User, note: str = "", today: datetime.date | None = None) -> Task:
    """Mark a task done (its assignee, or a manager who may see the child). Idempotent."""
    if task.done_on:
        return task
    task.done_on = today or timezone.localdate()
    task.done_by = user
    task.done_note = note.replace("\x00", "").strip()[:300]  # no form sends it; a script may
    task.save(update_fields=["done_on", "done_by", "done_note"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=task,
        child=task.child,
        description=f"Completed task {task.pk}",
    )
    return task
