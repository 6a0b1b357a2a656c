"""Asking a manager to book a CMM that is due (001 §6.2: a TM or AP books and chairs it).

A case manager told a CMM is due cannot book it; what they can do is ask. The request is a tracked task
on the manager's My work, linked to the booking page with the meeting chosen, and it is done when a
meeting is booked for that obligation. Asking twice finds the open request (a double click never stores
twice).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, Obligation, Role, User
from core.audit import audit_record
from core.models import AuditEntry, Task
from core.services import locked

from ..worklinks import BOOK_MEETING

SOURCE = "book-cmm"


def booking_request_source(code: str) -> str:
    """The task's source for a request to book the meeting that meets `code` (cases task_url reads it)."""
    return f"{SOURCE}:{code}"


def booking_requests_open(*, child: Child) -> dict[str, Task]:
    """The open requests to book the child's CMMs, by obligation code (one query)."""
    rows = Task.objects.filter(
        child=child, source__startswith=f"{SOURCE}:", done_on__isnull=True
    ).select_related("assignee")
    return {task.source.split(":", 1)[1]: task for task in rows.order_by("pk")}


def _who_books(child: Child) -> User | None:
    """Who is asked: the team's team manager who is in, else its advanced practitioner who is in, else a
    service manager (001 §6.2: chaired by the TM, or an AP where the TM is unavailable)."""
    team = User.objects.filter(is_active=True, is_absent=False).order_by("pk")
    for role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER):
        person = team.filter(team_id=child.team_id, role=role).first()
        if person is not None:
            return person
    return team.filter(role=Role.SERVICE_MANAGER).first()


@transaction.atomic
def booking_request(
    *, child: Child, user: User, code: str, today: datetime.date | None = None
) -> tuple[Task, bool]:
    """Ask a manager to book the CMM due for `code`; returns (the request, whether it is new)."""
    if code not in BOOK_MEETING:
        raise ValidationError("Choose a meeting that is due.")
    child = locked(child)  # two requests at once: the second finds the first's
    existing = booking_requests_open(child=child).get(code)
    if existing is not None:
        return existing, False
    obligation = (
        Obligation.objects.filter(child=child, code=code, status__in=Obligation.OUTSTANDING)
        .order_by("due", "position")
        .first()
    )
    if obligation is None:
        raise ValidationError("That meeting is not due for this child.")
    assignee = _who_books(child)
    if assignee is None:
        raise ValidationError("There is no team manager or advanced practitioner to ask.")
    task = Task(
        child=child,
        assignee=assignee,
        title=f"Book the {obligation.title[:200]} (asked by {user.get_full_name() or user.username})",
        due=obligation.due,
        basis=obligation.basis[:200],
        source=booking_request_source(code),
        created_by=user,
    )
    task.full_clean()
    task.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=task,
        child=child,
        description=f"Asked {assignee} to book the {obligation.title}",
    )
    return task, True


def booking_requests_done(*, child: Child, code: str, user: User, note: str) -> int:
    """Mark the open requests to book this CMM done (a meeting is booked for it); in the caller's
    transaction."""
    today = timezone.localdate()
    return Task.objects.filter(child=child, source=booking_request_source(code), done_on__isnull=True).update(
        done_on=today, done_by=user, done_note=note[:300]
    )
