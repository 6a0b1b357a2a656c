"""What supervision plugs into the core (core.registry) and cases (signals): case discussion and
worker supervision facts, the Oversight tab and header link, and the OOC / My Future oversight
prompts and closure gate (001 §6.3-§6.4, 000 §3)."""

import rules

from cases.models import Child, Programme
from cases.permissions import case_worker
from cases.signals import child_significant_change, programme_closing
from core import outbox
from core.erasure import history_eraser
from core.registry import ChildTab, HeaderLink, WorkLink, registry

from . import permissions  # noqa: F401  (registers the named permissions)
from .facts import discussion_facts, worker_supervision_facts
from .pdf import case_discussion_store
from .pdf_session import supervision_record_store
from .record_sections import SECTIONS as RECORD_SECTIONS
from .services.discussions.recording import DISCUSSION_RENDER
from .services.oocd import closure_gate_check, oversight_prompt_for_child
from .services.sessions import SESSION_RENDER

rules.add_perm("supervision.view_supervision", case_worker)


def _prompt_oversight(sender, *, child, reason, user, today=None, **kwargs) -> None:
    """A significant change on an OOC / My Future case prompts the locality TM (001 §6.3, 000 §3.6)."""
    oversight_prompt_for_child(child=child, reason=reason, user=user, today=today)


def _check_closure(sender, *, programme, closure_reason, **kwargs) -> None:
    """A completed OOC / My Future programme closes only after approved closure checks (001 §6.3)."""
    closure_gate_check(programme=programme, closure_reason=closure_reason)


def register() -> None:
    """Plug supervision into the core registry (called from SupervisionConfig.ready)."""
    # Its sections of a child's whole record, for a subject access export (records/, UK GDPR Art. 15).
    for name, order, provider in RECORD_SECTIONS:
        registry.add_record_section(name, order, provider)
    # Erasure (retention/, UK GDPR Art. 17): the history tables the child's cascade leaves behind.
    registry.add_erasure(history_eraser("supervision"))
    registry.add_child_facts(discussion_facts)
    registry.add_worker_facts(worker_supervision_facts)
    registry.add_child_tab(ChildTab("child_oversight", "Oversight", "oversight", 80))
    registry.add_header_link(
        HeaderLink("supervision", "Supervision", "supervision_home", 70, "supervision.view_supervision")
    )
    # 001 App. 5: a case discussion is recorded on the Case Discussion Record, by a manager; anyone else
    # sees what is due on the Oversight tab (issue 20: not a free-text note that records nothing of it).
    registry.add_work_links(
        WorkLink(
            "case_discussion.",
            "discussion_create",
            permission="supervision.record_discussion",
            fallback="child_oversight",
        )
    )
    child_significant_change.connect(_prompt_oversight, sender=Child, dispatch_uid="supervision.oversight")
    programme_closing.connect(_check_closure, sender=Programme, dispatch_uid="supervision.closure_gate")
    # Finalised records are rendered on the bulk queue (ADR 0010).
    outbox.register(
        DISCUSSION_RENDER,
        lambda payload: case_discussion_store(discussion_id=payload["discussion_id"]),
        queue="bulk",
    )
    outbox.register(
        SESSION_RENDER,
        lambda payload: supervision_record_store(session_id=payload["session_id"]),
        queue="bulk",
    )
