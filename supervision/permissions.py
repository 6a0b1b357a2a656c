"""Named permissions (django-rules) for supervision (000 §2, 001 §2, 002); registered when the app is ready
(SupervisionConfig.ready)."""

import rules

from cases.models import Role
from cases.permissions import is_manager, is_service_wide

from .access import can_supervise
from .selectors.discussions import can_manage_oversight


@rules.predicate
def is_team_manager_of_a_team(user) -> bool:
    """A team manager with a team: sees their team's supervision chain."""
    return getattr(user, "role", None) == Role.TEAM_MANAGER and bool(getattr(user, "team_id", None))


@rules.predicate
def supervises(user, worker) -> bool:
    """Prepares for and records the worker's supervision (supervision.access.can_supervise)."""
    return worker is not None and can_supervise(user, worker)


# The top of the chain: the overdue supervision of every member of staff and every team's chain report.
rules.add_perm("supervision.view_service_wide", is_service_wide)
# The supervision chain report: every team's for the service manager, their own team's for a team manager.
rules.add_perm("supervision.view_chain", is_service_wide | is_team_manager_of_a_team)
# Out-of-court and My Future closure checks waiting (001 §6.3): a TM or AP of the team, or the service manager.
rules.add_perm("supervision.review_closure_checks", is_manager | is_service_wide)
# With the worker: `user.has_perm("supervision.supervise", worker)`.
rules.add_perm("supervision.supervise", supervises)


@rules.predicate
def records_discussions_for(user, child) -> bool:
    """Records a case discussion or management decision for the child: a manager of the child's team or
    the service manager (supervision.selectors.can_manage_oversight, 001 App. 5)."""
    return child is not None and can_manage_oversight(user=user, child=child)


# With the child: the Case Discussion Record's page, and the links to it (core.registry.WorkLink).
rules.add_perm("supervision.record_discussion", records_discussions_for)
