"""The daily digest: a user's own work due today, due soon and overdue, and their team's overdue work.

The same responsibility rule as the sweep (recipients.Staff) and the same lead times (due.py), so the
digest and the in-app notifications never disagree.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache, partial

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from cases.models import Obligation, Role, Team, User

from .due import (
    CHILD_VALUES,
    OUTSTANDING,
    WORKER_VALUES,
    calendar,
    child_link,
    is_escalated,
    lead_working_days,
    worker_link,
)
from .recipients import MANAGERS, Staff, staff_load


@dataclass
class DigestItem:
    """One line of a digest: what, for whom (case number and initials, never a name), when, where."""

    title: str
    who: str
    due: datetime.date | None
    due_at: datetime.datetime | None
    link: str
    holder: str = ""


@dataclass
class Digest:
    """A user's digest for a day: their own work due today, due soon and overdue, their team's overdue."""

    user: User
    today: datetime.date
    due_today: list[DigestItem] = field(default_factory=list)
    due_soon: list[DigestItem] = field(default_factory=list)
    overdue: list[DigestItem] = field(default_factory=list)
    team_overdue: list[DigestItem] = field(default_factory=list)
    escalated_by_team: list[tuple[str, int]] = field(default_factory=list)

    @property
    def escalated_total(self) -> int:
        """How many obligations are escalated, over every team."""
        return sum(n for _team, n in self.escalated_by_team)

    @property
    def has_overdue(self) -> bool:
        """Anything overdue: the user's own, their team's, or escalated."""
        return bool(self.overdue or self.team_overdue or self.escalated_total)

    @property
    def is_empty(self) -> bool:
        """Nothing to say today."""
        return not (self.due_today or self.due_soon or self.has_overdue)

    def counts(self) -> dict:
        """How many lines each section has."""
        return {
            "due_today": len(self.due_today),
            "due_soon": len(self.due_soon),
            "overdue": len(self.overdue),
            "team_overdue": len(self.team_overdue),
            "escalated": self.escalated_total,
        }


def child_ref(*, case_number: str, first_name: str, last_name: str) -> str:
    """A child as correspondence outside the service's pages names them: case number and initials."""
    return f"{case_number} ({(first_name[:1] + last_name[:1]).upper()})"


def _digest_q(*, user: User, staff: Staff) -> tuple[Q, Q]:
    """Filters (children's rows, workers' rows) that include every row the user could be told about.

    A superset, cheap to write as SQL; the exact rule (Staff) is then applied to each row in Python, so
    the digest and the sweep can never disagree about who is responsible.
    """
    reports = [pk for pk, u in staff.users.items() if u["line_manager_id"] == user.pk]
    child_q = Q(child__case_manager=user) | Q(child__case_manager__in=reports)
    worker_q = Q(worker=user) | Q(worker__in=reports)
    managed_teams = [team for team, tms in staff.team_managers.items() if user.pk in tms]
    if user.role == Role.SERVICE_MANAGER:
        managed_teams += list(
            Team.objects.exclude(pk__in=list(staff.team_managers)).values_list("pk", flat=True)
        )
    if user.role in MANAGERS and user.team_id is not None:
        managed_teams.append(user.team_id)  # leave follow-ups of the team's staff (003 §7.2)
    if managed_teams:
        # Every row of the managed teams: a worker from another team holding their child, or one whose
        # line manager has gone, makes the team manager the one told (the rule in Staff decides).
        child_q |= Q(child__team__in=managed_teams)
        worker_q |= Q(worker__team__in=managed_teams)
    return child_q, worker_q


def _digest_moment(today: datetime.date) -> datetime.datetime:
    """The digest's moment: now on its own day, else the start of that day."""
    now = timezone.now()
    if timezone.localdate(now) != today:
        now = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return now


def _place(
    digest: Digest,
    row: dict,
    item: DigestItem,
    *,
    now: datetime.datetime,
    horizon_for,
    responsible: list[int],
    managers: list[int],
) -> None:
    """Put one row in the user's own sections (overdue, due today, due soon) or their team's overdue."""
    # An hour-based obligation whose hour has passed is overdue, as the sweep judges it (due._judge).
    overdue = row["status"] == Obligation.Status.OVERDUE or (
        row["due_at"] is not None and now > row["due_at"]
    )
    user_pk = digest.user.pk
    if user_pk in responsible:
        if overdue:
            digest.overdue.append(item)
        elif row["due"] == digest.today:
            digest.due_today.append(item)
        elif row["due"] <= horizon_for(lead_working_days(row["code"])):
            digest.due_soon.append(item)
    elif overdue and user_pk in managers:
        digest.team_overdue.append(item)


def _place_child_rows(digest: Digest, *, rows, staff: Staff, place) -> None:
    """Each child's row as a digest line, named by case number and initials, with who holds the case."""
    user_pk = digest.user.pk
    for row in rows:
        cm, team = row["child__case_manager_id"], row["child__team_id"]
        item = DigestItem(
            title=row["title"],
            who=child_ref(
                case_number=row["child__case_number"],
                first_name=row["child__first_name"],
                last_name=row["child__last_name"],
            ),
            due=row["due"],
            due_at=row["due_at"],
            link=child_link(code=row["code"], child_id=row["child_id"]),
            holder=staff.name(cm) if cm != user_pk else "",
        )
        place(
            row,
            item,
            responsible=staff.child_responsible(case_manager_id=cm, team_id=team),
            managers=staff.child_managers(case_manager_id=cm, team_id=team),
        )


def _place_worker_rows(digest: Digest, *, rows, staff: Staff, place) -> None:
    """Each worker's own row as a digest line: "You", or the worker's name for their manager."""
    user_pk = digest.user.pk
    for row in rows:
        worker_id = row["worker_id"]
        item = DigestItem(
            title=row["title"],
            who="You" if worker_id == user_pk else staff.name(worker_id),
            due=row["due"],
            due_at=row["due_at"],
            link=worker_link(code=row["code"], worker_id=worker_id),
        )
        place(
            row,
            item,
            responsible=staff.worker_responsible(worker_id=worker_id, code=row["code"]),
            managers=staff.worker_managers(worker_id=worker_id, code=row["code"]),
        )


def digest_for_user(
    *,
    user: User,
    today: datetime.date,
    staff: Staff | None = None,
    now: datetime.datetime | None = None,
) -> Digest:
    """What a user's daily digest says (the same responsibility rule as the sweep).

    Due today and due soon (the same lead rule as the sweep) and overdue: the obligations the user is
    responsible for. For managers, also the overdue work of the people they line-manage; for the service
    manager, how many obligations are escalated (overdue by more than the set working days), by team.
    Three or four queries, whatever the caseload.
    """
    staff = staff or staff_load()
    if now is None:
        now = _digest_moment(today)
    digest = Digest(user=user, today=today)
    if staff.active(user.pk) is None or user.role == Role.ADMINISTRATOR:
        return digest
    cal = calendar()
    horizon_for = lru_cache(maxsize=None)(lambda days: cal.add_working_days(today, days))
    last = horizon_for(max(settings.ALERT_LEAD_WORKING_DAYS.values(), default=0))
    child_q, worker_q = _digest_q(user=user, staff=staff)
    when = Q(status=Obligation.Status.OVERDUE) | Q(
        status=Obligation.Status.OPEN, due__gte=today, due__lte=last
    )
    place = partial(_place, digest, now=now, horizon_for=horizon_for)
    _place_child_rows(
        digest,
        rows=Obligation.objects.filter(when, child_q, child__is_open=True, status__in=OUTSTANDING)
        .values(*CHILD_VALUES)
        .order_by("due", "child__case_number", "position"),
        staff=staff,
        place=place,
    )
    _place_worker_rows(
        digest,
        rows=Obligation.objects.filter(
            when, worker_q, child__isnull=True, worker__is_active=True, status__in=OUTSTANDING
        )
        .values(*WORKER_VALUES)
        .order_by("due", "position"),
        staff=staff,
        place=place,
    )
    if user.role == Role.SERVICE_MANAGER:
        digest.escalated_by_team = escalated_by_team(today=today)
    return digest


def escalated_by_team(*, today: datetime.date) -> list[tuple[str, int]]:
    """How many obligations are overdue by more than the escalation working days, per team (one query).

    Children's by their team, workers' own by the worker's team; grouped by due date in SQL and judged
    per date in Python (a few hundred dates at most).
    """
    counts: Counter = Counter()
    rows = (
        Obligation.objects.filter(status=Obligation.Status.OVERDUE, due__isnull=False)
        .filter(Q(child__is_open=True) | Q(child__isnull=True, worker__is_active=True))
        .values("child__team__name", "worker__team__name", "due")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        due = row["due"]  # never None: the filter above excludes rows without a due date
        if due is not None and is_escalated(due=due, today=today):
            counts[row["child__team__name"] or row["worker__team__name"] or "No team"] += row["n"]
    return sorted(counts.items())
