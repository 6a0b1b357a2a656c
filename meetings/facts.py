"""A child's meetings, further offences and bail applications as the rules module's facts (timescales.md).

A meeting states that it was held once the chair records it held, whatever the state of its record;
the actions event and the completed minutes are separate facts, so the 48-hour and five-working-day
rules (000 §1.3, 001 §6.2) run from the meeting and are met when each is done.
"""

import datetime

from django.utils import timezone

from .models import Meeting, MeetingKind


def held_facts(meeting: Meeting, held: datetime.datetime) -> list[dict]:
    """What one meeting states once held at `held` (local time)."""
    date = held.date().isoformat()
    if meeting.is_csc_combined:
        # 000 §1.4, 001 §6.5: the CSC meeting takes the CMM's place in the 11-week review window.
        return [{"type": "csc_meeting_held", "date": date}]
    facts = []
    if meeting.is_mappa:
        facts.append({"type": "mappa_meeting_held", "date": date, "at": held.isoformat()})
        # 001 §8: level 1 cases are managed "through the above procedures" and the meetings "follow
        # the CMM timescales": a MAPPA level 1 meeting is also the child's RoSH/SaW review.
        reason = MeetingKind.RISK_REVIEW.value
    else:
        reason = meeting.kind
    facts.append({"type": "cmm_held", "reason": reason, "date": date, "at": held.isoformat()})
    if meeting.actions_recorded_on:
        facts.append({"type": "cmm_actions_recorded", "date": meeting.actions_recorded_on.isoformat()})
    if meeting.finalised_on:
        facts.append({"type": "cmm_minutes_completed", "date": meeting.finalised_on.isoformat()})
    if meeting.mappa_minutes_sent_on:
        facts.append({"type": "mappa_minutes_sent", "date": meeting.mappa_minutes_sent_on.isoformat()})
    return facts


def meeting_facts(*, child) -> list[dict]:
    """Every fact the child's meetings, further offences and bail applications state."""
    facts = []
    held = child.meetings.filter(
        status__in=[Meeting.Status.HELD, Meeting.Status.FINALISED], held_at__isnull=False
    ).only(
        "kind",
        "held_at",
        "csc_meeting_type",
        "actions_recorded_on",
        "finalised_on",
        "mappa_minutes_sent_on",
    )
    for meeting in held:
        facts.extend(held_facts(meeting, timezone.localtime(meeting.held_at).replace(microsecond=0)))
    for recorded_on, psr_court_date, sentence_date in child.further_offences.values_list(
        "recorded_on", "psr_court_date", "sentence_date"
    ):
        # timescales.md: with both dates the PSR route applies, so only the court date is stated.
        fact = {"type": "reoffended", "date": recorded_on.isoformat()}
        if psr_court_date:
            fact["psr_court_date"] = psr_court_date.isoformat()
        elif sentence_date:
            fact["sentence_date"] = sentence_date.isoformat()
        else:
            continue  # neither date yet: nothing for the rules to place
        facts.append(fact)
    for recorded_on, bail_date in child.bail_applications.values_list("recorded_on", "bail_date"):
        facts.append(
            {
                "type": "bail_application_planned",
                "date": recorded_on.isoformat(),
                "bail_date": bail_date.isoformat(),
            }
        )
    return facts
