"""What MAPPA plugs into the core (core.registry): MAPPA facts, the MAPPA tab and header link, and Form H
waiting to be sent."""

import rules

from cases.permissions import is_signed_in
from core.erasure import history_eraser
from core.registry import ChildTab, HeaderLink, registry

from .facts import mappa_facts
from .record_sections import SECTIONS as RECORD_SECTIONS
from .selectors.register import can_see_register
from .waiting import form_h_waiting

# The register: the service and development managers, team managers and APs (001 §8); a case manager
# reads a child's MAPPA record on the child's MAPPA tab.
rules.add_perm("mappa.view_mappa", is_signed_in & rules.predicate(can_see_register))


def register() -> None:
    """MAPPA's facts, the child's MAPPA tab and the register's header link."""
    # Its sections of a child's whole record, for a subject access export (records/, UK GDPR Art. 15).
    for name, order, provider in RECORD_SECTIONS:
        registry.add_record_section(name, order, provider)
    # Erasure (retention/, UK GDPR Art. 17): the history tables the child's cascade leaves behind.
    registry.add_erasure(history_eraser("mappa"))
    registry.add_child_facts(mappa_facts)
    registry.add_child_tab(ChildTab("child_mappa", "MAPPA", "mappa", 110))
    registry.add_header_link(
        HeaderLink("mappa", "MAPPA", "mappa_register", 100, "mappa.view_mappa", group="children")
    )
    # Form H outstanding (001 §8): "Waiting for you" on My work and a notification at once.
    registry.add_waiting_work(form_h_waiting)
