"""Reads for the cases app: one access predicate for lists and pages (architecture.md); areas by module."""

from .core import (
    _child_scope_q,
    audit_entries,
    caseload_for_worker,
    child_get_for_user,
    children_for_user,
    event_get_for_user,
    event_versions,
    held_children_q,
    obligations_for_child,
    timeline_for_child,
)

__all__ = [
    "_child_scope_q",
    "audit_entries",
    "caseload_for_worker",
    "child_get_for_user",
    "children_for_user",
    "event_get_for_user",
    "event_versions",
    "held_children_q",
    "obligations_for_child",
    "timeline_for_child",
]
