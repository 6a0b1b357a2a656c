"""What kpis plugs into the core (core.registry): the KPIs header link, under Dashboards."""

import rules

from cases.permissions import service_manager
from core.registry import HeaderLink, registry

rules.add_perm("kpis.view_kpis", service_manager)


def register() -> None:
    """The KPIs link, in the dashboards' group (dashboards registers the group itself)."""
    registry.add_header_link(HeaderLink("kpis", "KPIs", "kpi_page", 30, "kpis.view_kpis", group="dashboards"))
