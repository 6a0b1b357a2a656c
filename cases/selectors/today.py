"""Reads for "Today" at the top of a worker's My work (issue 20): what is due today and overdue, their
meetings today, sign-offs waiting and who in their team is off today, each item one action away.

Built from what My work has already read (its work items and the meetings section), so the panel adds
one query (who is off), whatever the caseload.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ..models import Leave, Role, User
from .mywork import is_overdue

TODAY_ITEMS = 5  # each list is short: the rest is in the groups below


def team_off_today(*, user, today: datetime.date) -> list[User]:
    """The user's active team colleagues on leave or absent today (003 §7), by name (one query)."""
    if not user.team_id:
        return []
    on_leave = Leave.objects.filter(worker=OuterRef("pk"), start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return list(
        User.objects.filter(team_id=user.team_id, is_active=True)
        .exclude(pk=user.pk)
        .exclude(role=Role.ADMINISTRATOR)
        .annotate(on_leave=Exists(on_leave))
        .filter(Q(is_absent=True) | Q(on_leave=True))
        .order_by("last_name", "first_name", "pk")
    )


def _local_date(when: datetime.datetime) -> datetime.date:
    return timezone.localtime(when).date()


def today_for_worker(*, user, items: list, meetings: list, sign_off: dict, today: datetime.date) -> dict:
    """The Today panel from My work's own reads: `items` (WorkItems), `meetings` (the meetings section)
    and `sign_off` (the sign-off counts), plus who is off today."""
    overdue = [i for i in items if is_overdue(status=i.status, due=i.due, today=today)]
    overdue.sort(key=lambda i: (i.due is None, i.due or datetime.date.max))
    due_today = [i for i in items if i.due == today and i not in overdue]
    meetings_today = [m for m in meetings if m.starts_at is not None and _local_date(m.starts_at) == today]
    return {
        "due_today": due_today[:TODAY_ITEMS],
        "due_today_more": max(len(due_today) - TODAY_ITEMS, 0),
        "overdue": overdue[:TODAY_ITEMS],
        "overdue_total": len(overdue),
        "meetings_today": meetings_today,
        "sign_off": sign_off,
        "off_today": team_off_today(user=user, today=today),
    }
