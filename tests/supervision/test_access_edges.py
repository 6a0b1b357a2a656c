"""Edges of access and consistency found in review: who below the supervisee sees nothing, cases outside
the supervisor's scope, crafted parameters, cancelled supervisions, and the daily sweep."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from cases.models import Leave, Obligation, Role
from cases.tasks import obligations_refresh_all
from demo.factories import ChildFactory, UserFactory
from supervision.facts import discussion_facts
from supervision.models import CaseDiscussion, SupervisionMethod
from supervision.services import discussions as discussion_services
from supervision.services import sessions as session_services

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=LONDON)
D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned():
    """Every test runs on Tue 15 Sep 2026 at 10:00 London time."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ap(north, team_manager):
    """North's AP, supervised by North's team manager."""
    return UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north, line_manager=team_manager)


def _session(supervisee, supervisor, **extra):
    """A draft 1:1 Record of Supervision held today."""
    return session_services.session_create(
        supervisee=supervisee,
        supervisor=supervisor,
        held_on=D(2026, 9, 15),
        method=SupervisionMethod.ONE_TO_ONE,
        user=supervisor,
        **extra,
    )


def test_an_ap_cannot_open_their_own_team_managers_record(client, ap, team_manager, service_manager):
    """The team's APs may see a colleague's record (cover) but never their own manager's."""
    team_manager.line_manager = service_manager
    team_manager.save()
    session = _session(team_manager, service_manager)
    session_services.session_update(
        session=session, user=service_manager, team_relationships="Tension with an AP"
    )
    client.force_login(ap)
    assert client.get(reverse("session_detail", args=[session.pk])).status_code == 404


def test_the_leave_gap_is_restricted(client, ap, case_manager, team_manager):
    """Leave is personal (000 App. C Personal Wellbeing): the team's AP sees the record but not the gap."""
    Leave.objects.create(
        worker=case_manager,
        kind=Leave.Kind.UNPLANNED,
        start_date=D(2026, 7, 1),
        end_date=D(2026, 8, 28),
        recorded_by=team_manager,
    )
    session = _session(case_manager, team_manager, leave_gap="Off sick July and August")
    client.force_login(ap)
    page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "Record of Supervision" in page and "Off sick July and August" not in page
    client.force_login(case_manager)
    assert (
        "Off sick July and August"
        in client.get(reverse("session_detail", args=[session.pk])).content.decode()
    )


def test_cases_outside_the_supervisors_scope_are_not_listed(client, case_manager, team_manager, south):
    """A South child held by a North worker is not shown to the North supervisor (access follows the child)."""
    ChildFactory(team=south, case_manager=case_manager, last_name="Southonly", case_number="YJ700001")
    ChildFactory(
        team=case_manager.team, case_manager=case_manager, last_name="Northcase", case_number="YJ700002"
    )
    session = _session(case_manager, team_manager)
    client.force_login(team_manager)
    for url in (
        reverse("supervision_prepare", args=[case_manager.pk]),
        reverse("session_detail", args=[session.pk]),
    ):
        page = client.get(url).content.decode()
        assert "YJ700002" in page and "YJ700001" not in page and "Southonly" not in page


def test_a_crafted_session_parameter_is_a_404(client, child, team_manager):
    """Unicode digits pass str.isdigit() but not int(): a 404, never a 500."""
    client.force_login(team_manager)
    for raw in ("²", "-1", "abc", "99999"):
        response = client.get(reverse("discussion_create", args=[child.pk]), {"session": raw})
        assert response.status_code == 404, raw


def test_only_the_supervisees_cases_join_their_record(client, case_manager, colleague, team_manager, north):
    """A colleague's child cannot be discussed in the case manager's supervision."""
    theirs = ChildFactory(team=north, case_manager=colleague)
    session = _session(case_manager, team_manager)
    client.force_login(team_manager)
    url = reverse("discussion_create", args=[theirs.pk])
    assert client.get(url, {"session": session.pk}).status_code == 404


def test_cancelling_a_supervision_removes_its_draft_discussions(
    child, case_manager, team_manager, django_capture_on_commit_callbacks
):
    """The supervision did not happen, so its drafted case discussions state nothing any more."""
    session = _session(case_manager, team_manager)
    with django_capture_on_commit_callbacks(execute=True):
        discussion_services.case_discussion_create(
            child=child,
            user=team_manager,
            held_on=session.held_on,
            manager=team_manager,
            worker=case_manager,
            overview="Drafted",
            session=session,
        )
    assert [f["type"] for f in discussion_facts(child=child)] == ["case_discussion_held"]
    with django_capture_on_commit_callbacks(execute=True):
        session_services.session_cancel(session=session, user=team_manager, reason="Recorded in error")
    assert not CaseDiscussion.objects.filter(child=child).exists()
    assert discussion_facts(child=child) == []


def test_the_daily_sweep_gives_a_new_worker_their_supervision(team_manager, north):
    """A worker added with a supervisor (for example in the admin) is supervised from their start (000 §4.1)."""
    newcomer = UserFactory(username="newcomer", role=Role.CASE_MANAGER, team=north, line_manager=team_manager)
    newcomer.date_joined = datetime.datetime(2026, 7, 1, 9, tzinfo=LONDON)
    newcomer.save()
    assert not Obligation.objects.filter(worker=newcomer).exists()
    obligations_refresh_all()
    due = Obligation.objects.get(worker=newcomer, code="supervision.staff", due=D(2026, 8, 12))
    assert due.status == Obligation.Status.OVERDUE
