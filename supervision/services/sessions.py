"""Writes for the Record of Supervision (000 App. C, 000 §4.1, §6.1, 002 Frequency and Group Supervision).

Every write is audited (child=None: the record is about a member of staff) and queues the supervisee's
obligations to be recomputed: a formal (not group, not cancelled) session states `staff_supervision_held`
and an agreed frequency `supervision_frequency_set` (supervision/facts.py), so the rules module turns
`supervision.staff` / `supervision.agreed` met as soon as they commit.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import User
from cases.services.core import child_obligations_refresh_on_commit, worker_obligations_refresh_on_commit
from core import outbox
from core.audit import audit_record
from core.models import AuditEntry
from core.services import locked, version_advance

from ..access import can_edit_session, can_see_restricted, can_supervise
from ..models import CaseDiscussion, SupervisionFrequency, SupervisionSession
from ..selectors.sessions import RESTRICTED_FIELDS, TEXT_FIELDS, leave_gap_for, session_missing
from .discussions import case_discussion_record  # the case discussions' own service (001 App. 5)

# The outbox topic that renders a finalised Record of Supervision (registered in supervision/plugin.py).
SESSION_RENDER = "supervision.record_render"

# What session_update may change; the restricted sections only by those who may read them.
EDITABLE_FIELDS = (
    "held_on",
    "starts_at",
    "method",
    *TEXT_FIELDS,
    "leave_gap",
    "next_date",
    "next_time",
    "next_place",
)
# Changing these changes the `staff_supervision_held` fact.
FACT_FIELDS = ("held_on", "method")


def _locked(session: SupervisionSession) -> SupervisionSession:
    """The session row, locked for this transaction, so two people cannot finalise it at once."""
    return locked(session, "supervisee", "supervisor", defer=["pdf"])


def _check_dates(*, held_on: datetime.date, next_date: datetime.date | None, today: datetime.date) -> None:
    """The supervision has happened (not in the future); the next one comes after it."""
    if held_on > today:
        raise ValidationError(
            {
                "held_on": "Date of supervision must be today or in the past: record a supervision once it is held"
            }
        )
    if next_date is not None and next_date <= held_on:
        raise ValidationError(
            {"next_date": "Date of the next supervision must be after the date of this one"}
        )


def _check_leave_gap(*, supervisee: User, held_on: datetime.date, leave_gap: str, exclude_pk=None) -> None:
    """002 Frequency: a gap in supervision caused by leave is recorded on the next supervision record."""
    gap = leave_gap_for(worker=supervisee, held_on=held_on, exclude_pk=exclude_pk)
    if gap.required and not leave_gap.strip():
        raise ValidationError(
            {
                "leave_gap": "Record the gap in supervision caused by leave since "
                f"{gap.since_label} (002 Frequency), for example “{gap.text.splitlines()[0]}”"
            }
        )


@transaction.atomic
def supervision_frequency_set(
    *, worker: User, weeks: int, from_date: datetime.date, reason: str, user: User
) -> SupervisionFrequency:
    """Agree a more frequent supervision for a worker from a date, or return them to the standard
    (weeks 0). 002 Frequency: "New case managers ... may have increased frequency of supervision"."""
    if not can_supervise(user, worker):
        raise ValidationError(
            "Only someone above the worker in the supervision chain can set their frequency."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the change of frequency"})
    frequency = SupervisionFrequency(
        worker=worker, weeks=weeks, from_date=from_date, reason=reason.strip(), set_by=user
    )
    frequency.full_clean()
    frequency.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=frequency,
        description=f"Set supervision frequency for {worker}: {frequency.get_weeks_display()} "
        f"from {from_date:%-d %b %Y}",
    )
    worker_obligations_refresh_on_commit(worker=worker)
    return frequency


@transaction.atomic
def session_create(
    *,
    supervisee: User,
    supervisor: User,
    held_on: datetime.date,
    starts_at: datetime.time | None = None,
    method: str,
    leave_gap: str = "",
    user: User,
    today: datetime.date | None = None,
) -> SupervisionSession:
    """Record that a supervision was held: a draft Record of Supervision (000 App. C) for the supervisor
    to complete. A formal 1:1 meets `supervision.staff`; a group session does not (002)."""
    today = today or timezone.localdate()
    if not can_supervise(user, supervisee):
        raise ValidationError(
            "Only someone above the worker in the supervision chain can record their supervision."
        )
    if supervisor.pk != user.pk and not can_supervise(supervisor, supervisee):
        raise ValidationError(
            {
                "supervisor": "The supervisor must be the worker's line manager or someone above them in the chain"
            }
        )
    _check_dates(held_on=held_on, next_date=None, today=today)
    _check_leave_gap(supervisee=supervisee, held_on=held_on, leave_gap=leave_gap)
    duplicate = (
        SupervisionSession.objects.filter(supervisee=supervisee, held_on=held_on, method=method)
        .exclude(status=SupervisionSession.Status.CANCELLED)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {
                "held_on": f"A supervision of this kind on {held_on:%-d %B %Y} is already recorded for {supervisee}"
            }
        )
    session = SupervisionSession(
        supervisee=supervisee,
        supervisor=supervisor,
        held_on=held_on,
        starts_at=starts_at,
        method=method,
        leave_gap=leave_gap.strip(),
        created_by=user,
    )
    session.full_clean()
    session.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=session,
        description=f"Recorded supervision of {supervisee} on {held_on:%-d %b %Y} "
        f"({session.get_method_display()})",
    )
    worker_obligations_refresh_on_commit(worker=supervisee)
    return session


@transaction.atomic
def session_update(
    *,
    session: SupervisionSession,
    user: User,
    today: datetime.date | None = None,
    version: int | None = None,
    partial: bool = False,
    **fields,
) -> SupervisionSession:
    """Change a draft record: its date and method, the agenda sections, the leave gap and the next
    supervision. The personal wellbeing and performance sections only by those who may read them.
    A `partial` save (a draft kept as it is typed, ADR 0018) does not yet ask for the leave gap (002
    Frequency); finalising does (`session_missing`).

    The supervisor and those above them may all write it: a change from a form loaded at another
    `version` is refused (StaleVersion) rather than overwrite a save made since (ADR 0009)."""
    today = today or timezone.localdate()
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"session_update() got unexpected fields: {', '.join(sorted(unknown))}")
    current = _locked(session)
    if not can_edit_session(user, current):
        raise ValidationError("Only the supervisor can change the record, and only until it is finalised.")
    if not can_see_restricted(user, current) and any(name in fields for name in RESTRICTED_FIELDS):
        raise ValidationError(
            "Only the supervisee's supervisor and those above them can record those sections."
        )
    values = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current
    version_advance(current, version)  # before any change, so a refusal carries the record as saved
    for name in changed:
        setattr(current, name, values[name])
    _check_dates(held_on=current.held_on, next_date=current.next_date, today=today)
    if not partial and ("held_on" in changed or "leave_gap" in changed):
        _check_leave_gap(
            supervisee=current.supervisee,
            held_on=current.held_on,
            leave_gap=current.leave_gap,
            exclude_pk=current.pk,
        )
    current.full_clean(exclude=["pdf"])
    current.save(update_fields=[*changed, "version"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        description=f"{'Autosaved' if partial else 'Updated'} Record of Supervision: {', '.join(changed)}",
    )
    if any(name in changed for name in FACT_FIELDS):
        worker_obligations_refresh_on_commit(worker=current.supervisee)
    return current


@transaction.atomic
def session_finalise(
    *, session: SupervisionSession, user: User, today: datetime.date | None = None
) -> SupervisionSession:
    """Finalise the record (000 App. C): each case discussion held in it recorded on the child's file
    (001 App. 5, 004 §7), the record fixed, and its PDF queued."""
    today = today or timezone.localdate()
    current = _locked(session)
    if not (current.can_move_to(SupervisionSession.Status.FINALISED) and can_edit_session(user, current)):
        raise ValidationError("Only the supervisor can finalise the record, and only once.")
    missing = session_missing(session=current)
    if missing:
        raise ValidationError(missing)
    drafts = list(
        CaseDiscussion.objects.filter(session=current, status=CaseDiscussion.Status.DRAFT)
        .select_related("child")
        .order_by("pk")
    )
    for discussion in drafts:
        case_discussion_record(discussion=discussion, user=user, today=today)
    current.status = SupervisionSession.Status.FINALISED
    current.finalised_on = today
    current.finalised_by = user
    current.full_clean(exclude=["pdf"])
    current.save(update_fields=["status", "finalised_on", "finalised_by"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        description=f"Finalised Record of Supervision of {current.supervisee} held {current.held_on:%-d %b %Y}"
        + (f"; {len(drafts)} case discussion(s) recorded on the children's files" if drafts else ""),
    )
    worker_obligations_refresh_on_commit(worker=current.supervisee)
    # Rendered from the outbox once this commits (ADR 0010); the download renders it on demand.
    outbox.enqueue(
        topic=SESSION_RENDER,
        payload={"session_id": current.pk},
        description=f"PDF of the Record of Supervision of {current.supervisee}",
        source=f"render:session:{current.pk}",
    )
    return current


@transaction.atomic
def session_cancel(*, session: SupervisionSession, user: User, reason: str) -> SupervisionSession:
    """Cancel a draft record (recorded in error, or the supervision did not happen): it no longer counts
    as a supervision held (supervision/facts.py)."""
    current = _locked(session)
    if not (current.can_move_to(SupervisionSession.Status.CANCELLED) and can_edit_session(user, current)):
        raise ValidationError("Only a draft record can be cancelled, by the supervisor or someone above.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the record is cancelled"})
    # The supervision did not happen, so neither did the case discussions drafted in it: they go (and
    # with them their `case_discussion_held` facts). Discussions already on a child's file stay there.
    drafts = list(current.case_discussions.filter(status=CaseDiscussion.Status.DRAFT).select_related("child"))
    for discussion in drafts:
        audit_record(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=discussion,
            child=discussion.child,
            description=f"Removed draft case discussion of {discussion.held_on:%d/%m/%Y}: its supervision was cancelled",
        )
        discussion.delete()
        child_obligations_refresh_on_commit(child=discussion.child)
    current.status = SupervisionSession.Status.CANCELLED
    current.cancelled_reason = reason.strip()[:300]
    current.full_clean(exclude=["pdf"])
    current.save(update_fields=["status", "cancelled_reason"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        description=f"Cancelled Record of Supervision {current.pk} (the reason is kept with the record)",
    )
    worker_obligations_refresh_on_commit(worker=current.supervisee)
    return current


__all__ = [
    "session_cancel",
    "session_create",
    "session_finalise",
    "session_update",
    "supervision_frequency_set",
]
