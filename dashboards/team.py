"""Reads for the team dashboard: a locality team's caseload by worker, what waits, and what is overdue.

Each read is a fixed number of queries whatever the number of children (annotations, subqueries and
GROUP BY counts; per-row work in Python on a page of rows only). Deadlines are the stored obligations'
own; "overdue" is judged as the rules module judges it: stored as overdue, or still open after its due
date (cases.selectors.mywork.is_overdue).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Final, Literal, TypedDict, cast

from django.db.models import (
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from cases.models import Assessment, Child, Obligation, Role, Team, User
from cases.selectors.allocation import CASE_HOLDING_ROLES, workload_for_workers
from cases.selectors.mywork import OUTSTANDING, is_overdue
from cases.worklinks import action_url
from meetings.models import Meeting
from meetings.worklinks import BOOK_MEETING
from supervision.access import MAX_CHAIN
from supervision.selectors.schedule import STATUS_LABELS, staff_with_supervision, supervision_status

# 001 §6.2: agencies are invited two weeks ahead, so the team looks two weeks ahead for CMMs.
CMM_HORIZON_DAYS = 14
CMM_PREFIX = "cmm."
UNALLOCATED: Final = "none"  # the `?worker=` value for overdue items on children with no case manager
TEAM_KINDS = (Team.Kind.LOCALITY, Team.Kind.INTERVENTIONS)


# Access --------------------------------------------------------------------------------------------------


def teams_for_user(*, user) -> QuerySet[Team]:
    """The teams whose dashboard the user may open: a TM or AP their own; the service manager every
    locality and interventions team (locality teams first); anyone else none."""
    if user.role == Role.SERVICE_MANAGER:
        # "locality" sorts after "interventions": descending puts the locality teams first.
        return Team.objects.filter(kind__in=TEAM_KINDS).order_by("-kind", "name")
    if user.role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER) and user.team_id:
        return Team.objects.filter(pk=user.team_id, kind__in=TEAM_KINDS)
    return Team.objects.none()


def team_get_for_user(*, user, team_id: str | None = None) -> Team:
    """The team to show: `team_id` if the user may see it, else their default (the first they may see);
    404 for anyone with no team dashboard and for a team outside their scope (or a malformed id). The
    team carries `open_children`, how many open children it holds (in the same query)."""
    open_children = (
        Child.objects.filter(team=OuterRef("pk"), is_open=True)
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
    )
    teams = teams_for_user(user=user).annotate(
        open_children=Coalesce(Subquery(open_children.values("n")[:1], output_field=IntegerField()), 0)
    )
    if team_id:
        try:
            return teams.get(pk=int(team_id))
        except (Team.DoesNotExist, ValueError, TypeError, OverflowError):
            raise Http404("No team found") from None
    team = teams.first()
    if team is None:
        raise Http404("No team found")
    return team


# Caseload by worker (003 §2.1) ---------------------------------------------------------------------------


def _carries_q(team: Team) -> Q:
    """Who carries the team's cases: its active members in case-holding roles, and anyone (in this team or
    another, such as the Interventions team) holding or co-working one of its open children."""
    open_children = Child.objects.filter(team=team, is_open=True)
    co = Child.co_workers.through.objects.filter(child__in=open_children.values("pk")).values("user_id")
    return (
        Q(team=team, is_active=True, role__in=CASE_HOLDING_ROLES)
        | Q(pk__in=open_children.filter(case_manager__isnull=False).values("case_manager_id"))
        | Q(pk__in=co)
    )


def _member_q(team: Team) -> Q:
    """The team's active members whose supervision the dashboard shows (not administrators)."""
    return Q(team=team, is_active=True) & ~Q(role=Role.ADMINISTRATOR)


def team_workers(*, team: Team) -> QuerySet[User]:
    """Who carries the team's cases (`_carries_q`), by name."""
    return (
        User.objects.filter(_carries_q(team)).select_related("team").order_by("last_name", "first_name", "pk")
    )


def _caseload_rows(workers: list[User], *, team: Team, today: datetime.date) -> list[dict]:
    """Each worker with their workload (one query) and how it compares with their capacity."""
    loads = workload_for_workers(workers=workers, today=today)
    rows = []
    for worker in workers:
        load = loads[worker.pk]
        capacity = load["capacity"]
        rows.append(
            {
                "worker": worker,
                "outside_team": worker.team_id != team.pk,
                **load,
                "percent": round(100 * load["weighted"] / capacity) if capacity else None,
                "over_capacity": load["weighted"] > capacity,
                "absent": worker.is_absent,
            }
        )
    return rows


def caseload_by_worker(*, team: Team, today: datetime.date) -> list[dict]:
    """Each worker with cases, co-allocated cases, weighted complexity points, capacity, % of capacity and
    whether they are over it, on leave today or absent (003 §2.1, §7). Two queries."""
    return _caseload_rows(list(team_workers(team=team)), team=team, today=today)


# CMMs due (000 §1, 001 §6.2) -----------------------------------------------------------------------------


def cmms_due(*, team: Team, today: datetime.date, days: int = CMM_HORIZON_DAYS) -> QuerySet[Obligation]:
    """Outstanding CMM obligations ("cmm." codes) of the team's open children due on or before today +
    `days` (overdue ones included), soonest first, each with the meeting booked for it, if any."""
    booked = Meeting.objects.filter(
        child_id=OuterRef("child_id"), status=Meeting.Status.BOOKED, for_obligation=OuterRef("code")
    ).order_by("starts_at", "pk")
    return (
        Obligation.objects.filter(
            child__team=team,
            child__is_open=True,
            code__startswith=CMM_PREFIX,
            status__in=OUTSTANDING,
            due__lte=today + datetime.timedelta(days=days),
        )
        .select_related("child", "child__case_manager")
        .annotate(
            booked_at=Subquery(booked.values("starts_at")[:1]),
            booked_pk=Subquery(booked.values("pk")[:1]),
        )
        .order_by("due", "child__last_name", "child__first_name", "pk")
    )


def with_cmm_links(rows, *, today: datetime.date) -> list[Obligation]:
    """Set `overdue`, `action_url` (where it is booked or recorded) and `books` on a page of CMM rows."""
    rows = list(rows)
    for row in rows:
        row.overdue = is_overdue(status=row.status, due=row.due, today=today)
        row.action_url = action_url(row.code, row.child_id)
        row.books = row.code in BOOK_MEETING
    return rows


# Sign-offs waiting (001 App. 1) --------------------------------------------------------------------------


def sign_offs_waiting(*, team: Team) -> QuerySet[Assessment]:
    """Assessment stages of the team's children waiting for sign-off, oldest request first."""
    return (
        Assessment.objects.filter(status=Assessment.Status.AWAITING_SIGN_OFF, child__team=team)
        .select_related("child", "author", "assigned_to")
        .order_by("submitted_at", "pk")
    )


def with_sign_off_details(rows, *, today: datetime.date) -> list[Assessment]:
    """Set `days_waiting` and `who_may_sign` on a page of stages (001 App. 1: when the person asked is
    absent or has left, anyone with the sign-off role in the team may act)."""
    rows = list(rows)
    for row in rows:
        sent = timezone.localdate(row.submitted_at) if row.submitted_at else None
        row.days_waiting = (today - sent).days if sent else None
        anyone = f"Any {row.get_sign_off_by_display().lower()} in the team"
        person = row.assigned_to
        if person is None:
            row.who_may_sign = anyone
        elif person.pk == row.author_id:
            # Nobody signs off a stage they wrote (cases/signoff.py may_act): someone else must be asked.
            row.who_may_sign = (
                f"{person} is named but wrote it: ask another {row.get_sign_off_by_display().lower()}"
            )
        elif person.is_absent or not person.is_active:
            row.who_may_sign = f"{anyone} ({person} is {'absent' if person.is_active else 'no longer here'})"
        else:
            row.who_may_sign = str(person)
    return rows


# Supervision (000 §4.1, 001 §2, 002) ---------------------------------------------------------------------


class _LineManagers(dict):
    """Line managers by user id: those the supervision rows already carry (each member's, and their line
    manager's own), the rest read in one query the first time a walk up the chain needs one."""

    def __init__(self, members: Sequence[User]):
        super().__init__((m.pk, m.line_manager_id) for m in members)
        for m in members:
            if m.line_manager is not None:
                self.setdefault(m.line_manager.pk, m.line_manager.line_manager_id)
        self.complete = False

    def __missing__(self, user_id: int) -> int | None:
        if self.complete:
            return None
        self.update(User.objects.values_list("pk", "line_manager_id"))
        self.complete = True
        return self.get(user_id)


def _supervises(viewer: User, worker_id: int, line_managers: Mapping[int, int | None]) -> bool:
    """Whether the viewer is above the worker in the recorded chain (supervision.access.chain_above,
    walked over a map of line managers instead of one query per step)."""
    seen, current = {worker_id}, line_managers[worker_id]
    while current is not None and current not in seen and len(seen) <= MAX_CHAIN:
        if current == viewer.pk:
            return True
        seen.add(current)
        current = line_managers[current]
    return False


def supervisions_for_team(*, team: Team, viewer: User, today: datetime.date) -> Sequence[User]:
    """Each active member of the team with their last formal supervision, next one due, status (overdue,
    due soon, on track, not scheduled) and whether the viewer may open their supervision page. One
    query (a second when a chain above a member leaves what the rows carry)."""
    members = list(
        staff_with_supervision(User.objects.filter(_member_q(team))).order_by("last_name", "first_name", "pk")
    )
    line_managers = _LineManagers(members)  # read whole only if a chain leaves the rows
    order = {"overdue": 0, "due_soon": 1, "ok": 2, "not_scheduled": 3}
    rank: dict[int, tuple[int, datetime.date]] = {}
    for worker in members:
        # staff_with_supervision's annotations.
        overdue_since: datetime.date | None = worker.overdue_since
        next_due: datetime.date | None = worker.next_due
        status = supervision_status(worker, today=today)
        # Annotated for the template only (the supervisions table); not model fields.
        worker.status = status  # type: ignore[attr-defined]
        worker.status_label = STATUS_LABELS[status]  # type: ignore[attr-defined]
        days_overdue = (today - overdue_since).days if overdue_since else 0
        worker.days_overdue = days_overdue  # type: ignore[attr-defined]
        worker.can_open = (  # type: ignore[attr-defined]
            viewer.pk == worker.pk
            or viewer.role == Role.SERVICE_MANAGER
            or _supervises(viewer, worker.pk, line_managers)
        )
        rank[worker.pk] = (order[status], overdue_since or next_due or datetime.date.max)
    # Most urgent first: by status, then the longest overdue or the soonest due (names keep their order).
    members.sort(key=lambda w: rank[w.pk])
    return members


# Overdue (all the team's children's obligations) ---------------------------------------------------------


def overdue_q(today: datetime.date) -> Q:
    """Obligations overdue today: stored as overdue, or still open after their due date."""
    return Q(status=Obligation.Status.OVERDUE) | Q(status=Obligation.Status.OPEN, due__lt=today)


def _overdue(team: Team, today: datetime.date) -> QuerySet[Obligation]:
    """The overdue obligations of the team's open children."""
    return Obligation.objects.filter(overdue_q(today), child__team=team, child__is_open=True)


class CodeCount(TypedDict):
    """One obligation type's overdue items: its code, how many, and its title."""

    code: str
    count: int
    title: str


def overdue_counts(*, team: Team, today: datetime.date) -> tuple[list[dict], list[CodeCount]]:
    """Overdue items per responsible case manager (the child's; children with no case manager as one
    row with `worker_id` None, last), most first, and per obligation type (code, with its title), most
    first: one GROUP BY by case manager and code (a few dozen rows), summed both ways here."""
    rows = (
        _overdue(team, today)
        .values(
            "child__case_manager_id",
            "child__case_manager__first_name",
            "child__case_manager__last_name",
            "child__case_manager__username",
            "code",
        )
        .annotate(count=Count("pk"), title=Min("title"))
        .order_by()
    )
    workers: dict[int | None, dict] = {}
    codes: dict[str, CodeCount] = {}
    for r in rows:
        worker_id = r["child__case_manager_id"]
        worker = workers.setdefault(
            worker_id,
            {
                "worker_id": worker_id,
                "name": (
                    f"{r['child__case_manager__first_name']} {r['child__case_manager__last_name']}".strip()
                    or r["child__case_manager__username"]
                )
                if worker_id
                else "Unallocated children",
                "count": 0,
                "param": worker_id or UNALLOCATED,
            },
        )
        worker["count"] += r["count"]
        code = codes.setdefault(r["code"], {"code": r["code"], "count": 0, "title": r["title"]})
        code["count"] += r["count"]
        code["title"] = min(code["title"], r["title"])
    by_worker = sorted(workers.values(), key=lambda w: (w["worker_id"] is None, -w["count"], w["name"]))
    by_code = sorted(codes.values(), key=lambda c: (-c["count"], c["code"]))
    return by_worker, by_code


def overdue_by_worker(*, team: Team, today: datetime.date) -> list[dict]:
    """Overdue items per responsible case manager, most first (`overdue_counts`)."""
    return overdue_counts(team=team, today=today)[0]


def overdue_by_code(*, team: Team, today: datetime.date) -> list[CodeCount]:
    """Overdue items per obligation type, most first (`overdue_counts`)."""
    return overdue_counts(team=team, today=today)[1]


def parse_worker(value: str | None) -> int | Literal["none"] | None:
    """The `?worker=` filter: a user id, UNALLOCATED, or None when absent or malformed."""
    if value == UNALLOCATED:
        return UNALLOCATED
    if value and value.isascii() and value.isdigit() and len(value) < 12:
        return int(value)
    return None


def overdue_items(
    *,
    team: Team,
    today: datetime.date,
    worker: int | Literal["none"] | None = None,
    code: str | None = None,
) -> QuerySet[Obligation]:
    """The overdue items behind a figure: one worker's (or the unallocated children's), or one code's;
    oldest first."""
    qs = _overdue(team, today)
    if worker == UNALLOCATED:
        qs = qs.filter(child__case_manager__isnull=True)
    elif worker is not None:
        qs = qs.filter(child__case_manager_id=worker)
    if code:
        qs = qs.filter(code=code)
    return qs.select_related("child", "child__case_manager").order_by(
        "due", "child__last_name", "child__first_name", "pk"
    )


def with_days_overdue(rows, *, today: datetime.date) -> list[Obligation]:
    """Set `days_overdue` (calendar days since the due date) and `action_url` on a page of rows."""
    rows = list(rows)
    for row in rows:
        row.days_overdue = (today - row.due).days if row.due else None
        row.action_url = action_url(row.code, row.child_id)
    return rows


# Today (issue 20) -----------------------------------------------------------------------------------------

TODAY_ITEMS = 8  # each list of the Today panel is short: the rest is in the sections below


def meetings_today(*, team: Team, today: datetime.date) -> list[Meeting]:
    """The team's meetings booked for today, earliest first (one query, at most TODAY_ITEMS)."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    return list(
        Meeting.objects.filter(
            child__team=team, status=Meeting.Status.BOOKED, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("child", "chair")
        .order_by("starts_at", "pk")[:TODAY_ITEMS]
    )


def due_today(*, team: Team, today: datetime.date, viewer: User) -> list[Obligation]:
    """What falls due today on the team's open children, each linked to where this viewer acts on it
    (one query, at most TODAY_ITEMS)."""
    rows = list(
        Obligation.objects.filter(child__team=team, child__is_open=True, status__in=OUTSTANDING, due=today)
        .select_related("child", "child__case_manager")
        .order_by("position", "pk")[:TODAY_ITEMS]
    )
    for row in rows:
        child = cast(Child, row.child)  # every row is a child's (the filter above)
        # Annotated for the template only; not a model field.
        row.action_url = action_url(row.code, child.pk, user=viewer, child=child)  # type: ignore[attr-defined]
    return rows


def off_today(caseload: list[dict]) -> list[dict]:
    """The workers on leave or absent today, from the caseload rows already read (no query)."""
    return [r for r in caseload if r.get("on_leave") or r.get("absent")]
