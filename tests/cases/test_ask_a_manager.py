"""Asking a manager to do what is due when only a manager may (issue 20: every notification opens a page
where its recipient can act). A case manager cannot book a CMM (001 §6.2) or record a case discussion
(001 App. 5); they ask, the team manager gets a task on My work linked to the page where it is done, and
doing it completes the request."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Obligation
from cases.services.requests import manager_request
from core.models import AuditEntry, Task
from meetings.models import MeetingKind
from meetings.services import meeting_book
from supervision.services import discussions as supervision_services
from tests.alerts.helpers import obligation

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)  # a Monday


@pytest.fixture
def due(child):
    """A compliance CMM due for the child on Friday 13 March 2026."""
    return obligation(
        child=child, code="cmm.compliance", title="Compliance CMM held", due=datetime.date(2026, 3, 13)
    )


class TestService:
    def test_asks_the_team_manager_once(self, due, child, case_manager, team_manager):
        """One open request per CMM: the second ask finds the first (a double click stores nothing)."""
        task, new = manager_request(child=child, user=case_manager, code="cmm.compliance")
        again, new_again = manager_request(child=child, user=case_manager, code="cmm.compliance")
        assert (new, new_again) == (True, False) and again.pk == task.pk
        assert task.assignee == team_manager and task.due == datetime.date(2026, 3, 13)
        assert task.source == "ask:cmm.compliance"
        assert Task.objects.filter(child=child).count() == 1
        assert AuditEntry.objects.filter(child=child, description__startswith="Asked").count() == 1

    def test_only_what_is_due_and_only_a_manager_does_can_be_asked_for(self, due, child, case_manager):
        """Not a CMM that is not due, nor what the case manager does themselves (the minutes are the
        chair's record, a plan is the case manager's own), nor nothing."""
        for code in ("cmm.risk_review", "cmm.minutes", "plan.action", ""):
            with pytest.raises(ValidationError):
                manager_request(child=child, user=case_manager, code=code)
        assert not Task.objects.filter(child=child).exists()

    def test_booking_the_meeting_completes_the_request(self, due, child, case_manager, team_manager):
        """The manager books it for that obligation: the request is done, with when it is booked."""
        with time_machine.travel(NOW, tick=False):
            task, _ = manager_request(child=child, user=case_manager, code="cmm.compliance")
            meeting_book(
                child=child,
                user=team_manager,
                kind=MeetingKind.COMPLIANCE,
                starts_at=datetime.datetime(2026, 3, 20, 10, 0, tzinfo=LONDON),
                chair=team_manager,
                case_manager=case_manager,
                venue="Locality office",
                for_obligation="cmm.compliance",
                no_panel_member_reason="No standing panel member free this week",
                now=NOW,
            )
        task.refresh_from_db()
        assert task.done_on == NOW.date() and task.done_by == team_manager
        assert task.done_note == "Booked for 20 March 2026 at 10:00"


class TestPages:
    def test_case_manager_asks_from_the_meetings_tab(self, client, due, child, case_manager, team_manager):
        """The case manager sees who books it and a button to ask; then who was asked; the team manager's
        My work has the task, linked to the booking page with the meeting chosen."""
        client.force_login(case_manager)
        page = client.get(reverse("meeting_list", args=[child.pk])).content.decode()
        assert "Ask a manager" in page
        assert reverse("meeting_book", args=[child.pk]) not in page
        response = client.post(
            reverse("ask_manager", args=[child.pk]),
            {"code": "cmm.compliance", "next": reverse("meeting_list", args=[child.pk])},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == reverse("meeting_list", args=[child.pk])
        body = response.content.decode()
        assert f"Asked {team_manager.get_full_name()}. It is on their My work." in body
        assert f"{team_manager.get_full_name()} was asked on" in body
        assert "Ask a manager<" not in body
        client.force_login(team_manager)
        work = client.get(reverse("my_work")).content.decode()
        assert "Compliance CMM held (asked by" in work
        assert (
            f"{reverse('meeting_book', args=[child.pk])}?kind=compliance&amp;obligation=cmm.compliance"
            in work
        )

    def test_managers_book_rather_than_ask(self, client, due, child, team_manager):
        """A manager who may book sees the Book link, not the button to ask."""
        client.force_login(team_manager)
        page = client.get(reverse("meeting_list", args=[child.pk])).content.decode()
        assert "Ask a manager<" not in page
        assert f"{reverse('meeting_book', args=[child.pk])}?kind=compliance" in page

    def test_outsider_and_get_are_refused(self, client, due, child, outsider, case_manager):
        """Someone who cannot see the child gets a 404 and nothing is stored; a GET is not allowed."""
        client.force_login(outsider)
        url = reverse("ask_manager", args=[child.pk])
        assert client.post(url, {"code": "cmm.compliance"}).status_code == 404
        client.force_login(case_manager)
        assert client.get(url).status_code == 405
        assert not Task.objects.filter(child=child).exists()

    def test_my_work_sends_a_case_manager_to_the_meetings_tab(self, client, due, child, case_manager):
        """A CMM on the case manager's My work links to the child's meetings, where they can ask."""
        client.force_login(case_manager)
        work = client.get(reverse("my_work")).content.decode()
        assert reverse("meeting_list", args=[child.pk]) in work
        assert reverse("meeting_book", args=[child.pk]) not in work
        assert Obligation.objects.filter(child=child, code="cmm.compliance").exists()


def test_a_case_discussion_is_asked_for_on_the_oversight_tab_and_done_when_recorded(
    client, child, case_manager, team_manager
):
    """001 App. 5: the case manager asks from the Oversight tab (or What is due); the team manager's task
    opens the Case Discussion Record, and recording a discussion completes it."""
    obligation(
        child=child, code="case_discussion.due", title="Case discussion", due=datetime.date(2026, 3, 13)
    )
    client.force_login(case_manager)
    page = client.get(reverse("child_oversight", args=[child.pk])).content.decode()
    assert "Ask a manager" in page
    client.post(reverse("ask_manager", args=[child.pk]), {"code": "case_discussion.due"})
    task = Task.objects.get(child=child, source="ask:case_discussion.due")
    assert task.assignee == team_manager
    client.force_login(team_manager)
    assert reverse("discussion_create", args=[child.pk]) in client.get(reverse("my_work")).content.decode()
    discussion = supervision_services.case_discussion_create(
        child=child,
        user=team_manager,
        held_on=datetime.date(2026, 3, 10),
        manager=team_manager,
        worker=case_manager,
        overview="Engaging well; school place confirmed.",
    )
    supervision_services.case_discussion_record(discussion=discussion, user=team_manager)
    task.refresh_from_db()
    assert task.done_on is not None and task.done_by == team_manager


def test_the_outstanding_occurrence_can_be_asked_for_after_met_ones(client, child, case_manager):
    """A child's case discussions are listed oldest first: the met ones do not hide "Ask a manager" on
    the overdue one after them (the demo's case managers were sent to an Oversight tab with nothing to do)."""
    obligation(
        child=child,
        code="case_discussion.due",
        title="Case discussion",
        due=datetime.date(2026, 1, 30),
        status=Obligation.Status.MET,
    )
    obligation(
        child=child,
        code="case_discussion.due",
        title="Case discussion",
        due=datetime.date(2026, 3, 13),
        status=Obligation.Status.OVERDUE,
        position=1,
    )
    client.force_login(case_manager)
    page = client.get(reverse("child_oversight", args=[child.pk])).content.decode()
    assert page.count("Ask a manager<") == 1
