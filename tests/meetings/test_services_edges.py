"""Edge cases of the meeting services found in review: combined CSC bookings, re-saving a held meeting,
late actions, past PSR dates, audit of cancelling, a failing mail server, the case manager's links."""

import datetime
import smtplib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Event, EventType, RiskLevel
from core.models import AuditEntry
from meetings import selectors, services
from meetings.models import Meeting

from .test_pdf import finalised_meeting
from .test_services_booking import book

pytestmark = pytest.mark.django_db


def held(meeting, user, hours_ago=2):
    """Record the meeting held a couple of hours ago."""
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=hours_ago)
    )
    meeting.refresh_from_db()
    return services.meeting_held_record(
        meeting=meeting,
        user=user,
        held_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        attended=[],
        attendees="Chair, case manager",
    )


def test_combined_csc_meeting_needs_no_notice_and_sends_no_invitations(child, team_manager, mailoutbox):
    """000 §1.4: CSC arranges its own meeting, so YJS neither emails invitations nor needs two weeks."""
    child.open_to_csc = True
    child.rosh, child.saw = RiskLevel.LOW, RiskLevel.MEDIUM
    child.save()
    meeting = book(
        child,
        team_manager,
        days_ahead=3,
        csc_meeting_type=Meeting.CscMeetingType.CORE_GROUP,
        csc_decision=Meeting.CscDecision.NO_CMM_NEEDED,
        csc_decision_rationale="The core group reviews safety and wellbeing fortnightly.",
    )
    assert mailoutbox == []
    assert Event.objects.filter(child=child, event_type=EventType.CSC_MEETING, source=meeting.source).exists()
    # "No CMM needed": the record is the SaW part (000 §1.4), not a full RoSH/LoR analysis.
    missing = selectors.record_missing(meeting=meeting)
    assert "Enter the Risk of Serious Harm assessment" not in missing
    assert "Enter the Likelihood of Re-offending" not in missing
    assert "Enter the Safety and Wellbeing assessment" in missing


def test_saving_held_again_writes_one_held_event(child, team_manager):
    """Correcting the held time or attendees does not repeat the timeline entry."""
    meeting = book(child, team_manager)
    held(meeting, team_manager)
    held(Meeting.objects.get(pk=meeting.pk), team_manager, hours_ago=3)
    summaries = Event.objects.filter(source=meeting.source, summary__endswith="held").count()
    assert summaries == 1
    assert Meeting.objects.get(pk=meeting.pk).held_at < timezone.now() - datetime.timedelta(
        hours=2, minutes=30
    )


def test_action_added_after_recording_goes_to_the_file(child, team_manager, case_manager):
    """001 §6.2: an action agreed after the actions event is written to the child's file too, and tasked."""
    meeting = book(child, team_manager)
    held(meeting, team_manager)
    services.meeting_actions_record(meeting=Meeting.objects.get(pk=meeting.pk), user=team_manager)
    action = services.meeting_action_add(
        meeting=meeting,
        user=team_manager,
        action="Ask school for attendance figures",
        due=timezone.localdate() + datetime.timedelta(days=5),
        owner=case_manager,
    )
    assert action.task.assignee == case_manager
    assert Event.objects.filter(
        source=meeting.source, event_type=EventType.CMM_ACTIONS, summary__startswith="Further action"
    ).exists()


def test_psr_court_date_in_the_past_needs_the_sentence_date(child, case_manager):
    """A PSR court date already passed means the child was sentenced: the sentence date is needed."""
    with pytest.raises(ValidationError, match="PSR court date has passed"):
        services.further_offence_record(
            child=child,
            user=case_manager,
            description="Fictional",
            psr_court_date=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_cancelling_is_audited_against_the_meeting(child, team_manager):
    """Every change to the child's record is audited: cancelling names the meeting."""
    meeting = book(child, team_manager)
    services.meeting_cancel(meeting=meeting, user=team_manager, reason="Child in hospital")
    assert AuditEntry.objects.filter(
        object_type="meeting", object_id=str(meeting.pk), description__startswith="Cancelled"
    ).exists()


def test_case_manager_reaches_invitations_from_the_meeting(client, child, team_manager, case_manager):
    """The case manager records replies and agencies' written updates, so the page links them there."""
    meeting = book(child, team_manager)
    client.force_login(case_manager)
    page = client.get(reverse("meeting_detail", args=[child.pk, meeting.pk])).content.decode()
    assert reverse("meeting_invitations", args=[child.pk, meeting.pk]) in page


def test_mail_server_failure_is_shown_honestly_not_a_500(
    client, child, team_manager, case_manager, monkeypatch, django_capture_on_commit_callbacks
):
    """Sending the minutes when the mail server refuses: the sending is kept, and the meeting's page
    says the email failed and is being retried, with the reason (ADR 0010), never "sent"."""
    meeting = finalised_meeting(
        child=child, chair=team_manager, case_manager=case_manager, capture=django_capture_on_commit_callbacks
    )
    meeting.invitations.update(email="someone@example.invalid", attended=True)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    client.force_login(team_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meeting_send_minutes", args=[child.pk, meeting.pk]), {})
    assert response.status_code == 200
    assert "Minutes queued to send" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).minutes_sent_on is not None
    page = client.get(reverse("meeting_detail", args=[child.pk, meeting.pk])).content.decode()
    assert "Failed, retrying" in page and "connection lost" in page
