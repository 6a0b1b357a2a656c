"""Leave and cover (003 §7): planned leave with named cover and warnings, unplanned leave and its follow-ups."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import Event, EventType, Leave, LeaveCover, Obligation, Role
from cases.selectors import allocation as allocation_selectors
from cases.services import leave as leave_services
from demo.factories import ChildFactory, UserFactory


def dates(prefix, value):
    """A GOV.UK date input's three POST fields."""
    return {f"{prefix}_0": str(value.day), f"{prefix}_1": str(value.month), f"{prefix}_2": str(value.year)}


def obligation(child, code, due, title="Something due", status="open"):
    """A stored child obligation, as the rules module would have written it."""
    return Obligation.objects.create(
        child=child, code=code, title=title, due=due, status=status, basis="001 §6", position=0, as_of=due
    )


@pytest.mark.django_db
class TestPlannedLeave:
    def _post(self, client, worker, start, end, action, extra=None):
        """POST the planned-leave form with its dates and action."""
        data = {"worker": str(worker.pk), "notes": "", "action": action, **dates("start_date", start)}
        data.update(dates("end_date", end))
        data.update(extra or {})
        return client.post(reverse("leave_planned_new"), data)

    def test_cover_step_queries_do_not_grow_with_cases(self, client, case_manager, colleague, north):
        """The cover step for 3 cases runs the same number of queries as for 15 (candidates read once)."""
        start = timezone.localdate() + datetime.timedelta(days=10)
        client.force_login(case_manager)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert self._post(client, case_manager, start, start, "continue").status_code == 200
            return len(ctx.captured_queries)

        ChildFactory.create_batch(3, team=north, case_manager=case_manager)
        small = count()
        ChildFactory.create_batch(12, team=north, case_manager=case_manager)
        assert count() == small

    def test_planned_leave_with_cover_and_warnings(self, client, case_manager, colleague, child, north):
        """Warnings list obligations due in the leave; saving creates Leave, covers and a LEAVE_COVER event each."""
        second = ChildFactory(team=north, case_manager=case_manager)
        start = timezone.localdate() + datetime.timedelta(days=10)
        end = start + datetime.timedelta(days=13)
        obligation(child, "assetplus.review", start + datetime.timedelta(days=2), title="AssetPlus review")
        obligation(second, "contact.fortnightly", end + datetime.timedelta(days=5), title="Later contact")
        client.force_login(case_manager)
        assert client.get(reverse("leave_planned_new")).status_code == 200
        page = self._post(client, case_manager, start, end, "continue").content.decode()
        assert "AssetPlus review" in page and "Update before leave" in page
        assert "Later contact" not in page
        covers = {}
        for c in (child, second):
            covers[f"cover_{c.pk}"] = str(colleague.pk)
            covers[f"arrangements_{c.pk}"] = f"Weekly contact for {c.case_number}"
        response = self._post(client, case_manager, start, end, "save", covers)
        assert response.status_code == 302
        leave = Leave.objects.get(worker=case_manager)
        assert leave.kind == "planned" and leave.end_date == end
        assert LeaveCover.objects.filter(leave=leave, cover_worker=colleague).count() == 2
        events = Event.objects.filter(event_type=EventType.LEAVE_COVER, source=f"leave:{leave.pk}")
        assert events.count() == 2 and all(str(colleague) in e.summary for e in events)
        detail = client.get(reverse("leave_detail", args=[leave.pk])).content.decode()
        assert f"Weekly contact for {child.case_number}" in detail

    def test_missing_cover_saves_nothing(self, client, case_manager, child):
        """Saving without a cover worker re-renders with an error summary and saves nothing (003 §7.1)."""
        start = timezone.localdate() + datetime.timedelta(days=3)
        client.force_login(case_manager)
        response = self._post(client, case_manager, start, start + datetime.timedelta(days=4), "save")
        content = response.content.decode()
        assert response.status_code == 200 and "govuk-error-summary" in content
        assert f"Choose who will lead on {child.initials} ({child.case_number}) during the leave" in content
        assert not Leave.objects.exists()

    def test_end_before_start_refused(self, client, case_manager):
        """The last day must not be before the first."""
        start = timezone.localdate()
        client.force_login(case_manager)
        content = self._post(client, case_manager, start, start - datetime.timedelta(days=1), "continue")
        assert "on or after the first day" in content.content.decode()

    def test_worker_cannot_record_for_colleague(self, client, case_manager, colleague):
        """A case manager records only their own leave: a colleague is not a valid choice."""
        start = timezone.localdate()
        client.force_login(case_manager)
        content = self._post(client, colleague, start, start, "continue").content.decode()
        assert "Choose someone from the list" in content

    def test_on_leave_worker_is_absent_for_allocation(self, case_manager, colleague):
        """A worker on planned leave today shows as on leave in the workload (absent check, 003 §2.1)."""
        today = timezone.localdate()
        leave_services.planned_leave_record(
            worker=colleague, start_date=today, end_date=today, recorded_by=colleague, covers=[]
        )
        loads = allocation_selectors.workload_for_workers(workers=[colleague, case_manager])
        assert loads[colleague.pk]["on_leave"] and not loads[case_manager.pk]["on_leave"]


@pytest.mark.django_db
class TestUnplannedLeave:
    # A fixed Wednesday: 7 and 14 days after a Saturday start would move back to the Friday before.
    @time_machine.travel(datetime.datetime(2026, 11, 18, 12, tzinfo=datetime.UTC))
    def test_unplanned_leave_creates_worker_obligations(
        self, client, team_manager, case_manager, django_capture_on_commit_callbacks
    ):
        """Unplanned leave marks the worker absent and gives leave.review_cases due 7 days later (003 §7.2)."""
        start = timezone.localdate() - datetime.timedelta(days=2)
        client.force_login(team_manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("leave_unplanned_new"),
                {"worker": case_manager.pk, "notes": "Sick", **dates("start_date", start)},
            )
        assert response.status_code == 302
        case_manager.refresh_from_db()
        assert case_manager.is_absent
        review = Obligation.objects.get(worker=case_manager, code="leave.review_cases")
        assert review.due == start + datetime.timedelta(days=7) and review.status == "open"
        realloc = Obligation.objects.get(worker=case_manager, code="leave.consider_reallocation")
        assert realloc.due == start + datetime.timedelta(days=14)
        leave = Leave.objects.get(worker=case_manager)
        detail = client.get(reverse("leave_detail", args=[leave.pk])).content.decode()
        assert f"{review.due:%-d %b %Y}" in detail and "Cases reviewed" in detail

    def test_marking_reviewed_meets_it(
        self, client, team_manager, case_manager, django_capture_on_commit_callbacks
    ):
        """Recording the case review meets leave.review_cases; the decision and return are recorded too."""
        start = timezone.localdate() - datetime.timedelta(days=3)
        with django_capture_on_commit_callbacks(execute=True):
            leave = leave_services.unplanned_leave_record(
                worker=case_manager, start_date=start, recorded_by=team_manager
            )
        client.force_login(team_manager)
        today = timezone.localdate()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("leave_cases_reviewed", args=[leave.pk]), dates("reviewed_on", today)
            )
        assert response.status_code == 302
        review = Obligation.objects.get(worker=case_manager, code="leave.review_cases")
        assert review.status == "met" and review.met_on == today
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("leave_reallocation", args=[leave.pk]),
                {"decision": "Return expected next week; no reallocation", **dates("considered_on", today)},
            )
        leave.refresh_from_db()
        assert leave.reallocation_considered_on == today and "next week" in leave.reallocation_decision
        assert Obligation.objects.get(worker=case_manager, code="leave.consider_reallocation").status == "met"
        response = client.post(reverse("leave_return", args=[leave.pk]), dates("returned_on", today))
        assert response.status_code == 302
        leave.refresh_from_db()
        case_manager.refresh_from_db()
        assert leave.end_date is not None and not case_manager.is_absent
        assert client.get(reverse("leave_return", args=[leave.pk])).status_code == 404

    def test_review_before_start_refused(self, client, team_manager, case_manager):
        """A review dated before the leave started is an error on the form, not a 500."""
        leave = leave_services.unplanned_leave_record(
            worker=case_manager, start_date=timezone.localdate(), recorded_by=team_manager
        )
        client.force_login(team_manager)
        content = client.post(
            reverse("leave_cases_reviewed", args=[leave.pk]),
            dates("reviewed_on", timezone.localdate() - datetime.timedelta(days=5)),
        ).content.decode()
        assert "govuk-error-summary" in content and "on or after" in content
        assert (
            "govuk-error-summary"
            in client.post(reverse("leave_cases_reviewed", args=[leave.pk]), {}).content.decode()
        )

    def test_only_managers_record_unplanned_leave(self, client, case_manager, colleague, team_manager):
        """A case manager gets 404 on recording unplanned leave and on the manager's follow-ups."""
        leave = leave_services.unplanned_leave_record(
            worker=colleague, start_date=timezone.localdate(), recorded_by=team_manager
        )
        client.force_login(case_manager)
        assert client.get(reverse("leave_unplanned_new")).status_code == 404
        for name in ("leave_detail", "leave_cases_reviewed", "leave_reallocation", "leave_return"):
            assert client.get(reverse(name, args=[leave.pk])).status_code == 404, name

    def test_outsider_gets_404(self, client, outsider, case_manager, team_manager, south):
        """Leave of a worker outside the user's team is 404, including for another team's manager."""
        leave = leave_services.unplanned_leave_record(
            worker=case_manager, start_date=timezone.localdate(), recorded_by=team_manager
        )
        south_tm = UserFactory(role=Role.TEAM_MANAGER, team=south)
        for user in (outsider, south_tm):
            client.force_login(user)
            for name in ("leave_detail", "leave_cases_reviewed", "leave_reallocation", "leave_return"):
                assert client.get(reverse(name, args=[leave.pk])).status_code == 404, name
                assert client.post(reverse(name, args=[leave.pk]), {}).status_code == 404, name
        client.force_login(south_tm)
        content = client.post(
            reverse("leave_unplanned_new"),
            {"worker": case_manager.pk, **dates("start_date", timezone.localdate())},
        ).content.decode()
        assert (
            "Choose someone from the list" in content
            and not Leave.objects.filter(recorded_by=south_tm).exists()
        )

    def test_second_open_absence_refused(self, client, team_manager, case_manager):
        """A worker already absent cannot be given an overlapping absence."""
        leave_services.unplanned_leave_record(
            worker=case_manager, start_date=timezone.localdate(), recorded_by=team_manager
        )
        client.force_login(team_manager)
        content = client.post(
            reverse("leave_unplanned_new"),
            {"worker": case_manager.pk, **dates("start_date", timezone.localdate())},
        ).content.decode()
        assert "already has leave recorded" in content and Leave.objects.count() == 1


@pytest.mark.django_db
class TestLeaveList:
    def test_list_scopes(self, client, case_manager, colleague, team_manager):
        """Workers see their own leave; the TM sees the team's."""
        today = timezone.localdate()
        for w in (case_manager, colleague):
            leave_services.planned_leave_record(
                worker=w, start_date=today, end_date=today, recorded_by=w, covers=[]
            )
        # Names as the page escapes them (a generated "O'Sullivan" is O&#x27;Sullivan in the HTML).
        me, them = escape(str(case_manager)), escape(str(colleague))
        client.force_login(case_manager)
        mine = client.get(reverse("leave_list")).content.decode()
        assert me in mine and them not in mine
        assert them not in client.get(reverse("leave_list") + "?scope=team").content.decode()
        client.force_login(team_manager)
        team = client.get(reverse("leave_list")).content.decode()
        assert me in team and them in team and "Record unplanned leave" in team

    def test_list_query_count_constant(self, client, team_manager, north):
        """The leave list runs the same number of queries for 3 records as for 30."""
        client.force_login(team_manager)
        workers = UserFactory.create_batch(30, team=north)
        base = datetime.date(2024, 1, 1)

        def add(ws):
            """One planned leave per worker."""
            for i, w in enumerate(ws):
                Leave.objects.create(
                    worker=w,
                    kind="planned",
                    start_date=base + datetime.timedelta(days=i),
                    recorded_by=team_manager,
                )

        add(workers[:3])
        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse("leave_list")).status_code == 200
        add(workers[3:])
        with CaptureQueriesContext(connection) as large:
            assert client.get(reverse("leave_list")).status_code == 200
        assert len(small.captured_queries) == len(large.captured_queries)
