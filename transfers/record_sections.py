"""Transfers' section of a child's whole record, for a subject access export (records/; UK GDPR
Art. 15): internal transfers, transfers in and out, host contacts and caretaking agreements (003 §11-§12)."""

from core.records import record_items
from core.registry import RecordSection


def transfers_section(child) -> RecordSection:
    items = record_items(child.internal_transfers.all())
    items += record_items(child.transfers_in.all())
    items += record_items(child.transfers_out.all())
    items += record_items(child.host_contacts.all())
    items += record_items(child.caretaking_agreements.all())
    return RecordSection("Transfers", items)


SECTIONS = (("transfers", 120, transfers_section),)
