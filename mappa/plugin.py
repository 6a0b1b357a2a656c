"""What MAPPA plugs into the core (core.registry): MAPPA facts, the MAPPA tab and header link."""

import rules

from cases.permissions import is_signed_in
from core.registry import ChildTab, HeaderLink, registry

from .facts import mappa_facts
from .selectors.register import can_see_register

# The register: the service and development managers, team managers and APs (001 §8); a case manager
# reads a child's MAPPA record on the child's MAPPA tab.
rules.add_perm("mappa.view_mappa", is_signed_in & rules.predicate(can_see_register))


def register() -> None:
    """MAPPA's facts, the child's MAPPA tab and the register's header link."""
    registry.add_child_facts(mappa_facts)
    registry.add_child_tab(ChildTab("child_mappa", "MAPPA", "mappa", 110))
    registry.add_header_link(HeaderLink("mappa", "MAPPA", "mappa_register", 100, "mappa.view_mappa"))
