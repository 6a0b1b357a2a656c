"""What dashboards plugs into the core (core.registry): the Compliance and Team header links."""

import rules

from cases.permissions import manager_or_service_manager, service_manager
from core.registry import HeaderLink, NavGroup, registry

rules.add_perm("dashboards.view_compliance", service_manager)
rules.add_perm("dashboards.view_team", manager_or_service_manager)


def register() -> None:
    """The Compliance and Team header links."""
    registry.add_header_link(
        HeaderLink(
            "compliance",
            "Compliance",
            "compliance_dashboard",
            10,
            "dashboards.view_compliance",
            group="dashboards",
        )
    )
    registry.add_header_link(
        HeaderLink("team", "Team", "team_dashboard", 20, "dashboards.view_team", group="dashboards")
    )
    # One item for the service manager, who sees both; a team manager sees "Team" alone (issue 20).
    registry.add_nav_group(NavGroup("dashboards", "Dashboards"))
