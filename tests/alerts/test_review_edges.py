"""Edges a review found: who hears about another team's child, leave follow-ups, the digest's hour-based
items, one failing mailbox, "mark all read", and hostile team-dashboard filters."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from alerts import services
from alerts.models import DigestSent, Notification
from alerts.selectors import digest_for_user
from alerts.services import alerts_raise, digests_send
from cases.models import EmailPreference, Obligation, Role, Team
from core import outbox
from core.models import OutboxMessage
from demo.factories import ChildFactory, TeamFactory, UserFactory

from .helpers import D, london, obligation, sent_mail

Kind = Notification.Kind
OVERDUE = Obligation.Status.OVERDUE


def recipients(kind) -> set[str]:
    """Usernames sent a notification of this kind."""
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def interventions(db):
    """The interventions team, its manager and an intervention worker holding a North child."""
    team = TeamFactory(name="Interventions team", kind=Team.Kind.INTERVENTIONS)
    itm = UserFactory(username="itm", role=Role.TEAM_MANAGER, team=team)
    iw = UserFactory(username="iw", role=Role.INTERVENTION_WORKER, team=team, line_manager=itm)
    return iw


@pytest.mark.django_db
class TestAnotherTeamsChild:
    NOW = london(2025, 3, 3, 6, 0)

    def test_overdue_goes_to_the_childs_team_manager_not_the_workers(
        self, north, team_manager, interventions
    ):
        """A North child held by an intervention worker: the worker's own manager cannot open the child,
        so North's team manager is told that it is overdue."""
        child = ChildFactory(team=north, case_manager=interventions)
        obligation(child=child, due=D(2025, 2, 28), status=OVERDUE)
        alerts_raise(now=self.NOW)
        assert recipients(Kind.OVERDUE) == {"iw"}
        assert recipients(Kind.OVERDUE_MANAGER) == {"tm"}

    def test_absent_worker_cover_goes_to_the_childs_team(self, north, team_manager, interventions):
        """While that worker is absent, their cover for the North child is North's team manager."""
        interventions.is_absent = True
        interventions.save()
        child = ChildFactory(team=north, case_manager=interventions)
        obligation(child=child, due=D(2025, 3, 4))
        alerts_raise(now=self.NOW)
        assert recipients(Kind.DUE_SOON) == {"iw", "tm"}

    def test_digest_of_the_childs_team_manager(self, north, team_manager, interventions):
        """North's team manager's digest carries it as their team's overdue work; the other manager's
        digest does not carry a child they cannot open."""
        child = ChildFactory(team=north, case_manager=interventions, case_number="YJ1")
        obligation(child=child, due=D(2025, 2, 28), status=OVERDUE)
        tm_digest = digest_for_user(user=team_manager, today=D(2025, 3, 3))
        assert [i.who[:3] for i in tm_digest.team_overdue] == ["YJ1"]
        itm = interventions.line_manager
        assert digest_for_user(user=itm, today=D(2025, 3, 3)).is_empty


@pytest.mark.django_db
def test_leave_follow_ups_are_the_managers_in_the_digest(case_manager, team_manager):
    """003 §7.2: the week-one review of an absent worker's cases is in the manager's digest, not theirs."""
    case_manager.is_absent = True
    case_manager.save()
    obligation(worker=case_manager, code="leave.review_cases", due=D(2025, 3, 3))
    today = D(2025, 3, 3)
    assert [i.title for i in digest_for_user(user=team_manager, today=today).due_today] == [
        "Obligation leave.review_cases"
    ]
    assert digest_for_user(user=case_manager, today=today).is_empty


@pytest.mark.django_db
def test_digest_judges_an_hour_based_item_to_the_hour(child, case_manager):
    """A 48-hour item due at 03:00 today is overdue at the 07:00 digest (as the sweep says), so even an
    overdue-only user is emailed about it; one due at 15:00 is due today."""
    case_manager.email_preference = EmailPreference.OVERDUE_ONLY
    case_manager.save()
    today = D(2025, 3, 3)
    obligation(child=child, code="cmm.actions_recorded", due=today, due_at=london(2025, 3, 3, 3, 0))
    obligation(child=child, code="cmm.minutes", due=today, due_at=london(2025, 3, 3, 15, 0))
    digest = digest_for_user(user=case_manager, today=today, now=london(2025, 3, 3, 7, 0))
    assert [i.title for i in digest.overdue] == ["Obligation cmm.actions_recorded"]
    assert [i.title for i in digest.due_today] == ["Obligation cmm.minutes"]
    assert services.digest_email(digest=digest) is not None


@pytest.mark.django_db
def test_one_failing_mailbox_does_not_stop_the_others(monkeypatch, child, case_manager, colleague):
    """The first user's mail fails: everyone else's digest is still sent; the failed one is retried by
    the outbox (ADR 0010) and sent once, and a second run of the day writes no second digest."""
    other = ChildFactory(team=child.team, case_manager=colleague)
    obligation(child=child, due=D(2025, 3, 3), status=OVERDUE)
    obligation(child=other, due=D(2025, 3, 3), status=OVERDUE)
    real = EmailBackend.send_messages
    failing = {case_manager.email}

    def send(backend, messages):
        if any(set(message.to) & failing for message in messages):
            raise OSError("550 mailbox unavailable")
        return real(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send)
    digests_send(today=D(2025, 3, 3))
    emailed = [m.to[0] for m in sent_mail()]
    assert colleague.email in emailed and case_manager.email not in emailed  # the manager's went too
    assert set(DigestSent.objects.values_list("user__username", flat=True)) == {"cm", "colleague", "tm"}
    (waiting,) = OutboxMessage.objects.filter(status=OutboxMessage.Status.RETRYING)
    assert waiting.last_error == "550 mailbox unavailable"

    failing.clear()  # the retry sends only what failed
    assert digests_send(today=D(2025, 3, 3))["emailed"] == 0
    outbox.relay(now=waiting.next_attempt_at)
    assert [m.to for m in mail.outbox].count([case_manager.email]) == 1


@pytest.mark.django_db
def test_mark_all_read_counts_only_what_the_user_can_see(client, case_manager, outsider):
    """A notification about a child the user can no longer see stays out of "mark all read"."""
    mine = ChildFactory(team=case_manager.team, case_manager=case_manager)
    gone = ChildFactory(team=outsider.team)
    for c in (mine, gone):
        Notification.objects.create(
            recipient=case_manager,
            kind=Kind.OVERDUE,
            child=c,
            code="x",
            title="X",
            message="m",
            key=f"k{c.pk}",
        )
    client.force_login(case_manager)
    client.post(reverse("notifications_mark_all_read"))
    assert set(Notification.objects.filter(read_at__isnull=False).values_list("child", flat=True)) == {
        mine.pk
    }


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?worker=%C2%B2", "?code=%00", "?code=%3Cscript%3E", "?worker=-1"])
def test_team_dashboard_hostile_filters(client, team_manager, query):
    """Malformed filters show nothing for them, never a 500."""
    client.force_login(team_manager)
    assert client.get(reverse("team_dashboard") + query).status_code == 200


@pytest.mark.django_db
def test_unallocated_child_whose_order_starts_later_is_listed(client, team_manager, north):
    """A child with no worker whose order starts in three days still needs allocating: listed, 0 days."""
    import time_machine

    from demo.factories import ProgrammeFactory

    with time_machine.travel(datetime.datetime(2025, 3, 3, 9, tzinfo=datetime.UTC), tick=False):
        child = ChildFactory(team=north, case_manager=None)
        ProgrammeFactory(child=child, start_date=D(2025, 3, 6))
        client.force_login(team_manager)
        page = client.get(reverse("team_dashboard")).content.decode()
    assert child.case_number in page and "Order starts 6 Mar 2025" in page
