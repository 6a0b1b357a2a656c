"""Writes for case discussions (001 App. 5, 000 App. D, 000 §4.3, 001 §6.3-§6.4), co-allocated workers'
discussions (003 §5.3) and management oversight decisions outside supervision (004 §7, 002).

A discussion is held (a draft that already states `case_discussion_held`, or `co_allocation_discussion`),
then recorded on the child's file: the "Management Oversight - Supervision" event (004 §7), a task per
agreed action, `case_discussion_recorded`, and the PDF of the record queued on commit. Every write is
audited against the child and queues the child's obligations to be recomputed (supervision/facts.py).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, EventType, User
from cases.services.core import child_obligations_refresh_on_commit, event_create
from core.audit import audit_record
from core.models import AuditEntry, Task

from ..access import can_edit_session
from ..models import CaseDiscussion, DiscussionAction, OversightDecision, SupervisionSession
from ..selectors import discussions as selectors

# The App. 5 text sections, in the form's order, as (field, heading on the file).
SECTIONS = [
    ("previous_actions", "Update on actions from previous Case Discussion / CMM"),
    ("overview", "Case Overview / Progress of Case"),
    ("new_concerns", "New concerns, incidents or events since the most recent assessment"),
    ("multi_agency", "Effectiveness of multi-agency partnership working"),
    ("exit_strategy", "Exit Strategy Considerations"),
]
TEXT_FIELDS = [name for name, _ in SECTIONS]
EDITABLE = {
    "kind",
    "held_on",
    "held_at",
    "manager",
    "worker",
    "significant",
    "brief_check",
    "plans_reviewed",
    *TEXT_FIELDS,
}


def _audit(*, user: User, obj, child: Child, action, description: str) -> None:
    audit_record(user=user, action=action, obj=obj, child=child, description=description)


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _held_at(held_on: datetime.date, held_time: datetime.time | None) -> datetime.datetime | None:
    """The date and a wall-clock time as an aware Europe/London datetime (None without a time)."""
    if held_time is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(held_on, held_time))


def _check_when(held_on: datetime.date, held_at: datetime.datetime | None) -> None:
    """A record says what has happened: neither the date nor the time may be in the future."""
    if held_on > timezone.localdate():
        raise ValidationError("The date of the case discussion must be today or in the past.")
    if held_at is not None and held_at > timezone.now():
        raise ValidationError("The time of the case discussion must be in the past.")


def _check_may_hold(
    *, child: Child, user: User, kind: str, manager: User, session: SupervisionSession | None
) -> None:
    """Who may record which kind (000 §4, 001 §6.3-§6.4, 003 §5.3); a refusal is a ValidationError."""
    if kind not in CaseDiscussion.Kind.values:
        raise ValidationError("Choose the kind of case discussion.")
    if kind == CaseDiscussion.Kind.CO_ALLOCATED:
        if session is not None:
            raise ValidationError("A co-allocated workers' discussion is not part of a supervision.")
        co_ids = selectors.co_worker_ids(child)
        if not co_ids:
            raise ValidationError("This child has no co-allocated worker (003 §5.3).")
        if not selectors.can_hold_co_discussion(user=user, child=child, co_ids=co_ids):
            raise ValidationError(
                "Only the case manager or a co-allocated worker can record the co-allocated workers' discussion."
            )
        return
    if session is not None:
        if not can_edit_session(user, session):
            raise ValidationError("Only the supervisor can add case discussions to this supervision record.")
        if not selectors.session_child_check(session=session, child=child, user=user):
            raise ValidationError("This child is not one of the supervisee's cases.")
        return
    if not selectors.can_manage_oversight(user=user, child=child):
        raise ValidationError(
            "Only a team manager, advanced practitioner or the service manager can record a case discussion."
        )
    if manager is not None and not selectors.is_oversight_manager(manager) and manager.pk != user.pk:
        raise ValidationError(
            "The manager must be a team manager, advanced practitioner or the service manager."
        )


def _clean_plans_reviewed(kind: str, plans_reviewed: bool) -> bool:
    """001 §6.3: reviewing the professionals plan and intervention plan belongs to an OOC discussion."""
    if plans_reviewed and kind != CaseDiscussion.Kind.OOC:
        raise ValidationError(
            "Only an out-of-court case discussion records that the professionals plan and intervention plan "
            "were reviewed."
        )
    return plans_reviewed


def _locked(discussion: CaseDiscussion) -> CaseDiscussion:
    """The discussion row locked for this transaction, so two people cannot record it at once."""
    return (
        CaseDiscussion.objects.select_for_update(of=("self",))
        .select_related("child", "manager", "worker", "session", "session__supervisee", "created_by")
        .get(pk=discussion.pk)
    )


@transaction.atomic
def case_discussion_create(
    *,
    child: Child,
    user: User,
    held_on: datetime.date,
    manager: User,
    worker: User,
    kind: str = CaseDiscussion.Kind.SUPERVISION,
    held_time: datetime.time | None = None,
    previous_actions: str = "",
    overview: str = "",
    new_concerns: str = "",
    multi_agency: str = "",
    exit_strategy: str = "",
    significant: bool = False,
    brief_check: bool = False,
    plans_reviewed: bool = False,
    session: SupervisionSession | None = None,
) -> CaseDiscussion:
    """Record that a case discussion was held (001 App. 5; 000 §4.3): a draft on the child's file that
    states `case_discussion_held` (or `co_allocation_discussion`, 003 §5.3) at once."""
    if session is not None:
        kind = CaseDiscussion.Kind.SUPERVISION if kind == CaseDiscussion.Kind.CO_ALLOCATED else kind
    _check_may_hold(child=child, user=user, kind=kind, manager=manager, session=session)
    held_at = _held_at(held_on, held_time)
    _check_when(held_on, held_at)
    if manager.pk == worker.pk:
        raise ValidationError("The manager and the worker must be different people.")
    discussion = CaseDiscussion(
        child=child,
        kind=kind,
        session=session,
        held_on=held_on,
        held_at=held_at,
        manager=manager,
        worker=worker,
        significant=significant,
        brief_check=brief_check,
        plans_reviewed=_clean_plans_reviewed(kind, plans_reviewed),
        previous_actions=previous_actions.strip(),
        overview=overview.strip(),
        new_concerns=new_concerns.strip(),
        multi_agency=multi_agency.strip(),
        exit_strategy=exit_strategy.strip(),
        created_by=user,
    )
    discussion.full_clean()
    discussion.save()
    _audit(
        user=user,
        obj=discussion,
        child=child,
        action=AuditEntry.Action.CREATE,
        description=f"Recorded a {discussion.get_kind_display().lower()} held on {held_on:%d/%m/%Y}",
    )
    child_obligations_refresh_on_commit(child=child)
    return discussion


@transaction.atomic
def case_discussion_update(
    *, discussion: CaseDiscussion, user: User, held_time: datetime.time | None = None, **data
) -> CaseDiscussion:
    """Change a draft case discussion (before it is recorded on the file); only App. 5 fields are written."""
    current = _locked(discussion)
    if not selectors.can_write_discussion(user=user, discussion=current):
        raise ValidationError("You cannot change this case discussion.")
    if current.status != CaseDiscussion.Status.DRAFT:
        raise ValidationError(
            "This case discussion is recorded on the child's file and can no longer change."
        )
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValueError(f"Not a case discussion field: {', '.join(sorted(unknown))}")
    kind = data.get("kind", current.kind)
    if kind != current.kind:
        if current.session_id and kind == CaseDiscussion.Kind.CO_ALLOCATED:
            raise ValidationError("A co-allocated workers' discussion is not part of a supervision.")
        if CaseDiscussion.Kind.CO_ALLOCATED in (kind, current.kind) and not current.session_id:
            _check_may_hold(
                child=current.child, user=user, kind=kind, manager=data.get("manager"), session=None
            )
    for name, value in data.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    if "held_on" in data or held_time is not None:
        current.held_at = _held_at(current.held_on, held_time)
    _check_when(current.held_on, current.held_at)
    if current.manager_id == current.worker_id:
        raise ValidationError("The manager and the worker must be different people.")
    current.plans_reviewed = _clean_plans_reviewed(current.kind, current.plans_reviewed)
    current.full_clean()
    current.save()
    _audit(
        user=user,
        obj=current,
        child=current.child,
        action=AuditEntry.Action.UPDATE,
        description="Updated the case discussion: " + ", ".join(sorted(data)),
    )
    child_obligations_refresh_on_commit(child=current.child)
    return current


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
    current = _locked(discussion)
    if not selectors.can_write_discussion(user=user, discussion=current):
        raise ValidationError("You cannot add actions to this case discussion.")
    if current.status != CaseDiscussion.Status.DRAFT:
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
    _audit(
        user=user,
        obj=current,
        child=current.child,
        action=AuditEntry.Action.UPDATE,
        description=f"Added a case discussion action: {item.action[:200]}",
    )
    return item


@transaction.atomic
def discussion_action_remove(*, action: DiscussionAction, user: User) -> None:
    """Remove an action agreed in error, while the discussion is a draft."""
    current = _locked(action.discussion)
    if not selectors.can_write_discussion(user=user, discussion=current):
        raise ValidationError("You cannot remove actions from this case discussion.")
    if current.status != CaseDiscussion.Status.DRAFT:
        raise ValidationError("Actions recorded on the child's file cannot be removed.")
    _audit(
        user=user,
        obj=current,
        child=current.child,
        action=AuditEntry.Action.UPDATE,
        description=f"Removed a case discussion action: {action.action[:200]}",
    )
    action.delete()


def discussion_details_text(discussion: CaseDiscussion) -> str:
    """The App. 5 record as the event's text: each section under its heading, then the actions."""
    parts = [
        f"Date of Case Discussion: {discussion.held_on:%-d %B %Y}"
        + (f", {timezone.localtime(discussion.held_at):%H:%M}" if discussion.held_at else ""),
        f"Manager: {_name(discussion.manager)}",
        f"Worker: {_name(discussion.worker)}",
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


def _task_for(*, action: DiscussionAction, discussion: CaseDiscussion, user: User) -> Task:
    """The tracked task of an agreed action; created once (by the action's own source)."""
    if action.task_id:
        return action.task
    basis = "003 §5.3, 001 App. 5" if discussion.kind == CaseDiscussion.Kind.CO_ALLOCATED else "001 App. 5"
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


@transaction.atomic
def case_discussion_record(
    *, discussion: CaseDiscussion, user: User, today: datetime.date | None = None
) -> CaseDiscussion:
    """Put the Case Discussion Record on the child's file: the "Management Oversight - Supervision" event
    (004 §7; a co-allocated workers' discussion event for 003 §5.3), a task per agreed action,
    `case_discussion_recorded`, and the PDF queued on commit. Idempotent: a recorded one is returned as
    it is. Also called by the supervision record's finalising for the discussions held in it."""
    today = today or timezone.localdate()
    current = _locked(discussion)
    if current.status == CaseDiscussion.Status.RECORDED:
        return current
    if not selectors.can_write_discussion(user=user, discussion=current):
        raise ValidationError("You cannot record this case discussion on the child's file.")
    if today < current.held_on:
        raise ValidationError("A case discussion cannot be recorded before the day it was held.")
    for action in current.actions.select_related("owner", "task"):
        _task_for(action=action, discussion=current, user=user)
    co_allocated = current.kind == CaseDiscussion.Kind.CO_ALLOCATED
    if co_allocated:
        event_type = EventType.CO_ALLOCATION_DISCUSSION
        summary = f"Co-allocated workers' discussion: {_name(current.manager)} and {_name(current.worker)}"
    else:
        event_type = EventType.MANAGEMENT_OVERSIGHT_SUPERVISION
        summary = f"Management Oversight - Supervision: case discussion with {_name(current.worker)}"
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
    _audit(
        user=user,
        obj=current,
        child=current.child,
        action=AuditEntry.Action.UPDATE,
        description=f"Recorded the case discussion of {current.held_on:%d/%m/%Y} on the child's file",
    )
    child_obligations_refresh_on_commit(child=current.child)
    from ..tasks import case_discussion_render

    pk = current.pk
    # robust: a render (or broker) failure must not undo the record; the task retries, and the download
    # renders it on demand.
    transaction.on_commit(lambda: case_discussion_render.delay(pk), robust=True)
    return current


@transaction.atomic
def case_discussion_delete(*, discussion: CaseDiscussion, user: User) -> None:
    """Delete a draft case discussion (held in error); its facts go with it. A recorded one stays."""
    current = _locked(discussion)
    if not selectors.can_write_discussion(user=user, discussion=current):
        raise ValidationError("You cannot delete this case discussion.")
    if current.status != CaseDiscussion.Status.DRAFT:
        raise ValidationError("A case discussion recorded on the child's file cannot be deleted.")
    child = current.child
    _audit(
        user=user,
        obj=current,
        child=child,
        action=AuditEntry.Action.UPDATE,
        description=f"Deleted the draft case discussion of {current.held_on:%d/%m/%Y}",
    )
    current.delete()
    child_obligations_refresh_on_commit(child=child)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


@transaction.atomic
def oversight_decision_record(
    *,
    child: Child,
    user: User,
    label: str,
    panel_name: str = "",
    decided_at: datetime.datetime,
    significant: bool = False,
    decision: str,
    rationale: str = "",
    actions: str = "",
    today: datetime.date | None = None,
    event_type: str | None = None,
) -> OversightDecision:
    """Record a management decision outside formal supervision on the child's file (004 §7, 002): the
    decision (`oversight_decision`, dated when made), recorded today (`oversight_recorded`), and its
    event: "Management Oversight by [panel]" or "Management Oversight". Used by the OOC oversight holder
    decision too (001 §6.3, label OVERSIGHT_HOLDER)."""
    today = today or timezone.localdate()
    if not selectors.can_manage_oversight(user=user, child=child):
        raise ValidationError(
            "Only a team manager, advanced practitioner or the service manager can record a management decision."
        )
    if label not in OversightDecision.Label.values:
        raise ValidationError("Choose the kind of management oversight.")
    panel_name = panel_name.strip()
    if label == OversightDecision.Label.PANEL and not panel_name:
        raise ValidationError("Enter the name of the panel (004 §7: Management Oversight by [panel name]).")
    if label != OversightDecision.Label.PANEL:
        panel_name = ""
    if timezone.is_naive(decided_at):
        decided_at = timezone.make_aware(decided_at)
    if decided_at > timezone.now():
        raise ValidationError("When the decision was made must be in the past.")
    if timezone.localdate(decided_at) > today:
        raise ValidationError("A decision cannot be recorded before the day it was made.")
    if not decision.strip():
        raise ValidationError("Enter the decision and case direction.")
    item = OversightDecision(
        child=child,
        label=label,
        panel_name=panel_name,
        manager=user,
        decided_at=decided_at,
        significant=significant,
        decision=decision.strip(),
        rationale=rationale.strip(),
        actions=actions.strip(),
        recorded_on=today,
    )
    item.full_clean()
    item.save()
    if event_type is None:
        # 004 §7: the file shows the decision under its label's heading.
        event_type = {
            OversightDecision.Label.PANEL: EventType.MANAGEMENT_OVERSIGHT_PANEL,
            OversightDecision.Label.SUPERVISION: EventType.MANAGEMENT_OVERSIGHT_SUPERVISION,
        }.get(label, EventType.MANAGEMENT_OVERSIGHT)
    details = [f"Decision made {timezone.localtime(decided_at):%-d %B %Y at %H:%M} by {_name(user)}."]
    if significant:
        details.append("Significant case decision or urgent matter.")
    details.append(f"Decision and case direction:\n{item.decision}")
    if item.rationale:
        details.append(f"Rationale:\n{item.rationale}")
    if item.actions:
        details.append(f"Actions:\n{item.actions}")
    first = _first_line(item.decision)
    event = event_create(
        child=child,
        author=user,
        event_type=event_type,
        occurred_on=timezone.localdate(decided_at),
        summary=f"{item.heading}: {first}" if first else item.heading,
        details="\n\n".join(details),
        source=f"oversight:{item.pk}",
    )
    item.event = event
    item.save(update_fields=["event"])
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=item,
        child=child,
        description=f"Recorded {item.heading} (decided {timezone.localtime(decided_at):%d/%m/%Y %H:%M})",
    )
    child_obligations_refresh_on_commit(child=child)
    return item
