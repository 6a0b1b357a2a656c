"""Who is told about an obligation: one responsibility rule for the sweep and the digest.

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

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cases.models import Role, User

# Team managers and APs: they act on the team's leave follow-ups (can_manage_leave, 003 §7.2).
MANAGERS = {Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER}

# Worker obligations done on the leave pages (003 §7.2); the rest (supervision) on the supervision page.
LEAVE_PREFIX = "leave."
SUPERVISION_PREFIX = "supervision."

# A member of staff as staff_load reads them: a `values()` row (pk, names, role, team, line manager,
# whether absent).
StaffRow = Mapping[str, Any]


@dataclass
class Staff:
    """Active staff as the responsibility rule needs them, loaded in one query."""

    users: dict[int, StaffRow] = field(default_factory=dict)
    team_managers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    service_managers: list[int] = field(default_factory=list)

    def active(self, pk: int | None) -> StaffRow | None:
        """The active member of staff with this pk, or None."""
        return self.users.get(pk) if pk is not None else None

    def name(self, pk: int | None) -> str:
        """A member of staff's full name (their username when they have none)."""
        user = self.active(pk)
        if user is None:
            return ""
        return f"{user['first_name']} {user['last_name']}".strip() or user["username"]

    def _line_manager(self, user: StaffRow) -> int | None:
        """The user's line manager if active."""
        lm = user["line_manager_id"]
        return lm if lm in self.users else None

    def _managers_of_team(self, team_id: int | None, *, besides: int | None = None) -> list[int]:
        """The team's team managers (the service managers when it has none), not counting `besides`."""
        own = self.team_managers.get(team_id, []) if team_id is not None else []
        managers = [pk for pk in own if pk != besides]
        return managers or [pk for pk in self.service_managers if pk != besides]

    def _sees_team(self, pk: int, team_id: int | None) -> bool:
        """Whether a manager sees a team's children (cases/selectors/core.py): the service manager, or the team's own."""
        user = self.users[pk]
        return user["role"] == Role.SERVICE_MANAGER or (team_id is not None and user["team_id"] == team_id)

    def _child_manager(self, cm: StaffRow, *, team_id: int | None) -> list[int]:
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
        if case_manager_id is None or cm is None:  # active(None) is None: the same test, spelled for mypy
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

        Leave follow-ups are the manager's work about the worker, not the worker's (003 §7.2); so is their
        formal supervision, which the supervisor arranges and records (000 §4.1).
        """
        if code.startswith(LEAVE_PREFIX):
            return self.leave_managers(worker_id=worker_id)
        worker = self.active(worker_id)
        if worker is None:
            return []
        if code.startswith(SUPERVISION_PREFIX):
            # The supervisor books and records it (000 §4.1): the one who can act on the alert (issue 20).
            # The worker still sees their own supervision on My work.
            return self.worker_managers(worker_id=worker_id, code=code)
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
