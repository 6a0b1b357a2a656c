"""Reads for supervision schedules, the service manager's overdue view and "prepare for supervision".

- `supervision_schedule`: a manager's direct reports with their last formal supervision, the next one
  due (from the rules module's stored worker obligations, 000 §4.1, 001 §2, 002), the next one booked,
  their open cases and whether they need "active supervision" (000 §4.2).
- `overdue_supervisions`: every worker whose supervision is overdue, across the service (002: an
  unbroken chain of formal supervision).
- `prepare_for_supervision`: the supervisee's open cases with their levels, what is due and overdue, the
  last case discussion and CMM, and which cases may be checked briefly or are exempt (000 §4.3, 002
  "the line manager should prepare prior to the supervision session by reviewing cases").

Every read is a fixed number of queries: annotations and subqueries, never a query per row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases import policy
from cases.models import Allocation, Assessment, Child, Obligation, RiskLevel, User
from cases.selectors.core import children_for_user
from core.models import Task
from meetings.models import Meeting

from ..chain import SUPERVISION_CODES
from ..models import FORMAL_METHODS, CaseDiscussion, SupervisionSession

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# A supervision due within this many days is "due soon" on the schedule.
DUE_SOON_DAYS = 14
# "What is due" on the prepare page counts obligations due in the next 14 days.
PREPARE_DUE_DAYS = 14
OUTSTANDING = (Obligation.Status.OPEN, Obligation.Status.OVERDUE)
VERY_HIGH = RiskLevel.VERY_HIGH

OVERDUE, DUE_SOON, OK, NOT_SCHEDULED = "overdue", "due_soon", "ok", "not_scheduled"
STATUS_LABELS = {
    OVERDUE: "Overdue",
    DUE_SOON: "Due soon",
    OK: "On track",
    NOT_SCHEDULED: "Not scheduled",
}


# The rows these reads return are the model instances themselves (templates and callers read the
# model's own fields too), typed with what the queries annotate and, for the `*Row` types, the values
# worked out in Python and set on each instance before it is returned.
class SupervisionAnnotations(TypedDict):
    """What `staff_with_supervision` annotates on each member of staff."""

    last_formal: datetime.date | None
    next_due: datetime.date | None
    met_through: datetime.date | None
    has_overdue: bool
    overdue_since: datetime.date | None
    next_booked: datetime.date | None
    open_cases: int
    active_supervision: bool


class SupervisionStatus(SupervisionAnnotations):
    """A schedule row: the annotations, then the status `_with_status` works out."""

    status: str
    status_label: str
    days_overdue: int


class OverdueAnnotations(TypedDict):
    """What `overdue_supervisions` annotates on each worker."""

    overdue_since: datetime.date
    last_formal: datetime.date | None
    open_cases: int
    active_supervision: bool


class OverdueStatus(OverdueAnnotations):
    """An overdue row: the annotations, then how many days overdue (set by the view, per page)."""

    days_overdue: int


class CaseAnnotations(TypedDict):
    """What `_cases_for_preparation` annotates on each case."""

    overdue_count: int
    due_soon_count: int
    last_discussion: datetime.date | None
    last_cmm_at: datetime.datetime | None
    allocated_on: datetime.date | None
    assessed_since_allocation: bool


class CasePreparation(CaseAnnotations):
    """A case on the prepare page: the annotations, then the flags worked out in Python (000 §4.3)."""

    last_cmm: datetime.date | None
    brief_check: bool
    exempt: bool
    very_high: bool


if TYPE_CHECKING:
    StaffWithSupervision = WithAnnotations[User, SupervisionAnnotations]
    SupervisionRow = WithAnnotations[User, SupervisionStatus]
    OverdueWorker = WithAnnotations[User, OverdueAnnotations]
    OverdueRow = WithAnnotations[User, OverdueStatus]
    CaseRow = WithAnnotations[Child, CasePreparation]


def _count(queryset: QuerySet, field: str = "pk") -> Coalesce:
    """A correlated COUNT(*) of `queryset` as an annotation (0 when there are none)."""
    counted = queryset.order_by().values(field).annotate(n=Count("*")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _supervision_obligations(worker_ref) -> QuerySet[Obligation]:
    """A worker's own formal supervision obligations (000 §4.1, 002; agreed frequencies too)."""
    return Obligation.objects.filter(worker=worker_ref, child__isnull=True, code__startswith="supervision.")


def _formal_sessions(worker_ref) -> QuerySet[SupervisionSession]:
    """A worker's formal 1:1 supervisions, latest first (002 Group Supervision: group ones do not count)."""
    return (
        SupervisionSession.objects.filter(supervisee=worker_ref, method__in=FORMAL_METHODS)
        .exclude(status=SupervisionSession.Status.CANCELLED)
        .order_by("-held_on", "-pk")
    )


def active_supervision_q(worker_ref) -> Exists:
    """000 §4.2: the worker holds an open case with Very High RoSH, SaW or LoR."""
    return Exists(
        Child.objects.filter(case_manager=worker_ref, is_open=True).filter(
            Q(rosh=VERY_HIGH) | Q(saw=VERY_HIGH) | Q(lor=VERY_HIGH)
        )
    )


def staff_with_supervision(queryset: QuerySet[User]) -> QuerySet[StaffWithSupervision]:
    """Staff annotated with their supervision position in one query: last formal supervision, the next
    one due and whether any is overdue, the next date booked, open cases, and active supervision."""
    ref = OuterRef("pk")
    outstanding = _supervision_obligations(ref).filter(status__in=OUTSTANDING)
    return queryset.select_related("team", "line_manager").annotate(
        last_formal=Subquery(_formal_sessions(ref).values("held_on")[:1]),
        next_due=Subquery(outstanding.order_by("due").values("due")[:1]),
        # The rules module lists one occurrence beyond today: when that one is already met (supervision
        # held early), nothing is outstanding until its due date passes.
        met_through=Subquery(
            _supervision_obligations(ref)
            .filter(status__in=[Obligation.Status.MET, Obligation.Status.MET_LATE])
            .order_by("-due")
            .values("due")[:1]
        ),
        has_overdue=Exists(_supervision_obligations(ref).filter(status=Obligation.Status.OVERDUE)),
        overdue_since=Subquery(
            _supervision_obligations(ref)
            .filter(status=Obligation.Status.OVERDUE)
            .order_by("due")
            .values("due")[:1]
        ),
        # "Date of next supervision" on the latest formal record (a group session books its own next).
        next_booked=Subquery(_formal_sessions(ref).values("next_date")[:1]),
        open_cases=_count(Child.objects.filter(case_manager=ref, is_open=True), "case_manager"),
        active_supervision=active_supervision_q(ref),
    )


def supervision_status(worker: StaffWithSupervision, *, today: datetime.date) -> str:
    """Overdue, due soon (within 14 days), on track (including held early for the current period), or not
    scheduled (no supervision obligation: not in the chain, or no start date)."""
    if getattr(worker, "has_overdue", False):
        return OVERDUE
    if worker.next_due is None:
        return OK if worker.met_through and worker.met_through >= today else NOT_SCHEDULED
    if worker.next_due <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return DUE_SOON
    return OK


def _with_status(workers: Iterable[StaffWithSupervision], today: datetime.date) -> list[SupervisionRow]:
    """Each worker with `status`, its label, and how many days overdue (in Python: no queries)."""
    rows = []
    for worker in workers:
        row = cast("SupervisionRow", worker)  # the same instance, given the row's values here
        row.status = supervision_status(worker, today=today)
        row.status_label = STATUS_LABELS[row.status]
        row.days_overdue = (today - worker.overdue_since).days if worker.overdue_since else 0
        rows.append(row)
    return rows


def supervision_schedule(*, manager: User, today: datetime.date | None = None) -> list[SupervisionRow]:
    """The manager's direct reports (their line manager is the manager) with their supervision position,
    most urgent first: overdue, then by the next due date, then by name (000 §4.1, 001 §2, 002)."""
    today = today or timezone.localdate()
    reports = staff_with_supervision(User.objects.filter(line_manager=manager, is_active=True))
    rows = _with_status(reports, today)
    order = {OVERDUE: 0, DUE_SOON: 1, OK: 2, NOT_SCHEDULED: 3}
    rows.sort(key=lambda w: (order[w.status], w.next_due or datetime.date.max, w.last_name, w.first_name))
    return rows


def worker_supervision(*, worker: User, today: datetime.date | None = None) -> SupervisionRow:
    """One worker with the same supervision position as a schedule row ("Your supervision", the prepare
    page's summary)."""
    today = today or timezone.localdate()
    return _with_status(staff_with_supervision(User.objects.filter(pk=worker.pk)), today)[0]


def overdue_supervisions(*, team_id: int | None = None) -> QuerySet[OverdueWorker]:
    """Every active worker whose formal supervision is overdue, across all teams (or one), with their
    supervisor and team, longest overdue first (002: the service manager sees the whole chain)."""
    overdue = Obligation.objects.filter(
        worker=OuterRef("pk"),
        child__isnull=True,
        code__in=SUPERVISION_CODES,
        status=Obligation.Status.OVERDUE,
    ).order_by("due")
    queryset = (
        User.objects.filter(is_active=True)
        .annotate(overdue_since=Subquery(overdue.values("due")[:1]))
        .filter(overdue_since__isnull=False)
    )
    if team_id is not None:
        queryset = queryset.filter(team_id=team_id)
    return (
        queryset.select_related("team", "line_manager")
        .annotate(
            last_formal=Subquery(_formal_sessions(OuterRef("pk")).values("held_on")[:1]),
            open_cases=_count(
                Child.objects.filter(case_manager=OuterRef("pk"), is_open=True), "case_manager"
            ),
            active_supervision=active_supervision_q(OuterRef("pk")),
        )
        .order_by("overdue_since", "last_name", "first_name", "pk")
    )


@dataclass
class Preparation:
    """What a supervisor reads before a supervision: the worker, their cases, their own due items."""

    worker: User
    cases: list[CaseRow]
    obligations: list[Obligation]
    tasks: list[Task]
    today: datetime.date
    brief_check_since: datetime.date
    newly_allocated_since: datetime.date

    @property
    def overdue_total(self) -> int:
        """Overdue items across the worker's cases."""
        return sum(child.overdue_count for child in self.cases)

    @property
    def due_soon_total(self) -> int:
        """Items due in the next 14 days across the worker's cases."""
        return sum(child.due_soon_count for child in self.cases)

    @property
    def to_discuss(self) -> int:
        """Cases for a full case discussion: not exempt and not only a brief check (000 §4.3)."""
        return sum(1 for child in self.cases if not child.exempt and not child.brief_check)


def _cases_for_preparation(
    *, worker: User, today: datetime.date, brief_since, new_since, viewer: User | None = None
) -> list[CaseRow]:
    """The worker's open cases annotated for supervision, in one query (000 §4.3, 002)."""
    ref = OuterRef("pk")
    outstanding = Obligation.objects.filter(child=ref)
    held = Meeting.objects.filter(
        child=ref, status__in=[Meeting.Status.HELD, Meeting.Status.FINALISED], held_at__isnull=False
    )
    allocation = Allocation.objects.filter(
        child=ref,
        worker=worker,
        role=Allocation.Role.CASE_MANAGER,
        ended_on__isnull=True,
    ).order_by("-started_on", "-pk")
    visible = Child.objects.all() if viewer is None else children_for_user(user=viewer)
    cases: QuerySet[WithAnnotations[Child, CaseAnnotations]] = (
        visible.filter(case_manager=worker, is_open=True)
        .select_related("team")
        .annotate(
            overdue_count=_count(outstanding.filter(status=Obligation.Status.OVERDUE), "child"),
            due_soon_count=_count(
                outstanding.filter(
                    status=Obligation.Status.OPEN,
                    due__gte=today,
                    due__lte=today + datetime.timedelta(days=PREPARE_DUE_DAYS),
                ),
                "child",
            ),
            last_discussion=Subquery(
                CaseDiscussion.objects.filter(child=ref)
                .exclude(kind=CaseDiscussion.Kind.CO_ALLOCATED)
                .order_by("-held_on", "-pk")
                .values("held_on")[:1]
            ),
            last_cmm_at=Subquery(held.order_by("-held_at").values("held_at")[:1]),
            allocated_on=Subquery(allocation.values("started_on")[:1]),
        )
        .annotate(
            assessed_since_allocation=Exists(
                Assessment.objects.filter(
                    child=ref,
                    status=Assessment.Status.COMPLETED,
                    completed_on__gte=OuterRef("allocated_on"),
                )
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
    rows = []
    for case in cases:
        child = cast("CaseRow", case)  # the same instance, given the row's flags here
        child.last_cmm = timezone.localdate(child.last_cmm_at) if child.last_cmm_at else None
        # 000 §4.3: discussed at a CMM within the last month → the TM checks the agreed actions only.
        child.brief_check = child.last_cmm is not None and brief_since <= child.last_cmm <= today
        # 000 §4.3: newly allocated, assessment not yet completed / quality assured → not discussed yet.
        child.exempt = (
            child.allocated_on is not None
            and child.allocated_on >= new_since
            and not child.assessed_since_allocation
        )
        child.very_high = VERY_HIGH in (child.rosh, child.saw, child.lor)
        rows.append(child)
    return rows


def prepare_for_supervision(
    *, worker: User, today: datetime.date | None = None, viewer: User | None = None
) -> Preparation:
    """Everything a supervisor reviews before the worker's supervision (000 §4.2-§4.3, 002 Frequency):
    their open cases with levels, due and overdue counts, last case discussion and CMM, the brief-check
    and exempt flags; their own supervision obligations; their open tasks from case discussions."""
    today = today or timezone.localdate()
    # 000 §4.3: a CMM this recently needs only a brief check; a case allocated this recently without a
    # completed assessment is not discussed (the profile's `supervision.brief_check` / `.newly_allocated`).
    brief_since = policy.duration("supervision.brief_check").before(today, policy.calendar())
    new_since = policy.duration("supervision.newly_allocated").before(today, policy.calendar())
    # Only the cases (and tasks) the viewer may see: access follows the child (architecture.md).
    cases = _cases_for_preparation(
        worker=worker, today=today, brief_since=brief_since, new_since=new_since, viewer=viewer
    )
    obligations = list(
        _supervision_obligations(worker).filter(status__in=OUTSTANDING).order_by("due", "position")
    )
    tasks = list(
        Task.objects.filter(assignee=worker, done_on__isnull=True, source__startswith="discussion:")
        .filter(child__in=Child.objects.all() if viewer is None else children_for_user(user=viewer))
        .select_related("child")
        .order_by("due", "pk")
    )
    return Preparation(
        worker=worker,
        cases=cases,
        obligations=obligations,
        tasks=tasks,
        today=today,
        brief_check_since=brief_since,
        newly_allocated_since=new_since,
    )
