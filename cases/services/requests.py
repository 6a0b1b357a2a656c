"""Asking a manager to do what is due on a child when only a manager may (issue 20).

A case manager told a CMM is due cannot book it (001 §6.2: a TM or AP books and chairs it), nor record a
case discussion (001 App. 5: the manager records it); what they can do is ask. The request is a tracked
task on the manager's My work, linked to the page where it is done (cases/worklinks.py), and it is done
when that thing is done (the meeting booked for it, the discussion recorded). Asking twice finds the open
request (a double click never stores twice). Which obligations can be asked for: those whose work link
names a permission the asker lacks (core.registry.WorkLink).
"""

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEntry, Task
from core.registry import registry
from core.services import locked

from ..models import Child, Obligation, Role, User

SOURCE = "ask"


def manager_request_source(code: str) -> str:
    """The task's source for a request about obligation `code` (mywork.task_url reads it)."""
    return f"{SOURCE}:{code}"


def manager_requests_open(*, child: Child) -> dict[str, Task]:
    """The open requests about the child's obligations, by obligation code (one query)."""
    rows = Task.objects.filter(child=child, source__startswith=f"{SOURCE}:", done_on__isnull=True)
    return {task.source.split(":", 1)[1]: task for task in rows.select_related("assignee").order_by("pk")}


def may_ask(*, user: User, child: Child, code: str) -> bool:
    """Whether this obligation is one the user may ask a manager for: its page needs a permission they
    lack (a manager who may do it does it)."""
    link = registry.work_link_for(code)
    if link is None or not link.permission:
        return False
    return not rules.has_perm(link.permission, user, child)


def _who_acts(child: Child) -> User | None:
    """Who is asked: the team's team manager who is in, else its advanced practitioner who is in, else a
    service manager (001 §6.2: the TM, or an AP where the TM is unavailable)."""
    staff = User.objects.filter(is_active=True, is_absent=False).order_by("pk")
    for role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER):
        person = staff.filter(team_id=child.team_id, role=role).first()
        if person is not None:
            return person
    return staff.filter(role=Role.SERVICE_MANAGER).first()


def with_requests(rows, *, user: User, child: Child):
    """Set `requested` (the open request) and `can_ask` on a child's outstanding obligation rows, for
    the "Ask a manager" button (two queries at most, whatever the rows)."""
    rows = list(rows)
    requested = manager_requests_open(child=child) if rows else {}
    askable: dict[str, bool] = {}  # by code: whether its page needs a permission the user lacks
    for row in rows:
        row.requested = requested.get(row.code)
        if row.code not in askable:
            askable[row.code] = may_ask(user=user, child=child, code=row.code)
        # Each row's own state: a met occurrence listed first must not hide the overdue one after it.
        row.can_ask = row.is_outstanding and askable[row.code] and row.requested is None
    return rows


@transaction.atomic
def manager_request(*, child: Child, user: User, code: str) -> tuple[Task, bool]:
    """Ask a manager to do the obligation `code` due on the child; returns (the request, whether new)."""
    child = locked(child)  # two requests at once: the second finds the first's
    if not may_ask(user=user, child=child, code=code):
        raise ValidationError("Choose something that is due and that a manager does.")
    existing = manager_requests_open(child=child).get(code)
    if existing is not None:
        return existing, False
    obligation = (
        Obligation.objects.filter(child=child, code=code, status__in=Obligation.OUTSTANDING)
        .order_by("due", "position")
        .first()
    )
    if obligation is None:
        raise ValidationError("That is not due for this child.")
    assignee = _who_acts(child)
    if assignee is None:
        raise ValidationError("There is no team manager or advanced practitioner to ask.")
    task = Task(
        child=child,
        assignee=assignee,
        title=f"{obligation.title[:200]} (asked by {user.get_full_name() or user.username})",
        due=obligation.due,
        basis=obligation.basis[:200],
        source=manager_request_source(code),
        created_by=user,
    )
    task.full_clean()
    task.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=task,
        child=child,
        description=f"Asked {assignee} to do: {obligation.title}",
    )
    return task, True


def manager_requests_done(*, child: Child, code: str, user: User, note: str) -> int:
    """Mark the open requests about `code` (or, ending in ".", every code it starts) done: the thing is
    done. In the caller's transaction."""
    rows = Task.objects.filter(child=child, done_on__isnull=True)
    if code.endswith("."):
        rows = rows.filter(source__startswith=manager_request_source(code))
    else:
        rows = rows.filter(source=manager_request_source(code))
    return rows.update(done_on=timezone.localdate(), done_by=user, done_note=note[:300])


__all__ = [
    "manager_request",
    "manager_request_source",
    "manager_requests_done",
    "manager_requests_open",
    "may_ask",
    "with_requests",
]
