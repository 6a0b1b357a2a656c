"""What courts plugs into the core (core.registry): the Court tab and header link, Crown Court
tracking's first appearance on its programme fact (docs/spec/timescales.md: the 48-hour allocation), and
the allocation a case manager already in place at the first appearance states (courts/facts.py)."""

import rules
from django.utils import timezone

from cases.models import Programme
from cases.permissions import case_worker
from core.erasure import history_eraser
from core.registry import ChildTab, HeaderLink, registry

from .facts import crown_court_facts
from .models import CrownCourtTracking
from .record_sections import SECTIONS as RECORD_SECTIONS

rules.add_perm("courts.view_court", case_worker)


def first_appearance(programme) -> dict:
    """`at`: the tracking's first appearance, for the 48-hour allocation (003 §9.2)."""
    first = (
        CrownCourtTracking.objects.filter(programme=programme)
        .values_list("first_appearance_at", flat=True)
        .first()
    )
    return {"at": timezone.localtime(first).replace(microsecond=0).isoformat()} if first else {}


def register() -> None:
    """Plug courts into the core registry (called from CourtsConfig.ready)."""
    # Its sections of a child's whole record, for a subject access export (records/, UK GDPR Art. 15).
    for name, order, provider in RECORD_SECTIONS:
        registry.add_record_section(name, order, provider)
    # Erasure (retention/, UK GDPR Art. 17): the history tables the child's cascade leaves behind.
    registry.add_erasure(history_eraser("courts"))
    registry.add_programme_fact_fields(Programme.Kind.CROWN_COURT_TRACKING, first_appearance)
    # 003 §9.2: a case manager already in place at the first appearance meets the 48-hour allocation.
    registry.add_child_facts(crown_court_facts)
    registry.add_child_tab(ChildTab("child_court", "Court", "court", 100))
    registry.add_header_link(
        HeaderLink("court", "Court", "court_home", 90, "courts.view_court", group="children")
    )
