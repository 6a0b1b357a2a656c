"""Internal transfers between locality teams (003 §11): the rules through the obligations (allocate within 2
working days of endorsement, across bank holidays; the three-way meeting within 5 working days of
allocation), responsibility switching only at the three-way meeting with the child (§11.7-§11.8), MAPPA
level 2 or 3 needing the MAPPA meeting's endorsement (§11.5), escalation (§11.4) and who may act."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.models import Allocation, Event, EventType, Obligation, RiskLevel, Role, Team
from cases.services.core import child_obligations_refresh
from core.models import AuditEntry
from demo.factories import ChildFactory, TeamFactory, UserFactory
from mappa.models import Category, Criterion, MappaRecord
from transfers.models import InternalTransfer
from transfers.services import internal as services

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(day: datetime.date):
    """Pin the clock to midday on a day (Europe/London)."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def child(north, case_manager):
    """A North child with low levels (no allocation exception at the receiving end)."""
    return ChildFactory(
        team=north,
        case_manager=case_manager,
        first_name="Alex",
        last_name="Testchild",
        gender_identity="male",
        rosh=RiskLevel.LOW,
        saw=RiskLevel.LOW,
    )


@pytest.fixture
def south_tm(south):
    """South's team manager."""
    return UserFactory(username="tm.south", role=Role.TEAM_MANAGER, team=south)


@pytest.fixture
def south_cm(south, south_tm):
    """A South case manager with room on their caseload."""
    return UserFactory(username="cm.south", role=Role.CASE_MANAGER, team=south, line_manager=south_tm)


def propose(child, user, to_team, **kw):
    """A proposal with the §11.2 considerations and the §11.3 dates."""
    data = {
        "to_team": to_team,
        "new_address": "1 New Street, Southtown, ST1 1AA",
        "move_term": "long",
        "saw_effect": "None expected.",
        "rosh_effect": "RoSH is low; no effect.",
        "child_views": "Happy to meet a new worker nearer home.",
        "home_visit_on": datetime.date(2026, 11, 2),
        "review_assessment_on": datetime.date(2026, 11, 3),
    }
    data.update(kw)
    return services.internal_transfer_propose(child=child, user=user, **data)


def codes(child, code):
    """{due: status} of the child's obligations with this code."""
    return dict(Obligation.objects.filter(child=child, code=code).values_list("due", "status"))


class TestPropose:
    def test_proposal_records_event_audit_and_one_active(self, child, case_manager, south):
        """The case manager proposes: a TRANSFER event, an audit entry, and no second active transfer."""
        transfer = propose(child, case_manager, south)
        assert transfer.status == InternalTransfer.Status.PROPOSED
        assert transfer.from_team == child.team and transfer.from_case_manager == case_manager
        event = Event.objects.get(child=child, event_type=EventType.TRANSFER)
        assert event.summary == "Internal transfer proposed to South locality team"
        assert event.source == f"itransfer:{transfer.pk}:proposed"
        assert AuditEntry.objects.filter(
            child=child, object_type="internaltransfer", action=AuditEntry.Action.CREATE
        ).exists()
        with pytest.raises(ValidationError, match="already has a transfer in progress"):
            propose(child, case_manager, south)

    def test_needs_child_views_and_effects(self, child, case_manager, south):
        """003 §11.2: the child's views and the RoSH/SaW effects are required."""
        with pytest.raises(ValidationError, match="thoughts and feelings"):
            propose(child, case_manager, south, child_views="  ")
        with pytest.raises(ValidationError, match="RoSH"):
            propose(child, case_manager, south, rosh_effect="")

    def test_only_to_another_locality_team(self, child, case_manager, north):
        """Not to the same team, nor to the interventions team."""
        interventions = TeamFactory(name="Interventions", kind=Team.Kind.INTERVENTIONS)
        for team in (north, interventions):
            with pytest.raises(ValidationError, match="another locality team"):
                propose(child, case_manager, team)

    def test_colleague_cannot_propose(self, child, colleague, south):
        """Only the case manager or a TM/AP of the child's team."""
        with pytest.raises(ValidationError):
            propose(child, colleague, south)

    def test_team_manager_can_propose(self, child, team_manager, south):
        """A TM of the child's team proposes too."""
        assert propose(child, team_manager, south).proposed_by == team_manager


class TestEndorse:
    def test_endorsement_needs_home_visit_and_review(self, child, case_manager, team_manager, south):
        """003 §11.3: both dates before endorsement; they can be given with the decision."""
        transfer = propose(child, case_manager, south, home_visit_on=None, review_assessment_on=None)
        with pytest.raises(ValidationError, match="home visit"):
            services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
        transfer = services.internal_transfer_decide(
            transfer=transfer,
            user=team_manager,
            endorse=True,
            home_visit_on=datetime.date(2026, 11, 10),
            review_assessment_on=datetime.date(2026, 11, 11),
        )
        assert transfer.status == InternalTransfer.Status.ENDORSED
        assert transfer.home_visit_on == datetime.date(2026, 11, 10)

    def test_allocate_due_two_working_days_across_christmas(
        self, child, case_manager, team_manager, south, south_tm, south_cm
    ):
        """003 §11.4: endorsed Thu 24 Dec 2026 → allocate by Wed 30 Dec (25 and 28 Dec are bank holidays);
        allocated 30 Dec → three-way meeting by Thu 7 Jan 2027 (1 Jan is a bank holiday)."""
        transfer = propose(child, case_manager, south)
        with at(datetime.date(2026, 12, 24)):
            services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
        child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2026, 12, 24))
        assert codes(child, "transfer.allocate") == {datetime.date(2026, 12, 30): "open"}
        assert codes(child, "transfer.three_way_meeting") == {}
        with at(datetime.date(2026, 12, 30)):
            services.internal_transfer_allocate(transfer=transfer, user=south_tm, worker=south_cm)
        child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2026, 12, 30))
        assert codes(child, "transfer.allocate") == {datetime.date(2026, 12, 30): "met"}
        assert codes(child, "transfer.three_way_meeting") == {datetime.date(2027, 1, 7): "open"}

    def test_line_manager_of_case_manager_decides(self, child, case_manager, south):
        """The current case manager's line manager endorses, even from another team."""
        manager = UserFactory(username="lm", role=Role.SENIOR_CASE_MANAGER, team=TeamFactory(name="East"))
        case_manager.line_manager = manager
        case_manager.save()
        transfer = propose(child, case_manager, south)
        child.refresh_from_db()
        transfer = services.internal_transfer_decide(transfer=transfer, user=manager, endorse=True)
        assert transfer.endorsed_by == manager

    def test_case_manager_and_receiving_tm_cannot_endorse(self, child, case_manager, south, south_tm):
        """Neither the proposer nor the receiving team endorses."""
        transfer = propose(child, case_manager, south)
        for user in (case_manager, south_tm):
            with pytest.raises(ValidationError, match="cannot endorse"):
                services.internal_transfer_decide(transfer=transfer, user=user, endorse=True)

    def test_decline_needs_reasons(self, child, case_manager, team_manager, south):
        """Declining records the reasons; the transfer closes."""
        transfer = propose(child, case_manager, south)
        with pytest.raises(ValidationError, match="reasons"):
            services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=False)
        transfer = services.internal_transfer_decide(
            transfer=transfer, user=team_manager, endorse=False, notes="The move is only for two weeks."
        )
        assert transfer.status == InternalTransfer.Status.DECLINED
        assert not transfer.is_active

    def test_mappa_level_two_needs_the_mappa_meeting(self, child, case_manager, team_manager, south):
        """003 §11.5: MAPPA level 2 → the MAPPA meeting's endorsement first."""
        MappaRecord.objects.create(
            child=child,
            category=Category.TWO,
            criterion=Criterion.SCH15_CUSTODY,
            identified_on=datetime.date(2026, 6, 1),
            current_level=2,
            recorded_by=team_manager,
        )
        transfer = propose(child, case_manager, south)
        with pytest.raises(ValidationError, match="MAPPA"):
            services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
        services.internal_transfer_mappa_endorse(
            transfer=transfer, user=case_manager, endorsed_on=datetime.date(2026, 11, 20)
        )
        transfer = services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
        assert transfer.status == InternalTransfer.Status.ENDORSED
        assert transfer.mappa_endorsed_on == datetime.date(2026, 11, 20)

    def test_mappa_level_one_and_ended_records_do_not_block(self, child, case_manager, team_manager, south):
        """Level 1, or a record that has ended, needs no MAPPA meeting endorsement."""
        for level, ended in ((1, None), (3, datetime.date(2026, 9, 1))):
            MappaRecord.objects.create(
                child=child,
                category=Category.THREE,
                criterion=Criterion.OTHER_DANGEROUS,
                identified_on=datetime.date(2026, 6, 1),
                current_level=level,
                ended_on=ended,
                recorded_by=team_manager,
            )
        transfer = propose(child, case_manager, south)
        assert services.internal_transfer_decide(
            transfer=transfer, user=team_manager, endorse=True
        ).endorsed_on


class TestEscalation:
    def test_receiving_tm_escalates_and_service_manager_decides(
        self, child, case_manager, team_manager, south, south_tm, service_manager
    ):
        """003 §11.4: the receiving TM records the disagreement; only the SM then decides."""
        transfer = propose(child, case_manager, south)
        with pytest.raises(ValidationError):
            services.internal_transfer_escalate(transfer=transfer, user=team_manager, reason="Disagree")
        transfer = services.internal_transfer_escalate(
            transfer=transfer, user=south_tm, reason="South has no capacity this month."
        )
        assert transfer.status == InternalTransfer.Status.ESCALATED
        with pytest.raises(ValidationError):
            services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
        transfer = services.internal_transfer_decide(
            transfer=transfer, user=service_manager, endorse=True, notes="Agreed: the move is permanent."
        )
        assert transfer.status == InternalTransfer.Status.ENDORSED
        assert transfer.endorsed_by == service_manager

    def test_escalating_an_endorsement_suspends_the_allocation_timescale(
        self, child, case_manager, team_manager, south, south_tm
    ):
        """A disputed endorsement no longer asks the receiving team to allocate."""
        transfer = propose(child, case_manager, south)
        services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
        child_obligations_refresh(child_id=child.pk)
        assert Obligation.objects.filter(child=child, code="transfer.allocate").exists()
        services.internal_transfer_escalate(transfer=transfer, user=south_tm, reason="Not agreed.")
        child_obligations_refresh(child_id=child.pk)
        assert not Obligation.objects.filter(child=child, code="transfer.allocate").exists()


class TestAllocateAndMeet:
    @pytest.fixture
    def endorsed(self, child, case_manager, team_manager, south):
        """An endorsed transfer to South."""
        transfer = propose(child, case_manager, south)
        return services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)

    def test_responsibility_switches_only_at_the_meeting_with_the_child(
        self, endorsed, child, case_manager, south, south_tm, south_cm, north
    ):
        """003 §11.7-§11.8: allocation leaves team and case manager alone; an absent child changes nothing;
        the meeting with the child moves both, ending the old Allocation and starting the new."""
        Allocation.objects.create(
            child=child,
            worker=case_manager,
            started_on=datetime.date(2026, 1, 5),
            allocated_by=case_manager,
        )
        transfer = services.internal_transfer_allocate(transfer=endorsed, user=south_tm, worker=south_cm)
        assert transfer.status == InternalTransfer.Status.ALLOCATED
        child.refresh_from_db()
        assert (child.team, child.case_manager) == (north, case_manager)

        day = transfer.allocated_on
        transfer = services.internal_transfer_meeting(
            transfer=transfer, user=case_manager, held_on=day, child_attended=False, notes="Did not attend."
        )
        child.refresh_from_db()
        assert transfer.status == InternalTransfer.Status.ALLOCATED and transfer.meeting_on is None
        assert (child.team, child.case_manager) == (north, case_manager)
        assert Event.objects.filter(child=child, summary__startswith="Three-way meeting not held").exists()
        child_obligations_refresh(child_id=child.pk)
        assert Obligation.objects.get(child=child, code="transfer.three_way_meeting").status in (
            "open",
            "overdue",
        )

        transfer = services.internal_transfer_meeting(
            transfer=transfer, user=south_cm, held_on=day, child_attended=True, notes="Handover done."
        )
        child.refresh_from_db()
        assert transfer.status == InternalTransfer.Status.COMPLETED and transfer.meeting_on == day
        assert (child.team, child.case_manager) == (south, south_cm)
        old = Allocation.objects.get(child=child, worker=case_manager)
        new = Allocation.objects.get(child=child, worker=south_cm)
        assert old.ended_on == day and new.started_on == day and new.ended_on is None
        assert Event.objects.filter(child=child, event_type=EventType.ALLOCATION).exists()
        assert Event.objects.filter(child=child, summary__startswith="Transferred to South").exists()
        child_obligations_refresh(child_id=child.pk)
        assert Obligation.objects.get(child=child, code="transfer.three_way_meeting").status == "met"

    def test_only_receiving_managers_allocate_to_their_own_staff(
        self, endorsed, team_manager, south_tm, south_cm, colleague
    ):
        """A North TM cannot allocate; South cannot allocate a North worker."""
        with pytest.raises(ValidationError):
            services.internal_transfer_allocate(transfer=endorsed, user=team_manager, worker=south_cm)
        with pytest.raises(ValidationError, match="South locality team"):
            services.internal_transfer_allocate(transfer=endorsed, user=south_tm, worker=colleague)

    def test_allocation_exception_needs_a_rationale_carried_to_the_allocation(
        self, endorsed, child, case_manager, south, south_tm
    ):
        """003 §2.1: an over-capacity worker needs a rationale, stored on the Allocation made at the meeting."""
        full = UserFactory(username="full", role=Role.CASE_MANAGER, team=south, capacity=0)
        with pytest.raises(ValidationError, match="rationale"):
            services.internal_transfer_allocate(transfer=endorsed, user=south_tm, worker=full)
        transfer = services.internal_transfer_allocate(
            transfer=endorsed, user=south_tm, worker=full, rationale="Two cases close next week."
        )
        services.internal_transfer_meeting(
            transfer=transfer, user=full, held_on=transfer.allocated_on, child_attended=True
        )
        allocation = Allocation.objects.get(child=child, worker=full)
        capacity = next(c for c in allocation.checks if c["code"] == "capacity")
        assert "Two cases close next week." in capacity["rationale"]

    def test_enforcement_pending_needs_confirmation(
        self, child, case_manager, team_manager, south, south_tm, south_cm
    ):
        """003 §11.7: enforcement should be completed before the transfer."""
        transfer = propose(
            child, case_manager, south, enforcement_pending=True, enforcement_notes="Breach listed."
        )
        services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
        transfer = services.internal_transfer_allocate(transfer=transfer, user=south_tm, worker=south_cm)
        with pytest.raises(ValidationError, match="Enforcement"):
            services.internal_transfer_meeting(
                transfer=transfer, user=south_cm, held_on=transfer.allocated_on, child_attended=True
            )
        transfer = services.internal_transfer_meeting(
            transfer=transfer,
            user=south_cm,
            held_on=transfer.allocated_on,
            child_attended=True,
            enforcement_confirmed=True,
            enforcement_notes="Breach heard; order continued.",
        )
        assert transfer.status == InternalTransfer.Status.COMPLETED and not transfer.enforcement_pending

    def test_meeting_not_in_the_future_nor_before_allocation(self, endorsed, south_tm, south_cm):
        """Records say what has happened, after the allocation."""
        transfer = services.internal_transfer_allocate(transfer=endorsed, user=south_tm, worker=south_cm)
        for day in (
            transfer.allocated_on + datetime.timedelta(days=1),
            transfer.allocated_on - datetime.timedelta(days=1),
        ):
            with pytest.raises(ValidationError):
                services.internal_transfer_meeting(
                    transfer=transfer, user=south_cm, held_on=day, child_attended=True
                )

    def test_third_team_cannot_record_the_meeting(self, endorsed, south_tm, south_cm):
        """A worker of another team cannot act."""
        east = UserFactory(
            username="east.tm", role=Role.TEAM_MANAGER, team=TeamFactory(name="East locality team")
        )
        transfer = services.internal_transfer_allocate(transfer=endorsed, user=south_tm, worker=south_cm)
        with pytest.raises(ValidationError):
            services.internal_transfer_meeting(
                transfer=transfer, user=east, held_on=transfer.allocated_on, child_attended=True
            )


class TestWithdraw:
    def test_withdrawal_stops_the_timescales(
        self, child, case_manager, team_manager, south, south_tm, south_cm
    ):
        """A withdrawn transfer asks for no allocation or meeting; its steps are kept as text."""
        transfer = propose(child, case_manager, south)
        services.internal_transfer_decide(transfer=transfer, user=team_manager, endorse=True)
        services.internal_transfer_allocate(transfer=transfer, user=south_tm, worker=south_cm)
        with pytest.raises(ValidationError, match="reason"):
            services.internal_transfer_withdraw(transfer=transfer, user=case_manager, reason="")
        transfer = services.internal_transfer_withdraw(
            transfer=transfer, user=case_manager, reason="Family moved back."
        )
        assert transfer.status == InternalTransfer.Status.WITHDRAWN
        assert "Allocated on" in transfer.closed_reason
        child_obligations_refresh(child_id=child.pk)
        assert not Obligation.objects.filter(child=child, code__startswith="transfer.").exists()

    def test_colleague_cannot_withdraw(self, child, case_manager, colleague, south):
        """Only the proposer, managers of either team or the SM."""
        transfer = propose(child, case_manager, south)
        with pytest.raises(ValidationError):
            services.internal_transfer_withdraw(transfer=transfer, user=colleague, reason="No.")
