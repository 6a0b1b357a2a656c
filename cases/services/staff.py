"""Changes to staff access (issue 18): one person asks, a second approves, and the change is audited.

Who may ask and approve: the service manager and the administrator (`cases.manage_staff`). Nobody
approves their own request, and nobody asks for or approves a change to their own access, so no one
person can grant a role. Only the service manager may approve a role above case manager (a manager, the
service manager or the administrator role). Staff are deactivated, never deleted.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEntry
from core.services import locked

from ..models import Role, StaffChange, Team, User
from ..models.organisation import SERVICE_WIDE_ROLES
from .core import worker_obligations_refresh_on_commit
from .rollup import worker_months_stale

# Roles that reach beyond the worker's own cases: only the service manager approves a change to one.
ELEVATED_ROLES = {Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER, Role.SERVICE_MANAGER, Role.ADMINISTRATOR}


def can_manage_staff(user) -> bool:
    """The service manager or the administrator: the named permission the pages check too."""
    return rules.has_perm("cases.manage_staff", user)


@transaction.atomic
def staff_change_request(
    *,
    user: User,
    requested_by: User,
    role: str = "",
    change_team: bool = False,
    team: Team | None = None,
    change_line_manager: bool = False,
    line_manager: User | None = None,
    is_active: bool | None = None,
) -> StaffChange:
    """Ask for a change to someone's access; it waits for a second person (`staff_change_decide`)."""
    if not can_manage_staff(requested_by):
        raise PermissionDenied("Only the service manager or the administrator asks for changes to access")
    errors: dict[str, str] = {}
    if user.pk == requested_by.pk:
        errors["user"] = "You cannot ask for a change to your own access: ask a colleague"
    if role and role == user.role:
        errors["role"] = f"{user} is already {user.get_role_display()}"
    if change_team and team == user.team:
        errors["team"] = f"{user} is already in {team or 'no team'}"
    if change_line_manager and line_manager is not None and line_manager.pk == user.pk:
        errors["line_manager"] = "Nobody is their own line manager"
    if is_active is not None and is_active == user.is_active:
        errors["is_active"] = f"{user} is already {'active' if is_active else 'deactivated'}"
    if not errors and not (role or change_team or change_line_manager or is_active is not None):
        errors["role"] = "Choose what to change"
    if errors:
        raise ValidationError(errors)
    change = StaffChange.objects.create(
        user=user,
        role=role,
        change_team=change_team,
        team=team if change_team else None,
        change_line_manager=change_line_manager,
        line_manager=line_manager if change_line_manager else None,
        is_active=is_active,
        requested_by=requested_by,
    )
    audit_record(
        user=requested_by,
        action=AuditEntry.Action.CREATE,
        obj=change,
        description=f"Asked to change the access of {user}: {change.summary}",
    )
    return change


@transaction.atomic
def staff_change_decide(*, change: StaffChange, decided_by: User, approve: bool) -> StaffChange:
    """Approve (and make) or reject a change, as a second person; the change is audited either way."""
    change = locked(change, "user")
    if not can_manage_staff(decided_by):
        raise PermissionDenied("Only the service manager or the administrator approves changes to access")
    if change.status != StaffChange.Status.PENDING:
        raise ValidationError("This change has already been decided")
    if decided_by.pk in (change.requested_by_id, change.user_id):
        raise ValidationError(
            "A second person must decide: you asked for this change, or it is to your own access"
        )
    elevated = change.role in ELEVATED_ROLES or change.user.role in ELEVATED_ROLES
    if approve and change.role and elevated and decided_by.role not in SERVICE_WIDE_ROLES:
        raise ValidationError("Only the service manager approves a change to or from a manager's role")
    change.status = StaffChange.Status.APPROVED if approve else StaffChange.Status.REJECTED
    change.decided_by = decided_by
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        _apply(change)
    audit_record(
        user=decided_by,
        action=AuditEntry.Action.UPDATE,
        obj=change.user,
        description=(
            f"{'Approved' if approve else 'Rejected'} the change of access of {change.user} "
            f"asked for by {change.requested_by}: {change.summary}"
        ),
    )
    return change


def _apply(change: StaffChange) -> None:
    """Make an approved change, field by field, and say what it was in the audit log."""
    user = locked(change.user)
    before = {
        "role": user.get_role_display(),
        "team": str(user.team or "none"),
        "line manager": str(user.line_manager or "none"),
        "active": "yes" if user.is_active else "no",
    }
    if change.role:
        user.role = change.role
        user.is_staff = change.role == Role.ADMINISTRATOR
    if change.change_team:
        user.team = change.team
        # The worker's own obligations now count to the new team (ADR 0020).
        worker_months_stale(worker_id=user.pk)
    if change.change_line_manager:
        user.line_manager = change.line_manager
    if change.is_active is not None:
        user.is_active = change.is_active
    user.save(update_fields=["role", "is_staff", "team", "line_manager", "is_active"])
    user.refresh_from_db()
    after = {
        "role": user.get_role_display(),
        "team": str(user.team or "none"),
        "line manager": str(user.line_manager or "none"),
        "active": "yes" if user.is_active else "no",
    }
    changed = "; ".join(
        f"{field} from {before[field]} to {after[field]}" for field in before if before[field] != after[field]
    )
    audit_record(
        user=change.decided_by,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        description=f"Changed the access of {user}: {changed}"[:300],
    )
    # A new role, team or line manager changes the worker's supervision timescales (000 §4.1).
    worker_obligations_refresh_on_commit(worker=user)
