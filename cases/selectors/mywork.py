"""Reads for "My work": what is due across a worker's caseload, their tasks and their own obligations.

Everything a person has to do with a date lands in one list of `WorkItem`s, grouped overdue / due this
week (to Sunday) / later, each linked to the page where it is done. The groups are judged from the stored
obligations' due dates as the rules module judges them (overdue only after the due date), never from a
deadline worked out here. A fixed number of queries, whatever the caseload.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from core.models import Task

from ..models import Child, Obligation, Role, User
from ..worklinks import action_url, action_urls
from .allocation import LEAVE_TASK_CODES, leave_workers_for_user
from .core import children_for_user, held_children_q

OUTSTANDING = (Obligation.Status.OPEN, Obligation.Status.OVERDUE)
SUPERVISION_PREFIX = "supervision."
GROUPS = ("overdue", "this_week", "later")


@dataclass
class WorkItem:
    """One thing to do: an obligation on a held child, a tracked task, or a worker obligation."""

    kind: str  # "obligation", "task" or "worker"
    title: str
    url: str | None
    due: datetime.date | None
    status: str = Obligation.Status.OPEN
    due_at: datetime.datetime | None = None
    earliest: datetime.date | None = None
    basis: str = ""
    explanation: str = ""  # why it is due then (Obligation.explanation)
    child: Child | None = None
    worker: User | None = None  # the member of staff a worker obligation is about
    task: Task | None = None
    code: str = ""


def is_overdue(*, status: str, due: datetime.date | None, today: datetime.date) -> bool:
    """Overdue as the rules module judges it: stored as overdue, or still open after its due date."""
    return status == Obligation.Status.OVERDUE or (due is not None and due < today)


def week_end(today: datetime.date) -> datetime.date:
    """The Sunday that ends this week ("due this week" runs to it; the next Monday is "later")."""
    return today + datetime.timedelta(days=6 - today.weekday())


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
    # Annotated for My work (work_items_for) and the obligation tables; not a model field. Every row is a
    # child's (the filter above). One bulk answer per permission, not a query per row (issue 20).
    for row, url in zip(rows, action_urls([(row.code, row.child) for row in rows], user=user), strict=True):
        row.action_url = url  # type: ignore[attr-defined]
    rows.sort(
        key=lambda o: (o.status != Obligation.Status.OVERDUE, o.due is None, o.due or datetime.date.max)
    )
    return rows


def group_by_urgency(*, rows: list, today: datetime.date) -> dict[str, list]:
    """Overdue, due this week (to Sunday), and later (including those with no date), each soonest first.

    `rows` are Obligations or WorkItems (anything with `status` and `due`).
    """
    end = week_end(today)
    groups: dict[str, list] = {key: [] for key in GROUPS}
    for row in rows:
        if is_overdue(status=row.status, due=row.due, today=today):
            groups["overdue"].append(row)
        elif row.due is not None and row.due <= end:
            groups["this_week"].append(row)
        else:
            groups["later"].append(row)
    for items in groups.values():
        items.sort(key=lambda r: (r.due is None, r.due or datetime.date.max))
    return groups


def worker_tasks_for_manager(*, user) -> list[Obligation]:
    """Outstanding worker obligations (003 §7.2 leave follow-ups) for the staff whose leave a manager manages.

    The same scope as the leave pages (`leave_workers_for_user`), so every item listed can be acted on.
    """
    if user.role not in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER, Role.SERVICE_MANAGER):
        return []
    return list(
        Obligation.objects.filter(
            worker__in=leave_workers_for_user(user=user),
            child__isnull=True,
            status__in=OUTSTANDING,
            code__in=LEAVE_TASK_CODES,
        )
        .exclude(worker=user)
        .select_related("worker")
        .order_by("due", "position")
    )


def supervision_obligations_for(*, user) -> list[Obligation]:
    """Outstanding formal supervision obligations (000 §4.1, 001 §2, 002) of the user and of the staff
    whose line manager they are, who hold those supervisions: every overdue one and the next one due per
    worker. One query."""
    rows = (
        Obligation.objects.filter(
            child__isnull=True, code__startswith=SUPERVISION_PREFIX, status__in=OUTSTANDING
        )
        .filter(Q(worker=user) | Q(worker__line_manager=user, worker__is_active=True))
        .select_related("worker")
        .order_by("worker_id", "due", "position")
    )
    kept, next_seen = [], set()
    for row in rows:
        if row.status == Obligation.Status.OPEN:
            # The rules module may list more than one occurrence ahead: the next one is what is due.
            if row.worker_id in next_seen:
                continue
            next_seen.add(row.worker_id)
        kept.append(row)
    return kept


def task_url(task: Task) -> str | None:
    """The page where a tracked task is done, from the record that created it (Task.source)."""
    source, child_id = task.source or "", task.child_id
    parts = source.split(":")
    try:
        if child_id and parts[0] == "meeting" and len(parts) >= 2:
            return reverse("meeting_detail", args=[child_id, int(parts[1])])  # 001 §6.2 CMM actions
        if child_id and parts[0] == "discussion" and len(parts) >= 2:
            return reverse("discussion_detail", args=[child_id, int(parts[1])])  # 001 App. 5
        if child_id and parts[0] == "closure-check" and len(parts) >= 2:
            # 001 §6.3: business support closes the programme; the AP (or holder) reviews the checks.
            if task.assignee is not None and task.assignee.role == Role.BUSINESS_SUPPORT:
                return reverse("child_programmes", args=[child_id])
            return reverse("closure_check_review", args=[child_id, int(parts[1])])
        if child_id and parts[0] == "oversight-prompt":
            return reverse("oversight_holder_set", args=[child_id])  # 001 §6.3 who holds oversight
        if child_id and parts[0] == "ask" and len(parts) >= 2:
            return action_url(parts[1], child_id)  # asked to do what only a manager does (issue 20)
        if parts[0] == "mappa-share":
            return reverse("mappa_share")  # 001 §8 quarterly register share
    except ValueError:
        pass
    return reverse("child_obligations", args=[child_id]) if child_id else None


def tasks_for_worker(*, user) -> list[Task]:
    """Open tasks assigned to the user on children they may see (or on no child), soonest first (one query)."""
    visible = children_for_user(user=user).values("pk")
    return list(
        Task.objects.filter(assignee=user, done_on__isnull=True)
        .filter(Q(child__isnull=True) | Q(child__in=visible))
        .select_related("child", "assignee")
        .order_by("due", "pk")
    )


def work_items_for(*, user) -> list[WorkItem]:
    """Everything the user has to do with a date, as WorkItems (four queries, whatever the caseload).

    - obligations on the open children they hold or co-work (003 §5, §6);
    - their open tasks: CMM actions (001 §6.2), case discussion actions (001 App. 5), closure checks and
      oversight prompts (001 §6.3), the MAPPA register share (001 §8);
    - formal supervision: their own, and that of the staff they line-manage (000 §4.1, 002);
    - for managers, the leave follow-ups of the staff whose leave they manage (003 §7.2).
    """
    items = [
        WorkItem(
            kind="obligation",
            title=o.title,
            url=o.action_url,  # type: ignore[attr-defined]  # set by obligations_for_worker
            due=o.due,
            status=o.status,
            due_at=o.due_at,
            earliest=o.earliest,
            basis=o.basis,
            explanation=o.explanation,
            child=o.child,
            code=o.code,
        )
        for o in obligations_for_worker(user=user)
    ]
    for task in tasks_for_worker(user=user):
        items.append(
            WorkItem(
                kind="task",
                title=task.title,
                url=task_url(task),
                due=task.due,
                basis=task.basis,
                child=task.child,
                task=task,
            )
        )
    for o in supervision_obligations_for(user=user):
        own = o.worker_id == user.pk
        items.append(
            WorkItem(
                kind="worker",
                title="Your formal supervision" if own else f"Supervise {o.worker}",
                url=reverse("supervision_worker" if own else "session_create", args=[o.worker_id]),
                due=o.due,
                status=o.status,
                basis=f"{o.title} ({o.basis})",
                worker=None if own else o.worker,
                code=o.code,
            )
        )
    for o in worker_tasks_for_manager(user=user):
        items.append(
            WorkItem(
                kind="worker",
                title=o.title,
                url=f"{reverse('leave_list')}?scope=team",
                due=o.due,
                status=o.status,
                basis=o.basis,
                worker=o.worker,
                code=o.code,
            )
        )
    return items
