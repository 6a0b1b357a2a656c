"""What outcomes plugs into the core (core.registry): the child's Circumstances tab, the management board's
header link, the KPI snapshot facts for the rules module, where a missing snapshot is put right, the child's
records for a subject access export, and the history tables an erasure must clear."""

from core.erasure import history_eraser
from core.registry import ChildTab, HeaderLink, NavSection, WorkLink, registry

from . import permissions  # noqa: F401  (registers the named permissions)
from .facts import kpi_facts
from .kinds import KINDS
from .record_sections import SECTIONS as RECORD_SECTIONS


def register() -> None:
    """Plug outcomes into the core registry (called from OutcomesConfig.ready)."""
    for name, order, provider in RECORD_SECTIONS:
        registry.add_record_section(name, order, provider)
    registry.add_erasure(history_eraser("outcomes"))
    registry.add_child_facts(kpi_facts)
    registry.add_child_tab(
        ChildTab("child_circumstances", "Circumstances", "circumstances", 65, "outcomes.view_circumstances")
    )
    registry.add_header_link(
        HeaderLink("board", "Management board", "board_list", 138, "outcomes.view_board", group="service")
    )
    # The tab's pages are the child's record (the caseload's), not the board's section of this app.
    names = tuple(f"{slug.replace('-', '_')}_*" for slug in KINDS)
    registry.add_nav_section(NavSection("caseload", url_names=("child_circumstances", *names)))
    # kpi.start_snapshot and kpi.end_snapshot: the facts a snapshot misses are entered on the tab.
    registry.add_work_links(WorkLink("kpi.", "child_circumstances"))
