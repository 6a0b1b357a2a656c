"""What is due soon or overdue, for the sweep: the lead times, the escalation rule, and the links.

Deadlines and statuses come only from the stored Obligation rows (the rules module computed them): this
module only compares them with today, a lead time and the working-day calendar.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Child, Obligation
from cases.rules.profiles import get_profile
from cases.worklinks import action_url
from core.registry import registry

from ..models import Notification
from .recipients import LEAVE_PREFIX, SUPERVISION_PREFIX, Staff, staff_load

OUTSTANDING = Obligation.OUTSTANDING
Kind = Notification.Kind


def calendar():
    """The working-day calendar of the service's policy profile (bank holidays of its region)."""
    return get_profile(settings.POLICY_PROFILE).calendar


def lead_working_days(code: str) -> int:
    """How many working days before its due date an obligation is "due soon" (longest prefix wins)."""
    return _lead_for(code, tuple(sorted(settings.ALERT_LEAD_WORKING_DAYS.items())))


@lru_cache(maxsize=4096)
def _lead_for(code: str, table: tuple) -> int:
    """The lead for a code from the (prefix, days) table; cached per code and table."""
    best, days = -1, 0
    for prefix, value in table:
        if code.startswith(prefix) and len(prefix) > best:
            best, days = len(prefix), value
    return days


def is_escalated(*, due: datetime.date, today: datetime.date) -> bool:
    """Overdue by more than ALERT_ESCALATE_AFTER_WORKING_DAYS working days (bank holidays not counted).

    The working days counted are those after the due date, up to and including today: escalated when the
    (N+1)th working day after the due date has come.
    """
    return today >= calendar().add_working_days(due, settings.ALERT_ESCALATE_AFTER_WORKING_DAYS + 1)


@dataclass
class Alertable:
    """One outstanding obligation the sweep has something to say about, and who to tell."""

    row: dict
    state: str  # Kind.DUE_SOON or Kind.OVERDUE
    escalated: bool
    responsible: list[int]
    managers: list[int]

    @property
    def is_child(self) -> bool:
        """A child's obligation (else a worker's own)."""
        return self.row.get("child_id") is not None


CHILD_VALUES = (
    "child_id",
    "code",
    "title",
    "due",
    "due_at",
    "status",
    "basis",
    "child__case_number",
    "child__first_name",
    "child__last_name",
    "child__team_id",
    "child__case_manager_id",
)
WORKER_VALUES = ("worker_id", "code", "title", "due", "due_at", "status", "basis")


def _judge(row: dict, *, now: datetime.datetime, today: datetime.date, horizon) -> str | None:
    """Due soon, overdue, or nothing to say, for one outstanding row (timescales.md "status")."""
    due_at = row["due_at"]
    if due_at is not None:  # hour-based: judged to the hour
        if row["status"] == Obligation.Status.OVERDUE or now > due_at:
            return Kind.OVERDUE
        if now >= due_at - datetime.timedelta(hours=settings.ALERT_LEAD_HOURS):
            return Kind.DUE_SOON
        return None
    if row["status"] == Obligation.Status.OVERDUE:
        return Kind.OVERDUE
    due = row["due"]
    if due is not None and today <= due <= horizon(lead_working_days(row["code"])):
        return Kind.DUE_SOON
    return None


def _horizons(today: datetime.date) -> dict[int, datetime.date]:
    """The last "due soon" day for each lead (in working days) the settings use, and for no lead."""
    cal = calendar()
    leads = sorted(set(settings.ALERT_LEAD_WORKING_DAYS.values()) | {0})
    return {days: cal.add_working_days(today, days) if days else today for days in leads}


def _worth_judging(
    *, now: datetime.datetime, today: datetime.date, last: datetime.date, hour_based_only: bool
) -> Q:
    """The rows that may be due soon or overdue, as SQL (each is then judged exactly by _judge)."""
    lead_hours = datetime.timedelta(hours=settings.ALERT_LEAD_HOURS)
    hour_q = Q(due_at__isnull=False) & (Q(status=Obligation.Status.OVERDUE) | Q(due_at__lte=now + lead_hours))
    if hour_based_only:
        return hour_q
    return (
        Q(status=Obligation.Status.OVERDUE)
        | Q(status=Obligation.Status.OPEN, due_at__isnull=True, due__gte=today, due__lte=last)
        | hour_q
    )


def obligations_to_alert(
    *, now: datetime.datetime, hour_based_only: bool = False, staff: Staff | None = None
) -> list[Alertable]:
    """Outstanding obligations of open children and of active workers that are due soon or overdue.

    Two queries (children's, workers'), whatever the number of rows. Due soon: a date-based obligation
    still open and due between today and the lead's working day (inclusive); an hour-based one from
    ALERT_LEAD_HOURS before its time until its time. Overdue: status overdue, or past an hour-based time.
    """
    staff = staff or staff_load()
    today = timezone.localdate(now)
    horizons = _horizons(today)
    when = _worth_judging(now=now, today=today, last=horizons[max(horizons)], hour_based_only=hour_based_only)
    # Many rows share a due date: judge the escalation once per date.
    escalated = lru_cache(maxsize=None)(lambda due: due is not None and is_escalated(due=due, today=today))

    out = []
    child_rows = Obligation.objects.filter(when, child__is_open=True, status__in=OUTSTANDING).values(
        *CHILD_VALUES
    )
    for row in child_rows:
        state = _judge(row, now=now, today=today, horizon=horizons.__getitem__)
        if state is None:
            continue
        cm, team = row["child__case_manager_id"], row["child__team_id"]
        overdue = state == Kind.OVERDUE
        out.append(
            Alertable(
                row=row,
                state=state,
                escalated=overdue and escalated(row["due"]),
                responsible=staff.child_responsible(case_manager_id=cm, team_id=team),
                managers=staff.child_managers(case_manager_id=cm, team_id=team) if overdue else [],
            )
        )
    worker_rows = Obligation.objects.filter(
        when, child__isnull=True, worker__isnull=False, worker__is_active=True, status__in=OUTSTANDING
    ).values(*WORKER_VALUES)
    for row in worker_rows:
        state = _judge(row, now=now, today=today, horizon=horizons.__getitem__)
        if state is None:
            continue
        overdue = state == Kind.OVERDUE
        out.append(
            Alertable(
                row=row,
                state=state,
                escalated=overdue and escalated(row["due"]),
                responsible=staff.worker_responsible(worker_id=row["worker_id"], code=row["code"]),
                managers=(
                    staff.worker_managers(worker_id=row["worker_id"], code=row["code"]) if overdue else []
                ),
            )
        )
    return out


@lru_cache(maxsize=1024)
def _link_pattern(code: str) -> str:
    """The obligation's action URL with a placeholder for the child (reverse() once per code)."""
    return action_url(code, 987654321)


def child_link(*, code: str, child_id: int) -> str:
    """Where a child's obligation is done (cases/worklinks.py)."""
    return _link_pattern(code).replace("987654321", str(child_id))


def notification_target(*, notification: Notification, user) -> str:
    """Where opening a notification takes this user: for a child's obligation whose page not everyone may
    use (a CMM only a manager books, 001 §6.2), the page where this user acts on it, worked out now;
    otherwise the link it was raised with."""
    child_id = notification.child_id
    link = registry.work_link_for(notification.code) if child_id is not None else None
    if child_id is None or link is None or not link.permission:
        return notification.link
    child = Child.objects.filter(pk=child_id).first()
    if child is None:
        return notification.link
    return action_url(notification.code, child.pk, user=user, child=child)


def worker_link(*, code: str, worker_id: int) -> str:
    """Where a worker's own obligation is done: the leave pages, or their supervision page."""
    if code.startswith(LEAVE_PREFIX):
        return reverse("leave_list")
    if code.startswith(SUPERVISION_PREFIX):
        return reverse("session_create", args=[worker_id])  # the supervisor records it (000 §4.1)
    return reverse("supervision_worker", args=[worker_id])
