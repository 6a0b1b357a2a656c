"""My work, the child's "What is due" order and links, and the event form's record types."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.factories import ChildFactory, EventFactory, ProgrammeFactory
from cases.models import EventType, Leave, Obligation, Programme
from cases.selectors import mywork
from cases.worklinks import action_url

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
    def test_home_goes_to_my_work(self, client, case_manager, administrator):
        """Workers start on "My work"; administrators, who hold no cases, on the caseload page."""
        client.force_login(case_manager)
        assert client.get("/").url == reverse("my_work")
        client.force_login(administrator)
        assert client.get("/").url == reverse("caseload")

    def test_my_work_lists_what_is_due(self, client, child, case_manager):
        """The page shows the child, what is due and a link to where it is done."""
        _obligation(child, "plan.intervention", datetime.date.today() - datetime.timedelta(days=2), "overdue")
        client.force_login(case_manager)
        response = client.get(reverse("my_work"))
        assert response.status_code == 200
        html = response.content.decode()
        assert child.full_name in html and reverse("child_plans", args=[child.pk]) in html
        assert "waiting for my sign-off" in html

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
