"""MAPPA's section of a child's whole record, for a subject access export (records/; UK GDPR Art. 15).
The whole section is listed for redaction: it holds information the MAPPA agencies shared (CJA 2003
s.325), which may be exempt (DPA 2018 Sch. 2 Part 1 para. 2, crime and taxation)."""

from core.records import record_fields, record_item
from core.registry import RecordSection

RESTRICTED = (
    "MAPPA records hold information shared by the MAPPA agencies (CJA 2003 s.325): consult them before "
    "release; the crime exemption may apply (DPA 2018 Sch. 2 Part 1 para. 2)"
)


def mappa_section(child) -> RecordSection:
    items = []
    for record in child.mappa_records.select_related("recorded_by", "form_h_sent_by").prefetch_related(
        "levels__set_by"
    ):
        levels = [record_fields(level) for level in record.levels.all()]
        items.append(record_item(record, restricted=RESTRICTED, extra={"levels": levels}))
    return RecordSection("MAPPA", items, restricted=RESTRICTED)


SECTIONS = (("mappa", 110, mappa_section),)
