"""Writes for case discussions (001 App. 5, 000 App. D, 000 §4.3, 001 §6.3-§6.4), co-allocated workers'
discussions (003 §5.3) and management oversight decisions outside supervision (004 §7, 002).

A discussion is held (a draft that already states `case_discussion_held`, or `co_allocation_discussion`),
then recorded on the child's file: the "Management Oversight - Supervision" event (004 §7), a task per
agreed action, `case_discussion_recorded`, and the PDF of the record queued on commit. Every write is
audited against the child and queues the child's obligations to be recomputed (supervision/facts.py).

One module per entity, re-exported here:
- `case`: holding a case discussion, changing or deleting the draft (`CaseDiscussion.TRANSITIONS`);
- `co_allocated`: what differs for the co-allocated workers' discussion (003 §5.3);
- `actions`: its agreed actions, and their tasks;
- `recording`: putting the record on the child's file;
- `oversight`: a management decision outside formal supervision (`OversightDecision`).
"""

from .actions import discussion_action_add, discussion_action_remove
from .case import (
    EDITABLE,
    SECTIONS,
    TEXT_FIELDS,
    case_discussion_create,
    case_discussion_delete,
    case_discussion_update,
)
from .oversight import oversight_decision_record
from .recording import case_discussion_record, discussion_details_text

__all__ = [
    "EDITABLE",
    "SECTIONS",
    "TEXT_FIELDS",
    "case_discussion_create",
    "case_discussion_delete",
    "case_discussion_record",
    "case_discussion_update",
    "discussion_action_add",
    "discussion_action_remove",
    "discussion_details_text",
    "oversight_decision_record",
]
