"""Supervision's sections of a child's whole record, for a subject access export (records/; UK GDPR
Art. 15): case discussions with their actions, oversight decisions, closure checks and who holds
oversight. A worker's own supervision sessions are about the worker, not the child: never exported."""

from core.records import record_fields, record_item, record_items
from core.registry import RecordSection


def discussions_section(child) -> RecordSection:
    """Case discussions (management oversight of the case, 001 §6.3) with the actions agreed."""
    items = []
    discussions = child.case_discussions.select_related("manager", "worker", "recorded_by", "created_by")
    for discussion in discussions.prefetch_related("actions__owner").order_by("held_on", "pk"):
        actions = [record_fields(a, exclude=("task",)) for a in discussion.actions.all()]
        items.append(record_item(discussion, exclude=("session",), extra={"actions": actions}))
    return RecordSection("Case discussions", items)


def oversight_section(child) -> RecordSection:
    """Oversight decisions, closure checks and who held oversight (001 §6.3-§6.4)."""
    items = record_items(child.oversight_decisions.select_related("manager"))
    items += record_items(child.closure_checks.select_related("requested_by", "checked_by"))
    items += record_items(child.oversight_holders.select_related("holder"))
    return RecordSection("Management oversight", items)


SECTIONS = (
    ("case_discussions", 90, discussions_section),
    ("oversight", 95, oversight_section),
)
