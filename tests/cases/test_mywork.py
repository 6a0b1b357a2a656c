"""My work, the child's "What is due" order and links, and the event form's record types."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import EventType, Leave, Obligation, Programme, Role
from cases.rules.calendar import get_calendar
from cases.selectors import mywork
from cases.worklinks import action_url
from core.models import Task
from demo.factories import ChildFactory, EventFactory, ProgrammeFactory, UserFactory

TODAY = datetime.date(2026, 11, 18)  # a Wednesday


def _obligation(child, code, due, status, position=0):
    return Obligation.objects.create(
        child=child,
        code=code,
        title=code,
        due=due,
        status=status,
        basis="001 §6",
        position=position,
        as_of=TODAY,
    )


@pytest.mark.django_db
class TestSelectors:
    def test_grouped_overdue_this_week_later(self, child, case_manager):
        """Overdue first; due by Sunday is "this week"; the rest, and undated ones, are "later"."""
        _obligation(child, "plan.intervention", TODAY + datetime.timedelta(days=4), "open")  # Sunday
        _obligation(child, "assetplus.review", TODAY + datetime.timedelta(days=5), "open")  # next Monday
        _obligation(child, "assetplus.due", TODAY - datetime.timedelta(days=1), "overdue")
        _obligation(child, "mappa.form_h", None, "open")
        _obligation(child, "contact.initial", TODAY, "met")
        rows = mywork.obligations_for_worker(user=case_manager)
        groups = mywork.group_by_urgency(rows=rows, today=TODAY)
        assert [o.code for o in groups["overdue"]] == ["assetplus.due"]
        assert [o.code for o in groups["this_week"]] == ["plan.intervention"]
        assert [o.code for o in groups["later"]] == ["assetplus.review", "mappa.form_h"]
        assert rows[0].action_url == reverse("child_assessments", args=[child.pk])

    def test_only_children_the_worker_holds(self, child, case_manager, colleague, north):
        """A colleague's children are not on my work list; co-allocated ones are (003 §5)."""
        theirs = ChildFactory(team=north, case_manager=colleague)
        shared = ChildFactory(team=north, case_manager=colleague, co_workers=[case_manager])
        for c in (child, theirs, shared):
            _obligation(c, "plan.intervention", TODAY, "open")
        held = {o.child_id for o in mywork.obligations_for_worker(user=case_manager)}
        assert held == {child.pk, shared.pk}

    def test_leave_follow_ups_reach_the_manager(self, case_manager, team_manager, colleague):
        """003 §7.2: the week-one review and two-week reallocation tasks are the manager's to do."""
        Leave.objects.create(
            worker=case_manager, kind=Leave.Kind.UNPLANNED, start_date=TODAY, recorded_by=team_manager
        )
        services.worker_obligations_refresh(worker_id=case_manager.pk, as_of=TODAY)
        codes = [o.code for o in mywork.worker_tasks_for_manager(user=team_manager)]
        assert codes == ["leave.review_cases", "leave.consider_reallocation"]
        assert mywork.worker_tasks_for_manager(user=colleague) == []


def test_action_urls_point_where_the_thing_is_recorded():
    """Each obligation links to the page, or the event type, that records what meets it."""
    assert action_url("plan.review", 7) == "/children/7/plans/"
    assert action_url("visit.welfare", 7) == "/children/7/contacts/"
    assert action_url("co_allocation.recorded", 7) == "/children/7/events/new/?type=co_allocation_agreement"
    assert action_url("something.else", 7) == "/children/7/due/"


@pytest.mark.django_db
class TestViews:
    @pytest.mark.parametrize(
        ("role", "home"),
        [
            (Role.CASE_MANAGER, "my_work"),
            (Role.YJS_OFFICER, "my_work"),
            (Role.SENIOR_CASE_MANAGER, "my_work"),
            (Role.INTERVENTION_WORKER, "my_work"),
            (Role.BUSINESS_SUPPORT, "my_work"),
            (Role.DEVELOPMENT_MANAGER, "my_work"),
            (Role.TEAM_MANAGER, "team_dashboard"),
            (Role.ADVANCED_PRACTITIONER, "team_dashboard"),
            (Role.SERVICE_MANAGER, "compliance_dashboard"),
            (Role.ADMINISTRATOR, "caseload"),
        ],
    )
    def test_home_by_role(self, client, north, role, home):
        """Each role starts from its own work: TM/AP the team dashboard, the service manager the compliance
        dashboard, administrators (who hold no cases) the caseload page, everyone else My work."""
        client.force_login(UserFactory(username=f"home-{role}", role=role, team=north))
        response = client.get("/")
        assert response.status_code == 302 and response.url == reverse(home)

    def test_team_manager_lands_on_the_team_dashboard(self, client, team_manager):
        """Following the redirect, a team manager's home page is their team's dashboard (200)."""
        client.force_login(team_manager)
        response = client.get("/", follow=True)
        assert response.status_code == 200 and response.context["nav_section"] == "team"

    def test_my_work_lists_what_is_due(self, client, child, case_manager):
        """The page shows the child, what is due and a link to where it is done."""
        _obligation(child, "plan.intervention", datetime.date.today() - datetime.timedelta(days=2), "overdue")
        client.force_login(case_manager)
        response = client.get(reverse("my_work"))
        assert response.status_code == 200
        html = response.content.decode()
        assert child.full_name in html and reverse("child_plans", args=[child.pk]) in html
        assert "waiting for your sign-off" in html

    def test_my_work_queries_do_not_grow_with_caseload(self, client, case_manager, north):
        """The same number of queries for 3 children as for 30, each with several obligations."""
        client.force_login(case_manager)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("my_work")).status_code == 200
            return len(ctx.captured_queries)

        def add(n):
            for c in ChildFactory.create_batch(n, team=north, case_manager=case_manager):
                for i, code in enumerate(["assetplus.due", "plan.intervention", "cmm.risk_review"]):
                    _obligation(c, code, datetime.date.today() + datetime.timedelta(days=i * 5), "open", i)

        add(3)
        small = count()
        add(27)
        assert count() == small

    def test_what_is_due_puts_overdue_first(self, client, child, case_manager):
        """The child's list shows overdue items before ones due earlier but still open."""
        today = datetime.date.today()
        _obligation(child, "assetplus.review", today + datetime.timedelta(days=30), "overdue", 1)
        _obligation(child, "plan.intervention", today + datetime.timedelta(days=1), "open", 0)
        client.force_login(case_manager)
        html = client.get(reverse("child_obligations", args=[child.pk])).content.decode()
        assert html.index(reverse("child_assessments", args=[child.pk])) < html.index(
            reverse("child_plans", args=[child.pk])
        )

    def test_event_form_preselects_a_type_and_hides_record_types(self, client, child, case_manager):
        """?type= preselects a fact event; types written for structured records are not offered."""
        client.force_login(case_manager)
        url = reverse("event_add", args=[child.pk]) + "?type=co_allocation_agreement"
        html = client.get(url).content.decode()
        assert '<option value="co_allocation_agreement" selected>' in html
        assert 'value="assessment"' not in html and 'value="allocation"' not in html

    def test_record_events_are_corrected_through_their_record(self, client, child, case_manager):
        """An event the product wrote for an assessment cannot be corrected as a free note (404)."""
        event = EventFactory(
            child=child, author=case_manager, event_type=EventType.ASSETPLUS_COMPLETION, source="assessment:1"
        )
        client.force_login(case_manager)
        assert client.get(reverse("event_correct", args=[child.pk, event.pk])).status_code == 404
        assert (
            "Correct this event" not in client.get(reverse("child_detail", args=[child.pk])).content.decode()
        )

    def test_outsider_cannot_see_my_work_items_of_others(self, client, child, outsider):
        """My work only ever lists the signed-in worker's own children."""
        ProgrammeFactory(child=child, kind=Programme.Kind.YRO)
        services.child_obligations_refresh(child_id=child.pk)
        client.force_login(outsider)
        assert child.full_name not in client.get(reverse("my_work")).content.decode()


@pytest.mark.django_db
def test_event_form_refuses_impossible_years(client, child, case_manager):
    """A huge or implausible year is a GOV.UK error that keeps the input, never a 500 or a stored event."""
    client.force_login(case_manager)
    url = reverse("event_add", args=[child.pk])
    for year in ("99999999999999999999", "1950"):
        data = {
            "event_type": "note",
            "occurred_on_0": "1",
            "occurred_on_1": "2",
            "occurred_on_2": year,
            "summary": "Fictional note",
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "govuk-error-summary" in response.content.decode() and year in response.content.decode()
    assert not child.events.exists()


# "My work" across caseload, tasks and the worker's own obligations (issue 8) ------------------------------

XMAS_WEEK = datetime.date(2026, 12, 23)  # a Wednesday; Fri 25 and Mon 28 December are bank holidays


def _task(*, assignee, child=None, due=None, source="", title="A task", done_on=None, created_by=None):
    return Task.objects.create(
        child=child,
        assignee=assignee,
        title=title,
        due=due,
        source=source,
        basis="001 §6.2",
        done_on=done_on,
        created_by=created_by or assignee,
    )


def _worker_obligation(worker, code, due, status="open"):
    return Obligation.objects.create(
        worker=worker,
        code=code,
        title="Formal 1:1 supervision of the worker" if code.startswith("supervision.") else code,
        due=due,
        status=status,
        basis="000 §4.1",
        position=0,
        as_of=TODAY,
    )


def _grouped(user, today):
    groups = mywork.group_by_urgency(rows=mywork.work_items_for(user=user), today=today)
    return {key: [(item.kind, item.title, item.due) for item in rows] for key, rows in groups.items()}


@pytest.mark.django_db
class TestWorkItems:
    def test_week_ends_sunday_across_bank_holidays(self, child, case_manager):
        """Due dates the rules module stored in working days group by the calendar week: two working days
        from Wednesday 23 December is Tuesday 29th (past Christmas and the Boxing Day substitute), so
        "later"; Sunday 27th is still "this week" and Monday 28th (a bank holiday) is "later"."""
        cal = get_calendar()
        assert mywork.week_end(XMAS_WEEK) == datetime.date(2026, 12, 27)
        one, two = cal.add_working_days(XMAS_WEEK, 1), cal.add_working_days(XMAS_WEEK, 2)
        assert (one, two) == (datetime.date(2026, 12, 24), datetime.date(2026, 12, 29))
        _obligation(child, "contact.one_working_day", one, "open")
        _obligation(child, "contact.two_working_days", two, "open")
        _obligation(child, "plan.sunday", datetime.date(2026, 12, 27), "open")
        _obligation(child, "plan.bank_holiday_monday", datetime.date(2026, 12, 28), "open")
        _obligation(child, "plan.yesterday_still_open", datetime.date(2026, 12, 22), "open")
        _obligation(child, "plan.stored_overdue", datetime.date(2026, 12, 21), "overdue")
        _obligation(child, "plan.today", XMAS_WEEK, "open")
        groups = mywork.group_by_urgency(rows=mywork.work_items_for(user=case_manager), today=XMAS_WEEK)
        codes = {key: [item.code for item in rows] for key, rows in groups.items()}
        assert codes == {
            "overdue": ["plan.stored_overdue", "plan.yesterday_still_open"],
            "this_week": ["plan.today", "contact.one_working_day", "plan.sunday"],
            "later": ["plan.bank_holiday_monday", "contact.two_working_days"],
        }

    def test_tasks_are_grouped_and_linked(self, child, case_manager, team_manager, south):
        """Open tasks join the groups by their dates (no date: later), each linked to the record it came
        from; done tasks and tasks on children the worker cannot see are left out."""
        monday = datetime.date(2026, 11, 23)
        _task(assignee=case_manager, child=child, due=TODAY - datetime.timedelta(days=1), source="meeting:77",
              title="Refer to CAMHS")  # fmt: skip
        _task(assignee=case_manager, child=child, due=datetime.date(2026, 11, 22), source="discussion:5:9",
              title="Check school attendance")  # fmt: skip
        _task(
            assignee=case_manager,
            child=child,
            source=f"oversight-prompt:{child.pk}:1",
            title="Decide oversight",
        )
        _task(assignee=case_manager, due=monday, source="mappa-share:2026-Q4", title="Share the register")
        _task(assignee=case_manager, child=child, due=TODAY, title="Done already", done_on=TODAY)
        elsewhere = ChildFactory(team=south)
        _task(assignee=case_manager, child=elsewhere, due=TODAY, title="Not mine to see")
        items = {i.title: i for i in mywork.work_items_for(user=case_manager)}
        assert set(items) == {
            "Refer to CAMHS",
            "Check school attendance",
            "Decide oversight",
            "Share the register",
        }
        assert items["Refer to CAMHS"].url == reverse("meeting_detail", args=[child.pk, 77])
        assert items["Check school attendance"].url == reverse("discussion_detail", args=[child.pk, 5])
        assert items["Decide oversight"].url == reverse("oversight_holder_set", args=[child.pk])
        assert items["Share the register"].url == reverse("mappa_share")
        grouped = _grouped(case_manager, TODAY)
        assert [t for _, t, _ in grouped["overdue"]] == ["Refer to CAMHS"]
        assert [t for _, t, _ in grouped["this_week"]] == ["Check school attendance"]
        assert [t for _, t, _ in grouped["later"]] == ["Share the register", "Decide oversight"]

    def test_closure_check_tasks_go_where_each_person_acts(self, child, north, team_manager):
        """001 §6.3: the AP reviews the closure checks; business support closes the programme."""
        support = UserFactory(username="bs", role=Role.BUSINESS_SUPPORT, team=north)
        review = _task(assignee=team_manager, child=child, source="closure-check:4")
        close = _task(assignee=support, child=child, source="closure-check:4")
        assert mywork.task_url(review) == reverse("closure_check_review", args=[child.pk, 4])
        assert mywork.task_url(close) == reverse("child_programmes", args=[child.pk])
        assert mywork.task_url(_task(assignee=support, child=child, source="meeting:x")) == reverse(
            "child_obligations", args=[child.pk]
        )
        assert mywork.task_url(_task(assignee=support, source="")) is None

    def test_supervision_and_leave_follow_ups(self, case_manager, colleague, team_manager):
        """The worker's own supervision; for a line manager, each report's (overdue ones and the next one
        due); for a manager, the team's 003 §7.2 leave follow-ups; none of a colleague's."""
        Leave.objects.create(
            worker=colleague, kind=Leave.Kind.UNPLANNED, start_date=TODAY, recorded_by=team_manager
        )
        services.worker_obligations_refresh(worker_id=colleague.pk, as_of=TODAY)
        _worker_obligation(case_manager, "supervision.staff", TODAY - datetime.timedelta(days=3), "overdue")
        _worker_obligation(colleague, "supervision.staff", TODAY + datetime.timedelta(days=2))
        # The occurrence after the next one is not listed until it is the next one due.
        _worker_obligation(colleague, "supervision.staff", TODAY + datetime.timedelta(days=44))
        _worker_obligation(colleague, "supervision.staff", TODAY - datetime.timedelta(days=40), "met")
        _worker_obligation(team_manager, "supervision.staff", TODAY + datetime.timedelta(days=30))
        mine = {i.title: i for i in mywork.work_items_for(user=case_manager)}
        assert set(mine) == {"Your formal supervision"}
        assert mine["Your formal supervision"].url == reverse("supervision_worker", args=[case_manager.pk])
        grouped = _grouped(team_manager, TODAY)
        assert grouped["overdue"] == [
            ("worker", f"Supervise {case_manager}", TODAY - datetime.timedelta(days=3))
        ]
        assert grouped["this_week"] == [
            ("worker", f"Supervise {colleague}", TODAY + datetime.timedelta(days=2))
        ]
        later = {title for _, title, _ in grouped["later"]}
        assert later == {
            "Your formal supervision",
            "Cases reviewed in the first week of unplanned leave",
            "Reallocation considered after two weeks of unplanned leave",
        }
        items = {i.title: i for i in mywork.work_items_for(user=team_manager)}
        assert items[f"Supervise {case_manager}"].url == reverse("session_create", args=[case_manager.pk])
        assert (
            items["Cases reviewed in the first week of unplanned leave"].url
            == reverse("leave_list") + "?scope=team"
        )


@pytest.mark.django_db
class TestMyWorkPage:
    @pytest.fixture(autouse=True)
    def frozen(self):
        with time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=datetime.UTC), tick=False):
            yield

    def test_summary_counts_link_to_the_groups(self, client, child, case_manager, team_manager):
        """Counts at the top (overdue / this week / later) link to the groups; tasks can be marked done."""
        _obligation(child, "plan.intervention", TODAY - datetime.timedelta(days=2), "overdue")
        _obligation(child, "assetplus.review", datetime.date(2026, 11, 22), "open")
        _obligation(child, "assetplus.due", datetime.date(2026, 11, 23), "open")
        task = _task(assignee=case_manager, child=child, due=datetime.date(2026, 11, 20), source="meeting:3",
                     title="Refer to the substance misuse worker", created_by=team_manager)  # fmt: skip
        client.force_login(case_manager)
        response = client.get(reverse("my_work"))
        assert response.context["counts"] == {"overdue": 1, "this_week": 2, "later": 1}
        html = response.content.decode()
        for anchor in ("overdue", "due-this-week", "later"):
            assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
        assert "due this week (to Sunday 22 November)" in html
        assert reverse("task_complete", args=[task.pk]) in html and "Mark as done" in html
        assert reverse("meeting_detail", args=[child.pk, 3]) in html

    def test_long_groups_paginate(self, client, child, case_manager):
        """30 overdue items: 25 on the first page of the group, 5 on the second; the count stays 30."""
        for i in range(30):
            _obligation(child, f"plan.item{i:02}", TODAY - datetime.timedelta(days=i + 1), "overdue", i)
        client.force_login(case_manager)
        first = client.get(reverse("my_work"))
        overdue = first.context["groups"][0]
        assert (overdue["key"], overdue["total"], len(overdue["page"].object_list)) == ("overdue", 30, 25)
        assert "overdue_page=2#overdue" in first.content.decode()
        second = client.get(reverse("my_work"), {"overdue_page": 2, "later_page": "zz"})
        assert len(second.context["groups"][0]["page"].object_list) == 5
        assert second.context["counts"]["overdue"] == 30

    def test_queries_do_not_grow_with_tasks_and_staff(self, client, north, team_manager, case_manager):
        """A team manager's page costs the same with 2 children, tasks and reports as with 20 of each."""
        client.force_login(team_manager)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("my_work")).status_code == 200
            return len(ctx.captured_queries)

        def add(n):
            for i in range(n):
                c = ChildFactory(team=north, case_manager=team_manager)
                _obligation(c, "plan.intervention", TODAY + datetime.timedelta(days=i - 3), "open")
                _task(
                    assignee=team_manager,
                    child=c,
                    due=TODAY + datetime.timedelta(days=i),
                    source=f"meeting:{i}",
                )
                _task(assignee=team_manager, child=c, source=f"discussion:{i}:1")
                report = UserFactory(team=north, line_manager=team_manager)
                _worker_obligation(report, "supervision.staff", TODAY + datetime.timedelta(days=i - 5))
                Leave.objects.create(
                    worker=report, kind=Leave.Kind.UNPLANNED, start_date=TODAY, recorded_by=team_manager
                )
                services.worker_obligations_refresh(worker_id=report.pk, as_of=TODAY)

        add(2)
        small = count()
        add(18)
        assert count() == small
