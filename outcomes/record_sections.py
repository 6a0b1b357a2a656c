"""The KPI facts' section of a child's whole record, for a subject access export (records/; UK GDPR Art. 15):
accommodation, ETE, SEND, health screenings, wider services, offences and victims (by reference only)."""

from core.records import record_items
from core.registry import RecordSection

from .kinds import KINDS


def circumstances_section(child) -> RecordSection:
    items = []
    for spec in KINDS.values():
        items += record_items(spec.model.objects.filter(child=child).select_related("recorded_by"))
    return RecordSection("Circumstances", items)


SECTIONS = (("circumstances", 105, circumstances_section),)
