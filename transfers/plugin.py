"""What transfers plugs into the core (core.registry): transfer facts, the Transfers tab and header
link, and the receiving team's sight of a child being transferred to it (003 §11.4-§11.7)."""

import rules

from cases.models import Role
from cases.permissions import case_worker
from core.erasure import erase_history
from core.registry import ChildTab, HeaderLink, WorkLink, registry

from .facts import transfer_facts
from .models import InternalTransfer, TransferIn
from .record_sections import SECTIONS as RECORD_SECTIONS
from .waiting import transfers_waiting

rules.add_perm("transfers.view_transfers", case_worker)


def incoming_children(user):
    """Children being transferred to the user's team (TM/AP) or to them as the new case manager: they
    see them to allocate and meet them; responsibility stays with the original team until the
    three-way meeting (003 §11.4-§11.7)."""
    active = InternalTransfer.objects.filter(status__in=InternalTransfer.ACTIVE)
    if user.role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER):
        incoming = active.filter(to_team_id=user.team_id)
    else:
        incoming = active.filter(to_case_manager=user)
    return incoming.values("child_id")


def register() -> None:
    # Its sections of a child's whole record, for a subject access export (records/, UK GDPR Art. 15).
    for name, order, provider in RECORD_SECTIONS:
        registry.add_record_section(name, order, provider)
    registry.add_erasure(erase_transfers)
    registry.add_child_facts(transfer_facts)
    registry.add_child_visibility(incoming_children)
    registry.add_child_tab(ChildTab("child_transfers", "Transfers", "transfers", 90))
    registry.add_header_link(
        HeaderLink(
            "transfers", "Transfers", "transfers_home", 80, "transfers.view_transfers", group="children"
        )
    )
    # Steps waiting on who must act (003 §11.4, §12.4): My work and notifications at once.
    registry.add_waiting_work(transfers_waiting)
    # Where transfer obligations are done. caretaking.review recurs every three months (timescales
    # revision 2): each one links to the review page of the agreement in force.
    registry.add_work_links(
        WorkLink("caretaking.review", "caretaking_review_current"),
        WorkLink("transfer_in.confirm", "child_transfers"),
        WorkLink("transfer_out.", "child_transfers"),
        WorkLink("transfer.", "child_transfers"),
    )


def erase_transfers(*, child_id, owned) -> int:
    """Erasure (retention/, UK GDPR Art. 17): a transfer in outlives its child's record (SET_NULL: the
    referral came before the record), so the erased child's own are deleted here, then the history."""
    detached = list(owned.get(TransferIn, ()))
    deleted = TransferIn.objects.filter(pk__in=detached, child__isnull=True).delete()[0] if detached else 0
    return deleted + erase_history("transfers", child_id=child_id, owned=owned)
