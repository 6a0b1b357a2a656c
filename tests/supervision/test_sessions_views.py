"""The Record of Supervision's pages (000 App. C, 000 §4.1-§4.2, 002): access (404 outside it), the
restricted sections, the forms and their error summaries, the whole flow, and constant query counts."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Leave, RiskLevel, Role
from cases.services.core import worker_obligations_refresh
from core.models import AuditEntry
from demo.factories import ChildFactory, UserFactory
from supervision.models import CaseDiscussion, SupervisionFrequency, SupervisionMethod, SupervisionSession
from supervision.services import sessions as services
from supervision.services.sessions import SESSION_RENDER
from tests.renders import capture_renders

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=LONDON)  # Tue 15 Sep 2026
D = datetime.date
WELLBEING = "Flexi leave balance discussed; back pain managed"
PERFORMANCE = "Court reports consistently strong"


def _date(prefix: str, value: datetime.date) -> dict:
    """A GOV.UK date input's three parts as POST data."""
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


@pytest.fixture(autouse=True)
def pinned():
    """Every test runs on Tue 15 Sep 2026 at 10:00 London time."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def queued(monkeypatch):
    """Capture the PDF render task instead of running WeasyPrint (the PDF has its own tests)."""
    return capture_renders(monkeypatch, SESSION_RENDER, "session_id")


@pytest.fixture
def worker(case_manager):
    """The case manager, who joined on 1 Jun 2026."""
    case_manager.date_joined = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
    case_manager.save(update_fields=["date_joined"])
    return case_manager


@pytest.fixture
def ap(north, team_manager):
    """North's advanced practitioner: a manager of the team, but not the worker's supervisor."""
    return UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north, line_manager=team_manager)


@pytest.fixture
def session(worker, team_manager):
    """A draft Record of Supervision with its restricted sections written."""
    session = services.session_create(
        supervisee=worker,
        supervisor=team_manager,
        held_on=D(2026, 9, 14),
        method=SupervisionMethod.ONE_TO_ONE,
        user=team_manager,
    )
    return services.session_update(
        session=session,
        user=team_manager,
        personal_wellbeing=WELLBEING,
        performance=PERFORMANCE,
        matters_arising="Mileage claims submitted",
    )


def worker_urls(worker) -> list[str]:
    """The worker's pages."""
    return [
        reverse("supervision_worker", args=[worker.pk]),
        reverse("supervision_frequency", args=[worker.pk]),
        reverse("session_create", args=[worker.pk]),
    ]


def session_urls(session) -> list[str]:
    """The record's pages."""
    return [
        reverse(name, args=[session.pk])
        for name in ("session_detail", "session_edit", "session_finalise", "session_cancel", "session_pdf")
    ]


# ------------------------------------------------------------------------------------------- access


def test_outsider_gets_404_everywhere(client, outsider, worker, session):
    """Someone from another team sees nothing of the worker's supervision, GET or POST."""
    client.force_login(outsider)
    for url in worker_urls(worker) + session_urls(session):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_unknown_records_are_404(client, team_manager, session):
    """A missing worker or record is the same 404."""
    client.force_login(team_manager)
    assert client.get(reverse("supervision_worker", args=[99999])).status_code == 404
    assert client.get(reverse("session_detail", args=[99999])).status_code == 404


def test_colleague_gets_404_on_the_worker_page_and_the_record(client, colleague, worker, session):
    """A colleague in the same team is not in the worker's chain: 404, never 403."""
    client.force_login(colleague)
    for url in worker_urls(worker) + session_urls(session):
        assert client.get(url).status_code == 404, url


def test_team_ap_sees_the_record_but_not_the_restricted_sections(client, ap, worker, session):
    """The team's AP reads the record (cover) but not personal wellbeing or performance; cannot write it."""
    client.force_login(ap)
    response = client.get(reverse("session_detail", args=[session.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert WELLBEING not in page and PERFORMANCE not in page
    assert "Mileage claims submitted" in page
    assert f"Restricted: visible only to {worker}, their supervisor and managers above them" in page
    assert reverse("session_edit", args=[session.pk]) not in page
    for url in [*worker_urls(worker), *session_urls(session)[1:]]:
        assert client.get(url).status_code == 404, url


def test_supervisee_sees_restricted_sections_and_their_own_page(client, worker, session):
    """The supervisee reads every section and their own page, but records nothing."""
    client.force_login(worker)
    page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert WELLBEING in page and PERFORMANCE in page and "Restricted:" not in page
    response = client.get(reverse("supervision_worker", args=[worker.pk]))
    assert response.status_code == 200
    assert reverse("session_create", args=[worker.pk]) not in response.content.decode()
    for url in worker_urls(worker)[1:] + session_urls(session)[1:]:
        assert client.get(url).status_code == 404, url


def test_detail_view_is_audited_without_a_child(client, team_manager, session):
    """Viewing a Record of Supervision is audited (about staff: no child)."""
    client.force_login(team_manager)
    client.get(reverse("session_detail", args=[session.pk]))
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW, object_type="supervisionsession").get()
    assert entry.child is None and entry.user == team_manager and entry.object_id == str(session.pk)


# -------------------------------------------------------------------------------------- worker page


def test_worker_page_for_the_supervisor(client, team_manager, worker, north, session):
    """Name, role, team, supervisor, frequency in force, what is due, active supervision, the records."""
    ChildFactory(team=north, case_manager=worker, rosh=RiskLevel.VERY_HIGH, case_number="YJ900001")
    SupervisionFrequency.objects.create(
        worker=worker, weeks=2, from_date=D(2026, 8, 1), reason="New case manager", set_by=team_manager
    )
    worker_obligations_refresh(worker_id=worker.pk)
    client.force_login(team_manager)
    page = client.get(reverse("supervision_worker", args=[worker.pk])).content.decode()
    assert worker.get_role_display() in page and "North locality team" in page and str(team_manager) in page
    assert "Every 2 weeks" in page and "New case manager" in page
    assert "Active supervision" in page and "YJ900001" in page and "000 §4.2" in page
    assert "Supervision at the agreed frequency (every 2 weeks)" in page
    assert reverse("session_detail", args=[session.pk]) in page
    assert reverse("supervision_prepare", args=[worker.pk]) in page
    assert reverse("session_create", args=[worker.pk]) in page
    assert reverse("supervision_frequency", args=[worker.pk]) in page


def test_worker_page_queries_do_not_grow_with_records(client, team_manager, worker):
    """The records table costs the same number of queries for 2 records as for 6."""
    client.force_login(team_manager)
    url = reverse("supervision_worker", args=[worker.pk])

    def count(n: int) -> int:
        SupervisionSession.objects.filter(supervisee=worker).delete()
        for i in range(n):
            session = SupervisionSession.objects.create(
                supervisee=worker,
                supervisor=team_manager,
                held_on=D(2026, 7, 1) + datetime.timedelta(days=i),
                method=SupervisionMethod.ONE_TO_ONE,
                created_by=team_manager,
            )
            child = ChildFactory(team=worker.team, case_manager=worker)
            CaseDiscussion.objects.create(
                child=child, session=session, held_on=session.held_on, manager=team_manager, worker=worker,
                created_by=team_manager,
            )  # fmt: skip
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(6)


def test_frequency_form_sets_and_shows_errors(client, team_manager, worker):
    """The frequency form: a reason is needed; saving returns to the worker's page."""
    client.force_login(team_manager)
    url = reverse("supervision_frequency", args=[worker.pk])
    page = client.post(
        url, {"weeks": "2", **_date("from_date", D(2026, 9, 14)), "reason": ""}
    ).content.decode()
    assert "There is a problem" in page and "Enter the reason for the change of frequency" in page
    assert re.search(r'value="2"\s+checked="checked"', page)  # the choice made is kept
    response = client.post(
        url, {"weeks": "2", **_date("from_date", D(2026, 9, 14)), "reason": "New to the role"}
    )
    assert response.status_code == 302
    assert SupervisionFrequency.objects.get(worker=worker).weeks == 2


# -------------------------------------------------------------------------------------------- create


def test_create_records_a_draft_and_redirects(client, team_manager, worker):
    """Recording a supervision makes a draft record and opens its one page (issue 20)."""
    client.force_login(team_manager)
    response = client.post(
        reverse("session_create", args=[worker.pk]),
        {
            **_date("held_on", D(2026, 9, 14)),
            "starts_at": "10:30",
            "method": "one_to_one",
            "supervisor": team_manager.pk,
        },
    )
    session = SupervisionSession.objects.get(supervisee=worker)
    assert response.status_code == 302 and response["Location"] == reverse("session_edit", args=[session.pk])
    assert session.starts_at == datetime.time(10, 30) and session.created_by == team_manager


def test_create_error_summary_keeps_the_input(client, team_manager, worker):
    """A future date and no method: the error summary links each error, and what was typed stays."""
    client.force_login(team_manager)
    response = client.post(
        reverse("session_create", args=[worker.pk]),
        {
            **_date("held_on", D(2026, 9, 16)),
            "starts_at": "10:30",
            "supervisor": team_manager.pk,
            "leave_gap": "Kept text",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Date of supervision must be today or in the past" in page
    assert 'href="#id_method_1"' in page and "Choose the supervision method" in page
    assert 'value="10:30"' in page and "Kept text" in page and 'value="16"' in page
    assert not SupervisionSession.objects.exists()


def test_create_shows_and_requires_the_leave_gap(client, team_manager, worker):
    """002 Frequency: leave in a gap longer than the standard interval is shown, pre-filled and required."""
    services.session_create(
        supervisee=worker,
        supervisor=team_manager,
        held_on=D(2026, 7, 1),
        method="one_to_one",
        user=team_manager,
    )
    Leave.objects.create(
        worker=worker,
        kind=Leave.Kind.PLANNED,
        start_date=D(2026, 8, 3),
        end_date=D(2026, 8, 21),
        recorded_by=worker,
    )
    client.force_login(team_manager)
    url = reverse("session_create", args=[worker.pk])
    page = client.get(url).content.decode()
    assert "On planned leave 3–21 Aug 2026" in page and 'id="leave-gap-periods"' in page
    page = client.post(
        url,
        {
            **_date("held_on", D(2026, 9, 14)),
            "method": "one_to_one",
            "supervisor": team_manager.pk,
            "leave_gap": "",
        },
    ).content.decode()
    assert "Record the gap in supervision caused by leave" in page and 'href="#id_leave_gap"' in page
    assert SupervisionSession.objects.count() == 1
    response = client.post(
        url,
        {
            **_date("held_on", D(2026, 9, 14)),
            "method": "one_to_one",
            "supervisor": team_manager.pk,
            "leave_gap": "On planned leave 3–21 Aug 2026",
        },
    )
    assert response.status_code == 302
    assert (
        SupervisionSession.objects.get(held_on=D(2026, 9, 14)).leave_gap == "On planned leave 3–21 Aug 2026"
    )


# -------------------------------------------------------------------------------------------- detail


def test_detail_lists_discussions_and_open_cases(client, team_manager, worker, north, session):
    """Section 3: the discussions held (initials and case number) and each open case to discuss."""
    discussed = ChildFactory(
        team=north, case_manager=worker, first_name="Bo", last_name="Dee", case_number="YJ800001"
    )
    waiting = ChildFactory(team=north, case_manager=worker, case_number="YJ800002")
    ChildFactory(team=north, case_manager=worker, case_number="YJ800003", is_open=False)
    discussion = CaseDiscussion.objects.create(
        child=discussed, session=session, held_on=session.held_on, manager=team_manager, worker=worker,
        created_by=team_manager,
    )  # fmt: skip
    client.force_login(team_manager)
    page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "BD" in page and reverse("discussion_detail", args=[discussed.pk, discussion.pk]) in page
    assert "Bo Dee" not in page
    # Each case not yet discussed opens the record's page with a case discussion of it (issue 20).
    assert f"{reverse('session_edit', args=[session.pk])}?add={waiting.pk}#cases-discussed" in page
    assert f"?add={discussed.pk}#" not in page
    assert "YJ800003" not in page
    for heading in ["1. Personal Wellbeing", "3. Cases Discussed", "8. AOB", "Discussion notes"]:
        assert heading in page


def test_detail_queries_do_not_grow_with_cases(client, team_manager, worker, north, session):
    """The record costs the same number of queries with 2 cases and discussions as with 6."""
    client.force_login(team_manager)
    url = reverse("session_detail", args=[session.pk])

    def count(n: int) -> int:
        CaseDiscussion.objects.all().delete()
        worker.allocated_children.all().delete()
        for i in range(n):
            child = ChildFactory(team=north, case_manager=worker)
            if i % 2:
                CaseDiscussion.objects.create(
                    child=child, session=session, held_on=session.held_on, manager=team_manager, worker=worker,
                    created_by=team_manager,
                )  # fmt: skip
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(6)


# ---------------------------------------------------------------------------------------------- edit


def test_edit_saves_every_section(client, team_manager, session):
    """One form: all the sections, notes and next supervision."""
    client.force_login(team_manager)
    url = reverse("session_edit", args=[session.pk])
    page = client.get(url).content.decode()
    assert WELLBEING in page and "Restricted: only the supervisee" in page
    data = {
        **_date("held_on", session.held_on),
        "method": "one_to_one",
        "personal_wellbeing": WELLBEING,
        "matters_arising": "All done",
        "performance": PERFORMANCE,
        "training_development": "Trauma-informed practice course",
        "team_relationships": "Good",
        "policies_procedures": "Read the new supervision policy",
        "aob": "Desk move",
        "discussion_notes": "Reflective discussion on two cases",
        **_date("next_date", D(2026, 10, 26)),
        "next_time": "14:00",
        "next_place": "Room 2",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.training_development == "Trauma-informed practice course"
    assert session.next_date == D(2026, 10, 26) and session.next_time == datetime.time(14, 0)


def test_edit_error_summary_keeps_the_input(client, team_manager, session):
    """A next date before this one: the error links to its day, and everything typed stays."""
    client.force_login(team_manager)
    response = client.post(
        reverse("session_edit", args=[session.pk]),
        {
            **_date("held_on", session.held_on),
            "method": "one_to_one",
            "aob": "Typed but not saved",
            **_date("next_date", D(2026, 9, 1)),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert 'href="#id_next_date_0"' in page and "must be after the date of this one" in page
    assert "Typed but not saved" in page
    session.refresh_from_db()
    assert session.aob == ""


# ------------------------------------------------------------------------------------ finalise/cancel


def test_finalise_flow(
    client, team_manager, worker, north, session, queued, django_capture_on_commit_callbacks
):
    """Missing next date refused with a linked summary; then finalised with the discussion recorded."""
    child = ChildFactory(team=north, case_manager=worker)
    discussion = CaseDiscussion.objects.create(
        child=child, session=session, held_on=session.held_on, manager=team_manager, worker=worker,
        overview="On track", created_by=team_manager,
    )  # fmt: skip
    client.force_login(team_manager)
    url = reverse("session_finalise", args=[session.pk])
    page = client.get(url).content.decode()
    assert "The record is not ready to finalise" in page and "#id_next_date_0" in page
    assert client.post(url).status_code == 200
    services.session_update(session=session, user=team_manager, next_date=D(2026, 10, 26))
    page = client.get(url).content.decode()
    assert "Management Oversight - Supervision" in page and child.case_number in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    session.refresh_from_db()
    discussion.refresh_from_db()
    assert session.status == SupervisionSession.Status.FINALISED and queued == [session.pk]
    assert discussion.status == CaseDiscussion.Status.RECORDED
    page = client.get(url).content.decode()
    assert "Record of Supervision finalised" in page and reverse("session_pdf", args=[session.pk]) in page
    assert client.get(reverse("session_edit", args=[session.pk])).status_code == 404
    assert client.get(reverse("session_cancel", args=[session.pk])).status_code == 404


def test_cancel_needs_a_reason(client, team_manager, worker, session):
    """Cancelling: the reason is required and the input kept; then the record is cancelled."""
    client.force_login(team_manager)
    url = reverse("session_cancel", args=[session.pk])
    page = client.post(url, {"reason": ""}).content.decode()
    assert "There is a problem" in page and "Enter why the record is cancelled" in page
    response = client.post(url, {"reason": "Recorded in error"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision_worker", args=[worker.pk]
    )
    session.refresh_from_db()
    assert session.status == SupervisionSession.Status.CANCELLED
    page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "This record was cancelled: Recorded in error" in page


def test_a_stale_edit_shows_both_texts_and_overwrites_nothing(client, team_manager, service_manager, session):
    """The supervisor and the service manager open the record; the second to save is told someone saved
    first, sees their words and the words now saved, and nothing is overwritten (ADR 0009)."""
    other = Client()
    client.force_login(team_manager)
    other.force_login(service_manager)
    url = reverse("session_edit", args=[session.pk])
    versions = [
        re.search(r'name="version" value="(\d+)"', c.get(url).content.decode()).group(1)
        for c in (client, other)
    ]
    base = {
        **_date("held_on", session.held_on),
        "method": "one_to_one",
        "matters_arising": "Mileage claims submitted",
    }
    assert (
        client.post(url, {**base, "aob": "The supervisor's note", "version": versions[0]}).status_code == 302
    )
    stale = other.post(url, {**base, "aob": "The service manager's note", "version": versions[1]})
    page = stale.content.decode()
    assert stale.status_code == 200 and "Someone else saved this record after you opened it" in page
    assert "The service manager&#x27;s note</textarea>" in page and "The supervisor&#x27;s note</dd>" in page
    session.refresh_from_db()
    assert session.aob == "The supervisor's note"
