"""The record download and the send-minutes pages: access follows the child; only managers send."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Role
from core.models import AuditEntry, Document
from demo.factories import UserFactory
from meetings.models import Meeting, MeetingKind

from .test_pdf import finalised_meeting


@pytest.fixture
def meeting(child, team_manager, case_manager, django_capture_on_commit_callbacks, mailoutbox):
    """A finalised risk review of the North child; invitation emails cleared."""
    meeting = finalised_meeting(
        child=child, chair=team_manager, case_manager=case_manager, capture=django_capture_on_commit_callbacks
    )
    mailoutbox.clear()
    return meeting


@pytest.fixture
def mappa_meeting(child, team_manager, case_manager, django_capture_on_commit_callbacks, mailoutbox):
    """A finalised MAPPA level 1 meeting of the North child; invitation emails cleared."""
    meeting = finalised_meeting(
        child=child,
        chair=team_manager,
        case_manager=case_manager,
        capture=django_capture_on_commit_callbacks,
        kind=MeetingKind.MAPPA_LEVEL_1,
    )
    mailoutbox.clear()
    return meeting


def urls(meeting) -> dict[str, str]:
    """The three document pages of a meeting."""
    args = [meeting.child_id, meeting.pk]
    return {
        name: reverse(name, args=args)
        for name in ("meeting_pdf", "meeting_send_minutes", "meeting_send_mappa")
    }


@pytest.mark.django_db
class TestDownload:
    def test_colleague_in_the_team_downloads_and_is_audited(self, client, colleague, meeting, child):
        """Anyone who may see the child downloads the stored PDF, as an attachment; the view is audited."""
        client.force_login(colleague)
        response = client.get(urls(meeting)["meeting_pdf"])
        document = Document.objects.get(source=meeting.source)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{document.filename}"'
        assert "no-store" in response["Cache-Control"]
        assert response.content == bytes(document.content)
        assert len(PdfReader(io.BytesIO(response.content)).pages) >= 1
        assert AuditEntry.objects.filter(
            user=colleague,
            child=child,
            action=AuditEntry.Action.VIEW,
            description="Downloaded the CMM record PDF",
        ).exists()

    def test_renders_when_the_worker_is_down(self, client, case_manager, meeting):
        """A finalised record not stored yet is rendered at download, once."""
        Document.objects.filter(source=meeting.source).delete()
        client.force_login(case_manager)
        assert client.get(urls(meeting)["meeting_pdf"]).status_code == 200
        assert client.get(urls(meeting)["meeting_pdf"]).status_code == 200
        assert Document.objects.filter(source=meeting.source).count() == 1

    def test_not_finalised_is_404(self, client, team_manager, meeting):
        """No PDF for a record still open."""
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        Document.objects.all().delete()
        client.force_login(team_manager)
        assert client.get(urls(meeting)["meeting_pdf"]).status_code == 404
        assert not Document.objects.exists()

    def test_bad_ids_are_404(self, client, team_manager, meeting, child):
        """Another child's meeting, or no meeting at all, is 404."""
        client.force_login(team_manager)
        assert client.get(reverse("meeting_pdf", args=[child.pk, 999999])).status_code == 404
        assert client.get(reverse("meeting_pdf", args=[999999, meeting.pk])).status_code == 404


@pytest.mark.django_db
class TestAccess:
    def test_outsider_gets_404_everywhere(self, client, outsider, meeting, mappa_meeting, mailoutbox):
        """A worker of another team gets 404 on every page, GET and POST, and sends nothing."""
        client.force_login(outsider)
        for m in (meeting, mappa_meeting):
            for url in urls(m).values():
                assert client.get(url).status_code == 404
                assert client.post(url).status_code == 404
        assert mailoutbox == []
        assert not AuditEntry.objects.filter(user=outsider).exists()

    def test_case_manager_cannot_send(self, client, case_manager, meeting, mappa_meeting, mailoutbox):
        """The case manager may download but not send: the send pages are 404 for them."""
        client.force_login(case_manager)
        assert client.get(urls(meeting)["meeting_pdf"]).status_code == 200
        for m in (meeting, mappa_meeting):
            for name in ("meeting_send_minutes", "meeting_send_mappa"):
                assert client.get(urls(m)[name]).status_code == 404
                assert client.post(urls(m)[name]).status_code == 404
        assert mailoutbox == []

    def test_team_manager_of_another_team_cannot_send(self, client, south, meeting, mailoutbox):
        """A team manager outside the child's team gets 404."""
        client.force_login(UserFactory(username="south-tm", role=Role.TEAM_MANAGER, team=south))
        assert client.get(urls(meeting)["meeting_send_minutes"]).status_code == 404
        assert client.post(urls(meeting)["meeting_send_minutes"]).status_code == 404
        assert mailoutbox == []

    def test_mappa_page_only_for_mappa_meetings(self, client, team_manager, meeting):
        """A CMM has no send-to-MAPPA-unit page."""
        client.force_login(team_manager)
        assert client.get(urls(meeting)["meeting_send_mappa"]).status_code == 404

    def test_not_finalised_cannot_be_sent_from_the_page(self, client, team_manager, meeting):
        """The send page is 404 until the record is finalised."""
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        client.force_login(team_manager)
        assert client.get(urls(meeting)["meeting_send_minutes"]).status_code == 404


@pytest.mark.django_db
class TestSendMinutesPage:
    def test_get_shows_who_gets_what(self, client, team_manager, meeting, child):
        """The page lists each attendee with how they get the minutes, and the view is audited."""
        client.force_login(team_manager)
        response = client.get(urls(meeting)["meeting_send_minutes"])
        assert response.status_code == 200
        body = response.content.decode()
        assert "Email with a link to the record" in body
        assert "Pat Agency (Police)" in body and "password-protected PDF" in body
        assert "Jo Handout (Health)" in body and "give them a copy by hand" in body
        assert "Not sent (did not attend): Sam Absent (School)" in body
        assert 'id="send-button"' in body
        assert AuditEntry.objects.filter(
            user=team_manager, child=child, action=AuditEntry.Action.VIEW
        ).exists()

    def test_post_sends_and_shows_the_password_once(
        self, client, team_manager, meeting, mailoutbox, django_capture_on_commit_callbacks
    ):
        """Sending shows the password in the page (never cached), to give separately; it is in no email.
        The emails go from the outbox once the sending commits (ADR 0010)."""
        client.force_login(team_manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(urls(meeting)["meeting_send_minutes"])
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        password = response.context["result"]["password"]
        body = response.content.decode()
        assert password and password in body
        assert "separately, by phone or text message" in body
        assert len(mailoutbox) == 3
        assert all(password not in m.body for m in mailoutbox)
        meeting.refresh_from_db()
        assert meeting.minutes_sent_on is not None
        # Reloading the page does not show it again: a GET is the confirmation page.
        assert password not in client.get(urls(meeting)["meeting_send_minutes"]).content.decode()

    def test_service_error_shows_in_the_error_summary(self, client, team_manager, meeting, mailoutbox):
        """No email addresses: the service's message is shown in the error summary, not a 500."""
        meeting.invitations.update(email="")
        client.force_login(team_manager)
        response = client.post(urls(meeting)["meeting_send_minutes"])
        assert response.status_code == 200
        body = response.content.decode()
        assert "There is a problem" in body and "give it to them by hand" in body
        assert mailoutbox == []


@pytest.mark.django_db
class TestSendMappaPage:
    def test_get_then_post_sends_to_the_unit(
        self, client, team_manager, mappa_meeting, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        """The page names the unit; sending shows the password once and records the date."""
        client.force_login(team_manager)
        response = client.get(urls(mappa_meeting)["meeting_send_mappa"])
        assert response.status_code == 200
        assert settings.MAPPA_UNIT_EMAIL in response.content.decode()
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(urls(mappa_meeting)["meeting_send_mappa"])
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        password = response.context["password"]
        assert password in response.content.decode()
        [message] = mailoutbox
        assert message.to == [settings.MAPPA_UNIT_EMAIL] and password not in message.body
        mappa_meeting.refresh_from_db()
        assert mappa_meeting.mappa_minutes_sent_on is not None

    def test_sending_again_says_so(self, client, team_manager, mappa_meeting):
        """A second sending tells the sender the first date stands."""
        client.force_login(team_manager)
        client.post(urls(mappa_meeting)["meeting_send_mappa"])
        body = client.get(urls(mappa_meeting)["meeting_send_mappa"]).content.decode()
        assert "already sent to the MAPPA unit" in body
        body = client.post(urls(mappa_meeting)["meeting_send_mappa"]).content.decode()
        assert "were first sent on" in body


@pytest.mark.django_db
class TestSendMinutesChoice:
    def test_every_attendee_with_an_email_starts_chosen(self, client, team_manager, meeting):
        """The page offers each attendee with an address as a ticked box; nobody else."""
        client.force_login(team_manager)
        body = client.get(urls(meeting)["meeting_send_minutes"]).content.decode()
        boxes = [i for i in meeting.invitations.all() if i.attended and i.email]
        assert body.count('name="recipients"') == len(boxes) == 3
        assert body.count(" checked>") == 3
        assert "Sam Absent" not in body.split("Who gets the minutes")[1].split("Not sent")[0]

    def test_unticked_attendees_get_nothing(
        self, client, team_manager, case_manager, meeting, mailoutbox, django_capture_on_commit_callbacks
    ):
        """The sender leaves the outside agency out: only the colleagues are emailed, and no password."""
        chosen = [i.pk for i in meeting.invitations.all() if i.attended and i.email and not i.is_external]
        client.force_login(team_manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                urls(meeting)["meeting_send_minutes"], {"chosen": "1", "recipients": chosen}
            )
        assert response.status_code == 200
        assert {m.to[0] for m in mailoutbox} == {team_manager.email, case_manager.email}
        assert response.context["result"]["password"] == ""

    def test_nobody_chosen_is_an_error_and_nothing_is_sent(self, client, team_manager, meeting, mailoutbox):
        """Every box unticked: the error summary asks who, the boxes stay unticked, nothing goes."""
        client.force_login(team_manager)
        response = client.post(urls(meeting)["meeting_send_minutes"], {"chosen": "1"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in body and 'href="#recipients-1">Choose who gets the minutes' in body
        assert " checked>" not in body
        assert mailoutbox == []
        meeting.refresh_from_db()
        assert meeting.minutes_sent_on is None
        response = client.post(
            urls(meeting)["meeting_send_minutes"], {"chosen": "1", "recipients": ["999999"]}
        )
        assert "Choose people who attended" in response.content.decode() and mailoutbox == []
