"""What MAPPA plugs into the core (core.registry): MAPPA facts, the MAPPA tab and header link."""

import rules

from cases.permissions import case_worker
from core.registry import ChildTab, HeaderLink, registry

from .facts import mappa_facts

rules.add_perm("mappa.view_mappa", case_worker)


def register() -> None:
    """MAPPA's facts, the child's MAPPA tab and the register's header link."""
    registry.add_child_facts(mappa_facts)
    registry.add_child_tab(ChildTab("child_mappa", "MAPPA", "mappa", 110))
    registry.add_header_link(HeaderLink("mappa", "MAPPA", "mappa_register", 100, "mappa.view_mappa"))
