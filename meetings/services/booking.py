"""Booking a meeting and its invitations (001 §6.2), combined CSC meetings (000 §1.4, 001 §6.5), and
cancelling a booked meeting."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, EventType, User
from cases.selectors.plans_contacts import contact_compliance_default_period
from cases.services.core import event_create
from cases.services.requests import manager_requests_done
from core.models import AuditEntry
from core.outbox import email_enqueue

from .. import selectors
from ..booking_rules import booking_problems, mappa_chair_needs_agreement
from ..documents import invitation_ics, invitation_message
from ..models import Invitation, Meeting, MeetingKind
from .common import audit, locked, when


@transaction.atomic
def meeting_book(
    *,
    child: Child,
    user: User,
    kind: str,
    starts_at: datetime.datetime,
    chair: User,
    case_manager: User,
    panel_members=(),
    duration_minutes: int = 60,
    venue: str = "",
    online_link: str = "",
    reason: str = "",
    for_obligation: str = "",
    short_notice_reason: str = "",
    no_panel_member_reason: str = "",
    csc_meeting_type: str = "",
    csc_decision: str = "",
    csc_decision_rationale: str = "",
    invitees=(),
    chair_agreement: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    """Book a CMM (or a combined CSC meeting, or a MAPPA level 1 meeting) and send its invitations.

    001 §6.2: booked by the gatekeeper (the initial CMM) or the chair (later ones), chaired by a TM (or an
    AP), with the case manager and standing panel member(s) or a reason why none; agencies invited at
    least two weeks ahead, so a shorter notice needs a reason; not beyond the booking horizon
    (`meetings.booking_rules`, which names every problem at once). `invitees` are dicts with
    name, agency, email, role_in_meeting. The current levels and (for a compliance CMM) the report period
    are filled in from the child's record.
    """
    now = now or timezone.now()
    panel_members = list(panel_members)
    problems = booking_problems(
        user=user,
        child=child,
        kind=kind,
        starts_at=starts_at,
        chair=chair,
        case_manager=case_manager,
        panel_members=panel_members,
        no_panel_member_reason=no_panel_member_reason,
        venue=venue,
        online_link=online_link,
        short_notice_reason=short_notice_reason,
        csc_meeting_type=csc_meeting_type,
        csc_decision=csc_decision,
        csc_decision_rationale=csc_decision_rationale,
        chair_agreement=chair_agreement,
        now=now,
    )
    if problems:
        # Every problem at once, by field (the booking form shows each against its field).
        raise ValidationError(problems)
    # Only a MAPPA level 1 meeting chaired by someone other than the team manager keeps the agreement.
    chair_agreement = (
        chair_agreement.strip() if mappa_chair_needs_agreement(child=child, kind=kind, chair=chair) else ""
    )
    participation, _ = selectors.participation_for(kind)
    meeting = Meeting(
        child=child,
        kind=kind,
        for_obligation=for_obligation,
        reason=reason.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        venue=venue.strip(),
        online_link=online_link.strip(),
        chair=chair,
        chair_agreement=chair_agreement,
        case_manager=case_manager,
        booked_by=user,
        short_notice_reason=short_notice_reason.strip(),
        no_panel_member_reason=""
        if csc_meeting_type or _panel_present(panel_members, chair, case_manager)
        else no_panel_member_reason.strip(),
        csc_meeting_type=csc_meeting_type,
        csc_decision=csc_decision if csc_meeting_type else "",
        csc_decision_rationale=csc_decision_rationale.strip() if csc_meeting_type else "",
        participation=participation,
        current_rosh=child.rosh,
        current_saw=child.saw,
        current_lor=child.lor,
    )
    if kind == MeetingKind.COMPLIANCE:
        start, end, _ = contact_compliance_default_period(child=child, today=timezone.localdate(starts_at))
        meeting.compliance_period_start, meeting.compliance_period_end = start, end
    meeting.full_clean()
    meeting.save()
    meeting.panel_members.set(panel_members)
    _carry_previous_actions(meeting)
    _invite(meeting, chair=chair, case_manager=case_manager, panel_members=panel_members, invitees=invitees)
    audit(user=user, meeting=meeting, action=AuditEntry.Action.CREATE, description=f"Booked {meeting.title}")
    if for_obligation:  # someone asked for it to be booked: their request is met
        manager_requests_done(
            child=child, code=for_obligation, user=user, note=f"Booked for {when(meeting.starts_at)}"
        )
    if meeting.is_csc_combined:
        _csc_meeting_noted(meeting, user=user, now=now)
    else:
        meeting_invitations_send(meeting=meeting, user=user, now=now)
    return meeting


def _panel_present(panel_members, chair: User, case_manager: User) -> bool:
    """Whether a standing panel member other than the chair and the case manager is invited."""
    return bool({p.pk for p in panel_members} - {chair.pk, case_manager.pk})


def _carry_previous_actions(meeting: Meeting) -> None:
    """Start the review of previous actions (001 App. 4) from the last finalised meeting's actions."""
    previous = selectors.previous_meeting(meeting=meeting)
    if previous is None:
        return
    meeting.previous_actions_review = "\n".join(
        f"- {a.action} ({a.by_whom}, by {a.due:%-d %B %Y}): {'done' if a.task and a.task.is_done else 'open'}"
        for a in previous.actions.select_related("owner", "task")
    )
    meeting.save(update_fields=["previous_actions_review"])


def _invite(meeting: Meeting, *, chair: User, case_manager: User, panel_members, invitees) -> None:
    """Invite the core attendees (so everyone has the calendar entry) once each, then the agencies."""
    people = [(chair, "Chair"), (case_manager, "Case manager")] + [
        (p, "Standing panel member") for p in panel_members
    ]
    seen = set()
    for person, role in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        Invitation.objects.create(
            meeting=meeting,
            user=person,
            name=person.get_full_name() or person.username,
            agency="Youth Justice Service",
            email=person.email,
            role_in_meeting=role,
        )
    for invitee in invitees:
        invitation = Invitation(meeting=meeting, **invitee)
        invitation.full_clean()
        invitation.save()


def _csc_meeting_noted(meeting: Meeting, *, user: User, now: datetime.datetime) -> None:
    """A combined CSC meeting is CSC's to invite to (000 §1.4): the invitations count as given, and the
    decision goes on the child's timeline."""
    Invitation.objects.filter(meeting=meeting).update(sent_at=now)
    event_create(
        child=meeting.child,
        author=user,
        event_type=EventType.CSC_MEETING,
        occurred_on=timezone.localdate(now),
        summary=f"{meeting.title} on {when(meeting.starts_at)} to stand in for the risk review",
        details=f"Decision: {meeting.get_csc_decision_display()}."
        + (f"\n{meeting.csc_decision_rationale}" if meeting.csc_decision_rationale else ""),
        source=meeting.source,
    )


@transaction.atomic
def meeting_invitations_send(*, meeting: Meeting, user: User, now: datetime.datetime | None = None) -> int:
    """Issue every invitation not yet issued, and record it as an event (001 §6.2). Returns how many.

    Each email (with its calendar attachment) is written to the outbox in this transaction and sent
    once it commits, with retries (ADR 0010): nobody is invited to a meeting that was rolled back, and a
    broker or mail server outage delays an invitation, never loses it. The invitations page shows each
    one as queued, sent, or failed and retrying. Invitations without an email address are given by hand.
    """
    now = now or timezone.now()
    pending = list(meeting.invitations.filter(sent_at__isnull=True).select_related("user"))
    if not pending:
        return 0
    ics = invitation_ics(meeting=meeting)
    for invitation in pending:
        invitation.sent_at = now
        if invitation.email:
            invitation.message = email_enqueue(
                invitation_message(meeting=meeting, invitation=invitation, ics=ics),
                description=f"Invitation to {invitation}: {meeting.title}",
                source=f"meeting:{meeting.pk}",
                key=f"invitation:{invitation.pk}",
                child=meeting.child,
                user=user,
            )
    Invitation.objects.bulk_update(pending, ["sent_at", "message"])
    if meeting.invitations_sent_at is None:
        meeting.invitations_sent_at = now
        meeting.save(update_fields=["invitations_sent_at"])
    names = ", ".join(f"{i.name} ({i.agency})" if i.agency else i.name for i in pending)
    event_create(
        child=meeting.child,
        author=user,
        event_type=EventType.CMM,
        occurred_on=timezone.localdate(now),
        summary=f"Invitations sent: {meeting.title} on {when(meeting.starts_at)}",
        details=f"Invited: {names}.",
        source=meeting.source,
    )
    return len(pending)


@transaction.atomic
def invitation_add(
    *, meeting: Meeting, user: User, name: str, agency="", email="", role_in_meeting=""
) -> Invitation:
    """Invite someone else to a booked meeting, and send their invitation now."""
    if meeting.status != Meeting.Status.BOOKED:
        raise ValidationError("Invitations can only be added before the meeting is held.")
    invitation = Invitation(
        meeting=meeting, name=name, agency=agency, email=email, role_in_meeting=role_in_meeting
    )
    invitation.full_clean()
    invitation.save()
    meeting_invitations_send(meeting=meeting, user=user)
    return invitation


@transaction.atomic
def invitation_response_record(
    *, invitation: Invitation, user: User, response: str, written_update: str = ""
) -> Invitation:
    """Record an invitee's reply; an agency that cannot attend may send a written update (001 §6.2)."""
    if response == Invitation.Response.WRITTEN_UPDATE and not written_update.strip():
        raise ValidationError("Enter the written update the agency sent.")
    invitation.response = response
    invitation.written_update = written_update.strip()
    invitation.full_clean()
    invitation.save(update_fields=["response", "written_update"])
    audit(
        user=user,
        meeting=invitation.meeting,
        description=f"Recorded {invitation.name}'s reply: {invitation.get_response_display()}",
    )
    return invitation


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, user: User, reason: str) -> Meeting:
    """Cancel a booked meeting, with the reason; the due item it was booked for stays due."""
    current = locked(meeting)
    if not selectors.can_manage_meetings(user=user, child=current.child):
        raise ValidationError("Only a team manager or advanced practitioner of the child's team can cancel.")
    if not current.can_move_to(Meeting.Status.CANCELLED):
        raise ValidationError("Only a booked meeting can be cancelled.")
    if not reason.strip():
        raise ValidationError("Enter why the meeting is cancelled.")
    current.status = Meeting.Status.CANCELLED
    current.cancelled_reason = reason.strip()
    current.save(update_fields=["status", "cancelled_reason"])
    audit(user=user, meeting=current, description=f"Cancelled {current.title}")
    event_create(
        child=current.child,
        author=user,
        event_type=EventType.CMM,
        occurred_on=timezone.localdate(),
        summary=f"Cancelled: {current.title} on {when(current.starts_at)}",
        details=current.cancelled_reason,
        source=current.source,
    )
    return current
