"""Case discussions (001 App. 5, 000 §4.3, 001 §6.3), co-allocated workers' discussions (003 §5.3) and
management oversight decisions (004 §7, 002): the services, and the obligations their facts meet.

The clock is pinned with time_machine wherever a service reads it, and the profiles' recording
timescales are checked on known dates, with a bank holiday and the October clock change.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from cases.facts import child_facts
from cases.models import Allocation, Event, EventType, Obligation, Programme, Role
from core.models import AuditEntry, Task
from core.services import StaleVersion
from demo.factories import ProgrammeFactory, UserFactory
from supervision.models import (
    CaseDiscussion,
    OversightDecision,
    SupervisionMethod,
    SupervisionSession,
)
from supervision.services import discussions as services
from supervision.services.discussions.recording import DISCUSSION_RENDER
from tests.renders import capture_renders

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(*args) -> datetime.datetime:
    """An aware datetime in Europe/London."""
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def queued(monkeypatch):
    """Capture the PDF render task instead of running WeasyPrint (the PDF has its own tests)."""
    return capture_renders(monkeypatch, DISCUSSION_RENDER, "discussion_id")


@pytest.fixture
def ooc_child(child, team_manager):
    """The child on an out-of-court disposal with intervention from Monday 13 May 2024 (001 §6.3)."""
    ProgrammeFactory(
        child=child, kind=Programme.Kind.OOCD_INTERVENTION, start_date=datetime.date(2024, 5, 13)
    )
    return child


@pytest.fixture
def co_worker(north, team_manager):
    """An advanced practitioner co-allocated to the child as practice supervisor (003 §5.1)."""
    return UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north, line_manager=team_manager)


@pytest.fixture
def co_child(child, co_worker, team_manager):
    """The child co-allocated to the AP since Monday 6 May 2024 (the `co_allocated` fact, 003 §5.3)."""
    child.co_workers.add(co_worker)
    Allocation.objects.create(
        child=child,
        worker=co_worker,
        role=Allocation.Role.CO_WORKER,
        started_on=datetime.date(2024, 5, 6),
        allocated_by=team_manager,
    )
    return child


def hold(child, user, *, worker=None, manager=None, **kw):
    """A case discussion held through the service (on the pinned day unless given)."""
    data = {
        "held_on": datetime.date(2024, 6, 3),
        "manager": manager or user,
        "worker": worker or child.case_manager,
        "overview": "Engaging well; school place confirmed.",
        "new_concerns": "None since the assessment.",
    }
    data.update(kw)
    return services.case_discussion_create(child=child, user=user, **data)


def obligation(child, code) -> Obligation:
    """The child's first stored obligation with this code."""
    return Obligation.objects.filter(child=child, code=code).order_by("position").first()


class TestCreate:
    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_held_states_the_fact_and_meets_the_ooc_discussion(
        self, ooc_child, team_manager, django_capture_on_commit_callbacks
    ):
        """A held discussion states `case_discussion_held` at once: the OOC discussion due three weeks
        after the panel (Mon 3 Jun) turns met (001 §6.3)."""
        with django_capture_on_commit_callbacks(execute=True):
            discussion = hold(ooc_child, team_manager, kind=CaseDiscussion.Kind.OOC, plans_reviewed=True)
        assert discussion.status == CaseDiscussion.Status.DRAFT
        assert discussion.plans_reviewed is True
        facts = [f for f in child_facts(child=ooc_child) if f["type"].startswith("case_discussion")]
        assert facts == [{"type": "case_discussion_held", "date": "2024-06-03", "significant": False}]
        due = obligation(ooc_child, "case_discussion.due")
        assert due.due == datetime.date(2024, 6, 3)
        assert due.status == Obligation.Status.MET and due.met_on == datetime.date(2024, 6, 3)
        entry = AuditEntry.objects.filter(object_type="casediscussion", object_id=str(discussion.pk)).get()
        assert entry.action == AuditEntry.Action.CREATE and entry.child == ooc_child

    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_time_makes_an_aware_london_datetime(self, child, team_manager):
        """Date + time become held_at in Europe/London (BST in June: 10:30 is 09:30 UTC)."""
        discussion = hold(child, team_manager, held_time=datetime.time(10, 30))
        assert discussion.held_at == at(2024, 6, 3, 10, 30)
        assert discussion.held_at.astimezone(datetime.UTC).hour == 9

    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_future_date_or_time_is_refused(self, child, team_manager):
        """A record says what has happened: tomorrow, or later today, is refused."""
        with pytest.raises(ValidationError, match="today or in the past"):
            hold(child, team_manager, held_on=datetime.date(2024, 6, 4))
        with pytest.raises(ValidationError, match="must be in the past"):
            hold(child, team_manager, held_time=datetime.time(16, 0))
        assert not CaseDiscussion.objects.exists()

    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_case_manager_cannot_record_a_managers_discussion(self, child, case_manager, team_manager):
        """Case discussions are the manager's (000 §4.3): a case manager is refused."""
        with pytest.raises(ValidationError, match="team manager"):
            hold(child, case_manager, manager=team_manager, worker=case_manager)

    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_plans_reviewed_only_for_ooc(self, child, team_manager):
        """001 §6.3: the plans review belongs to an out-of-court discussion."""
        with pytest.raises(ValidationError, match="out-of-court"):
            hold(child, team_manager, plans_reviewed=True)

    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_session_links_the_discussion_for_its_supervisor_only(
        self, child, case_manager, team_manager, colleague
    ):
        """Held in a supervision: linked to it; someone not writing that record is refused."""
        session = SupervisionSession.objects.create(
            supervisee=case_manager,
            supervisor=team_manager,
            held_on=datetime.date(2024, 6, 3),
            method=SupervisionMethod.ONE_TO_ONE,
            created_by=team_manager,
        )
        discussion = hold(child, team_manager, session=session)
        assert discussion.session == session and discussion.kind == CaseDiscussion.Kind.SUPERVISION
        with pytest.raises(ValidationError, match="supervisor"):
            hold(child, colleague, manager=team_manager, session=session)


class TestRecord:
    @time_machine.travel(at(2024, 6, 4, 9, 0), tick=False)
    def test_record_writes_one_event_tasks_and_the_fact(
        self, child, team_manager, colleague, queued, django_capture_on_commit_callbacks
    ):
        """Recording writes exactly one "Management Oversight - Supervision" event (004 §7), a task per
        action (001 App. 5), `case_discussion_recorded`, and queues the PDF on commit."""
        discussion = hold(child, team_manager)
        first = services.discussion_action_add(
            discussion=discussion,
            user=team_manager,
            action="Refer to the ETE coordinator",
            due=datetime.date(2024, 6, 14),
            owner=colleague,
        )
        services.discussion_action_add(
            discussion=discussion,
            user=team_manager,
            action="Share the plan with the school",
            due=datetime.date(2024, 6, 21),
            owner_name="Ms Head, school SENCo",
        )
        with django_capture_on_commit_callbacks(execute=True):
            recorded = services.case_discussion_record(discussion=discussion, user=team_manager)
        assert recorded.status == CaseDiscussion.Status.RECORDED
        assert recorded.recorded_on == datetime.date(2024, 6, 4) and recorded.recorded_by == team_manager
        events = Event.objects.filter(child=child, source=f"discussion:{discussion.pk}")
        assert events.count() == 1
        event = events.get()
        assert event.event_type == EventType.MANAGEMENT_OVERSIGHT_SUPERVISION
        assert event.occurred_on == datetime.date(2024, 6, 3)
        assert event.summary.startswith("Management Oversight - Supervision: case discussion with")
        assert "Case Overview / Progress of Case:\nEngaging well; school place confirmed." in event.details
        assert "Refer to the ETE coordinator" in event.details and "Ms Head, school SENCo" in event.details
        assert recorded.event == event
        tasks = Task.objects.filter(child=child).order_by("due")
        assert [(t.source, t.assignee, t.assignee_name) for t in tasks] == [
            (f"discussion:{discussion.pk}:{first.pk}", colleague, ""),
            (tasks[1].source, None, "Ms Head, school SENCo"),
        ]
        assert all("001 App. 5" in t.basis for t in tasks)
        facts = {f["type"] for f in child_facts(child=child)}
        assert "case_discussion_recorded" in facts
        assert queued == [discussion.pk]

    @time_machine.travel(at(2024, 6, 4, 9, 0), tick=False)
    def test_record_is_idempotent(
        self, child, team_manager, colleague, queued, django_capture_on_commit_callbacks
    ):
        """A second call (the supervision's finalising after the manager did it) changes nothing."""
        discussion = hold(child, team_manager)
        services.discussion_action_add(
            discussion=discussion,
            user=team_manager,
            action="Home visit",
            due=datetime.date(2024, 6, 7),
            owner=colleague,
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.case_discussion_record(discussion=discussion, user=team_manager)
            again = services.case_discussion_record(
                discussion=discussion, user=team_manager, today=datetime.date(2024, 6, 10)
            )
        assert again.recorded_on == datetime.date(2024, 6, 4)
        assert Event.objects.filter(source=f"discussion:{discussion.pk}").count() == 1
        assert Task.objects.filter(child=child).count() == 1
        assert queued == [discussion.pk]

    @time_machine.travel(at(2024, 6, 4, 9, 0), tick=False)
    def test_recorded_discussion_is_fixed(self, child, team_manager, queued):
        """Once on the file: no new actions, no changes, no deletion."""
        discussion = hold(child, team_manager)
        services.case_discussion_record(discussion=discussion, user=team_manager)
        with pytest.raises(ValidationError):
            services.discussion_action_add(
                discussion=discussion,
                user=team_manager,
                action="Late",
                due=datetime.date(2024, 6, 7),
                owner=team_manager,
            )
        with pytest.raises(ValidationError):
            services.case_discussion_update(discussion=discussion, user=team_manager, overview="Changed")
        with pytest.raises(ValidationError):
            services.case_discussion_delete(discussion=discussion, user=team_manager)

    @time_machine.travel(at(2024, 6, 4, 9, 0), tick=False)
    def test_only_writers_may_record(self, child, team_manager, colleague, service_manager, queued):
        """A colleague may read the discussion but not record it; the service manager may."""
        discussion = hold(child, team_manager)
        with pytest.raises(ValidationError):
            services.case_discussion_record(discussion=discussion, user=colleague)
        services.case_discussion_record(discussion=discussion, user=service_manager)

    @time_machine.travel(at(2024, 6, 4, 9, 0), tick=False)
    def test_delete_removes_the_draft_and_its_fact(
        self, child, team_manager, django_capture_on_commit_callbacks
    ):
        """A draft held in error is deleted, audited, and no longer states `case_discussion_held`."""
        discussion = hold(child, team_manager)
        pk = discussion.pk
        with django_capture_on_commit_callbacks(execute=True):
            services.case_discussion_delete(discussion=discussion, user=team_manager)
        assert not CaseDiscussion.objects.filter(pk=pk).exists()
        assert not any(f["type"] == "case_discussion_held" for f in child_facts(child=child))
        assert AuditEntry.objects.filter(
            object_type="casediscussion", object_id=str(pk), description__startswith="Deleted"
        ).exists()


class TestCoAllocated:
    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_states_co_allocation_discussion_and_meets_it(
        self, co_child, co_worker, case_manager, queued, django_capture_on_commit_callbacks
    ):
        """003 §5.3: the co-workers' discussion states `co_allocation_discussion` (not a management case
        discussion) and meets the six-weekly co_allocation.discussion due Mon 17 Jun."""
        with django_capture_on_commit_callbacks(execute=True):
            discussion = hold(
                co_child,
                case_manager,
                kind=CaseDiscussion.Kind.CO_ALLOCATED,
                manager=co_worker,
                worker=case_manager,
            )
        types = [f["type"] for f in child_facts(child=co_child)]
        assert "co_allocation_discussion" in types and "case_discussion_held" not in types
        due = obligation(co_child, "co_allocation.discussion")
        assert due.due == datetime.date(2024, 6, 17)
        assert due.status == Obligation.Status.MET and due.met_on == datetime.date(2024, 6, 3)
        with django_capture_on_commit_callbacks(execute=True):
            services.case_discussion_record(discussion=discussion, user=case_manager)
        event = Event.objects.get(source=f"discussion:{discussion.pk}")
        assert event.event_type == EventType.CO_ALLOCATION_DISCUSSION
        assert "case_discussion_recorded" not in {f["type"] for f in child_facts(child=co_child)}

    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_needs_a_co_worker_and_a_holder(self, child, co_worker, case_manager, colleague):
        """Without co-workers it is refused; with them, only the case manager or a co-worker records it."""
        kw = {"kind": CaseDiscussion.Kind.CO_ALLOCATED, "manager": co_worker, "worker": case_manager}
        with pytest.raises(ValidationError, match="no co-allocated worker"):
            hold(child, case_manager, **kw)
        child.co_workers.add(co_worker)
        with pytest.raises(ValidationError, match="case manager or a co-allocated worker"):
            hold(child, colleague, **kw)
        assert hold(child, co_worker, **kw).kind == CaseDiscussion.Kind.CO_ALLOCATED


class TestProfiles:
    @override_settings(POLICY_PROFILE="islington")
    def test_islington_significant_discussion_is_due_on_file_in_24_hours(
        self, child, team_manager, queued, django_capture_on_commit_callbacks
    ):
        """002: a significant discussion's record is due 24 hours after it was held; recorded two days
        later it is met late (the record is dated, so the next day would still count)."""
        with time_machine.travel(at(2024, 6, 3, 15, 0), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                discussion = hold(child, team_manager, held_time=datetime.time(10, 0), significant=True)
            row = obligation(child, "case_discussion.recorded")
            assert row.due_at == at(2024, 6, 4, 10, 0)
            assert row.status == Obligation.Status.OPEN
        with time_machine.travel(at(2024, 6, 5, 16, 0), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                services.case_discussion_record(discussion=discussion, user=team_manager)
            row = obligation(child, "case_discussion.recorded")
            assert row.status == Obligation.Status.MET_LATE and row.met_on == datetime.date(2024, 6, 5)

    @override_settings(POLICY_PROFILE="islington")
    def test_islington_ordinary_discussion_has_five_working_days(
        self, child, team_manager, django_capture_on_commit_callbacks
    ):
        """Not significant: 5 working days after Fri 24 May 2024, past the Spring bank holiday (Mon 27 May),
        is Mon 3 Jun."""
        with time_machine.travel(at(2024, 5, 24, 15, 0), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                hold(child, team_manager, held_on=datetime.date(2024, 5, 24))
            assert obligation(child, "case_discussion.recorded").due == datetime.date(2024, 6, 3)

    @override_settings(POLICY_PROFILE="islington")
    @pytest.mark.parametrize(
        ("recorded", "status"),
        [
            # 5 working days after Fri 24 May 2024: the bank holiday on Mon 27 May does not count, so
            # Mon 3 Jun is in time (it would be Fri 31 May without it).
            (datetime.date(2024, 6, 3), Obligation.Status.MET),
            # Three working days after that: Thu 6 Jun is late.
            (datetime.date(2024, 6, 6), Obligation.Status.MET_LATE),
        ],
    )
    def test_islington_decision_five_working_days_with_bank_holiday(
        self, child, team_manager, recorded, status, django_capture_on_commit_callbacks
    ):
        """002: a decision outside supervision is recorded within 5 working days."""
        with time_machine.travel(at(recorded.year, recorded.month, recorded.day, 12, 0), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                decision = services.oversight_decision_record(
                    child=child,
                    user=team_manager,
                    label=OversightDecision.Label.CASE_DIRECTION,
                    decided_at=at(2024, 5, 24, 15, 30),
                    decision="Increase contact to twice weekly.",
                )
            assert decision.recorded_on == recorded
            row = obligation(child, "oversight.recorded")
        assert row.due == datetime.date(2024, 6, 3)
        assert row.status == status and row.met_on == recorded

    @override_settings(POLICY_PROFILE="enfield")
    def test_enfield_48_hours_for_a_discussion(self, child, team_manager, django_capture_on_commit_callbacks):
        """004 §7.1: supervision actions on the file within 48 hours, significant or not."""
        with time_machine.travel(at(2024, 6, 3, 15, 0), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                hold(child, team_manager, held_time=datetime.time(10, 0))
            row = obligation(child, "case_discussion.recorded")
        assert row.due_at == at(2024, 6, 5, 10, 0)
        assert row.basis.startswith("004 §7.1")

    @override_settings(POLICY_PROFILE="enfield")
    def test_enfield_48_hours_across_the_clock_change(
        self, child, team_manager, django_capture_on_commit_callbacks
    ):
        """A decision at 10:00 BST on Sat 26 Oct 2024 is due 48 elapsed hours later: 09:00 GMT on Mon 28 Oct."""
        with time_machine.travel(at(2024, 10, 28, 8, 0), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                services.oversight_decision_record(
                    child=child,
                    user=team_manager,
                    label=OversightDecision.Label.MULTI_AGENCY,
                    decided_at=at(2024, 10, 26, 10, 0),
                    decision="Escalate to the CSC service manager.",
                )
            row = obligation(child, "oversight.recorded")
        assert row.due_at == at(2024, 10, 28, 9, 0)
        assert row.status == Obligation.Status.MET

    def test_nottinghamshire_sets_no_recording_timescale(
        self, child, team_manager, django_capture_on_commit_callbacks
    ):
        """000/001 name no recording timescale: no case_discussion.recorded or oversight.recorded."""
        with time_machine.travel(at(2024, 6, 3, 15, 0), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                hold(child, team_manager, significant=True)
        assert obligation(child, "case_discussion.recorded") is None


class TestOversightDecision:
    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_panel_decision_writes_its_labelled_event(
        self, child, team_manager, django_capture_on_commit_callbacks
    ):
        """004 §7: "Management Oversight by [panel name]", with the decision's first line as the summary."""
        with django_capture_on_commit_callbacks(execute=True):
            decision = services.oversight_decision_record(
                child=child,
                user=team_manager,
                label=OversightDecision.Label.PANEL,
                panel_name="MARP",
                decided_at=at(2024, 6, 3, 11, 0),
                significant=True,
                decision="Refer to MAPPA level 2.\nReview in four weeks.",
                rationale="Escalating violence towards a known victim.",
                actions="CM to complete the referral by 7 June.",
            )
        assert decision.heading == "Management Oversight by MARP"
        assert decision.manager == team_manager and decision.recorded_on == datetime.date(2024, 6, 3)
        event = Event.objects.get(source=f"oversight:{decision.pk}")
        assert event.event_type == EventType.MANAGEMENT_OVERSIGHT_PANEL
        assert event.summary == "Management Oversight by MARP: Refer to MAPPA level 2."
        assert "Escalating violence" in event.details and "CM to complete the referral" in event.details
        assert decision.event == event
        types = [f for f in child_facts(child=child) if f["type"].startswith("oversight")]
        assert {"type": "oversight_recorded", "date": "2024-06-03"} in types
        assert any(f["type"] == "oversight_decision" and f["significant"] for f in types)

    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_other_labels_write_management_oversight(self, child, team_manager):
        """Every other label is a "Management Oversight" event; the OOC holder label is accepted too."""
        for label in (OversightDecision.Label.AUDIT, OversightDecision.Label.OVERSIGHT_HOLDER):
            decision = services.oversight_decision_record(
                child=child,
                user=team_manager,
                label=label,
                panel_name="ignored",
                decided_at=at(2024, 6, 3, 9, 0),
                decision="Direction.",
            )
            assert decision.panel_name == ""
            assert (
                Event.objects.get(source=f"oversight:{decision.pk}").event_type
                == EventType.MANAGEMENT_OVERSIGHT
            )

    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_refusals(self, child, team_manager, case_manager):
        """A case manager cannot; a panel needs its name; a decision cannot be in the future."""
        base = {"child": child, "decided_at": at(2024, 6, 3, 9, 0), "decision": "Direction."}
        with pytest.raises(ValidationError, match="team manager"):
            services.oversight_decision_record(user=case_manager, label=OversightDecision.Label.AUDIT, **base)
        with pytest.raises(ValidationError, match="name of the panel"):
            services.oversight_decision_record(user=team_manager, label=OversightDecision.Label.PANEL, **base)
        with pytest.raises(ValidationError, match="in the past"):
            services.oversight_decision_record(
                user=team_manager,
                label=OversightDecision.Label.AUDIT,
                child=child,
                decided_at=at(2024, 6, 3, 16, 0),
                decision="Later today.",
            )
        assert not OversightDecision.objects.exists()

    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_outside_scope_manager_is_refused(self, child, south):
        """A team manager of another team cannot record on a child they cannot see."""
        other = UserFactory(username="tm-south", role=Role.TEAM_MANAGER, team=south)
        with pytest.raises(ValidationError):
            services.oversight_decision_record(
                child=child,
                user=other,
                label=OversightDecision.Label.AUDIT,
                decided_at=at(2024, 6, 3, 9, 0),
                decision="x",
            )
        assert not OversightDecision.objects.exists()


class TestPreviousActions:
    @time_machine.travel(at(2024, 6, 3, 15, 0), tick=False)
    def test_hint_lists_the_earlier_discussions_actions(self, child, team_manager, colleague):
        """001 App. 5 "Update on actions from previous Case Discussion / CMM": a new discussion sees the
        latest one's actions; editing that one sees only what came before it (nothing here)."""
        from supervision.selectors.discussions import previous_actions_hint

        assert previous_actions_hint(child=child) is None
        earlier = hold(child, team_manager, held_on=datetime.date(2024, 5, 1))
        services.discussion_action_add(
            discussion=earlier,
            user=team_manager,
            action="Book the dentist",
            due=datetime.date(2024, 5, 10),
            owner=colleague,
        )
        later = hold(child, team_manager)
        hint = previous_actions_hint(child=child, before=later)
        assert hint["title"] == "Case discussion on 1 May 2024"
        assert [(a["action"], a["by_whom"], a["done"]) for a in hint["actions"]] == [
            ("Book the dentist", colleague.get_full_name(), False)
        ]
        assert previous_actions_hint(child=child, before=earlier) is None
        assert previous_actions_hint(child=child)["title"] == "Case discussion on 3 June 2024"


@time_machine.travel(at(2024, 6, 4, 9, 0), tick=False)
def test_a_stale_discussion_update_is_refused(child, team_manager, service_manager):
    """Two writers from the same version: the second is refused with the discussion as saved, unchanged."""
    discussion = hold(child, team_manager)
    loaded = discussion.version
    services.case_discussion_update(
        discussion=discussion, user=team_manager, overview="The manager's overview", version=loaded
    )
    with pytest.raises(StaleVersion) as refused:
        services.case_discussion_update(
            discussion=discussion, user=service_manager, overview="Another overview", version=loaded
        )
    assert refused.value.record.overview == "The manager's overview"
    discussion.refresh_from_db()
    assert discussion.overview == "The manager's overview" and discussion.version == loaded + 1
