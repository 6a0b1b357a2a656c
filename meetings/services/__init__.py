"""Writes for meetings (000 §1, 001 §6.2), one module per entity: booking (the meeting and its
invitations, cancelling), preparation (participation, the compliance report), record (held, sections,
agreed actions, finalising), sending (the minutes) and triggers (further offences, bail applications).

Every write is audited against the child and queues the child's obligations to be recomputed, so the
meeting's facts (meetings/facts.py) turn the rules module's CMM obligations met as soon as they commit.
The names are re-exported here so callers write `services.meeting_book(...)`.
"""

from .booking import (
    invitation_add,
    invitation_response_record,
    meeting_book,
    meeting_cancel,
    meeting_invitations_send,
)
from .preparation import compliance_report_submit, participation_record
from .record import (
    LEVEL_NAMES,
    RECORD_FIELDS,
    meeting_action_add,
    meeting_action_remove,
    meeting_actions_record,
    meeting_finalise,
    meeting_held_record,
    meeting_record_update,
    task_complete,
)
from .sending import meeting_mappa_minutes_send, meeting_minutes_send, minutes_recipients
from .triggers import bail_application_record, further_offence_record

__all__ = [
    "LEVEL_NAMES",
    "RECORD_FIELDS",
    "bail_application_record",
    "compliance_report_submit",
    "further_offence_record",
    "invitation_add",
    "invitation_response_record",
    "meeting_action_add",
    "meeting_action_remove",
    "meeting_actions_record",
    "meeting_book",
    "meeting_cancel",
    "meeting_finalise",
    "meeting_held_record",
    "meeting_invitations_send",
    "meeting_mappa_minutes_send",
    "meeting_minutes_send",
    "meeting_record_update",
    "minutes_recipients",
    "participation_record",
    "task_complete",
]
