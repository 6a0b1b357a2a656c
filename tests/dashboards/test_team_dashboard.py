"""The team dashboard: who may open which team, each section on a small dataset worked out by hand, the
overdue drill-down, and a query count that does not grow with the number of children."""

import datetime
from dataclasses import dataclass

import pytest
import time_machine
from django.core.paginator import Paginator
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import Allocation, Assessment, Child, Leave, Obligation, Programme, RiskLevel, Role, Team
from dashboards import team as team_selectors
from dashboards.common import CountedPaginator, RowUrls, unallocated_children, with_days_waiting
from dashboards.templatetags.dashboard_tags import day
from demo.factories import ChildFactory, ProgrammeFactory, TeamFactory, UserFactory
from meetings.models import Meeting, MeetingKind
from supervision.models import SupervisionMethod, SupervisionSession

TODAY = datetime.date(2026, 11, 18)  # a Wednesday
NOW = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=datetime.UTC)
URL = "/dashboards/team/"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _obligation(*, child=None, worker=None, code, due, status="open", title=None) -> Obligation:
    """A stored obligation row, as the rules module would leave it."""
    return Obligation.objects.create(
        child=child,
        worker=worker,
        code=code,
        title=title or code,
        due=due,
        status=status,
        basis="001 §6",
        position=0,
        as_of=TODAY,
    )


@pytest.fixture(autouse=True)
def frozen():
    """Every test runs on Wednesday 18 November 2026."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ap(north, team_manager):
    """North's AP, supervised by the team manager (not above the case managers in the chain)."""
    return UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north, line_manager=team_manager)


@dataclass
class World:
    c1: Child
    c2: Child
    c3: Child
    u1: Child
    u2: Child
    south_child: Child
    closed: Child
    iw: object
    o1: Obligation
    o3: Obligation
    o4: Obligation
    o8: Obligation
    o9: Obligation
    o10: Obligation
    meeting: Meeting
    a1: Assessment
    a2: Assessment


@pytest.fixture
def world(north, south, team_manager, case_manager, colleague, outsider):
    """North's team, worked out by hand (the expected figures are in each test)."""
    interventions = TeamFactory(name="Interventions team", kind=Team.Kind.INTERVENTIONS)
    iw = UserFactory(username="iw", role=Role.INTERVENTION_WORKER, team=interventions)
    colleague.capacity = 4
    colleague.save()
    low = RiskLevel.LOW
    # Weights (cases/allocation.py): the higher of RoSH and SaW, low 1 .. very high 4; co-allocated half, up.
    c1 = ChildFactory(team=north, case_manager=case_manager, rosh=RiskLevel.HIGH, saw=low)  # 3
    c2 = ChildFactory(
        team=north, case_manager=case_manager, rosh=RiskLevel.MEDIUM, saw=low, co_workers=[colleague]
    )
    c3 = ChildFactory(team=north, case_manager=colleague, rosh=RiskLevel.VERY_HIGH, saw=low, co_workers=[iw])
    closed = ChildFactory(team=north, case_manager=case_manager, rosh=RiskLevel.VERY_HIGH, is_open=False)
    # Unallocated: u1 waits from its programme's start (10 days); u2 from its last case manager's end (5).
    u1 = ChildFactory(team=north, case_manager=None, last_name="Aaunallocated")
    ProgrammeFactory(child=u1, kind=Programme.Kind.YRO, start_date=days(-10))
    u2 = ChildFactory(team=north, case_manager=None, last_name="Bbunallocated")
    ProgrammeFactory(child=u2, kind=Programme.Kind.YRO, start_date=days(-30))
    Allocation.objects.create(
        child=u2, worker=case_manager, started_on=days(-30), ended_on=days(-5), allocated_by=team_manager
    )
    south_child = ChildFactory(team=south, case_manager=None, last_name="Southonly")
    # The case manager is on planned leave today.
    Leave.objects.create(
        worker=case_manager,
        kind=Leave.Kind.PLANNED,
        start_date=days(-1),
        end_date=days(3),
        recorded_by=team_manager,
    )
    # CMMs: due by 2 December (today + 14), overdue ones included.
    o1 = _obligation(child=c1, code="cmm.risk_review", due=days(14), title="CMM to review RoSH/SaW held")
    _obligation(child=c1, code="cmm.compliance", due=days(15))  # too far ahead
    o3 = _obligation(
        child=c2, code="cmm.risk_review", due=days(-3), status="overdue", title="CMM to review RoSH/SaW held"
    )
    o4 = _obligation(child=c3, code="cmm.minutes", due=days(1), title="CMM minutes completed")
    _obligation(child=south_child, code="cmm.risk_review", due=days(-3), status="overdue")  # another team
    _obligation(child=closed, code="cmm.risk_review", due=days(-3), status="overdue")  # closed
    _obligation(child=c1, code="cmm.reoffending", due=TODAY, status="met")  # met
    meeting = Meeting.objects.create(
        child=c1,
        kind=MeetingKind.RISK_REVIEW,
        for_obligation="cmm.risk_review",
        starts_at=datetime.datetime(2026, 11, 30, 10, 0, tzinfo=timezone.get_current_timezone()),
        chair=team_manager,
        case_manager=case_manager,
        booked_by=team_manager,
    )
    # Overdue: o3 above (case manager), o8 still open after its date (case manager), o9 (colleague), o10
    # (unallocated); o11 due today is not overdue.
    o8 = _obligation(child=c1, code="assetplus.due", due=days(-1), title="AssetPlus assessment completed")
    o9 = _obligation(
        child=c3,
        code="plan.intervention",
        due=days(-20),
        status="overdue",
        title="Intervention plan completed",
    )
    o10 = _obligation(
        child=u1, code="assetplus.due", due=days(-2), status="overdue", title="AssetPlus assessment completed"
    )
    _obligation(child=c1, code="plan.intervention", due=TODAY)
    _obligation(child=south_child, code="plan.intervention", due=days(-9), status="overdue")
    # Sign-offs: a2 (unassigned, 6 days), a1 (the team manager, 4 days); south's and a draft are not listed.
    waiting = Assessment.Status.AWAITING_SIGN_OFF
    a1 = Assessment.objects.create(
        child=c1, author=case_manager, stage=Assessment.Stage.REVIEW, status=waiting,
        sign_off_by=Assessment.SignOff.MANAGER, assigned_to=team_manager, submitted_at=NOW - datetime.timedelta(days=4),
    )  # fmt: skip
    a2 = Assessment.objects.create(
        child=c2, author=case_manager, stage=Assessment.Stage.INITIAL, status=waiting,
        sign_off_by=Assessment.SignOff.MANAGER, submitted_at=NOW - datetime.timedelta(days=6),
    )  # fmt: skip
    Assessment.objects.create(
        child=south_child, author=outsider, stage=Assessment.Stage.INITIAL, status=waiting,
        sign_off_by=Assessment.SignOff.MANAGER, submitted_at=NOW - datetime.timedelta(days=9),
    )  # fmt: skip
    Assessment.objects.create(child=c3, author=colleague, stage=Assessment.Stage.REVIEW)
    # Supervision: the case manager 10 days overdue, the colleague due in 7 days (soon), the TM in 30.
    _obligation(worker=case_manager, code="supervision.staff", due=days(-10), status="overdue")
    _obligation(worker=colleague, code="supervision.staff", due=days(7))
    _obligation(worker=team_manager, code="supervision.staff", due=days(30))
    SupervisionSession.objects.create(
        supervisee=team_manager,
        supervisor=team_manager,
        held_on=days(-12),
        method=SupervisionMethod.ONE_TO_ONE,
        created_by=team_manager,
    )
    return World(c1, c2, c3, u1, u2, south_child, closed, iw, o1, o3, o4, o8, o9, o10, meeting, a1, a2)


# Access -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize("who", ["case_manager", "outsider", "administrator"])
    def test_others_get_404(self, client, request, who):
        """Only TMs, APs and the service manager have a team dashboard; everyone else gets a 404."""
        client.force_login(request.getfixturevalue(who))
        assert client.get(URL).status_code == 404

    def test_team_manager_sees_own_team_only(self, client, team_manager, north, south):
        """A TM's own team opens; another team's id, or a malformed one, is a 404."""
        client.force_login(team_manager)
        response = client.get(URL)
        assert response.status_code == 200 and response.context["team"] == north
        assert client.get(URL, {"team": north.pk}).status_code == 200
        for bad in (south.pk, "abc", "99999999999999999999999", "-1"):
            assert client.get(URL, {"team": bad}).status_code == 404, bad

    def test_south_tm_asking_for_north_gets_404(self, client, north, south):
        """The TM of South cannot open North's dashboard."""
        south_tm = UserFactory(username="south-tm", role=Role.TEAM_MANAGER, team=south)
        client.force_login(south_tm)
        assert client.get(URL).context["team"] == south
        assert client.get(URL, {"team": north.pk}).status_code == 404

    def test_ap_sees_own_team(self, client, ap, north):
        """An advanced practitioner opens their own team's dashboard."""
        client.force_login(ap)
        assert client.get(URL).context["team"] == north

    def test_manager_without_a_team_gets_404(self, client):
        """A TM with no team recorded has no dashboard to see."""
        client.force_login(UserFactory(username="lost-tm", role=Role.TEAM_MANAGER, team=None))
        assert client.get(URL).status_code == 404

    def test_service_manager_picks_any_team(self, client, service_manager, north, south):
        """The first locality team by default, any team by ?team=, never the service management team."""
        interventions = TeamFactory(name="Interventions team", kind=Team.Kind.INTERVENTIONS)
        client.force_login(service_manager)
        response = client.get(URL)
        assert response.context["team"] == north
        assert [t.name for t in response.context["teams"]] == [north.name, south.name, interventions.name]
        html = response.content.decode()
        assert '<select class="govuk-select" id="id_team" name="team">' in html and "Show team" in html
        assert client.get(URL, {"team": south.pk}).context["team"] == south
        assert client.get(URL, {"team": service_manager.team_id}).status_code == 404

    def test_team_managers_have_no_team_picker(self, client, team_manager, north):
        """A TM sees no select: there is only their own team."""
        client.force_login(team_manager)
        assert 'name="team"' not in client.get(URL).content.decode()


# Sections on the hand-worked dataset ------------------------------------------------------------------


@pytest.mark.django_db
class TestSections:
    def test_caseload_by_worker(self, world, north, team_manager, case_manager, colleague):
        """Cases, co-allocated, weighted points, capacity and % per worker, with the worker from another team
        co-working a North child; the colleague is over capacity, the case manager on leave."""
        rows = {r["worker"].username: r for r in team_selectors.caseload_by_worker(team=north, today=TODAY)}
        assert set(rows) == {"tm", "cm", "colleague", "iw"}
        cm, col, tm, iw = rows["cm"], rows["colleague"], rows["tm"], rows["iw"]
        # cm: c1 (3) + c2 (2); the closed child does not count.
        assert (cm["cases"], cm["co_allocated"], cm["weighted"], cm["capacity"], cm["percent"]) == (
            2,
            0,
            5,
            24,
            21,
        )
        assert cm["on_leave"] and not cm["over_capacity"]
        # colleague: c3 (4) + half of c2 (2 -> 1) against a capacity of 4.
        assert (col["cases"], col["co_allocated"], col["weighted"], col["percent"]) == (1, 1, 5, 125)
        assert col["over_capacity"] and not col["on_leave"]
        assert (tm["cases"], tm["weighted"], tm["capacity"], tm["percent"]) == (0, 0, 6, 0)
        # The interventions worker: half of c3 (4 -> 2) of a capacity of 18.
        assert (iw["co_allocated"], iw["weighted"], iw["percent"], iw["outside_team"]) == (1, 2, 11, True)

    def test_unallocated_and_days_waiting(self, world, north):
        """Open North children with no case manager, longest waiting first, with days waiting."""
        rows = with_days_waiting(unallocated_children(team=north, today=TODAY), today=TODAY)
        assert [(c.pk, c.days_waiting) for c in rows] == [(world.u1.pk, 10), (world.u2.pk, 5)]

    def test_cmms_due_in_two_weeks(self, world, north):
        """Outstanding cmm.* items due by today + 14 (overdue included), soonest first, with the booking."""
        rows = team_selectors.with_cmm_links(team_selectors.cmms_due(team=north, today=TODAY), today=TODAY)
        assert [r.pk for r in rows] == [world.o3.pk, world.o4.pk, world.o1.pk]
        o3, o4, o1 = rows
        assert o3.overdue and not o4.overdue and not o1.overdue
        assert o1.booked_pk == world.meeting.pk and o3.booked_pk is None
        assert o3.books and o3.action_url == (
            reverse("meeting_book", args=[world.c2.pk]) + "?kind=risk_review&obligation=cmm.risk_review"
        )
        assert not o4.books and o4.action_url == reverse("meeting_list", args=[world.c3.pk])

    def test_sign_offs_waiting(self, world, north, team_manager):
        """The team's stages waiting for sign-off, oldest first, with days waiting and who may sign."""
        rows = team_selectors.with_sign_off_details(team_selectors.sign_offs_waiting(team=north), today=TODAY)
        assert [(a.pk, a.days_waiting) for a in rows] == [(world.a2.pk, 6), (world.a1.pk, 4)]
        assert rows[0].who_may_sign == "Any team manager or advanced practitioner in the team"
        assert rows[1].who_may_sign == str(team_manager)
        team_manager.is_absent = True
        team_manager.save()
        again = team_selectors.with_sign_off_details(
            team_selectors.sign_offs_waiting(team=north), today=TODAY
        )
        assert again[1].who_may_sign.endswith(f"({team_manager} is absent)")

    def test_supervisions_per_worker(self, world, north, team_manager, case_manager, colleague, ap):
        """Each member's supervision: overdue first, then due soon, then on track (or not scheduled); the TM
        may open each page, an AP only their own."""
        rows = team_selectors.supervisions_for_team(team=north, viewer=team_manager, today=TODAY)
        got = [(w.username, w.status, w.days_overdue) for w in rows]
        assert got == [
            ("cm", "overdue", 10),
            ("colleague", "due_soon", 0),
            ("tm", "ok", 0),
            ("ap", "not_scheduled", 0),
        ]
        assert all(w.can_open for w in rows)
        tm_row = rows[2]
        assert tm_row.last_formal == days(-12) and tm_row.next_due == days(30)
        as_ap = {
            w.username: w.can_open
            for w in team_selectors.supervisions_for_team(team=north, viewer=ap, today=TODAY)
        }
        assert as_ap == {"cm": False, "colleague": False, "tm": False, "ap": True}

    def test_overdue_by_worker_and_by_type(self, world, north, case_manager, colleague):
        """Overdue (stored overdue, or open after the due date) on the team's open children, by case manager
        with the unallocated children last, and by type."""
        by_worker = team_selectors.overdue_by_worker(team=north, today=TODAY)
        assert [(r["worker_id"], r["count"], r["param"]) for r in by_worker] == [
            (case_manager.pk, 2, case_manager.pk),
            (colleague.pk, 1, colleague.pk),
            (None, 1, "none"),
        ]
        by_code = team_selectors.overdue_by_code(team=north, today=TODAY)
        assert [(r["code"], r["count"]) for r in by_code] == [
            ("assetplus.due", 2),
            ("cmm.risk_review", 1),
            ("plan.intervention", 1),
        ]
        assert by_code[0]["title"] == "AssetPlus assessment completed"

    def test_overdue_items_filtered(self, world, north, case_manager):
        """The items behind each figure, oldest first, with the days overdue."""

        def items(**kw):
            rows = team_selectors.overdue_items(team=north, today=TODAY, **kw)
            return [(o.pk, o.days_overdue) for o in team_selectors.with_days_overdue(rows, today=TODAY)]

        assert items(worker=case_manager.pk) == [(world.o3.pk, 3), (world.o8.pk, 1)]
        assert items(worker="none") == [(world.o10.pk, 2)]
        assert items(code="assetplus.due") == [(world.o10.pk, 2), (world.o8.pk, 1)]
        assert items(worker=case_manager.pk, code="assetplus.due") == [(world.o8.pk, 1)]


# The page ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestPage:
    def test_page_shows_every_section(self, client, world, team_manager, case_manager, colleague):
        """Headings and counts for each section, with the links to where each thing is done."""
        client.force_login(team_manager)
        response = client.get(URL)
        assert response.status_code == 200 and response.context["nav_section"] == "team"
        html = response.content.decode()
        for heading in (
            "Caseload by worker",
            "Unallocated children",
            "CMMs due in the next two weeks",
            "Sign-offs waiting",
            "Supervisions due per worker",
            "Overdue by worker",
            "Overdue by type",
        ):
            assert heading in html, heading
        assert "Over capacity" in html and "On leave" in html and "125%" in html
        assert reverse("child_allocation", args=[world.u1.pk]) in html
        assert "Booked: " in html and reverse("meeting_detail", args=[world.c1.pk, world.meeting.pk]) in html
        assert escape(reverse("meeting_book", args=[world.c2.pk]) + "?kind=risk_review") in html
        assert reverse("assessment_detail", args=[world.c2.pk, world.a2.pk]) in html
        assert reverse("supervision_worker", args=[case_manager.pk]) in html
        assert f'href="?worker={case_manager.pk}#overdue-items"' in html
        assert 'href="?worker=none#overdue-items"' in html
        assert 'href="?code=assetplus.due#overdue-items"' in html
        assert escape(world.south_child.last_name) not in html
        ctx = response.context
        assert ctx["overdue_total"] == 4 and ctx["open_children"] == 5
        assert ctx["unallocated"]["page"].paginator.count == 2 and ctx["cmms"]["page"].paginator.count == 3
        assert ctx["sign_offs"]["page"].paginator.count == 2 and ctx["supervisions_overdue"] == 1
        assert ctx["overdue"] is None

    def test_overdue_filter_lists_the_items(self, client, world, team_manager, case_manager):
        """?worker= opens that worker's overdue items, linked to where each is done; bad values are ignored."""
        client.force_login(team_manager)
        response = client.get(URL, {"worker": case_manager.pk})
        overdue = response.context["overdue"]
        assert [o.pk for o in overdue["rows"]] == [world.o3.pk, world.o8.pk]
        assert overdue["description"] == case_manager.get_full_name()
        html = response.content.decode()
        assert 'id="overdue-items"' in html and "Clear this filter" in html
        assert reverse("child_assessments", args=[world.c1.pk]) in html  # where assetplus.due is done
        by_code = client.get(URL, {"code": "assetplus.due"}).context["overdue"]
        assert [o.pk for o in by_code["rows"]] == [world.o10.pk, world.o8.pk]
        assert by_code["description"] == "AssetPlus assessment completed"
        for bad in ({"worker": "abc"}, {"worker": "9" * 30}, {"page": "zz", "unallocated_page": "-1"}):
            assert client.get(URL, bad).status_code == 200, bad
        nobody = client.get(URL, {"code": "no.such.code"})
        assert nobody.status_code == 200 and "Nothing overdue matches this filter" in nobody.content.decode()

    def test_service_manager_links_keep_the_team(self, client, world, service_manager, south, north):
        """The service manager's drill-down links carry ?team= so the filter stays on the chosen team."""
        client.force_login(service_manager)
        html = client.get(URL, {"team": north.pk}).content.decode()
        assert f'href="?team={north.pk}&amp;worker=none#overdue-items"' in html
        south_page = client.get(URL, {"team": south.pk, "worker": "none"})
        assert {o.child_id for o in south_page.context["overdue"]["rows"]} == {world.south_child.pk}

    def test_query_count_does_not_grow_with_children(self, client, world, north, team_manager, case_manager):
        """The same number of queries with 8 children as with 40 more, each with CMMs, overdue items,
        sign-offs, bookings and co-workers, several more workers and unallocated children."""
        client.force_login(team_manager)

        def count(params=None):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(URL, params or {}).status_code == 200
            return len(ctx.captured_queries)

        small = (count(), count({"worker": case_manager.pk}), count({"code": "assetplus.due"}))
        workers = [
            UserFactory(role=Role.CASE_MANAGER, team=north, line_manager=team_manager) for _ in range(6)
        ]
        for i in range(40):
            worker = workers[i % len(workers)] if i % 5 else None
            child = ChildFactory(team=north, case_manager=worker, co_workers=[workers[(i + 1) % 6]])
            ProgrammeFactory(child=child, start_date=days(-40 + i))
            _obligation(child=child, code="cmm.risk_review", due=days(i % 10 - 5), status="open")
            _obligation(child=child, code=f"plan.kind{i % 7}", due=days(-1 - i), status="overdue")
            _obligation(child=child, code="assetplus.due", due=days(-2), status="overdue")
            Assessment.objects.create(
                child=child, author=case_manager, stage=Assessment.Stage.REVIEW,
                status=Assessment.Status.AWAITING_SIGN_OFF, sign_off_by=Assessment.SignOff.MANAGER,
                assigned_to=team_manager if i % 2 else None, submitted_at=NOW - datetime.timedelta(days=i),
            )  # fmt: skip
            if i % 3 == 0:
                Meeting.objects.create(
                    child=child, kind=MeetingKind.RISK_REVIEW, for_obligation="cmm.risk_review",
                    starts_at=NOW + datetime.timedelta(days=3), chair=team_manager, case_manager=case_manager,
                    booked_by=team_manager,
                )  # fmt: skip
        for w in workers:
            _obligation(worker=w, code="supervision.staff", due=days(-3), status="overdue")
        large = (count(), count({"worker": case_manager.pk}), count({"code": "assetplus.due"}))
        assert large == small
        # The lists did grow (and paginate): this compared like with like.
        ctx = client.get(URL).context
        assert ctx["cmms"]["page"].paginator.count > 25 and len(ctx["cmms"]["rows"]) == 25


@pytest.mark.django_db
def test_unallocated_child_waits_from_the_london_date_it_was_opened(north):
    """A child with no programme or allocation waits from the day their record was opened in London: one
    opened at 00:30 on 1 July (British Summer Time, still 30 June in UTC) has waited 2 days on 3 July."""
    with time_machine.travel(datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC), tick=False):
        child = ChildFactory(team=north, case_manager=None)
    rows = with_days_waiting(
        unallocated_children(team=north, today=datetime.date(2026, 7, 3)), today=datetime.date(2026, 7, 3)
    )
    assert [(c.pk, c.waiting_since, c.days_waiting) for c in rows] == [
        (child.pk, datetime.date(2026, 7, 1), 2)
    ]


# One read for two panels, lists with their length, a fixed query count (issue 19) ---------------------


@pytest.mark.django_db
class TestFewerReads:
    def test_the_team_carries_its_open_children(self, world, north, team_manager):
        """The team read for the page carries how many open children it holds (the closed one left out)."""
        team = team_selectors.team_get_for_user(user=team_manager)
        assert team.open_children == Child.objects.filter(team=north, is_open=True).count() == 5

    def test_the_page_makes_sixteen_queries(self, client, world, team_manager):
        """16 queries for the whole page (session, user, header and audit entry included; 24 before issue
        19's last changes): each list reads its length with its page, overdue by worker and by type is
        one GROUP BY, the open children come with the team, the line managers with the supervision rows,
        the workloads (cases held, co-worked, leave) are one UNION ALL.
        (The test's transaction adds savepoints, which are not queries.)"""
        client.force_login(team_manager)
        client.get(URL)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        sql = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        assert len(sql) == 16, "\n".join(sql)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "number", [None, "", "1", "2", "3", "4", "0", "-1", "x", "2.0", "99999999999999999999"]
)
def test_a_counted_page_is_the_paginators_page(north, number):
    """CountedPaginator (the length read with the page) gives the page Django's Paginator.get_page gives
    for any page parameter: the first for junk, the last past the end, the same rows and count."""
    for n in range(7):
        ChildFactory(team=north, last_name=f"Counted{n}")
    qs = Child.objects.filter(team=north).order_by("last_name", "pk")
    ours, django = CountedPaginator(qs, 3).get_page(number), Paginator(qs, 3).get_page(number)
    assert (ours.number, ours.paginator.count, ours.paginator.num_pages) == (
        django.number,
        django.paginator.count,
        django.paginator.num_pages,
    )
    assert [c.pk for c in ours.object_list] == [c.pk for c in django.object_list]


@pytest.mark.django_db
def test_an_empty_list_is_one_page_of_nothing(north):
    """No rows: page 1 of 1, count 0, as Paginator gives (allow_empty_first_page)."""
    page = CountedPaginator(Child.objects.filter(team=north), 3).get_page("2")
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])


@pytest.mark.parametrize(
    "value",
    [
        *[datetime.date(2026, month, 1) for month in range(1, 13)],
        datetime.date(2028, 2, 29),  # a leap day
        datetime.date(2026, 12, 31),
        # Aware datetimes: 23:30 UTC on 28 June is 29 June in London (summer time), on 28 January it is not.
        datetime.datetime(2026, 6, 28, 23, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 1, 28, 23, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),  # the night the clocks go forward
        None,
        "",
    ],
)
def test_the_day_filter_writes_what_the_date_filter_writes(value):
    """The dashboards' `day` filter (a tenth of the time of Django's) gives exactly what `|date:"j M Y"`
    gives in a template: every month's abbreviation, leap days, London dates of aware datetimes, ""
    for none."""
    ours = Template("{% load dashboard_tags %}{{ value|day }}").render(Context({"value": value}))
    assert ours == Template('{{ value|date:"j M Y" }}').render(Context({"value": value}))
    assert day(value) == ours


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("child_allocation", (7,)),
        ("child_obligations", (1,)),
        ("child_details", (918273641,)),  # an id equal to a placeholder
        ("child_detail", (12345,)),
        ("meeting_detail", (3, 44)),
        ("assessment_detail", (44, 3)),  # the same ids the other way round
        ("meeting_detail", (918273642, 918273641)),  # ids equal to the placeholders, crossed
        ("supervision_worker", (2,)),
    ],
)
def test_row_urls_are_reverses(name, ids):
    """The dashboards' links for a list's rows (each URL name reversed once a page, the row's ids put
    in) are exactly reverse(name, args=ids), the second and later rows too."""
    urls = RowUrls()
    assert urls(name, *ids) == reverse(name, args=ids)
    other = tuple(i + 1 for i in ids)
    assert urls(name, *other) == reverse(name, args=other)
