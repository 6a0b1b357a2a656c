"""The daily digest: its sections, who gets what, once a day, the overdue-only preference, and children
named by case number and initials only."""

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.models import DigestSent
from alerts.selectors import digest_for_user
from alerts.services import digests_send
from cases.models import EmailPreference, Obligation, Role
from cases.worklinks import action_url
from core import outbox
from core.models import OutboxMessage
from demo.factories import ChildFactory, UserFactory

from .helpers import D, obligation, sent_mail

TODAY = D(2025, 3, 3)  # a Monday
SITE = "https://cases.example.test"
OVERDUE = Obligation.Status.OVERDUE


@pytest.fixture(autouse=True)
def site(settings):
    """Links in emails use SITE_URL."""
    settings.SITE_URL = SITE


@pytest.fixture
def work(child, case_manager):
    """The case manager's work on Monday 3 March 2025.

    Overdue since 20 February (escalated: seven working days); due today; due Wednesday (within the two
    working days' lead); due Thursday (outside it); their own supervision due Friday (five days' lead),
    which their supervisor arranges and records (000 §4.1), so it is in the supervisor's digest.
    """
    obligation(
        child=child, code="cmm.compliance", title="Compliance CMM held", due=D(2025, 2, 20), status=OVERDUE
    )
    obligation(child=child, code="plan.action", title="Action plan completed", due=TODAY)
    obligation(child=child, code="plan.intervention", title="Intervention plan completed", due=D(2025, 3, 5))
    obligation(child=child, code="plan.professionals", title="Professionals plan", due=D(2025, 3, 6))
    obligation(worker=case_manager, code="supervision.staff", title="Supervision held", due=D(2025, 3, 7))
    return child


def mail_to(user):
    """The emails sent to a user."""
    return [m for m in sent_mail() if m.to == [user.email]]


@pytest.mark.django_db
class TestDigestContents:
    def test_case_managers_sections(self, work, case_manager):
        """Overdue, due today and due soon (the sweep's lead rule), for what the case manager holds."""
        digest = digest_for_user(user=case_manager, today=TODAY)
        assert [i.title for i in digest.overdue] == ["Compliance CMM held"]
        assert [i.title for i in digest.due_today] == ["Action plan completed"]
        assert [i.title for i in digest.due_soon] == ["Intervention plan completed"]
        assert not digest.team_overdue and not digest.escalated_by_team

    def test_email_names_children_by_case_number_and_initials_with_absolute_links(self, work, case_manager):
        """Plain text and HTML; the child as "YJ… (AT)", never by name; links to the site's pages."""
        assert digests_send(today=TODAY)["emailed"] >= 1
        (message,) = mail_to(case_manager)
        assert message.subject == "Your work for Monday 3 March: 1 overdue, 1 due today, 1 due soon"
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        for body in (message.body, html):
            assert f"{work.case_number} (AT)" in body
            assert "Alex" not in body and "Testchild" not in body
            assert f"{SITE}{action_url('plan.action', work.pk)}" in body
            assert reverse("session_create", args=[case_manager.pk]) not in body
            assert f"{SITE}{reverse('notification_settings')}" in body
            assert "Professionals plan" not in body  # outside the lead
        assert (
            message.body.index("OVERDUE") < message.body.index("DUE TODAY") < message.body.index("DUE SOON")
        )

    def test_manager_sees_their_reports_overdue_work(self, work, case_manager, team_manager):
        """The line manager's digest has "Overdue in your team", with who holds each item."""
        digest = digest_for_user(user=team_manager, today=TODAY)
        assert [i.title for i in digest.team_overdue] == ["Compliance CMM held"]
        assert digest.team_overdue[0].holder == case_manager.get_full_name()
        assert not digest.overdue
        # Their report's supervision, which they arrange and record (000 §4.1).
        assert [(i.title, i.link) for i in digest.due_soon] == [
            ("Supervision held", reverse("session_create", args=[case_manager.pk]))
        ]
        digests_send(today=TODAY)
        (message,) = mail_to(team_manager)
        assert "Overdue in your team" in message.alternatives[0][0]
        assert f"held by {case_manager.get_full_name()}" in message.body

    def test_service_manager_sees_escalations_by_team(self, work, service_manager, north, south):
        """The service manager gets the escalated count by team (overdue more than 5 working days)."""
        southern = ChildFactory(team=south, case_manager=None)
        obligation(child=southern, code="plan.action", due=D(2025, 2, 27), status=OVERDUE)  # 2 working days
        digest = digest_for_user(user=service_manager, today=TODAY)
        assert digest.escalated_by_team == [("North locality team", 1)]
        digests_send(today=TODAY)
        (message,) = mail_to(service_manager)
        assert "North locality team: 1" in message.body and "1 escalated" in message.subject

    def test_unallocated_children_are_in_the_team_managers_own_sections(self, north, team_manager):
        """The team manager is responsible for an unallocated child's work."""
        unallocated = ChildFactory(team=north, case_manager=None)
        obligation(child=unallocated, code="plan.action", due=TODAY)
        initials = (unallocated.first_name[:1] + unallocated.last_name[:1]).upper()
        assert [i.who for i in digest_for_user(user=team_manager, today=TODAY).due_today] == [
            f"{unallocated.case_number} ({initials})"
        ]

    def test_nothing_to_say_sends_nothing(self, work, colleague, administrator):
        """A colleague with no work gets no email (recorded as nothing to send); administrators and staff
        without an email address are not considered at all."""
        no_email = UserFactory(role=Role.CASE_MANAGER, email="")
        digests_send(today=TODAY)
        assert not mail_to(colleague)
        assert DigestSent.objects.get(user=colleague, date=TODAY).emailed is False
        assert not DigestSent.objects.filter(user__in=[administrator, no_email]).exists()

    def test_query_count_does_not_grow_with_the_caseload(self, north, case_manager, team_manager):
        """A digest for 2 or 12 children takes the same number of queries."""

        def run(how_many):
            for _ in range(how_many):
                held = ChildFactory(team=north, case_manager=case_manager)
                obligation(child=held, code="plan.action", due=TODAY)
                obligation(child=held, code="cmm.compliance", due=D(2025, 2, 20), status=OVERDUE)
            with CaptureQueriesContext(connection) as queries:
                digest = digest_for_user(user=case_manager, today=TODAY)
            assert len(digest.due_today) == Obligation.objects.filter(due=TODAY).count()
            return len(queries)

        assert run(2) == run(10)


@pytest.mark.django_db
class TestOncePerDay:
    def test_second_run_sends_nothing(self, work, case_manager, team_manager):
        """Run twice on the same day: one email each; the next day, a new one."""
        first = digests_send(today=TODAY)
        count = len(sent_mail())
        second = digests_send(today=TODAY)
        assert len(sent_mail()) == count and second["emailed"] == 0
        assert second["already"] == first["emailed"] + first["nothing"]
        assert DigestSent.objects.filter(user=case_manager, date=TODAY).count() == 1
        digests_send(today=D(2025, 3, 4))
        assert len(mail_to(case_manager)) == 2

    def test_a_failed_send_is_retried_not_lost_or_doubled(self, work, case_manager, monkeypatch):
        """If the mail server fails, the digest waits in the outbox as "failed, retrying" (ADR 0010); a
        second run of the day writes nothing new, and the relay sends it once the server is back."""
        real = EmailBackend.send_messages

        def fail(self, messages):
            raise OSError("mail server down")

        monkeypatch.setattr(EmailBackend, "send_messages", fail)
        digests_send(today=TODAY)
        assert not mail_to(case_manager)
        (waiting,) = OutboxMessage.objects.filter(key=f"digest:{case_manager.pk}:{TODAY.isoformat()}")
        assert waiting.status == OutboxMessage.Status.RETRYING and waiting.last_error == "mail server down"
        monkeypatch.setattr(EmailBackend, "send_messages", real)
        assert digests_send(today=TODAY)["emailed"] == 0
        outbox.relay(now=waiting.next_attempt_at)
        assert len(mail_to(case_manager)) == 1
        waiting.refresh_from_db()
        assert waiting.status == OutboxMessage.Status.SENT and "body" not in waiting.payload


@pytest.mark.django_db
class TestOverdueOnly:
    def test_email_only_when_overdue_and_only_overdue_sections(self, work, case_manager):
        """ "No digest": the email still comes when something is overdue, with only the overdue section."""
        case_manager.email_preference = EmailPreference.OVERDUE_ONLY
        case_manager.save()
        digests_send(today=TODAY)
        (message,) = mail_to(case_manager)
        assert message.subject == "Your work for Monday 3 March: 1 overdue"
        assert "Compliance CMM held" in message.body
        assert "Action plan completed" not in message.body and "DUE SOON" not in message.body
        assert "cannot be switched off" in message.body

    def test_nothing_overdue_no_email(self, child, case_manager):
        """With only due-soon work, an overdue-only user gets no email."""
        case_manager.email_preference = EmailPreference.OVERDUE_ONLY
        case_manager.save()
        obligation(child=child, code="plan.action", due=TODAY)
        digests_send(today=TODAY)
        assert not mail_to(case_manager)
        assert DigestSent.objects.get(user=case_manager).counts["due_today"] == 1
