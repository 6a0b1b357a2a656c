"""Sending the minutes to attendees (001 §6.2) and MAPPA level 1 minutes to the MAPPA unit (001 §8)."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Event, EventType, Obligation
from core import outbox
from core.models import AuditEntry, Document, OutboxMessage
from meetings.facts import meeting_facts
from meetings.models import Meeting, MeetingKind
from meetings.services.sending import meeting_mappa_minutes_send, meeting_minutes_send, minutes_recipients

from .test_pdf import finalised_meeting, text_of

BASE = "https://cases.example.invalid/"


@pytest.fixture
def meeting(child, team_manager, case_manager, django_capture_on_commit_callbacks, mailoutbox):
    """A finalised risk review: chair and case manager (colleagues), a police officer (outside, with an
    email), a nurse (outside, no email) attended; a teacher sent a written update. Invitations cleared
    from the outbox."""
    meeting = finalised_meeting(
        child=child, chair=team_manager, case_manager=case_manager, capture=django_capture_on_commit_callbacks
    )
    mailoutbox.clear()
    return meeting


@pytest.fixture
def mappa_meeting(child, team_manager, case_manager, django_capture_on_commit_callbacks, mailoutbox):
    """A finalised MAPPA level 1 information sharing meeting; invitations cleared from the outbox."""
    meeting = finalised_meeting(
        child=child,
        chair=team_manager,
        case_manager=case_manager,
        capture=django_capture_on_commit_callbacks,
        kind=MeetingKind.MAPPA_LEVEL_1,
    )
    mailoutbox.clear()
    return meeting


@pytest.mark.django_db
class TestMinutesSend:
    def test_recipients_are_the_attendees_by_how_they_get_the_minutes(self, meeting):
        """Colleagues a link, outsiders with email the PDF, outsiders without email by hand; absentees none."""
        groups = minutes_recipients(meeting=meeting)
        assert {i.role_in_meeting for i in groups["internal"]} == {"Chair", "Case manager"}
        assert [i.name for i in groups["external"]] == ["Pat Agency"]
        assert [i.name for i in groups["no_email"]] == ["Jo Handout"]

    def test_internal_get_a_link_external_an_encrypted_pdf(
        self, meeting, team_manager, case_manager, child, mailoutbox, django_capture_on_commit_callbacks
    ):
        """Colleagues' emails carry the link and no attachment; the outsider's the encrypted PDF only."""
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = meeting_minutes_send(meeting=meeting, user=team_manager, base_url=BASE)
        link = BASE.rstrip("/") + reverse("meeting_pdf", args=[child.pk, meeting.pk])
        by_to = {m.to[0]: m for m in mailoutbox}
        assert set(by_to) == {team_manager.email, case_manager.email, "pat@police.invalid"}
        for address in (team_manager.email, case_manager.email):
            assert link in by_to[address].body
            assert by_to[address].attachments == []
        external = by_to["pat@police.invalid"]
        assert link not in external.body
        [(filename, content, mimetype)] = external.attachments
        assert filename == Document.objects.get(source=meeting.source).filename
        assert mimetype == "application/pdf"
        reader = PdfReader(io.BytesIO(content))
        assert reader.is_encrypted
        assert reader.decrypt("not-the-password") == 0
        assert "Risk Management Plan" in text_of(content, result["password"])
        assert result["internal"] == [
            f"{team_manager.get_full_name()} (Youth Justice Service)",
            f"{case_manager.get_full_name()} (Youth Justice Service)",
        ]
        assert result["external"] == ["Pat Agency (Police)"]
        assert result["no_email"] == ["Jo Handout (Health)"]

    def test_password_and_child_name_never_in_any_email(self, meeting, team_manager, child, mailoutbox):
        """The password goes in no email; emails name the child by initials and case number only."""
        result = meeting_minutes_send(meeting=meeting, user=team_manager, base_url=BASE)
        assert len(result["password"]) >= 16
        for message in mailoutbox:
            assert result["password"] not in message.body and result["password"] not in message.subject
            assert child.first_name not in message.body + message.subject
            assert child.last_name not in message.body + message.subject
            assert child.case_number in message.subject

    def test_sending_is_recorded_and_audited(self, meeting, team_manager):
        """minutes_sent_on is set, an event says who got what (not the password), the audit log has it."""
        result = meeting_minutes_send(meeting=meeting, user=team_manager, base_url=BASE)
        meeting.refresh_from_db()
        assert meeting.minutes_sent_on is not None
        event = Event.objects.get(source=meeting.source, summary="Minutes sent to attendees")
        assert event.event_type == EventType.CMM
        assert "Pat Agency" in event.details and "Jo Handout" in event.details
        assert result["password"] not in event.details
        assert AuditEntry.objects.filter(
            object_id=str(meeting.pk), description__startswith="Sent the minutes"
        ).exists()

    def test_a_second_sending_uses_a_new_password(self, meeting, team_manager):
        """Each sending makes its own password and says it was sent again."""
        first = meeting_minutes_send(meeting=meeting, user=team_manager, base_url=BASE)["password"]
        second = meeting_minutes_send(meeting=meeting, user=team_manager, base_url=BASE)["password"]
        assert first != second
        assert Event.objects.filter(source=meeting.source, summary="Minutes sent to attendees again").exists()

    def test_no_outsiders_no_password(
        self, child, team_manager, case_manager, django_capture_on_commit_callbacks
    ):
        """With only colleagues attending there is no PDF to protect and no password."""
        meeting = finalised_meeting(
            child=child,
            chair=team_manager,
            case_manager=case_manager,
            capture=django_capture_on_commit_callbacks,
            invitees=[],
        )
        result = meeting_minutes_send(meeting=meeting, user=team_manager, base_url=BASE)
        assert result["password"] == "" and result["external"] == []

    def test_renders_the_record_if_the_worker_has_not(self, meeting, team_manager, mailoutbox):
        """A missing stored record is rendered at sending, so an outsider still gets the PDF."""
        Document.objects.filter(source=meeting.source).delete()
        meeting_minutes_send(meeting=meeting, user=team_manager, base_url=BASE)
        assert Document.objects.filter(source=meeting.source).count() == 1

    def test_case_manager_and_outsider_cannot_send(self, meeting, case_manager, outsider, mailoutbox):
        """Only the chair or a manager of the child's team may send."""
        for user in (case_manager, outsider):
            with pytest.raises(ValidationError):
                meeting_minutes_send(meeting=meeting, user=user, base_url=BASE)
        assert mailoutbox == []

    def test_not_finalised_cannot_be_sent(self, meeting, team_manager, mailoutbox):
        """A held meeting whose record is still open has no minutes to send."""
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        with pytest.raises(ValidationError, match="finalised"):
            meeting_minutes_send(meeting=meeting, user=team_manager, base_url=BASE)
        assert mailoutbox == []

    def test_nobody_with_email_is_refused(self, meeting, team_manager, mailoutbox):
        """With no attendee's email address there is nothing to send: the sender is told to hand it over."""
        meeting.invitations.update(email="")
        with pytest.raises(ValidationError, match="by hand"):
            meeting_minutes_send(meeting=meeting, user=team_manager, base_url=BASE)
        meeting.refresh_from_db()
        assert meeting.minutes_sent_on is None

    def test_mail_server_down_keeps_the_sending_and_retries(
        self, meeting, team_manager, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
    ):
        """ADR 0010: a mail server that is down delays the minutes, never loses them: the sending is
        recorded, each email waits in the outbox as "failed, retrying" with the reason, and the relay
        sends it once the server is back, once."""
        real = EmailBackend.send_messages

        def boom(self, messages):
            """A mail server that is down."""
            raise OSError("mail server down")

        monkeypatch.setattr(EmailBackend, "send_messages", boom)
        with django_capture_on_commit_callbacks(execute=True):
            meeting_minutes_send(meeting=meeting, user=team_manager, base_url=BASE)
        meeting.refresh_from_db()
        assert meeting.minutes_sent_on is not None
        assert Event.objects.filter(summary__startswith="Minutes sent").count() == 1
        minutes = OutboxMessage.objects.filter(
            source=f"meeting:{meeting.pk}", description__startswith="Minutes"
        )
        waiting = list(minutes)
        assert waiting and {m.status for m in waiting} == {"retrying"}
        assert {m.last_error for m in waiting} == {"mail server down"}
        assert not mailoutbox
        monkeypatch.setattr(EmailBackend, "send_messages", real)
        later = max(m.next_attempt_at for m in waiting)
        assert outbox.relay(now=later) == {"due": len(waiting), "published": len(waiting)}
        assert outbox.relay(now=later) == {"due": 0, "published": 0}
        assert len(mailoutbox) == len(waiting)
        assert {m.status for m in minutes.all()} == {"sent"}


@pytest.mark.django_db
class TestMappaSend:
    def test_sends_the_encrypted_pdf_to_the_unit_and_states_the_fact(
        self, mappa_meeting, team_manager, child, mailoutbox, django_capture_on_commit_callbacks
    ):
        """The unit gets the encrypted minutes; mappa_minutes_sent_on is the `mappa_minutes_sent` fact and
        the mappa.minutes obligation turns met (001 §8)."""
        due = Obligation.objects.get(child=child, code="mappa.minutes")
        assert due.status == Obligation.Status.OPEN
        with django_capture_on_commit_callbacks(execute=True):
            password = meeting_mappa_minutes_send(meeting=mappa_meeting, user=team_manager)
        [message] = mailoutbox
        assert message.to == [settings.MAPPA_UNIT_EMAIL]
        assert password not in message.body
        [(_, content, _)] = message.attachments
        assert PdfReader(io.BytesIO(content)).is_encrypted
        assert "MAPPA level 1 information sharing meeting minutes" in text_of(content, password)
        mappa_meeting.refresh_from_db()
        sent = mappa_meeting.mappa_minutes_sent_on
        assert sent is not None
        assert {"type": "mappa_minutes_sent", "date": sent.isoformat()} in meeting_facts(child=child)
        assert Obligation.objects.get(child=child, code="mappa.minutes").status == Obligation.Status.MET
        assert Event.objects.filter(
            source=mappa_meeting.source, summary="MAPPA level 1 minutes sent to the MAPPA unit"
        ).exists()

    def test_sending_again_keeps_the_first_date_and_says_so(
        self, mappa_meeting, team_manager, mailoutbox, django_capture_on_commit_callbacks
    ):
        """A resend is allowed, keeps the first date (the fact) and is recorded as a resend."""
        import datetime

        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            meeting_mappa_minutes_send(meeting=mappa_meeting, user=team_manager)
        mappa_meeting.refresh_from_db()
        first = mappa_meeting.mappa_minutes_sent_on
        with django_capture_on_commit_callbacks(execute=True):
            meeting_mappa_minutes_send(
                meeting=mappa_meeting, user=team_manager, today=first + datetime.timedelta(days=3)
            )
        mappa_meeting.refresh_from_db()
        assert mappa_meeting.mappa_minutes_sent_on == first
        assert len(mailoutbox) == 2
        assert Event.objects.filter(summary__contains="sent to the MAPPA unit again").count() == 1

    def test_only_mappa_meetings(self, meeting, team_manager, mailoutbox):
        """A CMM's minutes do not go to the MAPPA unit."""
        with pytest.raises(ValidationError, match="MAPPA"):
            meeting_mappa_minutes_send(meeting=meeting, user=team_manager)
        assert mailoutbox == []

    def test_case_manager_cannot_send(self, mappa_meeting, case_manager, mailoutbox):
        """Only the chair or a manager of the child's team may send."""
        with pytest.raises(ValidationError):
            meeting_mappa_minutes_send(meeting=mappa_meeting, user=case_manager)
        mappa_meeting.refresh_from_db()
        assert mappa_meeting.mappa_minutes_sent_on is None
