"""Holding a case discussion (001 App. 5; 000 §4.3): a draft on the child's file that states
`case_discussion_held` (or `co_allocation_discussion`, 003 §5.3) at once, changed or deleted while it is a
draft (`CaseDiscussion.TRANSITIONS`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, User
from cases.services.core import child_obligations_refresh_on_commit
from core.audit import audit_record
from core.models import AuditEntry
from core.services import locked, version_advance

from ...access import can_edit_session
from ...models import CaseDiscussion, SupervisionSession
from ...selectors import discussions as selectors
from .co_allocated import NOT_IN_SUPERVISION, check_may_hold_co_allocated

# The App. 5 text sections, in the form's order, as (field, heading on the file).
SECTIONS = [
    ("previous_actions", "Update on actions from previous Case Discussion / CMM"),
    ("overview", "Case Overview / Progress of Case"),
    ("new_concerns", "New concerns, incidents or events since the most recent assessment"),
    ("multi_agency", "Effectiveness of multi-agency partnership working"),
    ("exit_strategy", "Exit Strategy Considerations"),
]
TEXT_FIELDS = [name for name, _ in SECTIONS]
# A record with every section blank says nothing was discussed: it is not a case discussion (issue 17).
NOTHING_WRITTEN = (
    "Write at least one section of the case discussion: the update on actions, the case overview, new "
    "concerns, multi-agency working or the exit strategy"
)
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


def _check_written(texts: list[str]) -> None:
    """At least one App. 5 section says what was discussed (whitespace is not a word)."""
    if not any((text or "").strip() for text in texts):
        raise ValidationError(NOTHING_WRITTEN)


def _check_may_hold(
    *, child: Child, user: User, kind: str, manager: User | None, session: SupervisionSession | None
) -> None:
    """Who may record which kind (000 §4, 001 §6.3-§6.4, 003 §5.3); a refusal is a ValidationError."""
    if kind not in CaseDiscussion.Kind.values:
        raise ValidationError("Choose the kind of case discussion.")
    if kind == CaseDiscussion.Kind.CO_ALLOCATED:
        check_may_hold_co_allocated(child=child, user=user, session=session)
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


def _check_kind_change(*, current: CaseDiscussion, kind: str, user: User, manager: User | None) -> None:
    """A draft may change kind, but never into a co-allocated discussion inside a supervision; moving into
    or out of the co-allocated kind outside one asks again who may hold it (003 §5.3)."""
    if kind == current.kind:
        return
    if current.session_id and kind == CaseDiscussion.Kind.CO_ALLOCATED:
        raise ValidationError(NOT_IN_SUPERVISION)
    if CaseDiscussion.Kind.CO_ALLOCATED in (kind, current.kind) and not current.session_id:
        _check_may_hold(child=current.child, user=user, kind=kind, manager=manager, session=None)


def _clean_plans_reviewed(kind: str, plans_reviewed: bool) -> bool:
    """001 §6.3: reviewing the professionals plan and intervention plan belongs to an OOC discussion."""
    if plans_reviewed and kind != CaseDiscussion.Kind.OOC:
        raise ValidationError(
            "Only an out-of-court case discussion records that the professionals plan and intervention plan "
            "were reviewed."
        )
    return plans_reviewed


def locked_discussion(discussion: CaseDiscussion) -> CaseDiscussion:
    """The discussion row locked for this transaction, so two people cannot record it at once."""
    return locked(discussion, "child", "manager", "worker", "session", "session__supervisee", "created_by")


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
    _check_written([previous_actions, overview, new_concerns, multi_agency, exit_strategy])
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
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=discussion,
        child=child,
        description=f"Recorded a {discussion.get_kind_display().lower()} held on {held_on:%d/%m/%Y}",
    )
    child_obligations_refresh_on_commit(child=child)
    return discussion


@transaction.atomic
def case_discussion_update(
    *,
    discussion: CaseDiscussion,
    user: User,
    held_time: datetime.time | None = None,
    version: int | None = None,
    **data,
) -> CaseDiscussion:
    """Change a draft case discussion (before it is recorded on the file); only App. 5 fields are written.
    Several people may write it (its manager, who wrote it, those above): a change from a form loaded at another `version` is
    refused (StaleVersion, ADR 0009)."""
    current = locked_discussion(discussion)
    if not selectors.can_write_discussion(user=user, discussion=current):
        raise ValidationError("You cannot change this case discussion.")
    if not current.is_draft:
        raise ValidationError(
            "This case discussion is recorded on the child's file and can no longer change."
        )
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValueError(f"Not a case discussion field: {', '.join(sorted(unknown))}")
    _check_kind_change(
        current=current, kind=data.get("kind", current.kind), user=user, manager=data.get("manager")
    )
    version_advance(current, version)
    for name, value in data.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    if "held_on" in data or held_time is not None:
        current.held_at = _held_at(current.held_on, held_time)
    _check_when(current.held_on, current.held_at)
    if current.manager_id == current.worker_id:
        raise ValidationError("The manager and the worker must be different people.")
    current.plans_reviewed = _clean_plans_reviewed(current.kind, current.plans_reviewed)
    _check_written([getattr(current, name) for name in TEXT_FIELDS])
    current.full_clean()
    current.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=current.child,
        description="Updated the case discussion: " + ", ".join(sorted(data)),
    )
    child_obligations_refresh_on_commit(child=current.child)
    return current


@transaction.atomic
def case_discussion_delete(*, discussion: CaseDiscussion, user: User) -> None:
    """Delete a draft case discussion (held in error); its facts go with it. A recorded one stays."""
    current = locked_discussion(discussion)
    if not selectors.can_write_discussion(user=user, discussion=current):
        raise ValidationError("You cannot delete this case discussion.")
    if not current.is_draft:
        raise ValidationError("A case discussion recorded on the child's file cannot be deleted.")
    child = current.child
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=child,
        description=f"Deleted the draft case discussion of {current.held_on:%d/%m/%Y}",
    )
    current.delete()
    child_obligations_refresh_on_commit(child=child)
