"""Named permissions of the case work (django-rules): one predicate each, used by views, the header
navigation and templates alike, so a link is shown exactly when the page behind it answers."""

import rules

from .models import MANAGER_ROLES, Role


@rules.predicate
def is_signed_in(user) -> bool:
    """An active member of staff who has signed in."""
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def holds_case_work(user) -> bool:
    """Everyone but the administrator, who runs the system (users, teams) and sees no child records."""
    return user.role != Role.ADMINISTRATOR


@rules.predicate
def is_service_manager(user) -> bool:
    """The service manager, who sees every team."""
    return user.role == Role.SERVICE_MANAGER


@rules.predicate
def is_team_manager_or_ap(user) -> bool:
    """A team manager or advanced practitioner."""
    return user.role in MANAGER_ROLES


@rules.predicate
def is_administrator(user) -> bool:
    """The administrator with access to the Django admin (staff and teams)."""
    return user.role == Role.ADMINISTRATOR and user.is_staff


case_worker = is_signed_in & holds_case_work
service_manager = is_signed_in & is_service_manager
manager_or_service_manager = is_signed_in & (is_team_manager_or_ap | is_service_manager)

rules.add_perm("cases.view_caseload", is_signed_in)
rules.add_perm("cases.view_policy_timescales", is_signed_in)
rules.add_perm("cases.do_case_work", case_worker)
rules.add_perm("cases.view_audit_log", service_manager)
rules.add_perm("cases.administer", is_signed_in & is_administrator)
