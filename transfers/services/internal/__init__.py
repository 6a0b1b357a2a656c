"""Writes for internal transfers between locality teams (003 §11): `proposal` (propose, decide, escalate,
MAPPA endorsement, withdraw) and `handover` (allocate, the three-way meeting).

A case manager (or a TM/AP of the child's team) proposes a transfer with the §11.2 considerations and the
§11.3 home visit and review assessment; the current case manager's manager endorses or declines, and a
disagreement between the locality managers escalates to the service manager (§11.4); a child managed at
MAPPA level 2 or 3 needs the MAPPA meeting's endorsement first (§11.5). The receiving TM/AP allocates
(`reallocated`, due 2 working days after `transfer_agreed`); the three-way meeting (due 5 working days
after) is the formal transfer date: only then do `Child.team` and `Child.case_manager` change (§11.7-§11.8).
Which step a transfer may take from its status is InternalTransfer.TRANSITIONS, asked through the
selectors' permission checks.

Every write is audited against the child, writes a TRANSFER event (with a `source`, so the record's facts
count, transfers/facts.py) and queues the child's obligations to be recomputed.
"""

from .handover import allocation_checks, internal_transfer_allocate, internal_transfer_meeting
from .proposal import (
    CONSIDERATIONS,
    internal_transfer_decide,
    internal_transfer_escalate,
    internal_transfer_mappa_endorse,
    internal_transfer_propose,
    internal_transfer_withdraw,
)

__all__ = [
    "CONSIDERATIONS",
    "allocation_checks",
    "internal_transfer_allocate",
    "internal_transfer_decide",
    "internal_transfer_escalate",
    "internal_transfer_mappa_endorse",
    "internal_transfer_meeting",
    "internal_transfer_propose",
    "internal_transfer_withdraw",
]
