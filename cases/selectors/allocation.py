"""Reads for allocation and leave (003 §2-§7): workloads, who may allocate, candidates, leave in scope."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from .. import allocation as policy
from ..models import Allocation, Child, Leave, Obligation, Programme, Role, Team, User

# Roles that hold or co-work cases; business support, the service manager and administrators do not.
CASE_HOLDING_ROLES = [
    Role.CASE_MANAGER,
    Role.YJS_OFFICER,
    Role.SENIOR_CASE_MANAGER,
    Role.ADVANCED_PRACTITIONER,
    Role.TEAM_MANAGER,
    Role.INTERVENTION_WORKER,
    Role.STUDENT,
]


def _intensive(child_ref: str) -> Exists:
    """An open custody, remand or YRO-with-ISS programme on the child (adds a weight point)."""
    return Exists(
        Programme.objects.filter(child_id=OuterRef(child_ref), end_date__isnull=True).filter(
            Q(kind__in=[Programme.Kind.DTO_CUSTODY, Programme.Kind.REMAND])
            | Q(kind=Programme.Kind.YRO, iss=True)
        )
    )


def _on_leave_today(today: datetime.date) -> Q:
    """Leave rows that cover `today` (open-ended unplanned leave counts until the return is recorded)."""
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


HELD, CO_WORKED, ON_LEAVE = "held", "co", "leave"  # what a row of workload_for_workers' read is


def workload_for_workers(*, workers, today: datetime.date | None = None) -> dict[int, dict]:
    """{user_id: {"cases", "co_allocated", "weighted", "capacity", "on_leave"}} in one query.

    `cases` counts open children held as case manager, `co_allocated` open children co-worked;
    `weighted` is the complexity points of both (cases/allocation.py); `capacity` the worker's points;
    `on_leave` whether a leave record covers today. The query count does not grow with the workers.
    """
    workers = [w for w in workers if w is not None]
    today = today or timezone.localdate()
    result = {
        w.pk: {
            "cases": 0,
            "co_allocated": 0,
            "weighted": 0,
            "capacity": policy.capacity_for(w),
            "on_leave": False,
        }
        for w in workers
    }
    if not result:
        return result
    ids = list(result)
    # Cases held, cases co-worked and leave covering today, as one UNION ALL of rows (what, worker,
    # RoSH, SaW, intensive): one round trip instead of three (issue 19: the team dashboard).
    columns = ("_what", "_worker", "_rosh", "_saw", "_intensive")
    held = (
        Child.objects.filter(is_open=True, case_manager_id__in=ids)
        .annotate(
            _what=Value(HELD),
            _worker=F("case_manager_id"),
            _rosh=F("rosh"),
            _saw=F("saw"),
            _intensive=_intensive("pk"),
        )
        .values_list(*columns)
        .order_by()
    )
    co = (
        Child.co_workers.through.objects.filter(user_id__in=ids, child__is_open=True)
        .annotate(
            _what=Value(CO_WORKED),
            _worker=F("user_id"),
            _rosh=F("child__rosh"),
            _saw=F("child__saw"),
            _intensive=_intensive("child_id"),
        )
        .values_list(*columns)
        .order_by()
    )
    leave = (
        Leave.objects.filter(_on_leave_today(today), worker_id__in=ids)
        .annotate(
            _what=Value(ON_LEAVE),
            _worker=F("worker_id"),
            _rosh=Value("", output_field=CharField()),
            _saw=Value("", output_field=CharField()),
            _intensive=Value(False, output_field=BooleanField()),
        )
        .values_list(*columns)
        .order_by()
    )
    for what, worker_id, rosh, saw, intensive in held.union(co, leave, all=True):
        row = result[worker_id]
        if what == ON_LEAVE:
            row["on_leave"] = True
        elif what == HELD:
            row["cases"] += 1
            row["weighted"] += policy.case_weight(rosh, saw, intensive=intensive)
        else:
            row["co_allocated"] += 1
            row["weighted"] += policy.case_weight(rosh, saw, intensive=intensive, co_allocated=True)
    return result


def can_allocate(*, user, child) -> bool:
    """Team managers and APs of the child's team, and the service manager, allocate (003 §8.1, §11.4)."""
    if user.role == Role.SERVICE_MANAGER:
        return True
    return user.role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER) and user.team_id == child.team_id


def allocation_candidates(*, child) -> QuerySet[User]:
    """Active staff who can hold cases in the child's team, and interventions-team workers (003 §6.1)."""
    return (
        User.objects.filter(is_active=True, role__in=CASE_HOLDING_ROLES)
        .filter(Q(team_id=child.team_id) | Q(team__kind=Team.Kind.INTERVENTIONS))
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )


def child_weight(*, child) -> int:
    """The child's weighted complexity points as a case manager would carry them (one query)."""
    intensive = (
        Programme.objects.filter(child=child, end_date__isnull=True)
        .filter(
            Q(kind__in=[Programme.Kind.DTO_CUSTODY, Programme.Kind.REMAND])
            | Q(kind=Programme.Kind.YRO, iss=True)
        )
        .exists()
    )
    return policy.case_weight(child.rosh, child.saw, intensive=intensive)


def allocation_checks_for(*, child, worker, role: str, primary_worker=None) -> list[dict]:
    """The policy checks for this proposed allocation, with the workloads read from the database.

    With a `primary_worker` (a student's co-allocated primary worker added in the same submission,
    003 §6.1), that co-allocation's own checks follow, their codes prefixed "primary_worker.".
    """
    weight = child_weight(child=child)
    workloads = workload_for_workers(workers=[worker, primary_worker])
    co_worker_roles = dict(child.co_workers.values_list("pk", "role"))
    co_worker_ids = set(co_worker_roles)

    def one(person, person_role):
        """One candidate's checks for this role, counting the case once."""
        load = dict(workloads[person.pk])
        already = False
        if person_role == policy.CASE_MANAGER and person.pk in co_worker_ids:
            # Moving from co-worker to case manager: count the case once, at full weight.
            load["weighted"] -= policy.co_weight(weight)  # what they carried as co-worker, intensive included
        if person_role == policy.CO_WORKER and child.case_manager_id == person.pk:
            already = True
        has_primary = any(r != Role.STUDENT for pk, r in co_worker_roles.items() if pk != person.pk) or (
            primary_worker is not None and primary_worker.role != Role.STUDENT
        )
        return policy.allocation_checks(
            child,
            person,
            person_role,
            load,
            child_weight=weight,
            already_counted=already,
            absent=person.is_absent or load["on_leave"],
            has_primary_worker=has_primary,
        )

    checks = one(worker, role)
    if primary_worker is not None:
        for check in one(primary_worker, policy.CO_WORKER):
            check["code"] = f"primary_worker.{check['code']}"
            check["title"] = f"Primary worker: {check['title']}"
            checks.append(check)
    return checks


def allocation_history(*, child) -> QuerySet[Allocation]:
    """Every allocation of the child, newest first, with the workers (one query)."""
    return child.allocations.select_related("worker", "allocated_by").order_by(
        "-started_on", "-created_at", "-pk"
    )


def current_co_allocations(*, child) -> dict[int, Allocation]:
    """{worker_id: current co-worker Allocation} for the child (one query)."""
    rows = child.allocations.filter(role=Allocation.Role.CO_WORKER, ended_on__isnull=True).order_by(
        "started_on"
    )
    return {a.worker_id: a for a in rows}


def current_case_manager_allocation(*, child) -> Allocation | None:
    """The open case manager Allocation, if the product recorded one."""
    return (
        child.allocations.filter(role=Allocation.Role.CASE_MANAGER, ended_on__isnull=True)
        .order_by("-started_on", "-pk")
        .first()
    )


# Leave (003 §7) -----------------------------------------------------------------------------------------


def leave_workers_for_user(*, user) -> QuerySet[User]:
    """Whose leave a user may see and record: their own; a TM/AP their team's; the service manager all."""
    qs = User.objects.filter(is_active=True).exclude(role=Role.ADMINISTRATOR)
    if user.role == Role.SERVICE_MANAGER:
        return qs
    if user.is_manager and user.team_id:
        return qs.filter(Q(team_id=user.team_id) | Q(pk=user.pk))
    return qs.filter(pk=user.pk)


def can_manage_leave(*, user, worker) -> bool:
    """Managers (TM/AP of the worker's team, or the service manager) record unplanned leave (003 §7.2)."""
    if user.role == Role.SERVICE_MANAGER:
        return True
    return user.is_manager and user.team_id is not None and user.team_id == worker.team_id


def leave_list_for_user(*, user, scope: str = "mine") -> QuerySet[Leave]:
    """Leave records the user may see, newest first: their own, or ("team") everyone's in their scope."""
    qs = Leave.objects.select_related("worker", "worker__team", "recorded_by")
    if scope == "team":
        qs = qs.filter(worker__in=leave_workers_for_user(user=user))
    else:
        qs = qs.filter(worker=user)
    return qs.order_by("-start_date", "-pk")


def leave_get_for_user(*, user, pk) -> Leave:
    """One leave record in the user's scope; 404 otherwise."""
    try:
        return (
            Leave.objects.select_related("worker", "worker__team", "recorded_by")
            .filter(worker__in=leave_workers_for_user(user=user))
            .get(pk=pk)
        )
    except (Leave.DoesNotExist, ValueError, TypeError):
        raise Http404("No leave found") from None


def cases_held_by(*, worker) -> QuerySet[Child]:
    """Open children the worker holds as case manager (their cases needing cover, 003 §7.1)."""
    return Child.objects.filter(is_open=True, case_manager=worker).order_by("last_name", "first_name", "pk")


def cover_candidates(*, worker) -> QuerySet[User]:
    """Active colleagues in the worker's team who can lead on a case while they are away (003 §7.1)."""
    return (
        User.objects.filter(is_active=True, role__in=CASE_HOLDING_ROLES, team_id=worker.team_id)
        .exclude(pk=worker.pk)
        .order_by("last_name", "first_name", "pk")
    )


ASSESSMENT_OR_PLAN_PREFIXES = ("assetplus.", "assessment.", "plan.")


def obligations_due_during(*, worker, start: datetime.date, end: datetime.date) -> list[Obligation]:
    """Outstanding obligations on the worker's cases falling due during the leave (003 §7.1), by due date.

    Each row gets `is_assessment_or_plan`, since "assessments and plans that will expire during the
    period of leave are updated" before it starts.
    """
    rows = list(
        Obligation.objects.filter(
            child__case_manager=worker,
            child__is_open=True,
            status__in=[Obligation.Status.OPEN, Obligation.Status.OVERDUE],
            due__gte=start,
            due__lte=end,
        )
        .select_related("child")
        .order_by("due", "child__last_name", "position")
    )
    for row in rows:
        # Annotated for the template only (the "Update before leave" tag); not a model field.
        is_assessment_or_plan = row.code.startswith(ASSESSMENT_OR_PLAN_PREFIXES)
        row.is_assessment_or_plan = is_assessment_or_plan  # type: ignore[attr-defined]
    return rows


LEAVE_TASK_CODES = ("leave.review_cases", "leave.consider_reallocation")


def leave_tasks(*, leave: Leave) -> dict[str, Obligation | None]:
    """The stored 003 §7.2 obligations for this unplanned leave: {"review_cases": Obligation or None,
    "consider_reallocation": ...} (the code without its "leave." prefix).

    The rules module gives one obligation per unplanned leave, in due order, so the n-th leave (by start)
    is paired with the n-th obligation of each code; no deadline is computed here.
    """
    if not leave.is_followed_up:
        return {}
    leave_ids = list(
        Leave.objects.filter(worker_id=leave.worker_id, kind=Leave.Kind.UNPLANNED)
        .order_by("start_date", "pk")
        .values_list("pk", flat=True)
    )
    index = leave_ids.index(leave.pk)
    by_code: dict[str, list[Obligation]] = {code: [] for code in LEAVE_TASK_CODES}
    for row in Obligation.objects.filter(
        worker_id=leave.worker_id, child__isnull=True, code__in=LEAVE_TASK_CODES
    ).order_by("due", "position"):
        by_code[row.code].append(row)
    return {
        code.removeprefix("leave."): (rows[index] if index < len(rows) else None)
        for code, rows in by_code.items()
    }


def overlapping_leave(*, worker, start: datetime.date, end: datetime.date | None) -> Leave | None:
    """An existing leave of the worker that overlaps the given period, if any."""
    qs = Leave.objects.filter(worker=worker).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    return qs.order_by("start_date").first()
