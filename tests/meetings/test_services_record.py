"""Holding, recording and finalising a meeting (001 §6.2, App. 4; 000 §1.3, §1.4, App. A): the services.

Times are pinned with time_machine wherever a service reads the clock, so the 48-hour and
five-working-day rules are checked on known dates (timescales.md, "Arithmetic").
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.facts import child_facts
from cases.models import Event, EventType, Obligation, Programme, RiskLevel, Role
from cases.services import child_obligations_refresh
from core.models import AuditEntry, Task
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory
from meetings import services
from meetings.models import Invitation, Meeting, MeetingKind
from meetings.services.record import RECORD_RENDER
from tests.renders import capture_renders

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(*args) -> datetime.datetime:
    """An aware datetime in Europe/London."""
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def queued(monkeypatch):
    """Capture the PDF render task instead of running WeasyPrint (the PDF has its own tests)."""
    return capture_renders(monkeypatch, RECORD_RENDER, "meeting_id")


def book(child, chair, case_manager, *, starts_at, now, kind=MeetingKind.RISK_REVIEW, **kw):
    """Book a meeting through the service, a fortnight or more ahead unless a reason is given."""
    return services.meeting_book(
        child=child,
        user=chair,
        kind=kind,
        starts_at=starts_at,
        chair=chair,
        case_manager=case_manager,
        venue="Locality office, room 2",
        reason="Scheduled review of RoSH and SaW",
        invitees=[{"name": "Agency worker", "agency": "Health", "email": "health@agency.invalid"}],
        now=now,
        **{"no_panel_member_reason": "No standing panel member free this week", **kw},
    )


def hold(meeting, user, held_at, now=None):
    """Record the meeting as held, everyone invited attending."""
    return services.meeting_held_record(
        meeting=meeting,
        user=user,
        held_at=held_at,
        attended=list(meeting.invitations.values_list("pk", flat=True)),
        attendees="Chair (YJS)\nCase manager (YJS)\nAgency worker (Health)",
        now=now or held_at + datetime.timedelta(hours=2),
    )


def complete(meeting, user, **extra):
    """Write every section the record needs before finalising (001 App. 4)."""
    data = {
        "reason": "Scheduled review",
        "views": "The child says things are calmer at home.",
        "plan_progress": "Attending most sessions; exams are a barrier.",
        "rosh_analysis": "No new incidents; context stable.",
        "saw_analysis": "Safe at home; school attendance improving.",
        "lor_analysis": "Reduced: engaging with the order.",
        "risk_management_plan": "Weekly contact; police liaison.",
        "revised_rosh": RiskLevel.LOW,
        "revised_saw": RiskLevel.MEDIUM,
        "revised_lor": RiskLevel.LOW,
        **extra,
    }
    return services.meeting_record_update(meeting=meeting, user=user, data=data)


def obligations(child, code):
    """The child's stored obligations of one code, in the rules module's order."""
    return list(Obligation.objects.filter(child=child, code=code).order_by("position"))


@pytest.fixture
def yro_child(north, case_manager):
    """A North child on a 12-month YRO from Mon 5 Jan 2026 with Medium RoSH: risk reviews every 11 weeks."""
    with time_machine.travel(at(2026, 1, 5, 9), tick=False):
        child = ChildFactory(
            team=north,
            case_manager=case_manager,
            rosh=RiskLevel.MEDIUM,
            saw=RiskLevel.MEDIUM,
            lor=RiskLevel.MEDIUM,
        )
        ProgrammeFactory(
            child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2026, 1, 5), length_months=12
        )
    return child


@pytest.fixture
def booked(yro_child, team_manager, case_manager):
    """A risk review booked on 1 May 2026 for Wed 20 May 2026 at 10:00."""
    with time_machine.travel(at(2026, 5, 1, 9), tick=False):
        return book(
            yro_child, team_manager, case_manager, starts_at=at(2026, 5, 20, 10), now=at(2026, 5, 1, 9)
        )


@pytest.mark.django_db
class TestHeld:
    def test_held_sets_status_attendance_and_event(self, booked, team_manager):
        """Recording it held makes it HELD, marks who attended and writes a CMM event with the meeting's source."""
        invitations = list(booked.invitations.all())
        meeting = services.meeting_held_record(
            meeting=booked,
            user=team_manager,
            held_at=at(2026, 5, 20, 10),
            attended=[invitations[0].pk],
            attendees="Chair (YJS)",
            apologies="Agency worker (Health): apologies",
            now=at(2026, 5, 20, 12),
        )
        assert meeting.status == Meeting.Status.HELD
        assert meeting.held_at == at(2026, 5, 20, 10)
        assert Invitation.objects.get(pk=invitations[0].pk).attended is True
        assert (
            not Invitation.objects.filter(meeting=booked, attended=True)
            .exclude(pk=invitations[0].pk)
            .exists()
        )
        event = Event.objects.get(child=booked.child, source=booked.source, summary__endswith="held")
        assert event.event_type == EventType.CMM
        assert "Apologies" in event.details

    def test_held_refuses_the_future_and_other_users(self, booked, team_manager, case_manager):
        """Not in the future, and not by the case manager (only the chair or a manager of the team)."""
        with pytest.raises(ValidationError, match="future"):
            hold(booked, team_manager, at(2026, 5, 20, 10), now=at(2026, 5, 20, 9))
        with pytest.raises(ValidationError, match="chair"):
            hold(booked, case_manager, at(2026, 5, 20, 10))

    def test_held_needs_attendees(self, booked, team_manager):
        """Who attended is part of the record (001 App. 4)."""
        with pytest.raises(ValidationError, match="attended"):
            services.meeting_held_record(
                meeting=booked, user=team_manager, held_at=at(2026, 5, 20, 10), attended=[], attendees="  ",
                now=at(2026, 5, 20, 12),
            )  # fmt: skip


@pytest.mark.django_db
class TestRecordUpdate:
    def test_writes_record_fields_and_audits(self, booked, team_manager):
        """Sections are saved (stripped) and the change audited against the child."""
        meeting = services.meeting_record_update(
            meeting=booked,
            user=team_manager,
            data={"circumstances": "  New school place  ", "revised_rosh": "low"},
        )
        meeting.refresh_from_db()
        assert meeting.circumstances == "New school place"
        assert meeting.revised_rosh == RiskLevel.LOW
        assert AuditEntry.objects.filter(child=booked.child, description__contains="circumstances").exists()

    def test_refuses_unknown_fields_other_users_and_closed_records(self, booked, team_manager, case_manager):
        """Only RECORD_FIELDS; only the chair or a manager; never a finalised or cancelled record."""
        with pytest.raises(ValueError, match="status"):
            services.meeting_record_update(meeting=booked, user=team_manager, data={"status": "finalised"})
        with pytest.raises(ValidationError):
            services.meeting_record_update(meeting=booked, user=case_manager, data={"views": "x"})
        Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.CANCELLED)
        with pytest.raises(ValidationError, match="closed"):
            services.meeting_record_update(meeting=booked, user=team_manager, data={"views": "x"})


@pytest.mark.django_db
class TestActions:
    def test_add_needs_someone_and_remove_works_before_recording(self, booked, team_manager, colleague):
        """An action names a colleague or an outsider; it can be removed until the actions are recorded."""
        with pytest.raises(ValidationError, match="who"):
            services.meeting_action_add(
                meeting=booked, user=team_manager, action="Refer", due=datetime.date(2026, 6, 1)
            )
        item = services.meeting_action_add(
            meeting=booked,
            user=team_manager,
            action="Refer to CAMHS",
            due=datetime.date(2026, 6, 1),
            owner=colleague,
        )
        assert item.by_whom == colleague.get_full_name()
        services.meeting_action_remove(action=item, user=team_manager)
        assert not booked.actions.exists()

    def test_record_is_idempotent_creates_tasks_once_and_writes_the_event(
        self, booked, team_manager, colleague, django_capture_on_commit_callbacks
    ):
        """Recording copies the actions into one CMM actions event (source set) and makes one task each."""
        with time_machine.travel(at(2026, 5, 20, 12), tick=False):
            hold(booked, team_manager, at(2026, 5, 20, 10))
            services.meeting_action_add(
                meeting=booked,
                user=team_manager,
                action="Refer to CAMHS",
                due=datetime.date(2026, 6, 1),
                owner=colleague,
            )
            services.meeting_action_add(
                meeting=booked, user=team_manager, action="Share the plan", due=datetime.date(2026, 6, 3),
                owner_name="Social worker (CSC)",
            )  # fmt: skip
            with django_capture_on_commit_callbacks(execute=True):
                first = services.meeting_actions_record(meeting=booked, user=team_manager)
            again = services.meeting_actions_record(meeting=booked, user=team_manager)
        assert first.actions_recorded_on == datetime.date(2026, 5, 20) == again.actions_recorded_on
        tasks = Task.objects.filter(source=booked.source).order_by("due")
        assert [(t.assignee, t.assignee_name, t.due) for t in tasks] == [
            (colleague, "", datetime.date(2026, 6, 1)),
            (None, "Social worker (CSC)", datetime.date(2026, 6, 3)),
        ]
        events = Event.objects.filter(child=booked.child, event_type=EventType.CMM_ACTIONS)
        assert events.count() == 1
        assert events.get().source == booked.source
        assert "Refer to CAMHS" in events.get().details and "Social worker (CSC)" in events.get().details
        # A late action, once the actions are recorded, becomes a task at once; none can be removed.
        late = services.meeting_action_add(
            meeting=Meeting.objects.get(pk=booked.pk),
            user=team_manager,
            action="Book the next CMM",
            due=datetime.date(2026, 6, 5),
            owner=team_manager,
        )
        assert late.task is not None and late.task.assignee == team_manager
        with pytest.raises(ValidationError, match="cannot be removed"):
            services.meeting_action_remove(action=late, user=team_manager)

    def test_record_needs_the_meeting_held(self, booked, team_manager):
        """The 48 hours run from the meeting: it must be recorded as held first."""
        with pytest.raises(ValidationError, match="held"):
            services.meeting_actions_record(meeting=booked, user=team_manager)


@pytest.mark.django_db
class TestFinalise:
    def test_missing_parts_are_refused(self, booked, team_manager, queued):
        """A record without its App. 4 parts cannot be finalised: each missing part is a message."""
        with time_machine.travel(at(2026, 5, 20, 12), tick=False):
            hold(booked, team_manager, at(2026, 5, 20, 10))
            with pytest.raises(ValidationError) as exc:
                services.meeting_finalise(meeting=booked, user=team_manager)
        text = " ".join(exc.value.messages)
        for part in (
            "views",
            "Risk of Serious Harm",
            "Safety and Wellbeing",
            "Re-offending",
            "risk management plan",
            "revised",
        ):
            assert part in text
        assert queued == []
        assert Meeting.objects.get(pk=booked.pk).status == Meeting.Status.HELD

    def test_booked_meeting_cannot_be_finalised(self, booked, team_manager, queued):
        """Only a held meeting's record can be finalised."""
        complete(booked, team_manager)
        with pytest.raises(ValidationError, match="held"):
            services.meeting_finalise(meeting=booked, user=team_manager)

    def test_finalise_levels_obligations_next_review_and_rules(
        self, yro_child, booked, team_manager, colleague, queued, django_capture_on_commit_callbacks
    ):
        """Finalising (the previous review being overdue) makes the revised levels the child's (a `risk_rated`
        fact), turns the 48-hour and five-working-day obligations met, and puts the next risk review 11 weeks
        after the held date. The minutes fall due five working days after Wed 20 May 2026, skipping the
        spring bank holiday on Mon 25 May: Thu 28 May."""
        child = yro_child
        with time_machine.travel(at(2026, 5, 20, 12), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                hold(booked, team_manager, at(2026, 5, 20, 10))
        due = {o.code: o for o in Obligation.objects.filter(child=child, status__in=["open", "overdue"])}
        assert due["cmm.actions_recorded"].due_at == at(2026, 5, 22, 10)
        assert due["cmm.minutes"].due == datetime.date(2026, 5, 28)
        with time_machine.travel(at(2026, 5, 21, 15), tick=False):
            complete(
                booked,
                team_manager,
                revised_rosh=RiskLevel.HIGH,
                revised_saw=RiskLevel.MEDIUM,
                revised_lor=RiskLevel.LOW,
            )
            services.meeting_action_add(
                meeting=booked,
                user=team_manager,
                action="Refer to CAMHS",
                due=datetime.date(2026, 6, 1),
                owner=colleague,
            )
            with django_capture_on_commit_callbacks(execute=True):
                meeting = services.meeting_finalise(meeting=booked, user=team_manager)
            facts = child_facts(child=child)
        assert meeting.status == Meeting.Status.FINALISED and meeting.finalised_on == datetime.date(
            2026, 5, 21
        )
        assert queued == [meeting.pk]
        child.refresh_from_db()
        assert (child.rosh, child.saw, child.lor) == (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW)
        # Dated the day of the meeting, when the levels were agreed, not the day the minutes were finished.
        assert {
            "type": "risk_rated",
            "date": "2026-05-20",
            "rosh": "high",
            "saw": "medium",
            "lor": "low",
        } in facts
        assert Task.objects.filter(source=meeting.source, assignee=colleague).count() == 1
        assert Event.objects.filter(
            child=child, source=meeting.source, summary__startswith="Minutes completed"
        ).exists()
        (actions,) = obligations(child, "cmm.actions_recorded")
        assert (actions.status, actions.met_on) == (Obligation.Status.MET, datetime.date(2026, 5, 21))
        (minutes,) = obligations(child, "cmm.minutes")
        assert (minutes.status, minutes.due) == (Obligation.Status.MET, datetime.date(2026, 5, 28))
        reviews = obligations(child, "cmm.risk_review")
        assert [(o.due, o.status) for o in reviews] == [
            (datetime.date(2026, 3, 23), Obligation.Status.MET_LATE),
            (datetime.date(2026, 8, 5), Obligation.Status.OPEN),  # 11 weeks after 20 May 2026
        ]
        # The record is closed now.
        with pytest.raises(ValidationError):
            services.meeting_record_update(meeting=meeting, user=team_manager, data={"views": "later"})

    def test_48_hours_across_the_october_clock_change(
        self, north, team_manager, case_manager, django_capture_on_commit_callbacks
    ):
        """Held Fri 23 Oct 2026 10:00 BST: 48 elapsed hours end Sun 25 Oct 09:00 GMT (the clocks go back)."""
        with time_machine.travel(at(2026, 10, 1, 9), tick=False):
            child = ChildFactory(
                team=north, case_manager=case_manager, rosh=RiskLevel.MEDIUM, saw=RiskLevel.LOW
            )
            meeting = book(
                child, team_manager, case_manager, starts_at=at(2026, 10, 23, 10), now=at(2026, 10, 1, 9)
            )
        with time_machine.travel(at(2026, 10, 23, 12), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                hold(meeting, team_manager, at(2026, 10, 23, 10))
            child_obligations_refresh(child_id=child.pk)
        (actions,) = obligations(child, "cmm.actions_recorded")
        assert actions.due_at == at(2026, 10, 25, 9)
        assert actions.due_at.astimezone(LONDON).strftime("%H:%M %Z") == "09:00 GMT"
        assert actions.due == datetime.date(2026, 10, 25)
        # Five working days from Fri 23 Oct 2026: Fri 30 Oct.
        (minutes,) = obligations(child, "cmm.minutes")
        assert minutes.due == datetime.date(2026, 10, 30)

    def test_business_support_task_when_open_to_csc(self, booked, team_manager, queued):
        """001 §6.2: the chair asks business support to attach the minutes to the CSC record."""
        support = UserFactory(username="bs", role=Role.BUSINESS_SUPPORT, team=booked.child.team)
        booked.child.open_to_csc = True
        booked.child.save()
        with time_machine.travel(at(2026, 5, 20, 12), tick=False):
            hold(booked, team_manager, at(2026, 5, 20, 10))
            complete(booked, team_manager)
            meeting = services.meeting_finalise(meeting=Meeting.objects.get(pk=booked.pk), user=team_manager)
        task = Task.objects.get(source=f"{meeting.source}:csc")
        assert task.assignee == support
        assert task.due == datetime.date(2026, 5, 21)

    def test_no_cmm_needed_writes_the_management_entry(self, north, team_manager, case_manager, queued):
        """000 §1.4: a combined CSC meeting with "no CMM needed" puts a management entry on the child's file."""
        with time_machine.travel(at(2026, 5, 1, 9), tick=False):
            child = ChildFactory(
                team=north,
                case_manager=case_manager,
                open_to_csc=True,
                rosh=RiskLevel.LOW,
                saw=RiskLevel.HIGH,
            )
            meeting = book(
                child, team_manager, case_manager, starts_at=at(2026, 5, 20, 10), now=at(2026, 5, 1, 9),
                csc_meeting_type=Meeting.CscMeetingType.CORE_GROUP, csc_decision=Meeting.CscDecision.NO_CMM_NEEDED,
                csc_decision_rationale="The core group reviews SaW; agreed with the case manager.",
            )  # fmt: skip
        with time_machine.travel(at(2026, 5, 20, 12), tick=False):
            hold(meeting, team_manager, at(2026, 5, 20, 10))
            # The CSC meeting's plan stands: no risk management plan needed (record_missing).
            complete(meeting, team_manager, risk_management_plan="", confidential_discussion_needed=False)
            services.meeting_finalise(meeting=meeting, user=team_manager)
        entry = Event.objects.get(child=child, event_type=EventType.MANAGEMENT_ENTRY)
        assert entry.source == meeting.source
        assert "core group reviews SaW" in entry.details
        assert Event.objects.filter(child=child, event_type=EventType.CSC_MEETING).exists()

    def test_compliance_cmm_of_a_looked_after_child(self, north, team_manager, case_manager, queued):
        """000 App. A/B: the compliance report, and the presumption against breach for a child in care."""
        with time_machine.travel(at(2026, 5, 1, 9), tick=False):
            child = ChildFactory(team=north, case_manager=case_manager, looked_after=True)
            meeting = book(
                child, team_manager, case_manager, kind=MeetingKind.COMPLIANCE, starts_at=at(2026, 5, 8, 10),
                now=at(2026, 5, 1, 9), short_notice_reason="Within 10 working days of the failure (000 §1.3)",
            )  # fmt: skip
        with time_machine.travel(at(2026, 5, 8, 12), tick=False):
            hold(meeting, team_manager, at(2026, 5, 8, 10))
            complete(meeting, team_manager)
            with pytest.raises(ValidationError) as exc:
                services.meeting_finalise(meeting=meeting, user=team_manager)
            text = " ".join(exc.value.messages)
            assert "compliance report" in text and "presumption against breach" in text
            services.compliance_report_submit(
                meeting=meeting, user=case_manager, period_start=datetime.date(2026, 4, 1),
                period_end=datetime.date(2026, 5, 7), actions_taken={}, unacceptable_behaviour="",
                plan_progress="Attending most sessions.", now=at(2026, 5, 6, 9),
            )  # fmt: skip
            services.meeting_record_update(
                meeting=meeting, user=team_manager, data={"breach_presumption_considered": False}
            )
            with pytest.raises(ValidationError, match="presumption against breach"):
                services.meeting_finalise(meeting=meeting, user=team_manager)
            services.meeting_record_update(
                meeting=meeting, user=team_manager, data={"breach_presumption_considered": True}
            )
            assert (
                services.meeting_finalise(meeting=meeting, user=team_manager).status
                == Meeting.Status.FINALISED
            )


@pytest.mark.django_db
class TestTaskComplete:
    def test_complete_is_idempotent_and_audited(self, child, team_manager, colleague):
        """Marking done records who and when once; a second call changes nothing."""
        task = Task.objects.create(child=child, assignee=colleague, title="Refer", created_by=team_manager)
        with time_machine.travel(at(2026, 6, 1, 9), tick=False):
            services.task_complete(task=task, user=colleague, note="  Referred  ")
        services.task_complete(task=task, user=team_manager, note="again")
        task.refresh_from_db()
        assert (task.done_on, task.done_by, task.done_note) == (
            datetime.date(2026, 6, 1),
            colleague,
            "Referred",
        )
        assert AuditEntry.objects.filter(child=child, description__startswith="Completed task").count() == 1
