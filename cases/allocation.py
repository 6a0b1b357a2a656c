"""Allocation policy as pure functions: case weights, worker capacity and the checks shown before an
allocation is confirmed (003 §2-§6). No queries here: callers pass the records and the workload.

Weighted complexity of a case (003 §2.1 "the volume and complexity of work already held"):

* by the higher of the child's RoSH and SaW: low or not yet rated 1, medium 2, high 3, very high 4;
* plus 1 while the child is on an intensive programme (custody, remand, or a YRO with ISS), because
  those carry the most frequent contact and planning (001 §6 table);
* a co-allocated case counts at half its weight, rounded up: the co-worker supervises or does a part
  of the work, while the case manager holds the case (003 §5.2, §6.1).

Capacity is a worker's own `capacity` points, or their role's default below when that is blank.
"""

from __future__ import annotations

from .models import HIGH_LEVELS, Gender, RiskLevel, Role

RISK_WEIGHT = {"": 1, RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3, RiskLevel.VERY_HIGH: 4}
INTENSIVE_WEIGHT = 1

# Weighted points each role can hold by default (003 §2.1); `User.capacity` overrides.
DEFAULT_CAPACITY = {
    Role.CASE_MANAGER: 24,
    Role.YJS_OFFICER: 18,
    Role.SENIOR_CASE_MANAGER: 24,
    Role.ADVANCED_PRACTITIONER: 12,
    Role.TEAM_MANAGER: 6,
    Role.INTERVENTION_WORKER: 18,
    Role.STUDENT: 6,
}

# 003 §4.1: High or Very High at allocation goes to a Band B senior case manager; an advanced
# practitioner (Band C) or a team manager is more senior still, so also satisfies it.
SENIOR_ROLES = {Role.SENIOR_CASE_MANAGER, Role.ADVANCED_PRACTITIONER, Role.TEAM_MANAGER}
# 003 §5.1: a High/Very High case held by a YJSO or Band A worker is co-allocated to Band B or an AP.
JUNIOR_ROLES = {Role.YJS_OFFICER, Role.CASE_MANAGER}
PRACTICE_SUPERVISOR_ROLES = {Role.SENIOR_CASE_MANAGER, Role.ADVANCED_PRACTITIONER}

CASE_MANAGER = "case_manager"
CO_WORKER = "co_worker"


def risk_weight(rosh: str, saw: str) -> int:
    """The weight of the higher of RoSH and SaW (blank counts as low)."""
    return max(RISK_WEIGHT.get(rosh or "", 1), RISK_WEIGHT.get(saw or "", 1))


def co_weight(weight: int) -> int:
    """What a co-allocated worker carries of a case's weight: half, rounded up."""
    return (weight + 1) // 2


def case_weight(rosh: str, saw: str, *, intensive: bool = False, co_allocated: bool = False) -> int:
    """A case's weighted complexity points (see the module docstring)."""
    weight = risk_weight(rosh, saw) + (INTENSIVE_WEIGHT if intensive else 0)
    return co_weight(weight) if co_allocated else weight


def capacity_for(worker) -> int:
    """The worker's capacity in weighted points: their own, or their role's default."""
    if worker.capacity is not None:
        return worker.capacity
    return DEFAULT_CAPACITY.get(worker.role, 0)


def is_high(child) -> bool:
    """RoSH or SaW is High or Very High."""
    return child.rosh in HIGH_LEVELS or child.saw in HIGH_LEVELS


def _check(code, title, basis, *, ok, message, needs_rationale=False, blocking=False, info=False, **extra):
    """One check as the page shows it and the Allocation stores it."""
    return {
        "code": code,
        "title": title,
        "basis": basis,
        "ok": ok,
        "message": message,
        "needs_rationale": needs_rationale,
        "blocking": blocking,
        "info": info,
        "rationale_label": extra.get("rationale_label", ""),
        "rationale_error": extra.get("rationale_error", ""),
    }


def check_status(check: dict) -> str:
    """How a check is tagged: blocked, exception, record (wishes), note or pass."""
    if check["blocking"]:
        return "blocked"
    if not check["ok"]:
        return "exception"
    if check["needs_rationale"]:
        return "record"
    if check["info"]:
        return "note"
    return "pass"


def _capacity_check(worker, workload: dict, *, added: int) -> dict:
    """003 §2.1: capacity, as the volume and complexity already held plus this case."""
    name = str(worker)
    capacity = workload.get("capacity", capacity_for(worker))
    held = workload.get("weighted", 0)
    after = held + added
    cases = workload.get("cases", 0)
    co_cases = workload.get("co_allocated", 0)
    held_text = f"{name} holds {cases} case{'s' if cases != 1 else ''}"
    if co_cases:
        held_text += f" and co-works {co_cases}"
    message = (
        f"{held_text}, weighted {held} of a capacity of {capacity}; with this case {after} of {capacity}."
    )
    ok = after <= capacity
    return _check(
        "capacity",
        "Capacity",
        "003 §2.1",
        ok=ok,
        message=message if ok else message + " This is over capacity.",
        needs_rationale=not ok,
        rationale_label="Why allocate above this worker's capacity?",
        rationale_error="Enter why this case is allocated to a worker who is over capacity",
    )


def _availability_check(worker, *, away: bool) -> dict:
    """003 §2.1: not to someone absent unless their return is imminent."""
    name = str(worker)
    return _check(
        "absent",
        "Worker available",
        "003 §2.1",
        ok=not away,
        message=(
            f"{name} is recorded as absent from work." if away else f"{name} is not recorded as absent."
        ),
        needs_rationale=away,
        rationale_label="What are the reasonable grounds to believe the worker's return is imminent?",
        rationale_error="Enter the grounds for believing the absent worker's return is imminent",
    )


def _gender_check(child, worker) -> dict:
    """003 §2.2: a girl or young woman is allocated a female case manager unless there are clear reasons,
    recorded after consulting the child."""
    name = str(worker)
    female = worker.gender == Gender.FEMALE
    return _check(
        "gender",
        "Girl allocated a female case manager",
        "003 §2.2",
        ok=female,
        message=(
            f"{name} identifies as female."
            if female
            else f"{child.first_name} identifies as a girl and {name} does not identify as female."
        ),
        needs_rationale=not female,
        rationale_label=(
            "Rationale for allocating a girl to a male case manager, recorded after consulting the child"
        ),
        rationale_error=(
            "Enter the rationale for allocating a girl to a male case manager, recorded after consulting the child"
        ),
    )


def _gender_identity_check(child) -> dict:
    """003 §2.3: the child's wishes decide whether they would feel safest with a male or female case
    manager; the discussion is recorded."""
    return _check(
        "gender_identity",
        "Child's wishes about their case manager's gender",
        "003 §2.3",
        ok=True,
        message=(
            f"{child.first_name}'s gender identity differs from that assigned at birth: record their "
            "wishes about whether they would feel safest with a male or female case manager."
        ),
        needs_rationale=True,
        rationale_label="The child's wishes about their case manager's gender",
        rationale_error="Enter the child's wishes about whether they would feel safest with a "
        "male or female case manager",
    )


def _high_risk_check(worker) -> dict:
    """003 §4.1: High or Very High RoSH or SaW at allocation goes to a Band B senior case manager."""
    name = str(worker)
    senior = worker.role in SENIOR_ROLES
    return _check(
        "high_risk",
        "High RoSH or SaW allocated to a senior case manager",
        "003 §4.1",
        ok=senior,
        message=(
            f"{name} is a {worker.get_role_display()}."
            if senior
            else f"RoSH or SaW is High or Very High and {name} is a "
            f"{worker.get_role_display()}, not a Band B senior case manager."
        ),
        needs_rationale=not senior,
        rationale_label="Why allocate a High or Very High case to a worker below Band B?",
        rationale_error="Enter why a High or Very High RoSH or SaW case is not allocated to a "
        "Band B senior case manager",
    )


def _student_check(*, has_primary_worker: bool) -> dict:
    """003 §6.1: a student's case is co-allocated to a primary worker. A hard requirement."""
    return _check(
        "student",
        "Student co-allocated to a primary worker",
        "003 §6.1",
        ok=has_primary_worker,
        message=(
            "A primary worker is co-allocated."
            if has_primary_worker
            else "Allocate a primary worker: a case held by a student must be co-allocated to a "
            "worker from the interventions or locality team, who is accountable for it."
        ),
        blocking=not has_primary_worker,
    )


def _ap_supervision_check() -> dict:
    """003 §5.5: an AP co-working the case means management supervision comes from a team manager."""
    return _check(
        "ap_supervision",
        "Management supervision by a team manager",
        "003 §5.5",
        ok=True,
        info=True,
        message="This case is co-allocated to an advanced practitioner, so management supervision "
        "must be provided by a team manager.",
    )


def allocation_checks(
    child,
    worker,
    role: str,
    workload: dict,
    *,
    child_weight: int,
    already_counted: bool = False,
    absent: bool | None = None,
    has_primary_worker: bool = False,
) -> list[dict]:
    """The policy checks for allocating `worker` to `child` in `role` (003 §2-§6).

    `workload` is the worker's {"cases", "weighted", "capacity"} (selectors.allocation); the child's
    `child_weight` is added unless `already_counted` (the worker already holds or co-holds the child).
    `absent` overrides `worker.is_absent` (e.g. the worker is on planned leave today).
    `has_primary_worker`: the child has, or this submission adds, a non-student co-worker (003 §6.1).
    """
    is_cm = role == CASE_MANAGER
    added = 0 if already_counted else (child_weight if is_cm else co_weight(child_weight))
    checks = [
        _capacity_check(worker, workload, added=added),
        _availability_check(worker, away=worker.is_absent if absent is None else absent),
    ]
    if is_cm and child.gender_identity == Gender.FEMALE:
        checks.append(_gender_check(child, worker))
    if is_cm and child.gender_differs_from_birth:
        checks.append(_gender_identity_check(child))
    if is_cm and is_high(child):
        checks.append(_high_risk_check(worker))
    if is_cm and worker.role == Role.STUDENT:
        checks.append(_student_check(has_primary_worker=has_primary_worker))
    if role == CO_WORKER and worker.role == Role.ADVANCED_PRACTITIONER:
        checks.append(_ap_supervision_check())
    return checks


def co_allocation_prompt(child, co_workers=None) -> dict | None:
    """The 003 §5.1 prompt: a High/Very High case held by a YJSO or Band A worker needs a Band B/AP co-worker.

    `co_workers` defaults to the child's current co-workers (one query); pass them to avoid it.
    """
    if not is_high(child) or child.case_manager is None or child.case_manager.role not in JUNIOR_ROLES:
        return None
    workers = list(child.co_workers.all()) if co_workers is None else list(co_workers)
    if any(w.role in PRACTICE_SUPERVISOR_ROLES for w in workers):
        return None
    return {
        "title": "Co-allocate this case to a Band B worker or advanced practitioner",
        "basis": "003 §5.1",
        "message": (
            f"RoSH or SaW is High or Very High and the case is held by a "
            f"{child.case_manager.get_role_display()}. Co-allocate it to a Band B senior case "
            "manager or an advanced practitioner, who acts as practice supervisor."
        ),
    }


def checks_for_storage(checks: list[dict], rationales: dict[str, str]) -> list[dict]:
    """The checks as an Allocation stores them: code, title, basis, ok, message and any rationale."""
    return [
        {
            "code": c["code"],
            "title": c["title"],
            "basis": c["basis"],
            "ok": c["ok"],
            "message": c["message"],
            "rationale": (rationales.get(c["code"]) or "").strip(),
        }
        for c in checks
    ]


def missing_rationales(checks: list[dict], rationales: dict[str, str]) -> dict[str, str]:
    """{code: error message} for every check that needs a rationale and has none."""
    return {
        c["code"]: c["rationale_error"]
        for c in checks
        if c["needs_rationale"] and not (rationales.get(c["code"]) or "").strip()
    }
