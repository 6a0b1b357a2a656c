"""Named permissions (django-rules) for decisions taken by role across the service.

Templates ask `{% load rules %}{% has_perm "cases.manage_team" user as manages %}`; views ask
`rules.has_perm("cases.manage_team", user)` (the rule alone, as the role test it replaces). Registered when
the app is ready (CasesConfig.ready). The role sets are the ones in cases/models.py.
"""

import rules

from .models import MANAGER_ROLES, SERVICE_WIDE_ROLES


@rules.predicate
def is_manager(user) -> bool:
    """A team manager or advanced practitioner: oversees a team's cases (User.is_manager)."""
    return getattr(user, "role", None) in MANAGER_ROLES


@rules.predicate
def is_service_wide(user) -> bool:
    """The service manager: sees every team (User.is_service_wide)."""
    return getattr(user, "role", None) in SERVICE_WIDE_ROLES


# Oversees a locality team's cases and staff (003 §2, 000 §2).
rules.add_perm("cases.manage_team", is_manager)
# Sees every team's children and work (000 §2).
rules.add_perm("cases.view_service_wide", is_service_wide)
# Marks as done a task someone else holds, on a child they may see (001 §6.2: actions followed up).
rules.add_perm("cases.complete_team_tasks", is_manager | is_service_wide)
