"""Writes for transfers into and out of the service, caretaking agreements and host contacts
(003 §12.1-§12.11, App. A-B), one module each: `transfer_in`, `caretaking`, `host_contacts`,
`transfer_out`.

Every write is audited against the child and writes a TRANSFER event on the child's timeline; the
records state the facts (transfers/facts.py), so each write queues the child's obligations refresh on
commit (transfer_in.confirm, caretaking.review, transfer_out.request and the host's contacts).
Policy refusals are ValidationErrors the views put in the error summary.
"""

from .caretaking import END_OUTCOMES, caretaking_create, caretaking_end, caretaking_review, review_errors
from .host_contacts import host_contact_create
from .transfer_in import (
    DECISIONS,
    transfer_in_create,
    transfer_in_decide,
    transfer_in_requirements_confirm,
)
from .transfer_in_checks import SUMMARY_FIELDS, documents_errors
from .transfer_out import PARENTING_CODES, STATUS_NEEDS, transfer_out_create, transfer_out_update

__all__ = [
    "DECISIONS",
    "END_OUTCOMES",
    "PARENTING_CODES",
    "STATUS_NEEDS",
    "SUMMARY_FIELDS",
    "caretaking_create",
    "caretaking_end",
    "caretaking_review",
    "documents_errors",
    "host_contact_create",
    "review_errors",
    "transfer_in_create",
    "transfer_in_decide",
    "transfer_in_requirements_confirm",
    "transfer_out_create",
    "transfer_out_update",
]
