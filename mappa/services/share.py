"""The quarterly share of the MAPPA register with the MAPPA unit, by the YJ development manager (001 §8:
"shared with the MAPPA unit on a quarterly basis by the YJ Development Manager"), and the audit of every
export of the register.

The share is tracked as a task for the development manager, due the last working day of the quarter;
recording the share marks the task done. `mappa_share_task_ensure` is idempotent (beat, and the register
page when the development manager opens it).
"""

import datetime
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Role, User
from core.audit import audit_record
from core.models import AuditEntry, Task

from ..models import MappaRecord, RegisterShare
from ..selectors.register import (
    can_share_register,
    open_record_count,
    quarter_bounds,
    quarter_due,
    quarter_label,
    quarter_of,
)
from .checks import not_future

TASK_TITLE = "Share the MAPPA register with the MAPPA unit (001 §8)"


def task_source(quarter: str) -> str:
    """The task's source: one task per quarter and development manager."""
    return f"mappa-share:{quarter}"


def mappa_share_task_ensure(*, today: datetime.date, assignees=None) -> list[Task]:
    """Make sure each active development manager (or each of `assignees`) has the quarter's share task,
    due the last working day of the quarter, unless the share is already recorded. Idempotent: one query
    when the task already exists."""
    quarter = quarter_of(today)
    source = task_source(quarter)
    if assignees is None:
        assignees = list(User.objects.filter(is_active=True, role=Role.DEVELOPMENT_MANAGER).order_by("pk"))
    assignees = [u for u in assignees if u.is_active and u.role == Role.DEVELOPMENT_MANAGER]
    if not assignees:
        return []
    have = set(
        Task.objects.filter(source=source, assignee__in=assignees).values_list("assignee_id", flat=True)
    )
    missing = [u for u in assignees if u.pk not in have]
    if not missing or RegisterShare.objects.filter(quarter=quarter).exists():
        return []
    created = []
    with transaction.atomic():  # only the writing part: the check above is one query, no savepoint
        for user in missing:
            task, made = Task.objects.get_or_create(
                source=source,
                assignee=user,
                defaults={
                    "title": TASK_TITLE,
                    "due": quarter_due(quarter),
                    "basis": f"001 §8: the MAPPA register is shared quarterly, {quarter_label(quarter)}",
                    # A scheduled task has no author: it is the development manager's own standing duty.
                    "created_by": user,
                },
            )
            if made:
                created.append(task)
    return created


@transaction.atomic
def register_share_record(
    *, user: User, quarter: str, shared_on: datetime.date, today: datetime.date | None = None
) -> RegisterShare:
    """Record that the register was shared with the MAPPA unit for a quarter (one record per quarter);
    the quarter's share tasks are then done."""
    today = today or timezone.localdate()
    if not can_share_register(user):
        raise ValidationError("Only the development manager or the service manager records the share.")
    try:
        start, _ = quarter_bounds(quarter)
    except ValueError:
        raise ValidationError("Choose the quarter") from None
    if start > today:
        raise ValidationError("The quarter has not started yet")
    not_future(shared_on, "Date shared", today)
    if shared_on < start:
        raise ValidationError(f"Date shared must be on or after the start of the quarter ({start:%-d %B %Y})")
    if RegisterShare.objects.select_for_update().filter(quarter=quarter).exists():
        raise ValidationError(f"The share for {quarter} is already recorded")
    share = RegisterShare(quarter=quarter, shared_on=shared_on, shared_by=user, rows=open_record_count())
    share.full_clean()
    share.save()
    Task.objects.filter(source=task_source(quarter), done_on__isnull=True).update(
        done_on=shared_on, done_by=user, done_note=f"Register shared with {share.rows} rows"
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=share,
        description=f"Recorded the MAPPA register shared with the MAPPA unit for {quarter}: {share.rows} rows",
    )
    return share


def register_export_audit(*, user: User, rows: int, fmt: str, path: str = "") -> AuditEntry:
    """Every export of the register is audited (the rows are children's records, 001 §8)."""
    register = SimpleNamespace(_meta=MappaRecord._meta, pk="register")
    return audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=register,
        description=f"Exported the MAPPA register: {rows} rows ({fmt})",
        path=path,
    )


def register_view_audit(*, user: User, rows: int, path: str = "") -> AuditEntry:
    """A look at the register is audited like any page showing children's records."""
    register = SimpleNamespace(_meta=MappaRecord._meta, pk="register")
    return audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=register,
        description=f"Viewed the MAPPA register: {rows} rows",
        path=path,
    )
