"""What every internal transfer write shares: the row lock, validating and saving, the refusals, and
the step's note on the child's timeline (003 §11)."""

import datetime

from django.core.exceptions import ValidationError

from cases.models import User
from cases.services.core import child_obligations_refresh_on_commit, work_waiting_on_commit
from core.services import future_error, locked

from ...models import InternalTransfer
from ..common import transfer_event

Status = InternalTransfer.Status


def name_of(user: User | None) -> str:
    """A person's name for the file."""
    return (user.get_full_name() or user.username) if user is not None else "not allocated"


def step_source(transfer: InternalTransfer, step: str) -> str:
    """The event source naming the record and the step (max 40 characters)."""
    return f"itransfer:{transfer.pk}:{step}"[:40]


def note(
    *, transfer: InternalTransfer, user, day: datetime.date, step: str, summary: str, details=""
) -> None:
    """The TRANSFER event on the child's timeline for this step (its facts come from the record)."""
    transfer_event(
        child=transfer.child,
        user=user,
        day=day,
        summary=summary,
        details=details,
        source=step_source(transfer, step),
    )


def save(transfer: InternalTransfer) -> None:
    """Validate and save, then queue the obligations refresh (the record states the facts) and the news
    that the step waiting on someone may have changed (transfers/waiting.py: notifications at once)."""
    transfer.full_clean()
    transfer.save()
    child_obligations_refresh_on_commit(child=transfer.child)
    work_waiting_on_commit(child=transfer.child)


def transfer_locked(transfer: InternalTransfer) -> InternalTransfer:
    """The transfer re-read under a row lock, with the child, teams and case managers each step reads."""
    return locked(transfer, "child", "child__case_manager", "from_team", "to_team", "to_case_manager")


def require(condition: bool, message: str) -> None:
    """A policy refusal unless the condition holds."""
    if not condition:
        raise ValidationError(message)


def not_future(day: datetime.date | None, noun: str) -> None:
    """Records say what has happened: a date after today is refused."""
    if message := future_error(day, noun):
        raise ValidationError(message)
