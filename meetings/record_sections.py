"""Meetings' sections of a child's whole record, for a subject access export (records/; UK GDPR
Art. 15): CMMs and other meetings with their invitations and actions, further offences, bail
applications."""

from core.records import record_fields, record_item, record_items
from core.registry import RecordSection

from .models import Meeting

CONFIDENTIAL_REASON = (
    "A confidential professionals-only discussion was needed: other agencies' information may be "
    "exempt (DPA 2018 Sch. 2 Part 3 para. 16)"
)
MAPPA_REASON = "MAPPA minutes hold other agencies' information shared under MAPPA (CJA 2003 s.325)"


def _restricted(meeting: Meeting) -> str:
    if meeting.is_mappa:
        return MAPPA_REASON
    return CONFIDENTIAL_REASON if meeting.confidential_discussion_needed else ""


def meetings_section(child) -> RecordSection:
    """Every meeting about the child with who was invited and the actions agreed (001 App. 4)."""
    meetings = child.meetings.select_related(
        "chair", "case_manager", "booked_by", "views_gathered_by", "finalised_by"
    ).prefetch_related("invitations__user", "actions__owner", "panel_members")
    items = []
    for meeting in meetings.order_by("starts_at", "pk"):
        extra = {
            "panel_members": [str(member) for member in meeting.panel_members.all()],
            "invitations": [record_fields(i) for i in meeting.invitations.all()],
            "actions": [record_fields(a) for a in meeting.actions.all()],
        }
        items.append(record_item(meeting, restricted=_restricted(meeting), extra=extra))
    return RecordSection("Meetings (CMM records)", items)


def offences_section(child) -> RecordSection:
    items = record_items(child.further_offences.select_related("recorded_by"), history=False)
    items += record_items(child.bail_applications.select_related("recorded_by"), history=False)
    return RecordSection("Further offences and bail applications", items)


SECTIONS = (
    ("meetings", 80, meetings_section),
    ("offences", 85, offences_section),
)
