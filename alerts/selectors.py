"""Reads for alerts: who is responsible for an obligation, what is due soon or overdue, the digest, the list.

Deadlines and statuses come only from the stored Obligation rows (the rules module computed them): this
module only compares them with today, a lead time and the working-day calendar.

Responsibility (one rule for the sweep and the digest):

- a child's obligation: the child's case manager; an unallocated child's (or one whose case manager has
  left) goes to the child's team's team manager(s), or the service manager(s) when the team has none; an
  absent case manager's line manager gets it too (003 §7: cover);
- a worker's own obligation (supervision, 000 §4.1; leave follow-ups, 003 §7.2): the worker, and their
  line manager too while the worker is absent;
- when overdue, also the responsible worker's line manager (or, when they have none, the child's or
  worker's team manager): "Overdue in your team". An unallocated child's overdue work is already the
  team manager's, so nobody else is told until it escalates;
- overdue by more than ALERT_ESCALATE_AFTER_WORKING_DAYS working days: every service manager.

Only active staff are told anything.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases.models import Obligation, Role, Team, User
from cases.rules.profiles import get_profile
from cases.selectors.core import children_for_user
from cases.worklinks import action_url

from .models import Notification

# Team managers and APs: they act on the team's leave follow-ups (can_manage_leave, 003 §7.2).
MANAGERS = {Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER}

OUTSTANDING = (Obligation.Status.OPEN, Obligation.Status.OVERDUE)
Kind = Notification.Kind
# Worker obligations done on the leave pages (003 §7.2); the rest (supervision) on the supervision page.
LEAVE_PREFIX = "leave."


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


# -- who is responsible ------------------------------------------------------------------------------


@dataclass
class Staff:
    """Active staff as the responsibility rule needs them, loaded in one query."""

    users: dict[int, dict] = field(default_factory=dict)
    team_managers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    service_managers: list[int] = field(default_factory=list)

    def active(self, pk: int | None) -> dict | None:
        """The active member of staff with this pk, or None."""
        return self.users.get(pk) if pk is not None else None

    def name(self, pk: int | None) -> str:
        """A member of staff's full name (their username when they have none)."""
        user = self.active(pk)
        if user is None:
            return ""
        return f"{user['first_name']} {user['last_name']}".strip() or user["username"]

    def _line_manager(self, user: dict) -> int | None:
        """The user's line manager if active."""
        lm = user["line_manager_id"]
        return lm if lm in self.users else None

    def _managers_of_team(self, team_id: int | None, *, besides: int | None = None) -> list[int]:
        """The team's team managers (the service managers when it has none), not counting `besides`."""
        managers = [pk for pk in self.team_managers.get(team_id, ()) if pk != besides]
        return managers or [pk for pk in self.service_managers if pk != besides]

    def _sees_team(self, pk: int, team_id: int | None) -> bool:
        """Whether a manager sees a team's children (cases/selectors/core.py): the service manager, or the team's own."""
        user = self.users[pk]
        return user["role"] == Role.SERVICE_MANAGER or (team_id is not None and user["team_id"] == team_id)

    def _child_manager(self, cm: dict, *, team_id: int | None) -> list[int]:
        """The case manager's line manager when they can see the child, else the child's team managers.

        A worker holding another team's child (an intervention worker, say) has a line manager who cannot
        open that child's record, so the child's own team manager is told instead.
        """
        lm = self._line_manager(cm)
        if lm is not None and self._sees_team(lm, team_id):
            return [lm]
        return self._managers_of_team(team_id, besides=cm["pk"])

    def child_responsible(self, *, case_manager_id: int | None, team_id: int | None) -> list[int]:
        """Who a child's obligation is for: the case manager (and their manager while absent)."""
        cm = self.active(case_manager_id)
        if cm is None:
            return self._managers_of_team(team_id)
        out = [case_manager_id]
        if cm["is_absent"]:
            out += [pk for pk in self._child_manager(cm, team_id=team_id) if pk not in out]
        return out

    def child_managers(self, *, case_manager_id: int | None, team_id: int | None) -> list[int]:
        """Who is told when a child's obligation is overdue besides those responsible for it."""
        cm = self.active(case_manager_id)
        if cm is None:
            return []  # unallocated: the team manager is already responsible
        return self._child_manager(cm, team_id=team_id)

    def leave_managers(self, *, worker_id: int) -> list[int]:
        """Who acts on a worker's unplanned-leave follow-ups (003 §7.2): their team's managers.

        The same people the leave pages let record and review it (cases/selectors/allocation.py
        can_manage_leave): the team's TMs and APs, or the service managers when the team has none.
        """
        worker = self.active(worker_id)
        if worker is None:
            return []
        team_id = worker["team_id"]
        managers = [
            pk
            for pk, u in self.users.items()
            if pk != worker_id and team_id is not None and u["team_id"] == team_id and u["role"] in MANAGERS
        ]
        return managers or [pk for pk in self.service_managers if pk != worker_id]

    def worker_responsible(self, *, worker_id: int, code: str = "") -> list[int]:
        """Who a worker's own obligation is for: the worker (and their line manager while absent).

        Leave follow-ups are the manager's work about the worker, not the worker's (003 §7.2).
        """
        if code.startswith(LEAVE_PREFIX):
            return self.leave_managers(worker_id=worker_id)
        worker = self.active(worker_id)
        if worker is None:
            return []
        out = [worker_id]
        lm = self._line_manager(worker)
        if worker["is_absent"] and lm is not None:
            out.append(lm)
        return out

    def worker_managers(self, *, worker_id: int, code: str = "") -> list[int]:
        """Who is told when a worker's own obligation is overdue: their supervisor (line manager)."""
        worker = self.active(worker_id)
        if worker is None or code.startswith(LEAVE_PREFIX):
            return []  # leave follow-ups already go to the managers
        lm = self._line_manager(worker)
        return [lm] if lm is not None else self._managers_of_team(worker["team_id"], besides=worker_id)


def staff_load() -> Staff:
    """Every active member of staff, their team managers and the service managers (one query)."""
    staff = Staff()
    for user in User.objects.filter(is_active=True).values(
        "pk", "username", "first_name", "last_name", "role", "team_id", "line_manager_id", "is_absent"
    ):
        staff.users[user["pk"]] = user
        if user["role"] == Role.TEAM_MANAGER and user["team_id"] is not None:
            staff.team_managers[user["team_id"]].append(user["pk"])
        elif user["role"] == Role.SERVICE_MANAGER:
            staff.service_managers.append(user["pk"])
    return staff


# -- what is due soon or overdue ---------------------------------------------------------------------


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
    cal = calendar()
    leads = sorted(set(settings.ALERT_LEAD_WORKING_DAYS.values()) | {0})
    horizons = {days: cal.add_working_days(today, days) if days else today for days in leads}
    lead_hours = datetime.timedelta(hours=settings.ALERT_LEAD_HOURS)
    hour_q = Q(due_at__isnull=False) & (Q(status=Obligation.Status.OVERDUE) | Q(due_at__lte=now + lead_hours))
    if hour_based_only:
        when = hour_q
    else:
        when = (
            Q(status=Obligation.Status.OVERDUE)
            | Q(
                status=Obligation.Status.OPEN,
                due_at__isnull=True,
                due__gte=today,
                due__lte=horizons[leads[-1]],
            )
            | hour_q
        )
    escalated_on: dict[datetime.date, bool] = {}

    def escalated(due: datetime.date | None) -> bool:
        if due is None:
            return False
        if due not in escalated_on:
            escalated_on[due] = is_escalated(due=due, today=today)
        return escalated_on[due]

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


def worker_link(*, code: str, worker_id: int) -> str:
    """Where a worker's own obligation is done: the leave pages, or their supervision page."""
    if code.startswith(LEAVE_PREFIX):
        return reverse("leave_list")
    return reverse("supervision_worker", args=[worker_id])


# -- the daily digest --------------------------------------------------------------------------------


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
        return sum(n for _team, n in self.escalated_by_team)

    @property
    def has_overdue(self) -> bool:
        return bool(self.overdue or self.team_overdue or self.escalated_total)

    @property
    def is_empty(self) -> bool:
        return not (self.due_today or self.due_soon or self.has_overdue)

    def counts(self) -> dict:
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
    if now is None:  # the digest's moment: now on its own day, else the start of that day
        now = timezone.now()
        if timezone.localdate(now) != today:
            now = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
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

    def place(row: dict, item: DigestItem, responsible: list[int], managers: list[int]) -> None:
        # An hour-based obligation whose hour has passed is overdue, as the sweep judges it (_judge).
        overdue = row["status"] == Obligation.Status.OVERDUE or (
            row["due_at"] is not None and now > row["due_at"]
        )
        if user.pk in responsible:
            if overdue:
                digest.overdue.append(item)
            elif row["due"] == today:
                digest.due_today.append(item)
            elif row["due"] <= horizon_for(lead_working_days(row["code"])):
                digest.due_soon.append(item)
        elif overdue and user.pk in managers:
            digest.team_overdue.append(item)

    for row in (
        Obligation.objects.filter(when, child_q, child__is_open=True, status__in=OUTSTANDING)
        .values(*CHILD_VALUES)
        .order_by("due", "child__case_number", "position")
    ):
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
            holder=staff.name(cm) if cm != user.pk else "",
        )
        place(
            row,
            item,
            staff.child_responsible(case_manager_id=cm, team_id=team),
            staff.child_managers(case_manager_id=cm, team_id=team),
        )
    for row in (
        Obligation.objects.filter(
            when, worker_q, child__isnull=True, worker__is_active=True, status__in=OUTSTANDING
        )
        .values(*WORKER_VALUES)
        .order_by("due", "position")
    ):
        worker_id = row["worker_id"]
        item = DigestItem(
            title=row["title"],
            who="You" if worker_id == user.pk else staff.name(worker_id),
            due=row["due"],
            due_at=row["due_at"],
            link=worker_link(code=row["code"], worker_id=worker_id),
        )
        place(
            row,
            item,
            staff.worker_responsible(worker_id=worker_id, code=row["code"]),
            staff.worker_managers(worker_id=worker_id, code=row["code"]),
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
        if is_escalated(due=row["due"], today=today):
            counts[row["child__team__name"] or row["worker__team__name"] or "No team"] += row["n"]
    return sorted(counts.items())


# -- the notification pages --------------------------------------------------------------------------


def notifications_for_user(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first, leaving out those about children they can no longer see."""
    visible = children_for_user(user=user).filter(pk=OuterRef("child_id"))
    qs = Notification.objects.filter(recipient=user).filter(Q(child__isnull=True) | Exists(visible))
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.select_related("child", "worker").order_by("-created_at", "-pk")


def notification_get_for_user(*, user: User, pk) -> Notification:
    """One of the user's own notifications about something they may still see; 404 otherwise."""
    try:
        return notifications_for_user(user=user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("No notification found") from None


def notification_states(*, notifications: list[Notification]) -> dict[int, str]:
    """For each notification, whether its obligation is still outstanding now (one query for a page).

    "overdue", "open", "met" (met or met late), or "gone" (no longer required, e.g. the order ended).
    """
    child_ids = {n.child_id for n in notifications if n.child_id}
    worker_ids = {n.worker_id for n in notifications if n.worker_id and not n.child_id}
    codes = {n.code for n in notifications}
    if not notifications:
        return {}
    rows = Obligation.objects.filter(
        Q(child_id__in=child_ids) | Q(child__isnull=True, worker_id__in=worker_ids), code__in=codes
    ).values_list("child_id", "worker_id", "code", "due", "status")
    status = {}
    for child_id, worker_id, code, due, state in rows:
        key = ("c", child_id) if child_id else ("w", worker_id)
        status[(*key, code, due)] = state
    out = {}
    for n in notifications:
        key = ("c", n.child_id) if n.child_id else ("w", n.worker_id)
        state = status.get((*key, n.code, n.due))
        if state is None:
            out[n.pk] = "gone"
        elif state in (Obligation.Status.MET, Obligation.Status.MET_LATE):
            out[n.pk] = "met"
        else:
            out[n.pk] = state
    return out


def unread_count(*, user: User) -> int:
    """How many of the user's notifications are unread, as the list shows them (the header's count)."""
    return notifications_for_user(user=user, unread_only=True).count()
