"""Holding and recording a meeting through its pages (001 §6.2, App. 4): access, forms, the full flow."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Event, EventType, Obligation, RiskLevel, Role
from core.models import AuditEntry, Task
from demo.factories import ChildFactory, UserFactory
from meetings import services
from meetings.models import Invitation, Meeting, MeetingKind
from meetings.services.record import RECORD_RENDER
from tests.renders import capture_renders

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=LONDON)  # Tue 10 Mar 2026, 14:00
SECTIONS = ["reason", "circumstances", "views", "risk", "plan", "levels", "next"]


def _date(prefix: str, value: datetime.date) -> dict:
    """A GOV.UK date input's three parts as POST data."""
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


@pytest.fixture(autouse=True)
def pinned():
    """Every test runs on Tue 10 Mar 2026 at 14:00 London time."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def queued(monkeypatch):
    """Capture the PDF render task instead of running WeasyPrint (the PDF has its own tests)."""
    return capture_renders(monkeypatch, RECORD_RENDER, "meeting_id")


@pytest.fixture
def meeting(child, team_manager, case_manager):
    """A risk review for the child, booked through the service for this morning (short notice)."""
    child.rosh, child.saw, child.lor = RiskLevel.MEDIUM, RiskLevel.MEDIUM, RiskLevel.MEDIUM
    child.save()
    return services.meeting_book(
        child=child,
        user=team_manager,
        kind=MeetingKind.RISK_REVIEW,
        starts_at=NOW.replace(hour=10),
        chair=team_manager,
        case_manager=case_manager,
        venue="Locality office",
        reason="Scheduled review of RoSH and SaW",
        short_notice_reason="Brought forward after an incident",
        invitees=[{"name": "Agency worker", "agency": "Health", "email": "health@agency.invalid"}],
        no_panel_member_reason="No standing panel member free this week",
    )


def urls(meeting) -> list[str]:
    """Every page of the meeting this module serves."""
    pk, mpk = meeting.child_id, meeting.pk
    return [
        reverse("meeting_detail", args=[pk, mpk]),
        reverse("meeting_held", args=[pk, mpk]),
        *[reverse("meeting_section", args=[pk, mpk, s]) for s in SECTIONS],
        reverse("meeting_actions", args=[pk, mpk]),
        reverse("meeting_finalise", args=[pk, mpk]),
        reverse("meeting_record", args=[pk, mpk]),
    ]


def held(meeting, user):
    """Record the meeting held through the service."""
    return services.meeting_held_record(
        meeting=meeting, user=user, held_at=NOW.replace(hour=10), attended=[], attendees="Chair (YJS)"
    )


@pytest.mark.django_db
class TestAccess:
    def test_outsider_gets_404_everywhere(self, client, outsider, meeting):
        """A worker of another team cannot learn the meeting exists: 404 on every page, GET and POST."""
        client.force_login(outsider)
        for url in urls(meeting):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url
        task = Task.objects.create(
            child=meeting.child, assignee=meeting.chair, title="x", created_by=meeting.chair
        )
        assert client.post(reverse("task_complete", args=[task.pk])).status_code == 404

    def test_case_manager_reads_but_cannot_write(self, client, case_manager, meeting):
        """The case manager sees the meeting (no edit links) but the chair's pages are 404."""
        client.force_login(case_manager)
        response = client.get(urls(meeting)[0])
        assert response.status_code == 200
        assert reverse("meeting_held", args=[meeting.child_id, meeting.pk]) not in response.content.decode()
        for url in urls(meeting)[1:]:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"record": "1"}).status_code == 404, url

    def test_detail_is_audited_and_shows_edit_links_to_the_chair(self, client, team_manager, meeting):
        """The chair's view has the task list links; every view is audited."""
        client.force_login(team_manager)
        response = client.get(urls(meeting)[0])
        page = response.content.decode()
        assert response.status_code == 200
        pk, mpk = meeting.child_id, meeting.pk
        record = reverse("meeting_record", args=[pk, mpk])
        # The sections link to their place on the one-page record (issue 20).
        for url in [
            reverse("meeting_held", args=[pk, mpk]),
            *[f"{record}#section-{s}" for s in SECTIONS],
            reverse("meeting_actions", args=[pk, mpk]),
        ]:
            assert url in page
        assert reverse("meeting_cancel", args=[meeting.child_id, meeting.pk]) in page
        assert "govuk-task-list" in page and "Cannot start yet" in page
        assert AuditEntry.objects.filter(
            child=meeting.child, action="view", description__contains="meeting"
        ).exists()

    def test_unknown_section_and_finalised_or_cancelled_records_are_404(self, client, team_manager, meeting):
        """Sections exist only by slug, and only while the record is open."""
        client.force_login(team_manager)
        assert (
            client.get(reverse("meeting_section", args=[meeting.child_id, meeting.pk, "nope"])).status_code
            == 404
        )
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.FINALISED)
        assert client.get(urls(meeting)[2]).status_code == 404
        assert client.get(urls(meeting)[1]).status_code == 404
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
        assert client.get(urls(meeting)[-1]).status_code == 404
        assert client.get(urls(meeting)[0]).status_code == 200

    def test_meeting_of_another_child_is_404(self, client, team_manager, meeting, north):
        """The meeting must belong to the child in the URL."""
        other = ChildFactory(team=north)
        client.force_login(team_manager)
        assert client.get(reverse("meeting_detail", args=[other.pk, meeting.pk])).status_code == 404


@pytest.mark.django_db
class TestForms:
    def test_held_form_prefills_and_refuses_the_future(self, client, team_manager, meeting):
        """Attendees come from the invitations; a time later than now is refused with the input kept."""
        Invitation.objects.filter(meeting=meeting, name="Agency worker").update(
            response=Invitation.Response.WRITTEN_UPDATE, written_update="Doing well at college."
        )
        client.force_login(team_manager)
        url = urls(meeting)[1]
        page = client.get(url).content.decode()
        assert "Agency worker (Health), " not in page.split("Apologies")[0].split("Attendees")[-1]
        assert "Agency worker (Health): written update sent" in page
        response = client.post(
            url, {**_date("held_on", NOW.date()), "held_time": "23:30", "attendees": "Chair"}
        )
        assert response.status_code == 200
        assert "The time the meeting started must be in the past" in response.content.decode()
        assert 'value="23:30"' in response.content.decode()

    def test_section_bad_date_rerenders_with_errors(self, client, team_manager, meeting):
        """A date that does not exist is an error in the summary, linked to the input, with the input kept."""
        client.force_login(team_manager)
        url = reverse("meeting_section", args=[meeting.child_id, meeting.pk, "next"])
        response = client.post(
            url, {"next_meeting_on_0": "31", "next_meeting_on_1": "2", "next_meeting_on_2": "2026",
                  "next_meeting_time": "10:00", "next_meeting_venue": "Room 4"},
        )  # fmt: skip
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page and "Date of the next meeting must be a real date" in page
        assert 'href="#id_next_meeting_on_0"' in page
        assert 'value="Room 4"' in page and 'value="31"' in page
        meeting.refresh_from_db()
        assert meeting.next_meeting_at is None

    def test_next_meeting_needs_a_time_and_a_later_date(self, client, team_manager, meeting):
        """A date without a time, or not after this meeting, is refused."""
        client.force_login(team_manager)
        url = reverse("meeting_section", args=[meeting.child_id, meeting.pk, "next"])
        page = client.post(url, _date("next_meeting_on", datetime.date(2026, 5, 26))).content.decode()
        assert "Enter the time of the next meeting" in page
        page = client.post(
            url, {**_date("next_meeting_on", NOW.date()), "next_meeting_time": "10:00"}
        ).content.decode()
        assert "must be after this meeting" in page
        response = client.post(
            url, {**_date("next_meeting_on", datetime.date(2026, 5, 26)), "next_meeting_time": "10:00"}
        )
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.next_meeting_at == datetime.datetime(2026, 5, 26, 10, tzinfo=LONDON)

    def test_section_pages_render_their_aids(self, client, team_manager, meeting):
        """Risk shows the App. 2/3 frameworks; levels default to the current levels; views ask the App. A question."""
        client.force_login(team_manager)
        base = (meeting.child_id, meeting.pk)
        risk = client.get(reverse("meeting_section", args=[*base, "risk"])).content.decode()
        assert "Risk of serious harm decision framework (001 App. 2)" in risk and "govuk-details" in risk
        levels = client.get(reverse("meeting_section", args=[*base, "levels"])).content.decode()
        for name in ("revised_rosh", "revised_saw", "revised_lor"):
            assert re.search(rf'name="{name}"[^>]*value="medium"\s+checked', levels), name
        reason = client.get(reverse("meeting_section", args=[*base, "reason"])).content.decode()
        assert "Scheduled review of RoSH and SaW" in reason

    def test_compliance_and_csc_questions_appear_where_they_apply(
        self, client, team_manager, case_manager, north
    ):
        """The levels section asks about the presumption against breach for a looked-after child's compliance CMM."""
        child = ChildFactory(team=north, case_manager=case_manager, looked_after=True)
        meeting = services.meeting_book(
            child=child, user=team_manager, kind=MeetingKind.COMPLIANCE, starts_at=NOW.replace(hour=10),
            chair=team_manager, case_manager=case_manager, venue="Office", short_notice_reason="Compliance",
            no_panel_member_reason="No standing panel member free this week",
        )  # fmt: skip
        client.force_login(team_manager)
        page = client.get(reverse("meeting_section", args=[child.pk, meeting.pk, "levels"])).content.decode()
        assert "presumption against breach" in page
        page = client.get(reverse("meeting_section", args=[child.pk, meeting.pk, "views"])).content.decode()
        assert "what would help them to comply" in page
        detail = client.get(reverse("meeting_detail", args=[child.pk, meeting.pk])).content.decode()
        assert reverse("meeting_compliance_report", args=[child.pk, meeting.pk]) in detail

    def test_actions_add_errors_remove_and_record(self, client, team_manager, colleague, meeting):
        """Adding needs one person; removing works before recording; recording needs the meeting held."""
        client.force_login(team_manager)
        url = reverse("meeting_actions", args=[meeting.child_id, meeting.pk])
        due = _date("due", datetime.date(2026, 3, 20))
        page = client.post(url, {"action": "Refer", **due}).content.decode()
        assert "Choose a colleague, or enter the name of someone outside the service" in page
        page = client.post(
            url, {"action": "Refer", "owner": colleague.pk, "owner_name": "Someone", **due}
        ).content.decode()
        assert "not both" in page
        assert client.post(url, {"action": "Refer", "owner": colleague.pk, **due}).status_code == 302
        action = meeting.actions.get()
        page = client.post(url, {"record": "1"}).content.decode()
        assert "Record that the meeting was held first" in page
        assert client.post(url, {"remove": action.pk}).status_code == 302
        assert not meeting.actions.exists()
        assert client.post(url, {"remove": "999999"}).status_code == 404
        assert client.post(url, {"remove": "x"}).status_code == 404

    def test_finalise_lists_what_is_missing_with_links(self, client, team_manager, meeting):
        """Before the record is complete, finalising shows each missing part linked to its section."""
        held(meeting, team_manager)
        client.force_login(team_manager)
        url = reverse("meeting_finalise", args=[meeting.child_id, meeting.pk])
        for response in (client.get(url), client.post(url)):
            page = response.content.decode()
            assert response.status_code == 200
            assert "Enter the Risk of Serious Harm assessment" in page
            assert reverse("meeting_record", args=[meeting.child_id, meeting.pk]) + "#section-risk" in page
            assert "Finalise the record</button>" not in page
        assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD


@pytest.mark.django_db
class TestFullFlow:
    def test_held_sections_actions_finalise(
        self,
        client,
        team_manager,
        case_manager,
        colleague,
        meeting,
        queued,
        django_capture_on_commit_callbacks,
    ):
        """Book (service), then held → sections → actions → finalise through the pages: FINALISED, tasks for the
        named colleagues on their My work, the levels on the child and the 48-hour and five-working-day items met."""
        child, pk, mpk = meeting.child, meeting.child_id, meeting.pk
        client.force_login(team_manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("meeting_held", args=[pk, mpk]),
                {**_date("held_on", NOW.date()), "held_time": "10:05",
                 "attended": [str(i.pk) for i in meeting.invitations.all()],
                 "attendees": "Chair (YJS)\nCase manager (YJS)\nAgency worker (Health)", "apologies": ""},
            )  # fmt: skip
        assert response.status_code == 302
        detail = client.get(reverse("meeting_detail", args=[pk, mpk])).content.decode()
        assert "within 48 hours" not in detail  # the warning names the deadline instead
        assert "must be copied into an event on the child's file by 10:05, Thursday 12 March 2026" in detail
        posts = {
            "reason": {"reason": "Scheduled review", "previous_actions_review": ""},
            "circumstances": {"circumstances": "Stable", "changing_circumstances": "", "diversity": "", "agency_updates": ""},
            "views": {"views": "Calmer at home"},
            "intervention_plan": {"plan_progress": "Half the sessions done"},
            "risk": {"rosh_analysis": "Reduced", "saw_analysis": "Safe", "lor_analysis": "Reduced", "strengths": "College"},
            "plan": {"risk_management_plan": "Weekly contact"},
            "levels": {"revised_rosh": "low", "revised_saw": "medium", "revised_lor": "low"},
            "next": {**_date("next_meeting_on", datetime.date(2026, 5, 26)), "next_meeting_time": "10:00",
                     "next_meeting_venue": "Locality office"},
        }  # fmt: skip
        for slug, data in posts.items():
            response = client.post(reverse("meeting_section", args=[pk, mpk, slug]), data)
            assert response.status_code == 302, (slug, response.content.decode()[:3000])
            assert response["Location"] == reverse("meeting_detail", args=[pk, mpk])
        actions_url = reverse("meeting_actions", args=[pk, mpk])
        for who, text in ((colleague, "Refer to CAMHS"), (case_manager, "Update AssetPlus")):
            data = {"action": text, "owner": who.pk, **_date("due", datetime.date(2026, 3, 20))}
            assert client.post(actions_url, data).status_code == 302
        data = {
            "action": "Share the plan",
            "owner_name": "Social worker (CSC)",
            **_date("due", datetime.date(2026, 3, 24)),
        }
        assert client.post(actions_url, data).status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(actions_url, {"record": "1"}).status_code == 302
        finalise_url = reverse("meeting_finalise", args=[pk, mpk])
        page = client.get(finalise_url).content.decode()
        assert "Check the record before finalising it" in page and "Calmer at home" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(finalise_url)
        assert response.status_code == 302 and response["Location"] == finalise_url
        page = client.get(finalise_url).content.decode()
        assert "Record finalised" in page and "govuk-panel--confirmation" in page
        assert reverse("meeting_pdf", args=[pk, mpk]) in page
        meeting.refresh_from_db()
        child.refresh_from_db()
        assert meeting.status == Meeting.Status.FINALISED
        assert meeting.next_meeting_at == datetime.datetime(2026, 5, 26, 10, tzinfo=LONDON)
        assert queued == [mpk]
        assert (child.rosh, child.saw, child.lor) == ("low", "medium", "low")
        tasks = Task.objects.filter(source=meeting.source)
        assert {t.assignee for t in tasks if t.assignee} == {colleague, case_manager}
        assert tasks.get(assignee__isnull=True).assignee_name == "Social worker (CSC)"
        assert (
            Event.objects.filter(child=child, event_type=EventType.CMM_ACTIONS, source=meeting.source).count()
            == 1
        )
        statuses = dict(
            Obligation.objects.filter(
                child=child, code__in=["cmm.actions_recorded", "cmm.minutes"]
            ).values_list("code", "status")
        )
        assert statuses == {"cmm.actions_recorded": "met", "cmm.minutes": "met"}
        # The colleague sees the task on My work and marks it done.
        client.force_login(colleague)
        my_work = client.get(reverse("my_work")).content.decode()
        assert "Refer to CAMHS" in my_work and "Mark as done" in my_work
        task = tasks.get(assignee=colleague)
        response = client.post(reverse("task_complete", args=[task.pk]), {"next": reverse("my_work")})
        assert response.status_code == 302 and response["Location"] == reverse("my_work")
        task.refresh_from_db()
        assert task.done_by == colleague
        # Read-only for the case manager: the whole record, no edit links.
        client.force_login(case_manager)
        detail = client.get(reverse("meeting_detail", args=[pk, mpk])).content.decode()
        assert "Calmer at home" in detail and "Refer to CAMHS" in detail
        assert reverse("meeting_section", args=[pk, mpk, "risk"]) not in detail
        assert reverse("meeting_record", args=[pk, mpk]) not in detail


@pytest.mark.django_db
class TestQueries:
    def test_detail_queries_do_not_grow_with_actions_or_invitations(
        self, client, team_manager, colleague, meeting
    ):
        """The meeting page costs the same number of queries with 1 or 12 actions and invitations."""
        held(meeting, team_manager)
        services.meeting_action_add(
            meeting=meeting, user=team_manager, action="One", due=datetime.date(2026, 3, 20), owner=colleague
        )
        client.force_login(team_manager)
        url = reverse("meeting_detail", args=[meeting.child_id, meeting.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        for n in range(11):
            person = UserFactory(team=meeting.child.team, role=Role.CASE_MANAGER)
            Invitation.objects.create(meeting=meeting, user=person, name=f"Person {n}", response="attending")
            services.meeting_action_add(
                meeting=meeting,
                user=team_manager,
                action=f"Action {n}",
                due=datetime.date(2026, 3, 20),
                owner=person,
            )
        services.meeting_actions_record(meeting=meeting, user=team_manager)
        with CaptureQueriesContext(connection) as large:
            assert client.get(url).status_code == 200
        assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.django_db
class TestTaskComplete:
    @pytest.fixture
    def task(self, child, colleague, team_manager):
        """An open task for the colleague on the child."""
        return Task.objects.create(
            child=child, assignee=colleague, title="Refer to CAMHS", created_by=team_manager
        )

    def test_non_assignee_case_manager_gets_404(self, client, case_manager, task):
        """A case manager who is not the assignee cannot close it (even for their own child)."""
        client.force_login(case_manager)
        assert client.post(reverse("task_complete", args=[task.pk])).status_code == 404
        task.refresh_from_db()
        assert task.done_on is None

    def test_get_is_not_allowed_and_bad_ids_are_404(self, client, colleague, task):
        """Only POST changes a task; unknown tasks are 404."""
        client.force_login(colleague)
        assert client.get(reverse("task_complete", args=[task.pk])).status_code == 405
        assert client.post(reverse("task_complete", args=[999999])).status_code == 404

    def test_assignee_with_note_and_unsafe_next(self, client, colleague, task):
        """The assignee closes it with a note; an off-site `next` falls back to My work."""
        client.force_login(colleague)
        response = client.post(
            reverse("task_complete", args=[task.pk]),
            {"note": "Referral sent", "next": "https://evil.invalid/"},
        )
        assert response.status_code == 302 and response["Location"] == reverse("my_work")
        task.refresh_from_db()
        assert (task.done_by, task.done_note) == (colleague, "Referral sent")

    def test_manager_of_the_team_may_close_and_returns_to_next(self, client, team_manager, task, child):
        """A manager who may see the child closes it and comes back to the child's page."""
        client.force_login(team_manager)
        target = reverse("child_obligations", args=[child.pk])
        response = client.post(reverse("task_complete", args=[task.pk]), {"next": target})
        assert response.status_code == 302 and response["Location"] == target

    def test_manager_of_another_team_gets_404(self, client, task, south):
        """A team manager elsewhere cannot see the child, so cannot close its task."""
        other = UserFactory(username="south-tm", role=Role.TEAM_MANAGER, team=south)
        client.force_login(other)
        assert client.post(reverse("task_complete", args=[task.pk])).status_code == 404

    def test_tasks_partial_marks_overdue(self, client, colleague, task):
        """My work lists the task with an Overdue tag once its date has passed."""
        task.due = datetime.date(2026, 3, 1)
        task.save()
        client.force_login(colleague)
        page = client.get(reverse("my_work")).content.decode()
        assert "Refer to CAMHS" in page and "Overdue" in page
        assert reverse("task_complete", args=[task.pk]) in page


def _version_in(html: str) -> str:
    """The record's version in the form's hidden field."""
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match, "no version field in the form"
    return match.group(1)


@pytest.mark.django_db
class TestStaleSave:
    def test_a_stale_section_save_keeps_both_texts(self, client, team_manager, service_manager, meeting):
        """Two people open the same section; the second to save sees their words and the words now saved,
        with an error saying someone saved first, and nothing is overwritten until they save again."""
        other = Client()
        client.force_login(team_manager)
        other.force_login(service_manager)
        url = reverse("meeting_section", args=[meeting.child_id, meeting.pk, "risk"])
        mine, theirs = (_version_in(c.get(url).content.decode()) for c in (client, other))
        assert mine == theirs == "1"
        first = client.post(url, {"rosh_analysis": "The chair's analysis", "version": mine})
        assert first.status_code == 302

        stale = other.post(url, {"rosh_analysis": "The service manager's analysis", "version": theirs})
        page = stale.content.decode()
        assert stale.status_code == 200 and "There is a problem" in page
        assert "Someone else saved this record after you opened it" in page
        assert "The service manager&#x27;s analysis</textarea>" in page  # their words, in the form
        assert "What is saved now" in page and "The chair&#x27;s analysis" in page  # and the saved ones
        assert _version_in(page) == "2"
        meeting.refresh_from_db()
        assert meeting.rosh_analysis == "The chair's analysis" and meeting.version == 2

        # Having seen both, saving again (with the version the page now carries) is their choice.
        again = other.post(url, {"rosh_analysis": "Both analyses, merged", "version": _version_in(page)})
        assert again.status_code == 302
        meeting.refresh_from_db()
        assert meeting.rosh_analysis == "Both analyses, merged" and meeting.version == 3

    def test_a_stale_levels_save_names_the_saved_level(self, client, team_manager, meeting):
        """Radios compare by value and show the saved level's words."""
        url = reverse("meeting_section", args=[meeting.child_id, meeting.pk, "levels"])
        client.force_login(team_manager)
        levels = {"revised_rosh": "high", "revised_saw": "medium", "revised_lor": "medium"}
        services.meeting_record_update(meeting=meeting, user=team_manager, data=levels)
        response = client.post(url, {**levels, "revised_rosh": "low", "version": "1"})
        page = response.content.decode()
        assert response.status_code == 200 and "What is saved now" in page
        assert "Revised Risk of Serious Harm (RoSH)</dt>" in page and ">High</dd>" in page
        assert "Revised Safety and Wellbeing" not in page.split("What is saved now")[1].split("</dl>")[0]
