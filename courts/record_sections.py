"""Courts' section of a child's whole record, for a subject access export (records/; UK GDPR Art. 15):
Crown Court tracking and the Magistrates' Court screening (003 §9-§10)."""

from core.records import record_items
from core.registry import RecordSection


def court_section(child) -> RecordSection:
    items = record_items(child.crown_court_trackings.select_related("oversight_by", "recorded_by"))
    items += record_items(child.awaiting_hearings.select_related("screened_by", "created_by"))
    return RecordSection("Court", items)


SECTIONS = (("court", 100, court_section),)
