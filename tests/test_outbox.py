"""The transactional outbox (core/outbox.py, ADR 0010): written with the change, delivered after it,
marked sent only when delivered, retried with backoff, never delivered twice; and the Emails page."""

import datetime

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def email(to="someone@example.invalid", subject="Hello") -> EmailMessage:
    """A plain email with an attachment."""
    message = EmailMessage(subject=subject, body="Body text", from_email="yjs@example.invalid", to=[to])
    message.attach("note.txt", b"attached", "text/plain")
    return message


def down(monkeypatch, reason="mail server down"):
    """The mail server refuses every message."""

    def refuse(self, messages):
        raise OSError(reason)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)


@pytest.mark.django_db
class TestDelivery:
    def test_written_queued_then_sent_with_its_attachment(self, case_manager, mailoutbox):
        """Queued until delivered; then sent, with the body and attachment gone from the stored row."""
        message = outbox.email_enqueue(email(), description="A test email", user=case_manager)
        assert message.status == OutboxMessage.Status.QUEUED and not mailoutbox
        assert outbox.deliver(pk=message.pk, now=NOW) == "sent"
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.SENT and message.sent_at == NOW
        assert set(message.payload) == {"subject", "to", "cc", "bcc"}
        (sent,) = mailoutbox
        assert sent.to == ["someone@example.invalid"] and sent.attachments == [
            ("note.txt", "attached", "text/plain")
        ]

    def test_a_second_delivery_sends_nothing(self, case_manager, mailoutbox):
        """A redelivered task (a relay's publish, a worker that died after sending) finds it sent."""
        message = outbox.email_enqueue(email(), description="A test email", user=case_manager)
        assert outbox.deliver(pk=message.pk) == "sent"
        assert outbox.deliver(pk=message.pk) == "skipped"
        assert len(mailoutbox) == 1

    def test_the_same_key_is_written_once(self, case_manager):
        """A follow-up with a key (a digest for a user and a day) is recorded once however often asked."""
        first = outbox.email_enqueue(email(), description="Digest", key="digest:1:2026-03-02")
        again = outbox.email_enqueue(email(), description="Digest", key="digest:1:2026-03-02")
        assert first.pk == again.pk and OutboxMessage.objects.count() == 1

    def test_failures_back_off_then_give_up(self, case_manager, monkeypatch):
        """1, 2, 4 … minutes apart, at most an hour, with the reason; failed after MAX_ATTEMPTS."""
        down(monkeypatch)
        message = outbox.email_enqueue(email(), description="A test email", user=case_manager)
        gaps = []
        for _ in range(outbox.MAX_ATTEMPTS):
            outbox.deliver(pk=message.pk, now=NOW)
            message.refresh_from_db()
            gaps.append(message.next_attempt_at - NOW)
        minutes = [gap.total_seconds() / 60 for gap in gaps]
        assert minutes[:7] == [1, 2, 4, 8, 16, 32, 60] and set(minutes[7:]) == {60}
        assert message.status == OutboxMessage.Status.FAILED
        assert message.last_error == "mail server down" and message.attempts == outbox.MAX_ATTEMPTS
        assert outbox.deliver(pk=message.pk) == "skipped"  # given up: only "Try again" sends it

    def test_a_handlers_writes_roll_back_with_its_failure(self, case_manager):
        """A topic whose handler fails half-way leaves nothing of its work behind, and is retried."""

        def half_then_fail(payload):
            OutboxMessage.objects.create(topic="email", description="half", next_attempt_at=NOW)
            raise RuntimeError("render failed")

        outbox.register("test.half", half_then_fail)
        message = outbox.enqueue(topic="test.half", payload={}, description="A render")
        assert outbox.deliver(pk=message.pk, now=NOW) == OutboxMessage.Status.RETRYING
        assert not OutboxMessage.objects.filter(description="half").exists()

    def test_an_unknown_topic_is_refused_when_written(self):
        """A typo in a topic fails the write at once, not silently later."""
        with pytest.raises(LookupError):
            outbox.enqueue(topic="no.such.topic", payload={}, description="Nothing")


@pytest.mark.django_db
class TestRelay:
    def test_publishes_only_what_is_due_and_pending(self, case_manager, mailoutbox):
        """The on-commit publish gets PUBLISH_GRACE; then the relay sends what is still queued, once."""
        message = outbox.email_enqueue(email(), description="A test email", user=case_manager)
        assert outbox.relay(now=timezone.now()) == {"due": 0, "published": 0}
        later = message.next_attempt_at
        assert outbox.relay(now=later) == {"due": 1, "published": 1}
        assert outbox.relay(now=later + outbox.RETRY_MAX) == {"due": 0, "published": 0}
        assert len(mailoutbox) == 1

    def test_retries_a_failure_when_its_time_comes(self, case_manager, monkeypatch, mailoutbox):
        """A failed message waits for its backoff, then the relay sends it."""
        message = outbox.email_enqueue(email(), description="A test email", user=case_manager)
        real = EmailBackend.send_messages
        down(monkeypatch)
        outbox.deliver(pk=message.pk, now=NOW)
        monkeypatch.setattr(EmailBackend, "send_messages", real)
        assert outbox.relay(now=NOW) == {"due": 0, "published": 0}
        assert outbox.relay(now=NOW + datetime.timedelta(minutes=1))["published"] == 1
        assert len(mailoutbox) == 1


@pytest.mark.django_db
class TestEmailsPage:
    def failed(self, user, monkeypatch, description="Invitation to Pat Example"):
        """A message of the user's that has given up."""
        message = outbox.email_enqueue(email(), description=description, user=user)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED, last_error="550 mailbox unavailable", attempts=30
        )
        return message

    def test_the_sender_sees_what_waits_and_why(self, client, case_manager, monkeypatch):
        """Waiting first, with the reason; a sent one under "Sent lately"."""
        waiting = self.failed(case_manager, monkeypatch)
        sent = outbox.email_enqueue(email(), description="Minutes of a CMM", user=case_manager)
        outbox.deliver(pk=sent.pk)
        client.force_login(case_manager)
        page = client.get(reverse("emails")).content.decode()
        assert waiting.description in page and "550 mailbox unavailable" in page and "Try again" in page
        assert (
            page.index("Invitation to Pat Example")
            < page.index("Sent lately")
            < page.index("Minutes of a CMM")
        )

    def test_try_again_sends_it(self, client, case_manager, monkeypatch, mailoutbox):
        """ "Try again" on a failed email: delivered, and shown as sent."""
        message = self.failed(case_manager, monkeypatch)
        client.force_login(case_manager)
        response = client.post(reverse("email_retry", args=[message.pk]))
        assert response.status_code == 302 and response.url == reverse("emails")
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.RETRYING and message.attempts == 0
        assert outbox.relay(now=message.next_attempt_at)["published"] == 1
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.SENT and len(mailoutbox) == 1

    def test_someone_elses_email_is_a_404(self, client, case_manager, colleague, monkeypatch):
        """A colleague neither sees nor retries another person's email."""
        message = self.failed(case_manager, monkeypatch)
        client.force_login(colleague)
        assert message.description not in client.get(reverse("emails")).content.decode()
        assert client.post(reverse("email_retry", args=[message.pk])).status_code == 404

    def test_the_service_manager_sees_everything_waiting(
        self, client, case_manager, service_manager, monkeypatch
    ):
        """The service manager sees every waiting email, with who wrote it, and may try it again."""
        message = self.failed(case_manager, monkeypatch)
        client.force_login(service_manager)
        page = client.get(reverse("emails")).content.decode()
        assert message.description in page and "from everyone" in page
        assert client.post(reverse("email_retry", args=[message.pk])).status_code == 302

    def test_the_administrator_has_no_emails_page(self, client, administrator):
        """The administrator holds no case work: no page (404)."""
        client.force_login(administrator)
        assert client.get(reverse("emails")).status_code == 404

    def test_queries_do_not_grow_with_the_messages(self, client, case_manager, monkeypatch):
        """The page reads a bounded number of rows in a fixed number of queries."""

        def queries() -> int:
            client.force_login(case_manager)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("emails")).status_code == 200
            return len(captured)

        self.failed(case_manager, monkeypatch)
        few = queries()
        for n in range(5):
            self.failed(case_manager, monkeypatch, description=f"Invitation {n}")
        assert queries() == few
