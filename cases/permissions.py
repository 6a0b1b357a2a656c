"""Named permissions of the case work (django-rules): one predicate each, used by views, the header
navigation and templates alike, so a link is shown exactly when the page behind it answers.

Templates ask `{% load rules %}{% has_perm "cases.manage_team" user as manages %}`; views and the
navigation ask `rules.has_perm(...)` (the rule alone: Django's model backend would grant a superuser
everything, and the administrator sees no child). Registered by cases/plugin.py when the app is ready.
"""

import rules

from .models import MANAGER_ROLES, SERVICE_WIDE_ROLES, Role


@rules.predicate
def is_signed_in(user) -> bool:
    """An active member of staff who has signed in."""
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def holds_case_work(user) -> bool:
    """Everyone but the administrator, who runs the system (users, teams) and sees no child records."""
    return user.role != Role.ADMINISTRATOR


@rules.predicate
def is_manager(user) -> bool:
    """A team manager or advanced practitioner: oversees a team's cases (User.is_manager)."""
    return getattr(user, "role", None) in MANAGER_ROLES


@rules.predicate
def is_service_wide(user) -> bool:
    """The service manager: sees every team (User.is_service_wide)."""
    return getattr(user, "role", None) in SERVICE_WIDE_ROLES


@rules.predicate
def is_administrator(user) -> bool:
    """The administrator with access to the Django admin (staff and teams)."""
    return user.role == Role.ADMINISTRATOR and user.is_staff


case_worker = is_signed_in & holds_case_work
service_manager = is_signed_in & is_service_wide
manager_or_service_manager = is_signed_in & (is_manager | is_service_wide)

rules.add_perm("cases.view_caseload", is_signed_in)
rules.add_perm("cases.view_policy_timescales", is_signed_in)
rules.add_perm("cases.do_case_work", case_worker)
# My work and the sign-off queue answer every signed-in user (the administrator's are empty).
rules.add_perm("cases.view_own_work", is_signed_in)
rules.add_perm("cases.view_audit_log", service_manager)
rules.add_perm("cases.administer", is_signed_in & is_administrator)
# Issue 18: ask for and approve changes to staff access (a second person approves; cases/services/staff.py).
rules.add_perm("cases.manage_staff", is_signed_in & (is_service_wide | is_administrator))


# Oversees a locality team's cases and staff (003 §2, 000 §2).
rules.add_perm("cases.manage_team", is_manager)
# Sees every team's children and work (000 §2).
rules.add_perm("cases.view_service_wide", is_service_wide)
# Marks as done a task someone else holds, on a child they may see (001 §6.2: actions followed up).
rules.add_perm("cases.complete_team_tasks", is_manager | is_service_wide)
