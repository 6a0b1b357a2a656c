"""What meetings plugs into the core (core.registry): its facts, the Meetings tab and header link,
where CMMs are booked and recorded, and the worker's upcoming meetings on My work."""

import rules

from cases.permissions import case_worker
from core import outbox
from core.erasure import history_eraser
from core.registry import ChildTab, HeaderLink, registry

from . import permissions  # noqa: F401  (registers the named permissions)
from .facts import meeting_facts
from .pdf import meeting_record_store
from .record_sections import SECTIONS as RECORD_SECTIONS
from .selectors import meetings_for_user_upcoming
from .services.record import RECORD_RENDER
from .worklinks import LINKS

rules.add_perm("meetings.view_meetings", case_worker)


def register() -> None:
    """Add the facts, the Meetings tab and header link, the work links and the My work section."""
    # Its sections of a child's whole record, for a subject access export (records/, UK GDPR Art. 15).
    for name, order, provider in RECORD_SECTIONS:
        registry.add_record_section(name, order, provider)
    # Erasure (retention/, UK GDPR Art. 17): the history tables the child's cascade leaves behind.
    registry.add_erasure(history_eraser("meetings"))
    registry.add_child_facts(meeting_facts)
    registry.add_child_tab(ChildTab("meeting_list", "Meetings", "meetings", 70))
    registry.add_header_link(
        HeaderLink("meetings", "Meetings", "meetings_mine", 60, "meetings.view_meetings")
    )
    registry.add_work_links(*LINKS)
    registry.add_my_work_section("meetings", meetings_for_user_upcoming)
    # Finalised records are rendered on the bulk queue, so a backlog never delays a person's work.
    outbox.register(
        RECORD_RENDER, lambda payload: meeting_record_store(meeting_id=payload["meeting_id"]), queue="bulk"
    )
