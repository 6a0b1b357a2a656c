"""Re-judging stored facts as of a new date gives exactly what a full refresh gives, and rewrites only
what changed (cases/services/rejudge.py)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.models import EventType, FactSnapshot, Obligation, Programme, RiskLevel, Role
from cases.services.rejudge import ROW_FIELDS, obligations_rejudge_all
from demo.factories import ChildFactory, EventFactory, ProgrammeFactory, UserFactory

from .helpers import D, london


def rows_of(children) -> list[tuple]:
    """Every stored row of these children, as comparable values (with as_of), in a fixed order."""
    return list(
        Obligation.objects.filter(child__in=children)
        .order_by("child_id", "position")
        .values_list("child_id", *ROW_FIELDS, "as_of")
    )


@pytest.fixture
def children(north, case_manager):
    """Children on different programmes, created on Friday 5 January 2024 (their levels are rated then).

    - a YRO from 8 January with Medium RoSH: AssetPlus due 29 January, then overdue; risk-review CMMs
      every 11 weeks (recurring);
    - a My Future from 8 January with fortnightly contacts (a recurring chain that moves on as contacts
      meet it);
    - a YRO from 22 January with Low levels (nothing falls due around the end of January);
    - a Referral Order at custody threshold from 15 January (its initial panel is due in 5 working days).
    """
    with time_machine.travel(london(2024, 1, 5, 9, 0), tick=False):
        yro = ChildFactory(
            team=north,
            case_manager=case_manager,
            rosh=RiskLevel.MEDIUM,
            saw=RiskLevel.MEDIUM,
            lor=RiskLevel.LOW,
        )
        ProgrammeFactory(child=yro, kind=Programme.Kind.YRO, start_date=D(2024, 1, 8), length_months=12)
        # Levels pinned: the factory's random ones would depend on which tests ran before.
        future = ChildFactory(
            team=north, case_manager=case_manager, rosh=RiskLevel.LOW, saw=RiskLevel.LOW, lor=RiskLevel.LOW
        )
        ProgrammeFactory(child=future, kind=Programme.Kind.MY_FUTURE, start_date=D(2024, 1, 8))
        for day in (D(2024, 1, 19), D(2024, 2, 2), D(2024, 2, 14)):
            EventFactory(child=future, author=case_manager, event_type=EventType.CONTACT, occurred_on=day)
        quiet = ChildFactory(
            team=north, case_manager=case_manager, rosh=RiskLevel.LOW, saw=RiskLevel.LOW, lor=RiskLevel.LOW
        )
        ProgrammeFactory(child=quiet, kind=Programme.Kind.YRO, start_date=D(2024, 1, 22), length_months=12)
        order = ChildFactory(
            team=north, case_manager=case_manager, rosh=RiskLevel.MEDIUM, saw=RiskLevel.LOW, lor=RiskLevel.LOW
        )
        ProgrammeFactory(
            child=order,
            kind=Programme.Kind.REFERRAL_ORDER,
            start_date=D(2024, 1, 15),
            length_months=6,
            custody_threshold=True,
        )
    return {"yro": yro, "future": future, "quiet": quiet, "order": order}


@pytest.mark.django_db
class TestRejudge:
    def test_same_rows_as_a_full_refresh_as_of_the_later_date(self, children):
        """Refreshed as of 29 Jan, re-judged as of 3 Jun: the rows equal a full refresh as of 3 Jun."""
        everyone = list(children.values())
        for child in everyone:
            services.child_obligations_refresh(child_id=child.pk, as_of=D(2024, 1, 29))
        before = {o.code: o.status for o in Obligation.objects.filter(child=children["yro"])}
        assert before["assetplus.due"] == Obligation.Status.OPEN

        stats = obligations_rejudge_all(as_of=D(2024, 6, 3))
        rejudged = rows_of(everyone)
        for child in everyone:
            services.child_obligations_refresh(child_id=child.pk, as_of=D(2024, 6, 3))

        assert rejudged == rows_of(everyone)
        assert stats["children"] == 4 and stats["children_changed"] == 4 and stats["children_refreshed"] == 0
        after = Obligation.objects.filter(child=children["yro"])
        assert after.get(code="assetplus.due").status == Obligation.Status.OVERDUE
        assert after.get(code="cmm.risk_review").due == D(2024, 3, 25)  # 11 weeks after 8 January
        contacts = Obligation.objects.filter(child=children["future"], code="contact.fortnightly")
        assert contacts.count() > 1  # the recurring chain moved on as contacts met it

    def test_unchanged_children_are_not_rewritten(self, children):
        """From 29 to 30 January the YRO's AssetPlus and the My Future action plan (both due on the 29th)
        turn overdue: only those two children are rewritten; the others keep their rows (same ids), judged
        as of the new date."""
        everyone = list(children.values())
        for child in everyone:
            services.child_obligations_refresh(child_id=child.pk, as_of=D(2024, 1, 29))
        ids_before = {
            child.pk: set(Obligation.objects.filter(child=child).values_list("pk", flat=True))
            for child in everyone
        }
        assert ids_before[children["quiet"].pk]

        stats = obligations_rejudge_all(as_of=D(2024, 1, 30))

        for name, child in children.items():
            ids_after = set(Obligation.objects.filter(child=child).values_list("pk", flat=True))
            if name in ("yro", "future"):
                assert ids_after.isdisjoint(ids_before[child.pk]), name
            else:
                assert ids_after == ids_before[child.pk], name
        assert stats["children_changed"] == 2
        assert set(Obligation.objects.filter(child__in=everyone).values_list("as_of", flat=True)) == {
            D(2024, 1, 30)
        }
        # Running it again changes nothing.
        assert obligations_rejudge_all(as_of=D(2024, 1, 30))["children_changed"] == 0

    def test_child_without_snapshot_gets_a_full_refresh(self, children):
        """A child whose facts were never stored is recomputed from their records, which stores them."""
        yro = children["yro"]
        assert not FactSnapshot.objects.filter(child=yro).exists()
        stats = obligations_rejudge_all(as_of=D(2024, 6, 3))
        assert stats["children_refreshed"] == 4
        assert FactSnapshot.objects.filter(child=yro).exists()
        assert Obligation.objects.get(child=yro, code="assetplus.due").status == Obligation.Status.OVERDUE

    def test_closed_children_are_rejudged_once_then_left_alone(self, children):
        """A closed child still holding obligations "open" past their due date is re-judged once (they are
        overdue: never met); after that nothing of theirs is outstanding-and-lapsed, so later sweeps leave
        their rows as they were last judged."""
        order = children["order"]
        services.child_obligations_refresh(child_id=order.pk, as_of=D(2024, 1, 16))
        order.is_open = False
        order.save()
        obligations_rejudge_all(as_of=D(2024, 6, 3))
        rows = Obligation.objects.filter(child=order)
        assert not rows.filter(status=Obligation.Status.OPEN, due__lt=D(2024, 6, 3)).exists()
        obligations_rejudge_all(as_of=D(2024, 7, 1))
        assert set(rows.values_list("as_of", flat=True)) == {D(2024, 6, 3)}

    def test_workers_are_rejudged_and_newly_supervised_ones_refreshed(self, north, team_manager):
        """A supervised worker's supervision goes overdue by re-judging; a worker given a line manager since
        their last refresh (their snapshot has no start) gets a full refresh and a supervision timescale."""
        with time_machine.travel(london(2024, 1, 8, 9, 0), tick=False):
            supervised = UserFactory(role=Role.CASE_MANAGER, team=north, line_manager=team_manager)
            newcomer = UserFactory(role=Role.CASE_MANAGER, team=north)
        services.worker_obligations_refresh(worker_id=supervised.pk, as_of=D(2024, 1, 9))
        services.worker_obligations_refresh(worker_id=newcomer.pk, as_of=D(2024, 1, 9))
        assert not Obligation.objects.filter(worker=newcomer).exists()
        newcomer.line_manager = team_manager
        newcomer.save()

        stats = obligations_rejudge_all(as_of=D(2024, 6, 3))

        assert Obligation.objects.get(worker=supervised, code="supervision.staff").status == "overdue"
        assert Obligation.objects.filter(worker=newcomer, code="supervision.staff").exists()
        assert stats["workers_changed"] >= 1 and stats["workers_refreshed"] >= 1

    def test_query_count_does_not_grow_with_children(self, north, case_manager):
        """Re-judging 3 or 12 children (snapshots stored, rows changing) takes the same number of queries."""

        def run(how_many):
            Obligation.objects.all().delete()
            FactSnapshot.objects.all().delete()
            ChildFactory._meta.model.objects.all().delete()
            for _ in range(how_many):
                child = ChildFactory(team=north, case_manager=case_manager)
                ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2024, 1, 8))
                services.child_obligations_refresh(child_id=child.pk, as_of=D(2024, 1, 29))
            obligations_rejudge_all(as_of=D(2024, 1, 29))  # workers' snapshots stored
            with CaptureQueriesContext(connection) as queries:
                stats = obligations_rejudge_all(as_of=D(2024, 6, 3))
            assert stats["children_changed"] == how_many
            return len(queries)

        assert run(3) == run(12)


@pytest.mark.django_db
def test_a_refused_snapshot_falls_back_to_a_full_refresh(child):
    """A snapshot the rules module refuses (a corrupt fact) is not trusted: the child is recomputed."""
    ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2024, 1, 8))
    services.child_obligations_refresh(child_id=child.pk, as_of=D(2024, 1, 29))
    FactSnapshot.objects.filter(child=child).update(facts=[{"type": "no_such_fact", "date": "2024-01-01"}])
    stats = obligations_rejudge_all(as_of=datetime.date(2024, 6, 3))
    assert stats["children_refreshed"] == 1
    assert FactSnapshot.objects.get(child=child).facts[0]["type"] != "no_such_fact"
    assert Obligation.objects.get(child=child, code="assetplus.due").status == "overdue"
