"""Issue 20: "Today" at the top of a case manager's My work: due today and overdue, meetings today,
sign-offs waiting and who in the team is off, each item one action away, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Assessment, Leave, Obligation
from demo.factories import ChildFactory
from meetings.models import Meeting, MeetingKind


def _obligation(child, code, due, status="open"):
    return Obligation.objects.create(
        child=child, code=code, title=f"Do {code}", due=due, status=status, basis="001 §6", position=0,
        as_of=timezone.localdate(),
    )  # fmt: skip


def _today_section(html: str) -> str:
    start = html.index('id="today-heading"')
    return html[start : html.index("</section>", start)]


def _fill(n, *, north, case_manager, team_manager):
    """n children held by the case manager, each with something due today, something overdue, a CMM
    today and a stage waiting for their manager's sign-off."""
    today = timezone.localdate()
    at_ten = timezone.make_aware(datetime.datetime.combine(today, datetime.time(10)))
    children = ChildFactory.create_batch(n, team=north, case_manager=case_manager)
    for child in children:
        _obligation(child, "plan.intervention", today)
        _obligation(child, "assetplus.review", today - datetime.timedelta(days=3), "overdue")
        _obligation(child, "cmm.risk_review", today + datetime.timedelta(days=2))
        Meeting.objects.create(
            child=child, kind=MeetingKind.RISK_REVIEW, status=Meeting.Status.BOOKED, starts_at=at_ten,
            case_manager=case_manager, chair=team_manager, booked_by=team_manager,
        )  # fmt: skip
        Assessment.objects.create(
            child=child, kind=Assessment.Kind.ASSETPLUS, stage=Assessment.Stage.INITIAL, author=case_manager,
            status=Assessment.Status.AWAITING_SIGN_OFF, sign_off_by=Assessment.SignOff.MANAGER,
            submitted_at=timezone.now(),
        )  # fmt: skip
    return children


@pytest.mark.django_db
def test_today_lists_each_item_one_action_away(client, north, case_manager, colleague, team_manager):
    """Each line links to where it is done; a colleague on leave today is named."""
    child = _fill(1, north=north, case_manager=case_manager, team_manager=team_manager)[0]
    today = timezone.localdate()
    Leave.objects.create(
        worker=colleague,
        start_date=today - datetime.timedelta(days=1),
        end_date=today,
        recorded_by=team_manager,
    )
    client.force_login(case_manager)
    today_html = _today_section(client.get(reverse("my_work")).content.decode())
    meeting = Meeting.objects.get(child=child)
    assert f'href="{reverse("child_plans", args=[child.pk])}"' in today_html  # due today
    assert f'href="{reverse("child_assessments", args=[child.pk])}"' in today_html  # overdue
    assert f'href="{reverse("meeting_detail", args=[child.pk, meeting.pk])}"' in today_html
    assert f'href="{reverse("sign_off_queue")}?tab=requests"' in today_html  # their stage out
    assert "Coralie Colleague (on leave)" in today_html
    # The CMM due in two days is not today's: it stays in "Due this week" below.
    assert "Do cmm.risk_review" not in today_html


@pytest.mark.django_db
def test_today_says_when_there_is_nothing(client, case_manager):
    """An empty day says so, line by line."""
    client.force_login(case_manager)
    today_html = _today_section(client.get(reverse("my_work")).content.decode())
    for words in ("Nothing falls due today", "Nothing overdue", "None booked", "Everyone in your team is in"):
        assert words in today_html


@pytest.mark.django_db
def test_my_work_with_today_in_a_fixed_number_of_queries(
    client, north, case_manager, team_manager, django_assert_max_num_queries
):
    """2 children or 20, each with items due today and overdue, a meeting today and a sign-off: the
    same number of queries."""
    client.force_login(case_manager)
    _fill(2, north=north, case_manager=case_manager, team_manager=team_manager)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("my_work")).status_code == 200
    _fill(18, north=north, case_manager=case_manager, team_manager=team_manager)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("my_work"))
    assert response.status_code == 200
    assert "All 20 overdue items" in _today_section(response.content.decode())
