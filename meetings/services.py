"""Writes for meetings: booking, the record, actions, finalising, sending the minutes (000 §1, 001 §6.2).

Every write is audited against the child and queues the child's obligations to be recomputed, so the
meeting's facts (meetings/facts.py) turn the rules module's CMM obligations met as soon as they commit.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import MEDIUM_OR_ABOVE, Child, EventType, RiskLevel, User
from cases.rules.calendar import get_calendar
from cases.selectors.plans_contacts import contact_compliance_default_period, contact_compliance_summary
from cases.services.core import child_levels_set, child_obligations_refresh_on_commit, event_create
from cases.signals import child_significant_change
from core.audit import audit_record
from core.models import AuditEntry, Task

from . import selectors
from .models import BailApplication, FurtherOffence, Invitation, Meeting, MeetingAction, MeetingKind
from .tasks import meeting_invitations_email, meeting_record_render

LEVEL_NAMES = (("rosh", "RoSH"), ("saw", "SaW"), ("lor", "LoR"))


def _audit(*, user, meeting: Meeting, action, description: str) -> None:
    audit_record(user=user, action=action, obj=meeting, child=meeting.child, description=description)


def _locked(meeting: Meeting) -> Meeting:
    """The meeting row, locked for this transaction, so two people cannot finalise it at once."""
    return Meeting.objects.select_for_update().select_related("child").get(pk=meeting.pk)


def _when(value: datetime.datetime) -> str:
    return f"{timezone.localtime(value):%-d %B %Y at %H:%M}"


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
    csc_meeting_type: str = "",
    csc_decision: str = "",
    csc_decision_rationale: str = "",
    invitees=(),
    now: datetime.datetime | None = None,
) -> Meeting:
    """Book a CMM (or a combined CSC meeting, or a MAPPA level 1 meeting) and send its invitations.

    001 §6.2: chaired by a TM (or an AP), with the case manager and standing panel member(s); agencies
    invited at least two weeks ahead, so a shorter notice needs a reason. `invitees` are dicts with
    name, agency, email, role_in_meeting. The current levels and (for a compliance CMM) the report period
    are filled in from the child's record.
    """
    now = now or timezone.now()
    if not selectors.can_manage_meetings(user=user, child=child):
        raise ValidationError("Only a team manager or advanced practitioner of the child's team can book.")
    if chair.pk not in set(selectors.chair_candidates(child=child).values_list("pk", flat=True)):
        raise ValidationError(
            "The chair must be a team manager or advanced practitioner of the child's team."
        )
    if not venue.strip() and not online_link.strip():
        raise ValidationError("Enter a venue or an online meeting link.")
    if starts_at < now - datetime.timedelta(days=1):
        raise ValidationError(
            "The meeting date must be today or in the future; record a past meeting as held."
        )
    # A combined CSC meeting is CSC's to arrange (000 §1.4): no YJS notice period or invitations.
    if (
        not csc_meeting_type
        and selectors.short_notice(starts_at=starts_at, now=now)
        and not short_notice_reason.strip()
    ):
        raise ValidationError(
            "This gives agencies less than two weeks' notice (001 §6.2): say why it cannot be later."
        )
    if csc_meeting_type:
        _check_csc_decision(child=child, kind=kind, decision=csc_decision, rationale=csc_decision_rationale)
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
        case_manager=case_manager,
        booked_by=user,
        short_notice_reason=short_notice_reason.strip(),
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
    previous = selectors.previous_meeting(meeting=meeting)
    if previous is not None:
        meeting.previous_actions_review = "\n".join(
            f"- {a.action} ({a.by_whom}, by {a.due:%-d %B %Y}): {'done' if a.task and a.task.is_done else 'open'}"
            for a in previous.actions.select_related("owner", "task")
        )
        meeting.save(update_fields=["previous_actions_review"])
    # The core attendees are invited too, so everyone has the calendar entry.
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
    _audit(user=user, meeting=meeting, action=AuditEntry.Action.CREATE, description=f"Booked {meeting.title}")
    if meeting.is_csc_combined:
        Invitation.objects.filter(meeting=meeting).update(sent_at=now)
        event_create(
            child=child,
            author=user,
            event_type=EventType.CSC_MEETING,
            occurred_on=timezone.localdate(now),
            summary=f"{meeting.title} on {_when(starts_at)} to stand in for the risk review",
            details=f"Decision: {meeting.get_csc_decision_display()}."
            + (f"\n{meeting.csc_decision_rationale}" if meeting.csc_decision_rationale else ""),
            source=meeting.source,
        )
    else:
        meeting_invitations_send(meeting=meeting, user=user, now=now)
    return meeting


def _check_csc_decision(*, child: Child, kind: str, decision: str, rationale: str) -> None:
    """000 §1.4, 001 §6.5: a CSC meeting replaces a risk review; "no CMM needed" only for Low RoSH, SaW Medium+."""
    if kind != MeetingKind.RISK_REVIEW:
        raise ValidationError("Only a risk review can be combined with a CSC meeting.")
    if not child.open_to_csc:
        raise ValidationError("The child is not open to Children's Social Care.")
    if not decision:
        raise ValidationError("Record the decision about combining the meetings.")
    if decision == Meeting.CscDecision.NO_CMM_NEEDED:
        if child.rosh != RiskLevel.LOW or child.saw not in MEDIUM_OR_ABOVE:
            raise ValidationError(
                "'No CMM needed' is for a child with Low RoSH and Medium or higher SaW (000 §1.4)."
            )
        if not rationale.strip():
            raise ValidationError("Record why no CMM is needed: this is the management entry (000 §1.4).")


@transaction.atomic
def meeting_invitations_send(*, meeting: Meeting, user: User, now: datetime.datetime | None = None) -> int:
    """Email every invitation not yet sent, with a calendar attachment, and record it as an event (001 §6.2).

    Returns how many were sent now. Invitations without an email address are marked sent (given by hand).
    """
    now = now or timezone.now()
    pending = list(meeting.invitations.filter(sent_at__isnull=True).select_related("user"))
    if not pending:
        return 0
    # Emailed once the booking is committed, by a task that retries: nobody is invited to a meeting
    # that was rolled back, and a mail server's hiccup does not lose the booking.
    ids, pk = [i.pk for i in pending], meeting.pk
    transaction.on_commit(lambda: meeting_invitations_email.delay(pk, ids), robust=True)
    Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(sent_at=now)
    if meeting.invitations_sent_at is None:
        meeting.invitations_sent_at = now
        meeting.save(update_fields=["invitations_sent_at"])
    names = ", ".join(f"{i.name} ({i.agency})" if i.agency else i.name for i in pending)
    event_create(
        child=meeting.child,
        author=user,
        event_type=EventType.CMM,
        occurred_on=timezone.localdate(now),
        summary=f"Invitations sent: {meeting.title} on {_when(meeting.starts_at)}",
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
    _audit(
        user=user,
        meeting=invitation.meeting,
        action=AuditEntry.Action.UPDATE,
        description=f"Recorded {invitation.name}'s reply: {invitation.get_response_display()}",
    )
    return invitation


@transaction.atomic
def participation_record(
    *,
    meeting: Meeting,
    user: User,
    child_attending: bool | None,
    views: str,
    views_gathered_by: User | None,
    views_gathered_on: datetime.date | None,
) -> Meeting:
    """The child's and parent/carer's part (000 §1.2): attending, or their views gathered beforehand."""
    current = _locked(meeting)
    if current.status in (Meeting.Status.FINALISED, Meeting.Status.CANCELLED):
        raise ValidationError("This meeting's record is closed.")
    if child_attending is not True and (
        not views.strip() or views_gathered_by is None or views_gathered_on is None
    ):
        raise ValidationError("Enter their views, who gathered them and when (000 §1.2).")
    current.child_attending = child_attending
    current.views = views.strip()
    current.views_gathered_by = views_gathered_by
    current.views_gathered_on = views_gathered_on
    current.full_clean()
    current.save()
    _audit(
        user=user,
        meeting=current,
        action=AuditEntry.Action.UPDATE,
        description="Recorded the child's participation",
    )
    return current


@transaction.atomic
def compliance_report_submit(
    *,
    meeting: Meeting,
    user: User,
    period_start: datetime.date,
    period_end: datetime.date,
    actions_taken: dict,
    unacceptable_behaviour: str,
    plan_progress: str,
    now: datetime.datetime | None = None,
) -> Meeting:
    """The case manager's condensed compliance report (000 App. B), built from the contact records.

    The counts and failures are frozen as submitted, so the record shows what the chair saw. A report
    less than 24 hours before the meeting is accepted but shown as late (000 §1.3).
    """
    now = now or timezone.now()
    current = _locked(meeting)
    if current.kind != MeetingKind.COMPLIANCE:
        raise ValidationError("Only a compliance CMM has a compliance report.")
    if current.status in (Meeting.Status.FINALISED, Meeting.Status.CANCELLED):
        raise ValidationError("This meeting's record is closed.")
    if period_end < period_start:
        raise ValidationError("The end of the period must be on or after its start.")
    if not plan_progress.strip():
        raise ValidationError("Enter the intervention plan's progress and barriers (000 App. A).")
    summary = contact_compliance_summary(child=current.child, start=period_start, end=period_end)
    frozen = {
        key: summary[key]
        for key in (
            "appointments_given",
            "kept",
            "acceptable_failures",
            "unacceptable_failures",
            "awaiting_outcome",
        )
    }
    frozen["non_compliance"] = [
        {
            "pk": row["pk"],
            "date": row["date"].isoformat(),
            "nature": row["kind_display"],
            "outcome": row["outcome_display"],
            "explanation": row["explanation"],
            "action_taken": str(actions_taken.get(str(row["pk"]), actions_taken.get(row["pk"], ""))).strip(),
        }
        for row in summary["non_compliance"]
    ]
    current.compliance_period_start, current.compliance_period_end = period_start, period_end
    current.compliance_figures = frozen
    current.compliance_actions_taken = {str(k): str(v) for k, v in actions_taken.items()}
    current.unacceptable_behaviour = unacceptable_behaviour.strip()
    current.plan_progress = plan_progress.strip()
    current.compliance_report_submitted_at = now
    current.full_clean()
    current.save()
    _audit(
        user=user,
        meeting=current,
        action=AuditEntry.Action.UPDATE,
        description="Submitted the compliance report",
    )
    return current


@transaction.atomic
def meeting_held_record(
    *,
    meeting: Meeting,
    user: User,
    held_at: datetime.datetime,
    attended: list[int],
    attendees: str,
    apologies: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    """Record that the meeting took place, when, and who came: the `cmm_held` fact from now on.

    `attended` lists the invitations whose invitees came; `attendees` and `apologies` are the record's
    text (pre-filled from the invitations by the form).
    """
    now = now or timezone.now()
    current = _locked(meeting)
    if not selectors.can_edit_record(user=user, meeting=current):
        raise ValidationError("Only the chair or a manager of the child's team can record the meeting.")
    if current.status not in (Meeting.Status.BOOKED, Meeting.Status.HELD):
        raise ValidationError("This meeting's record is closed.")
    if held_at > now:
        raise ValidationError("The meeting cannot be recorded as held in the future.")
    if not attendees.strip():
        raise ValidationError("Enter who attended.")
    first_time = current.status == Meeting.Status.BOOKED
    current.status = Meeting.Status.HELD
    current.held_at = held_at
    current.attendees = attendees.strip()
    current.apologies = apologies.strip()
    current.full_clean()
    current.save()
    current.invitations.update(attended=False)
    current.invitations.filter(pk__in=attended).update(attended=True)
    _audit(
        user=user,
        meeting=current,
        action=AuditEntry.Action.UPDATE,
        description=f"Recorded {current.title} as held",
    )
    if not first_time:
        child_obligations_refresh_on_commit(child=current.child)  # the held time may have changed
        return current
    event_create(
        child=current.child,
        author=user,
        event_type=EventType.CSC_MEETING if current.is_csc_combined else EventType.CMM,
        occurred_on=timezone.localdate(held_at),
        summary=f"{current.title} held",
        details=f"Attendees: {current.attendees}"
        + (f"\nApologies: {current.apologies}" if current.apologies else ""),
        source=current.source,
    )
    return current


# The App. 4 sections the chair writes while the record is open.
RECORD_FIELDS = (
    "reason",
    "previous_actions_review",
    "circumstances",
    "changing_circumstances",
    "diversity",
    "agency_updates",
    "views",
    "rosh_analysis",
    "saw_analysis",
    "lor_analysis",
    "strengths",
    "risk_management_plan",
    "revised_rosh",
    "revised_saw",
    "revised_lor",
    "next_meeting_at",
    "next_meeting_venue",
    "breach_presumption_considered",
    "confidential_discussion_needed",
)


@transaction.atomic
def meeting_record_update(*, meeting: Meeting, user: User, data: dict) -> Meeting:
    """Save sections of the CMM Record (001 App. 4); only the names in RECORD_FIELDS are written."""
    current = _locked(meeting)
    if not selectors.can_edit_record(user=user, meeting=current):
        raise ValidationError("Only the chair or a manager of the child's team can write the record.")
    if current.status in (Meeting.Status.FINALISED, Meeting.Status.CANCELLED):
        raise ValidationError("This meeting's record is closed.")
    unknown = set(data) - set(RECORD_FIELDS)
    if unknown:
        raise ValueError(f"Not a record field: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    current.full_clean()
    current.save()
    _audit(
        user=user,
        meeting=current,
        action=AuditEntry.Action.UPDATE,
        description="Updated the record: " + ", ".join(sorted(data)),
    )
    return current


@transaction.atomic
def meeting_action_add(
    *,
    meeting: Meeting,
    user: User,
    action: str,
    due: datetime.date,
    owner: User | None = None,
    owner_name: str = "",
) -> MeetingAction:
    """Add an agreed action (action, by whom, by when: 001 App. 4). It becomes a task when recorded."""
    meeting = _locked(meeting)
    if not selectors.can_edit_record(user=user, meeting=meeting):
        raise ValidationError("Only the chair or a manager of the child's team can add actions.")
    if meeting.status in (Meeting.Status.FINALISED, Meeting.Status.CANCELLED):
        raise ValidationError("This meeting's record is closed.")
    if owner is None and not owner_name.strip():
        raise ValidationError("Say who will do it: a colleague, or someone outside the service.")
    item = MeetingAction(
        meeting=meeting, action=action.strip(), due=due, owner=owner, owner_name=owner_name.strip()
    )
    item.full_clean()
    item.save()
    _audit(
        user=user,
        meeting=meeting,
        action=AuditEntry.Action.UPDATE,
        description=f"Added action: {item.action[:200]}",
    )
    if meeting.actions_recorded_on:
        # Actions already went to the timeline: a late one becomes a task, and an entry, at once.
        _task_for(action=item, meeting=meeting, user=user)
        event_create(
            child=meeting.child,
            author=user,
            event_type=EventType.CMM_ACTIONS,
            occurred_on=timezone.localdate(),
            summary=f"Further action from {meeting.title}",
            details=f"- {item.action} — {item.by_whom}, by {item.due:%-d %B %Y}",
            source=meeting.source,
        )
    return item


@transaction.atomic
def meeting_action_remove(*, action: MeetingAction, user: User) -> None:
    """Remove an action agreed in error, before the actions are recorded."""
    meeting = _locked(action.meeting)
    if not selectors.can_edit_record(user=user, meeting=meeting):
        raise ValidationError("Only the chair or a manager of the child's team can remove actions.")
    if meeting.actions_recorded_on or meeting.status == Meeting.Status.FINALISED:
        raise ValidationError("Actions already recorded on the child's file cannot be removed.")
    _audit(
        user=user,
        meeting=meeting,
        action=AuditEntry.Action.UPDATE,
        description=f"Removed action: {action.action[:200]}",
    )
    action.delete()


def _task_for(*, action: MeetingAction, meeting: Meeting, user: User) -> Task:
    """The tracked task for an agreed action; created once (the action keeps its task)."""
    if action.task_id:
        return action.task
    task = Task.objects.create(
        child=meeting.child,
        assignee=action.owner,
        assignee_name="" if action.owner_id else action.owner_name,
        title=action.action[:300],
        due=action.due,
        basis=f"{meeting.title} on {timezone.localtime(meeting.held_at or meeting.starts_at):%-d %b %Y} (001 §6.2)",
        source=meeting.source,
        created_by=user,
    )
    action.task = task
    action.save(update_fields=["task"])
    return task


def _actions_text(meeting: Meeting) -> str:
    return (
        "\n".join(f"- {a.action} — {a.by_whom}, by {a.due:%-d %B %Y}" for a in meeting.actions.all())
        or "No actions agreed."
    )


@transaction.atomic
def meeting_actions_record(*, meeting: Meeting, user: User, today: datetime.date | None = None) -> Meeting:
    """Copy the agreed actions into an event on the child's record (001 §6.2: within 48 hours) and make
    each a tracked task for the person named. Idempotent: a second call changes nothing."""
    today = today or timezone.localdate()
    current = _locked(meeting)
    if not selectors.can_edit_record(user=user, meeting=current):
        raise ValidationError("Only the chair or a manager of the child's team can record the actions.")
    if current.held_at is None:
        raise ValidationError("Record that the meeting was held first.")
    if current.actions_recorded_on:
        return current
    actions = list(current.actions.select_related("owner", "task"))
    for action in actions:
        _task_for(action=action, meeting=current, user=user)
    event = event_create(
        child=current.child,
        author=user,
        event_type=EventType.CMM_ACTIONS,
        occurred_on=today,
        summary=f"Actions from {current.title} on {timezone.localtime(current.held_at):%-d %B %Y}",
        details=_actions_text(current),
        source=current.source,
    )
    current.actions_recorded_on = today
    current.actions_event = event
    current.save(update_fields=["actions_recorded_on", "actions_event"])
    _audit(
        user=user,
        meeting=current,
        action=AuditEntry.Action.UPDATE,
        description="Recorded the actions as an event",
    )
    child_obligations_refresh_on_commit(child=current.child)
    return current


@transaction.atomic
def meeting_finalise(*, meeting: Meeting, user: User, today: datetime.date | None = None) -> Meeting:
    """Finalise the record: actions recorded (if not already), revised levels made the child's, minutes
    complete (001 §6.2: within five working days), a business support task where the child is open to
    CSC, and the PDF queued. The record is then read-only."""
    today = today or timezone.localdate()
    current = _locked(meeting)
    if not selectors.can_edit_record(user=user, meeting=current):
        raise ValidationError("Only the chair or a manager of the child's team can finalise the record.")
    if current.status != Meeting.Status.HELD:
        raise ValidationError("Only a held meeting whose record is open can be finalised.")
    missing = selectors.record_missing(meeting=current)
    if missing:
        raise ValidationError(missing)
    meeting_actions_record(meeting=current, user=user, today=today)
    current.refresh_from_db()
    changed = child_levels_set(
        child=current.child,
        levels={name: getattr(current, f"revised_{name}") for name, _ in LEVEL_NAMES},
        user=user,
        reason=f"at {current.title} {current.pk}",
        # The levels were agreed at the meeting: the history (the `risk_rated` fact) is dated then.
        agreed_at=current.held_at,
    )
    current.status = Meeting.Status.FINALISED
    current.finalised_on = today
    current.finalised_by = user
    current.save(update_fields=["status", "finalised_on", "finalised_by"])
    levels = ", ".join(
        f"{label} {getattr(current, f'get_revised_{name}_display')()}" for name, label in LEVEL_NAMES
    )
    event_create(
        child=current.child,
        author=user,
        event_type=EventType.CSC_MEETING if current.is_csc_combined else EventType.CMM,
        occurred_on=today,
        summary=f"Minutes completed: {current.title} on {timezone.localtime(current.held_at):%-d %B %Y}",
        details=f"Agreed levels: {levels}." + (" Levels changed." if changed else " Levels unchanged."),
        source=current.source,
    )
    if current.is_csc_combined and current.csc_decision == Meeting.CscDecision.NO_CMM_NEEDED:
        # 000 §1.4: "TM/AP to put a management entry on CAPITA."
        event_create(
            child=current.child,
            author=user,
            event_type=EventType.MANAGEMENT_ENTRY,
            occurred_on=today,
            summary="No CMM needed: the CSC meeting reviewed safety and wellbeing",
            details=current.csc_decision_rationale,
            source=current.source,
        )
    if current.child.open_to_csc:
        support = selectors.business_support_for(child=current.child)
        Task.objects.get_or_create(
            source=f"{current.source}:csc",
            defaults={
                "child": current.child,
                "assignee": support or current.chair,
                "title": "Attach the meeting minutes to the CSC record",
                "due": get_calendar().add_working_days(today, 1),
                "basis": "001 §6.2: the child is open to CSC",
                "created_by": user,
            },
        )
    _audit(
        user=user, meeting=current, action=AuditEntry.Action.UPDATE, description=f"Finalised {current.title}"
    )
    pk = current.pk
    # robust: a render (or broker) failure must not undo the user's finalised record; the task retries
    # and the download renders it on demand.
    transaction.on_commit(lambda: meeting_record_render.delay(pk), robust=True)
    return current


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, user: User, reason: str) -> Meeting:
    """Cancel a booked meeting, with the reason; the due item it was booked for stays due."""
    current = _locked(meeting)
    if not selectors.can_manage_meetings(user=user, child=current.child):
        raise ValidationError("Only a team manager or advanced practitioner of the child's team can cancel.")
    if current.status != Meeting.Status.BOOKED:
        raise ValidationError("Only a booked meeting can be cancelled.")
    if not reason.strip():
        raise ValidationError("Enter why the meeting is cancelled.")
    current.status = Meeting.Status.CANCELLED
    current.cancelled_reason = reason.strip()
    current.save(update_fields=["status", "cancelled_reason"])
    _audit(
        user=user, meeting=current, action=AuditEntry.Action.UPDATE, description=f"Cancelled {current.title}"
    )
    event_create(
        child=current.child,
        author=user,
        event_type=EventType.CMM,
        occurred_on=timezone.localdate(),
        summary=f"Cancelled: {current.title} on {_when(current.starts_at)}",
        details=current.cancelled_reason,
        source=current.source,
    )
    return current


@transaction.atomic
def further_offence_record(
    *,
    child: Child,
    user: User,
    description: str,
    offence_date: datetime.date | None = None,
    psr_court_date: datetime.date | None = None,
    sentence_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> FurtherOffence:
    """Record a further offence: a re-offending CMM falls due before the PSR court date, or within 15
    working days of sentence where there is no PSR (000 §1.3)."""
    today = today or timezone.localdate()
    if psr_court_date is None and sentence_date is None:
        raise ValidationError("Enter the PSR court date or, if sentenced without a PSR, the sentence date.")
    if psr_court_date is not None and sentence_date is None and psr_court_date < today:
        raise ValidationError("The PSR court date has passed: enter the sentence date as well.")
    item = FurtherOffence(
        child=child,
        description=description.strip(),
        offence_date=offence_date,
        psr_court_date=psr_court_date,
        sentence_date=sentence_date,
        recorded_on=today,
        recorded_by=user,
    )
    item.full_clean()
    item.save()
    when = (
        f"PSR court date {psr_court_date:%-d %B %Y}"
        if psr_court_date
        else f"sentenced {sentence_date:%-d %B %Y}"
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.FURTHER_OFFENCE,
        occurred_on=today,
        summary=f"Further offence recorded ({when})",
        details=item.description,
        source=f"further_offence:{item.pk}",
    )
    # 001 §6.3: re-offending by a child open on an OOC (or My Future) is shared with the locality TM,
    # who decides with the AP who holds oversight (supervision listens).
    child_significant_change.send(
        sender=Child, child=child, reason="further offence recorded", user=user, today=today
    )
    return item


@transaction.atomic
def bail_application_record(
    *, child: Child, user: User, bail_date: datetime.date, court: str = "", notes: str = "", today=None
) -> BailApplication:
    """Record a planned bail application: the bail strategy CMM must be held before it (000 §1.3)."""
    today = today or timezone.localdate()
    if bail_date < today:
        raise ValidationError("The bail application date must be today or later.")
    item = BailApplication(
        child=child,
        bail_date=bail_date,
        court=court.strip(),
        notes=notes.strip(),
        recorded_on=today,
        recorded_by=user,
    )
    item.full_clean()
    item.save()
    event_create(
        child=child,
        author=user,
        event_type=EventType.BAIL_APPLICATION,
        occurred_on=today,
        summary=f"Bail application listed for {bail_date:%-d %B %Y}"
        + (f" at {item.court}" if item.court else ""),
        details=item.notes,
        source=f"bail_application:{item.pk}",
    )
    return item


@transaction.atomic
def task_complete(*, task: Task, user: User, note: str = "", today: datetime.date | None = None) -> Task:
    """Mark a task done (its assignee, or a manager who may see the child). Idempotent."""
    if task.done_on:
        return task
    task.done_on = today or timezone.localdate()
    task.done_by = user
    task.done_note = note.strip()[:300]
    task.save(update_fields=["done_on", "done_by", "done_note"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=task,
        child=task.child,
        description=f"Completed task: {task.title[:200]}",
    )
    return task
