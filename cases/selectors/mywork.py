"""Reads for "My work": what is due across the children a worker holds, grouped by urgency."""

import datetime

from ..models import Child, Obligation, Role
from ..worklinks import action_url
from .allocation import leave_workers_for_user
from .core import held_children_q

OUTSTANDING = (Obligation.Status.OPEN, Obligation.Status.OVERDUE)


def obligations_for_worker(*, user) -> list[Obligation]:
    """Outstanding obligations on the open children the user holds, overdue first, then by due date.

    One query, whatever the caseload size; each row carries `action_url`, the page where it is done.
    """
    rows = list(
        Obligation.objects.filter(
            status__in=OUTSTANDING,
            child__in=Child.objects.filter(held_children_q(user=user), is_open=True).values("pk"),
        )
        .select_related("child")
        .order_by("due", "child__last_name", "child__first_name", "position")
    )
    for row in rows:
        row.action_url = action_url(row.code, row.child_id)
    rows.sort(
        key=lambda o: (o.status != Obligation.Status.OVERDUE, o.due is None, o.due or datetime.date.max)
    )
    return rows


def group_by_urgency(*, rows: list[Obligation], today: datetime.date) -> dict[str, list[Obligation]]:
    """Overdue, due this week (to Sunday), and later (including those with no timescale)."""
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    groups = {"overdue": [], "this_week": [], "later": []}
    for row in rows:
        if row.status == Obligation.Status.OVERDUE:
            groups["overdue"].append(row)
        elif row.due is not None and row.due <= week_end:
            groups["this_week"].append(row)
        else:
            groups["later"].append(row)
    return groups


def worker_tasks_for_manager(*, user) -> list[Obligation]:
    """Outstanding worker obligations (003 §7.2 leave follow-ups) for the staff whose leave a manager manages.

    The same scope as the leave pages (`leave_workers_for_user`), so every item listed can be acted on.
    """
    if user.role not in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER, Role.SERVICE_MANAGER):
        return []
    return list(
        Obligation.objects.filter(
            worker__in=leave_workers_for_user(user=user), child__isnull=True, status__in=OUTSTANDING
        )
        .exclude(worker=user)
        .select_related("worker")
        .order_by("due", "position")
    )
