"""The team dashboard's Today panel (issue 20): meetings today, what falls due today, what is overdue,
sign-offs waiting and who is off, each one action away, in a fixed number of queries."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.factories import ChildFactory
from meetings.models import MeetingKind
from meetings.services import meeting_book
from tests.alerts.helpers import obligation

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 4)  # a Wednesday
NOW = datetime.datetime(2026, 3, 4, 8, 30, tzinfo=LONDON)


def page(client, user) -> str:
    """The team dashboard as the user sees it this morning."""
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        return client.get(reverse("team_dashboard")).content.decode()


def test_today_lists_meetings_due_items_and_who_is_off(client, north, team_manager, case_manager, colleague):
    """A CMM at 14:00 today, an action plan due today (linked to the plans page), one overdue item, and a
    colleague absent: each on the panel."""
    child = ChildFactory(team=north, case_manager=case_manager)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=LONDON), tick=False):
        meeting = meeting_book(
            child=child,
            user=team_manager,
            kind=MeetingKind.RISK_REVIEW,
            starts_at=datetime.datetime(2026, 3, 4, 14, 0, tzinfo=LONDON),
            chair=team_manager,
            case_manager=case_manager,
            venue="Locality office",
            short_notice_reason="Levels rose on Friday",
            no_panel_member_reason="No standing panel member free this week",
        )
    obligation(child=child, code="plan.action", title="Action plan completed", due=TODAY)
    obligation(
        child=child, code="plan.intervention", title="Intervention plan", due=datetime.date(2026, 3, 2)
    )
    colleague.is_absent = True
    colleague.save()
    body = page(client, team_manager)
    today = body[body.index('id="today-heading"') : body.index('<h2 class="govuk-visually-hidden">Summary')]
    assert "Today, Wednesday 4 March" in today
    assert reverse("meeting_detail", args=[child.pk, meeting.pk]) in today and "14:00" in today
    assert reverse("child_plans", args=[child.pk]) in today and "Action plan completed" in today
    assert "1 item overdue in the team" in today
    assert f"{colleague} (absent)" in today


def test_a_quiet_day_says_so(client, north, team_manager):
    """Nothing booked, due or overdue, everyone in: the panel says so in words."""
    today = page(client, team_manager)
    for words in (
        "None booked",
        "Nothing falls due today",
        "Nothing overdue",
        "None waiting",
        "Everyone is in",
    ):
        assert words in today


def test_the_panel_costs_the_same_whatever_the_number_of_rows(client, north, team_manager, case_manager):
    """Ten more children with items due today add no query to the page."""

    def queries() -> int:
        client.force_login(team_manager)
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("team_dashboard")).status_code == 200
        return len(captured)

    child = ChildFactory(team=north, case_manager=case_manager)
    obligation(child=child, code="plan.action", due=TODAY)
    before = queries()
    for _ in range(10):
        obligation(child=ChildFactory(team=north, case_manager=case_manager), code="plan.action", due=TODAY)
    assert queries() == before
