"""Internal transfer pages (003 §11): access (an outsider gets 404 on every page; the receiving team sees
the child only while the transfer is active), who may act, errors that keep the user's input, the
responsibility line on child pages (§11.6), and query counts that do not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import RiskLevel, Role
from cases.services.core import child_obligations_refresh
from core.models import AuditEntry
from demo.factories import ChildFactory, TeamFactory, UserFactory
from mappa.models import Category, Criterion, MappaRecord
from transfers.models import InternalTransfer
from transfers.services import internal as services

STEPS = [
    "internal_transfer_detail",
    "internal_transfer_decide",
    "internal_transfer_escalation",
    "internal_transfer_mappa",
    "internal_transfer_allocate",
    "internal_transfer_meeting",
    "internal_transfer_withdraw",
]


def today():
    return timezone.localdate()


@pytest.fixture
def child(north, case_manager):
    """A North child with low levels."""
    return ChildFactory(
        team=north,
        case_manager=case_manager,
        first_name="Alex",
        last_name="Testchild",
        gender_identity="male",
        rosh="low",
        saw="low",
    )


@pytest.fixture
def south_tm(south):
    return UserFactory(username="tm.south", role=Role.TEAM_MANAGER, team=south)


@pytest.fixture
def south_cm(south, south_tm):
    return UserFactory(username="cm.south", role=Role.CASE_MANAGER, team=south, line_manager=south_tm)


@pytest.fixture
def east_user(db):
    """A team manager of a third locality team: never sees North's child."""
    return UserFactory(
        username="tm.east", role=Role.TEAM_MANAGER, team=TeamFactory(name="East locality team")
    )


def propose(child, user, to_team, **kw):
    data = {
        "to_team": to_team,
        "new_address": "1 New Street, Southtown",
        "move_term": "long",
        "saw_effect": "None.",
        "rosh_effect": "None.",
        "child_views": "Happy with it.",
        "home_visit_on": today() - datetime.timedelta(days=3),
        "review_assessment_on": today() - datetime.timedelta(days=2),
    }
    data.update(kw)
    return services.internal_transfer_propose(child=child, user=user, **data)


def date_post(prefix, day):
    """A GOV.UK date input's three parts."""
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def url(name, transfer):
    return reverse(name, args=[transfer.child_id, transfer.pk])


class TestAccess:
    def test_outsider_gets_404_everywhere(self, client, child, case_manager, south, east_user):
        """A third team's manager: 404 on the tab, the proposal and every step page, GET and POST."""
        transfer = propose(child, case_manager, south)
        client.force_login(east_user)
        for name in ("child_transfers", "internal_transfer_propose"):
            assert client.get(reverse(name, args=[child.pk])).status_code == 404
            assert client.post(reverse(name, args=[child.pk]), {}).status_code == 404
        for name in STEPS:
            assert client.get(url(name, transfer)).status_code == 404, name
            assert client.post(url(name, transfer), {}).status_code == 404, name

    def test_outsider_404_without_transfer(self, client, child, outsider):
        """Before any transfer a South worker cannot see North's child."""
        client.force_login(outsider)
        assert client.get(reverse("child_transfers", args=[child.pk])).status_code == 404
        assert client.get(reverse("child_detail", args=[child.pk])).status_code == 404

    def test_receiving_team_sees_the_child_only_while_active(
        self, client, child, case_manager, south, south_tm
    ):
        """003 §11.4: the receiving TM sees the child during the transfer, not after it is withdrawn."""
        transfer = propose(child, case_manager, south)
        client.force_login(south_tm)
        assert client.get(reverse("child_transfers", args=[child.pk])).status_code == 200
        assert client.get(url("internal_transfer_detail", transfer)).status_code == 200
        services.internal_transfer_withdraw(transfer=transfer, user=case_manager, reason="Moved back.")
        assert client.get(reverse("child_transfers", args=[child.pk])).status_code == 404

    def test_wrong_child_404(self, client, child, case_manager, north, south):
        """A transfer is only reached through its own child."""
        transfer = propose(child, case_manager, south)
        other = ChildFactory(team=north, case_manager=case_manager)
        client.force_login(case_manager)
        assert (
            client.get(reverse("internal_transfer_detail", args=[other.pk, transfer.pk])).status_code == 404
        )
        assert client.get(reverse("internal_transfer_detail", args=[child.pk, 99999])).status_code == 404

    def test_those_who_may_not_act_get_404(self, client, child, case_manager, colleague, south, south_tm):
        """The colleague cannot propose; the case manager cannot decide; North cannot allocate."""
        client.force_login(colleague)
        assert client.get(reverse("internal_transfer_propose", args=[child.pk])).status_code == 404
        transfer = propose(child, case_manager, south)
        client.force_login(case_manager)
        assert client.get(url("internal_transfer_decide", transfer)).status_code == 404
        assert client.get(url("internal_transfer_escalation", transfer)).status_code == 404
        client.force_login(south_tm)
        assert client.get(url("internal_transfer_decide", transfer)).status_code == 404
        assert client.get(url("internal_transfer_allocate", transfer)).status_code == 404  # not endorsed yet
        assert client.get(url("internal_transfer_escalation", transfer)).status_code == 200

    def test_views_are_audited(self, client, child, case_manager, south):
        """Every GET of a child page is audited."""
        transfer = propose(child, case_manager, south)
        client.force_login(case_manager)
        client.get(reverse("child_transfers", args=[child.pk]))
        client.get(url("internal_transfer_detail", transfer))
        pages = set(
            AuditEntry.objects.filter(child=child, action=AuditEntry.Action.VIEW).values_list(
                "description", flat=True
            )
        )
        assert {"Viewed transfers", f"Viewed internal transfer {transfer.pk}"} <= pages


class TestJourney:
    def test_propose_errors_keep_input(self, client, child, case_manager, south):
        """Missing views: an error summary, the typed address kept, nothing saved."""
        client.force_login(case_manager)
        response = client.post(
            reverse("internal_transfer_propose", args=[child.pk]),
            {"to_team": south.pk, "new_address": "9 Kept Road", "move_term": "long"},
        )
        assert response.status_code == 200
        assert b"There is a problem" in response.content and b"9 Kept Road" in response.content
        assert not InternalTransfer.objects.exists()

    def test_future_home_visit_refused(self, client, child, case_manager, south):
        """Dates say what has happened."""
        client.force_login(case_manager)
        data = {
            "to_team": south.pk,
            "new_address": "1 Road",
            "move_term": "short",
            "saw_effect": "x",
            "rosh_effect": "y",
            "child_views": "z",
            **date_post("home_visit_on", today() + datetime.timedelta(days=2)),
        }
        response = client.post(reverse("internal_transfer_propose", args=[child.pk]), data)
        assert response.status_code == 200 and b"must be today or in the past" in response.content

    def test_full_journey_through_the_pages(
        self, client, child, case_manager, team_manager, north, south, south_tm, south_cm
    ):
        """Propose, endorse, allocate, meet: the header names the original team until the meeting."""
        client.force_login(case_manager)
        response = client.post(
            reverse("internal_transfer_propose", args=[child.pk]),
            {
                "to_team": south.pk,
                "new_address": "1 New Street",
                "move_term": "long",
                "saw_effect": "None.",
                "rosh_effect": "None.",
                "child_views": "Fine.",
                **date_post("home_visit_on", today()),
                **date_post("review_assessment_on", today()),
            },
        )
        transfer = InternalTransfer.objects.get()
        assert response.status_code == 302 and response.url == url("internal_transfer_detail", transfer)

        client.force_login(team_manager)
        response = client.post(
            url("internal_transfer_decide", transfer), {"decision": "endorse", "notes": "Agreed."}
        )
        assert response.status_code == 302
        transfer.refresh_from_db()
        assert transfer.status == InternalTransfer.Status.ENDORSED

        client.force_login(south_tm)
        response = client.post(url("internal_transfer_allocate", transfer), {"worker": south_cm.pk})
        assert response.status_code == 302
        page = client.get(reverse("child_detail", args=[child.pk])).content.decode()
        assert "Transfer to South locality team in progress" in page
        assert f"North locality team and {case_manager} remain responsible" in page

        client.force_login(south_cm)
        response = client.post(
            url("internal_transfer_meeting", transfer),
            {**date_post("held_on", today()), "child_attended": "yes", "notes": "Handover done."},
        )
        assert response.status_code == 302
        child.refresh_from_db()
        assert (child.team, child.case_manager) == (south, south_cm)
        page = client.get(reverse("child_transfers", args=[child.pk])).content.decode()
        assert "Transfer to South locality team in progress" not in page
        assert f"Responsible: South locality team, {south_cm}" in page

    def test_endorse_refused_for_mappa_level_two_shows_error(
        self, client, child, case_manager, team_manager, south
    ):
        """003 §11.5: the decide page explains and keeps the decision unsaved."""
        MappaRecord.objects.create(
            child=child,
            category=Category.ONE,
            criterion=Criterion.REGISTERED_SEXUAL_OFFENDER,
            identified_on=today(),
            current_level=3,
            recorded_by=team_manager,
        )
        transfer = propose(child, case_manager, south)
        client.force_login(team_manager)
        page = client.get(url("internal_transfer_decide", transfer)).content.decode()
        assert "record the MAPPA meeting" in page
        response = client.post(url("internal_transfer_decide", transfer), {"decision": "endorse"})
        assert response.status_code == 200 and b"MAPPA meeting&#x27;s endorsement" in response.content
        transfer.refresh_from_db()
        assert transfer.status == InternalTransfer.Status.PROPOSED
        response = client.post(url("internal_transfer_mappa", transfer), date_post("endorsed_on", today()))
        assert response.status_code == 302
        client.post(url("internal_transfer_decide", transfer), {"decision": "endorse"})
        transfer.refresh_from_db()
        assert transfer.status == InternalTransfer.Status.ENDORSED

    def test_decline_without_reasons_is_an_error(self, client, child, case_manager, team_manager, south):
        """Declining needs the reasons."""
        transfer = propose(child, case_manager, south)
        client.force_login(team_manager)
        response = client.post(url("internal_transfer_decide", transfer), {"decision": "decline"})
        assert response.status_code == 200 and b"Enter the reasons for declining" in response.content

    def test_escalation_reaches_the_service_manager(
        self, client, child, case_manager, south, south_tm, service_manager
    ):
        """003 §11.4: escalated by the receiving TM, on the SM's Transfers home, decided by the SM."""
        transfer = propose(child, case_manager, south)
        client.force_login(south_tm)
        response = client.post(url("internal_transfer_escalation", transfer), {"reason": "No capacity."})
        assert response.status_code == 302
        client.force_login(service_manager)
        home = client.get(reverse("transfers_home")).content.decode()
        assert "Escalated to you" in home and child.case_number in home
        response = client.post(
            url("internal_transfer_decide", transfer), {"decision": "endorse", "notes": "Go."}
        )
        assert response.status_code == 302
        transfer.refresh_from_db()
        assert transfer.status == InternalTransfer.Status.ENDORSED

    def test_absent_child_keeps_the_case(
        self, client, child, case_manager, team_manager, north, south, south_tm, south_cm
    ):
        """003 §11.7: the child did not attend, so the case has not transferred."""
        transfer = propose(child, case_manager, south)
        services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
        services.internal_transfer_allocate(transfer=transfer, user=south_tm, worker=south_cm)
        client.force_login(case_manager)
        response = client.post(
            url("internal_transfer_meeting", transfer),
            {**date_post("held_on", today()), "child_attended": "no"},
        )
        assert response.status_code == 302
        child.refresh_from_db()
        assert (child.team, child.case_manager) == (north, case_manager)
        transfer.refresh_from_db()
        assert transfer.status == InternalTransfer.Status.ALLOCATED

    def test_enforcement_pending_needs_confirmation_on_the_form(
        self, client, child, case_manager, team_manager, south, south_tm, south_cm
    ):
        """The meeting form warns and requires the confirmation and a note."""
        transfer = propose(child, case_manager, south, enforcement_pending=True)
        services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
        services.internal_transfer_allocate(transfer=transfer, user=south_tm, worker=south_cm)
        client.force_login(south_cm)
        page = client.get(url("internal_transfer_meeting", transfer)).content.decode()
        assert "Enforcement action was flagged as pending" in page
        response = client.post(
            url("internal_transfer_meeting", transfer),
            {**date_post("held_on", today()), "child_attended": "yes"},
        )
        assert response.status_code == 200 and b"Confirm the pending enforcement action" in response.content


class TestQueryCounts:
    def _transfers(self, n, north, south, team_manager, south_tm):
        """n children with endorsed transfers North → South."""
        for _ in range(n):
            cm = UserFactory(role=Role.CASE_MANAGER, team=north, line_manager=team_manager)
            kid = ChildFactory(
                team=north, case_manager=cm, gender_identity="male", rosh=RiskLevel.LOW, saw=RiskLevel.LOW
            )
            transfer = propose(kid, cm, south)
            services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
            child_obligations_refresh(child_id=kid.pk)

    def _count(self, client, path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    @pytest.mark.parametrize("who", ["team_manager", "south_tm", "service_manager"])
    def test_home_constant(self, request, client, north, south, team_manager, south_tm, service_manager, who):
        """The Transfers home page's queries do not grow with the transfers listed."""
        user = request.getfixturevalue(who)
        client.force_login(user)
        self._transfers(2, north, south, team_manager, south_tm)
        first = self._count(client, reverse("transfers_home"))
        self._transfers(4, north, south, team_manager, south_tm)
        page = client.get(reverse("transfers_home")).content.decode()
        assert self._count(client, reverse("transfers_home")) == first
        if who == "south_tm":
            assert page.count("Allocate by") == 6

    def test_tab_constant(self, client, child, case_manager, team_manager, south):
        """The child's tab: the same queries with 2 or 6 transfers on the record."""
        client.force_login(case_manager)
        for _ in range(2):
            t = propose(child, case_manager, south)
            services.internal_transfer_withdraw(transfer=t, user=case_manager, reason="x")
        first = self._count(client, reverse("child_transfers", args=[child.pk]))
        for _ in range(4):
            t = propose(child, case_manager, south)
            services.internal_transfer_withdraw(transfer=t, user=case_manager, reason="x")
        assert self._count(client, reverse("child_transfers", args=[child.pk])) == first

    def test_header_adds_one_query(self, client, child, case_manager, south):
        """The responsibility line costs one query per child page, with or without a transfer."""
        client.force_login(case_manager)
        propose(child, case_manager, south)
        for name in ("child_detail", "child_details", "child_obligations"):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse(name, args=[child.pk]))
            assert b"Transfer to South locality team in progress" in response.content
            hits = [
                q for q in ctx.captured_queries if q["sql"].startswith('SELECT "transfers_internaltransfer"')
            ]
            assert len(hits) == 1, name
