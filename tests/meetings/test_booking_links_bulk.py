"""Issue 20: a senior case manager's My work links each CMM row to the booking page (the gatekeeper of a
child's initial CMM, 001 §6.2) or to the child's meetings, answered for every row at once: the query
count does not grow with the number of CMM rows."""

import datetime

import pytest
import rules
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Assessment, Obligation, Role
from demo.factories import ChildFactory, UserFactory
from meetings.models import Meeting, MeetingKind
from meetings.permissions import opens_booking_for_children


@pytest.fixture
def scm(north, team_manager):
    """North's senior case manager: holds the children and gatekept some of their assessments."""
    return UserFactory(
        username="scm", role=Role.SENIOR_CASE_MANAGER, team=north, line_manager=team_manager,
        first_name="Sam", last_name="Duty",
    )  # fmt: skip


def _children(n, *, north, scm, colleague):
    """n children held by the senior case manager, each with a CMM due: a third gatekept by them and
    never at a CMM (they book it), a third gatekept by them with a CMM held (the chair books the next),
    a third gatekept by a colleague."""
    today = timezone.localdate()
    made = []
    for i in range(n):
        child = ChildFactory(team=north, case_manager=scm)
        keeper = colleague if i % 3 == 2 else scm
        Assessment.objects.create(
            child=child, kind=Assessment.Kind.ASSETPLUS, stage=Assessment.Stage.INITIAL, author=scm,
            gatekept_by=keeper, gatekept_on=today - datetime.timedelta(days=30),
        )  # fmt: skip
        if i % 3 == 1:
            Meeting.objects.create(
                child=child, kind=MeetingKind.RISK_REVIEW, status=Meeting.Status.HELD, case_manager=scm, booked_by=scm, chair=scm,
                starts_at=timezone.now() - datetime.timedelta(days=20),
                held_at=timezone.now() - datetime.timedelta(days=20),
            )  # fmt: skip
        Obligation.objects.create(
            child=child, code="cmm.risk_review", title="Risk review CMM", due=today + datetime.timedelta(days=3),
            status=Obligation.Status.OPEN, basis="000 §1.3", as_of=today, position=0,
        )  # fmt: skip
        made.append((i, child))
    return made


@pytest.mark.django_db
def test_bulk_answer_agrees_with_the_permission(north, scm, colleague, team_manager):
    """The bulk answer is the named permission's answer, child by child, for each kind of user."""
    children = [child for _, child in _children(6, north=north, scm=scm, colleague=colleague)]
    for user in (scm, colleague, team_manager):
        one_by_one = {c.pk for c in children if rules.has_perm("meetings.open_booking", user, c)}
        assert opens_booking_for_children(user, children) == one_by_one
    assert opens_booking_for_children(scm, children) == {children[0].pk, children[3].pk}


@pytest.mark.django_db
def test_my_work_cmm_rows_cost_no_query_each(client, north, scm, colleague):
    """2 children or 20: the same number of queries; each row links where this user acts on it."""
    client.force_login(scm)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("my_work"))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    made = _children(2, north=north, scm=scm, colleague=colleague)
    small, _ = count()
    made += _children(18, north=north, scm=scm, colleague=colleague)
    large, html = count()
    assert large == small
    for i, child in made[:6]:
        booking = reverse("meeting_book", args=[child.pk])
        meetings = reverse("meeting_list", args=[child.pk])
        if i % 3 == 0:
            assert f'href="{booking}?' in html
        else:
            assert f'href="{booking}?' not in html and f'href="{meetings}"' in html
