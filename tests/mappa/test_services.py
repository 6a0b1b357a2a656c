"""MAPPA services and rules (001 §8): criterion → category, one open record per child, Form H meets
mappa.form_h, the level history and current level, level 1 gives mappa.meeting every 11 weeks, ended
records state no facts, and the development manager's quarterly share task."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases import services as case_services
from cases.models import Event, EventType, Role
from cases.rules.calendar import get_calendar
from core.models import AuditEntry, Task
from demo.factories import ChildFactory, UserFactory
from mappa.facts import mappa_facts
from mappa.models import CRITERION_CATEGORY, Category, Criterion, MappaLevel, RegisterShare
from mappa.selectors import register as reg
from mappa.services import records as services
from mappa.services import share as share_services

D = datetime.date
TODAY = D(2026, 11, 20)
IDENTIFIED = D(2026, 9, 1)


def _record(child, user, *, criterion=Criterion.SCH15_CUSTODY, level=1, identified_on=IDENTIFIED, **kw):
    """A MAPPA record created through the service."""
    return services.mappa_record_create(
        child=child,
        user=user,
        criterion=criterion,
        offence=kw.pop("offence", "Wounding with intent (s.18)"),
        identified_on=identified_on,
        level=level,
        today=TODAY,
        custody_months=kw.pop("custody_months", 24),
        **kw,
    )


def _obligations(child, as_of):
    """The child's mappa.* obligations as the rules module computes them on `as_of`."""
    case_services.child_obligations_refresh(child_id=child.pk, as_of=as_of)
    return list(child.obligations.filter(code__startswith="mappa.").order_by("position"))


@pytest.fixture
def dev_manager(service_manager):
    """The YJ development manager (001 §8: shares the register with the MAPPA unit)."""
    return UserFactory(username="devmgr", role=Role.DEVELOPMENT_MANAGER, team=service_manager.team)


@pytest.mark.django_db
class TestEligibility:
    @pytest.mark.parametrize(
        ("criterion", "category"),
        [
            (Criterion.REGISTERED_SEXUAL_OFFENDER, 1),
            (Criterion.SCH15_CUSTODY, 2),
            (Criterion.CUSTODY_HOSPITAL_TRANSFER, 2),
            (Criterion.HOSPITAL_ORDER, 2),
            (Criterion.OTHER_DANGEROUS, 3),
        ],
    )
    def test_criterion_decides_category(self, child, team_manager, criterion, category):
        """001 §8: each criterion belongs to one category, and the record takes it from the criterion."""
        assert CRITERION_CATEGORY[criterion] == Category(category)
        record = _record(child, team_manager, criterion=criterion)
        assert record.category == category

    def test_every_criterion_has_a_category(self):
        """No criterion is left without a category."""
        assert set(CRITERION_CATEGORY) == set(Criterion)

    def test_create_starts_level_history_event_and_audit(self, child, team_manager):
        """The first level is history; an event on the timeline (with a source) and an audit entry."""
        record = _record(child, team_manager, level=2)
        assert record.current_level == 2
        assert list(record.levels.values_list("level", "set_on")) == [(2, D(2026, 9, 1))]
        event = Event.objects.get(child=child, source=f"mappa:{record.pk}")
        assert event.event_type == EventType.MANAGEMENT_ENTRY
        assert event.summary == "MAPPA eligible: category 2, level 2"
        assert AuditEntry.objects.filter(child=child, object_type="mapparecord", action="create").exists()

    def test_one_open_record_per_child(self, child, team_manager):
        """A second record while one is open is refused; after the end, a new one may start."""
        record = _record(child, team_manager)
        with pytest.raises(ValidationError, match="already has an open MAPPA record"):
            _record(child, team_manager)
        services.mappa_record_end(
            record=record, user=team_manager, ended_on=D(2026, 10, 1), reason="Order ended", today=TODAY
        )
        assert _record(child, team_manager, identified_on=D(2026, 11, 2)).pk != record.pk

    def test_case_manager_and_other_team_refused(self, child, case_manager, outsider, north):
        """Only a TM/AP of the child's team (or the SM) keeps the MAPPA record (001 §8)."""
        other_tm = UserFactory(role=Role.TEAM_MANAGER, team=outsider.team)
        for user in (case_manager, other_tm):
            with pytest.raises(ValidationError, match="team manager or advanced practitioner"):
                _record(child, user)

    def test_ap_and_service_manager_may_record(self, child, north, service_manager):
        """An advanced practitioner of the child's team, and the service manager, may record it."""
        ap = UserFactory(role=Role.ADVANCED_PRACTITIONER, team=north)
        record = _record(child, ap)
        services.mappa_form_h_record(record=record, user=service_manager, sent_on=D(2026, 9, 2), today=TODAY)

    def test_future_identification_refused(self, child, team_manager):
        """Records say what has happened."""
        with pytest.raises(ValidationError, match="today or in the past"):
            _record(child, team_manager, identified_on=TODAY + datetime.timedelta(days=1))

    def test_bad_criterion_refused(self, child, team_manager):
        """An unknown criterion gives a readable refusal, not an error."""
        with pytest.raises(ValidationError, match="criterion"):
            _record(child, team_manager, criterion="nonsense")


@pytest.mark.django_db
class TestFormH:
    def test_form_h_meets_mappa_form_h(self, child, team_manager):
        """Eligibility gives mappa.form_h with no timescale (001 §8); Form H sent meets it."""
        record = _record(child, team_manager)
        (form_h,) = [o for o in _obligations(child, TODAY) if o.code == "mappa.form_h"]
        assert form_h.status == "open" and form_h.due is None
        services.mappa_form_h_record(record=record, user=team_manager, sent_on=D(2026, 9, 3), today=TODAY)
        (form_h,) = [o for o in _obligations(child, TODAY) if o.code == "mappa.form_h"]
        assert form_h.status == "met" and form_h.met_on == D(2026, 9, 3)
        record.refresh_from_db()
        assert record.form_h_sent_by == team_manager

    def test_form_h_before_identification_refused(self, child, team_manager):
        """Form H follows the identification."""
        record = _record(child, team_manager)
        with pytest.raises(ValidationError, match="on or after the date identified"):
            services.mappa_form_h_record(record=record, user=team_manager, sent_on=D(2026, 8, 1), today=TODAY)

    def test_correction_is_audited_as_update(self, child, team_manager):
        """Recording it again corrects the date, audited as a change with the old date."""
        record = _record(child, team_manager)
        services.mappa_form_h_record(record=record, user=team_manager, sent_on=D(2026, 9, 3), today=TODAY)
        services.mappa_form_h_record(record=record, user=team_manager, sent_on=D(2026, 9, 4), today=TODAY)
        assert AuditEntry.objects.filter(action="update", description__contains="(was 03/09/2026)").exists()


@pytest.mark.django_db
class TestLevels:
    def test_history_and_current_level(self, child, team_manager):
        """Each change is kept; the record's current level follows the latest."""
        record = _record(child, team_manager, level=1)
        services.mappa_level_set(
            record=record,
            user=team_manager,
            level=2,
            set_on=D(2026, 10, 1),
            reason="Needs MAPPA input",
            today=TODAY,
        )
        services.mappa_level_set(
            record=record,
            user=team_manager,
            level=1,
            set_on=D(2026, 11, 2),
            reason="Risk reduced",
            today=TODAY,
        )
        record.refresh_from_db()
        assert record.current_level == 1
        assert list(MappaLevel.objects.filter(record=record).values_list("level", flat=True)) == [1, 2, 1]
        assert Event.objects.filter(child=child, summary="MAPPA level 2 (was level 1)").exists()

    def test_same_level_backdated_and_missing_reason_refused(self, child, team_manager):
        """No change to the same level, no date before the current level's, a reason always."""
        record = _record(child, team_manager, level=1)
        with pytest.raises(ValidationError, match="already managed at level 1"):
            services.mappa_level_set(
                record=record, user=team_manager, level=1, set_on=D(2026, 10, 1), reason="x", today=TODAY
            )
        with pytest.raises(ValidationError, match="on or after the date of the current level"):
            services.mappa_level_set(
                record=record, user=team_manager, level=2, set_on=D(2026, 8, 1), reason="x", today=TODAY
            )
        with pytest.raises(ValidationError, match="reason"):
            services.mappa_level_set(
                record=record, user=team_manager, level=2, set_on=D(2026, 10, 1), reason="  ", today=TODAY
            )

    def test_level_1_gives_mappa_meeting_every_11_weeks(self, child, team_manager):
        """001 §8: level 1 meetings follow the CMM timescales: due 11 weeks after level 1 is set, then 11
        weeks after each meeting (timescales.md mappa.meeting)."""
        cal = get_calendar()
        _record(child, team_manager, level=1, identified_on=D(2026, 9, 1))
        meetings = [o for o in _obligations(child, TODAY) if o.code == "mappa.meeting"]
        assert meetings[0].due == cal.add_weeks(D(2026, 9, 1), 11) == D(2026, 11, 17)
        assert meetings[0].status == "overdue"

    def test_level_1_due_moves_back_over_bank_holiday(self, child, team_manager):
        """11 weeks after 9 Oct 2026 is Fri 25 Dec (Christmas): due moves back to Thu 24 Dec 2026."""
        _record(child, team_manager, level=1, identified_on=D(2026, 10, 9))
        meetings = [o for o in _obligations(child, TODAY) if o.code == "mappa.meeting"]
        assert meetings[0].due == D(2026, 12, 24)

    def test_level_2_gives_no_level_1_meeting(self, child, team_manager):
        """Levels 2 and 3 are chaired by the MAPPA co-ordinator: no mappa.meeting from the YJS."""
        record = _record(child, team_manager, level=1, identified_on=D(2026, 9, 1))
        services.mappa_level_set(
            record=record, user=team_manager, level=2, set_on=D(2026, 9, 20), reason="Escalated", today=TODAY
        )
        meetings = [o for o in _obligations(child, TODAY) if o.code == "mappa.meeting"]
        assert not [o for o in meetings if o.is_outstanding]


@pytest.mark.django_db
class TestEnd:
    def test_ended_record_states_no_facts(self, child, team_manager):
        """An ended record stays but states nothing: its Form H and meetings are no longer due."""
        record = _record(child, team_manager, level=1)
        assert mappa_facts(child=child)
        services.mappa_record_end(
            record=record, user=team_manager, ended_on=D(2026, 10, 1), reason="Licence ended", today=TODAY
        )
        assert mappa_facts(child=child) == []
        assert _obligations(child, TODAY) == []
        record.refresh_from_db()
        assert record.ended_on == D(2026, 10, 1) and record.end_reason == "Licence ended"

    def test_ended_record_cannot_change(self, child, team_manager):
        """An ended record is history: no Form H, level or second end."""
        record = _record(child, team_manager)
        services.mappa_record_end(
            record=record, user=team_manager, ended_on=D(2026, 10, 1), reason="x", today=TODAY
        )
        with pytest.raises(ValidationError, match="has ended"):
            services.mappa_form_h_record(
                record=record, user=team_manager, sent_on=D(2026, 10, 2), today=TODAY
            )
        with pytest.raises(ValidationError, match="has ended"):
            services.mappa_level_set(
                record=record, user=team_manager, level=2, set_on=D(2026, 10, 2), reason="x", today=TODAY
            )

    def test_end_needs_reason_and_date_after_identification(self, child, team_manager):
        """The end has a reason and follows the identification."""
        record = _record(child, team_manager)
        with pytest.raises(ValidationError, match="no longer managed"):
            services.mappa_record_end(
                record=record, user=team_manager, ended_on=D(2026, 10, 1), reason="", today=TODAY
            )
        with pytest.raises(ValidationError, match="on or after the date identified"):
            services.mappa_record_end(
                record=record, user=team_manager, ended_on=D(2026, 8, 1), reason="x", today=TODAY
            )


@pytest.mark.django_db
class TestQuarters:
    @pytest.mark.parametrize(
        ("day", "quarter", "due"),
        [
            (D(2026, 11, 20), "2026-Q4", D(2026, 12, 31)),  # Thursday 31 December 2026
            (D(2027, 2, 1), "2027-Q1", D(2027, 3, 31)),  # Wednesday 31 March 2027
            (D(2027, 5, 1), "2027-Q2", D(2027, 6, 30)),
            (D(2026, 1, 1), "2026-Q1", D(2026, 3, 31)),
            (D(2027, 7, 1), "2027-Q3", D(2027, 9, 30)),  # Thursday 30 September 2027
            (D(2026, 2, 1), "2026-Q1", D(2026, 3, 31)),
        ],
    )
    def test_quarter_and_its_last_working_day(self, day, quarter, due):
        """The share is due the last working day of the quarter."""
        assert reg.quarter_of(day) == quarter
        assert reg.quarter_due(quarter) == due

    def test_weekend_quarter_end_moves_back(self):
        """2029-Q1 ends on Saturday 31 March 2029; Friday 30 March is Good Friday, so the share is due on
        Thursday 29 March. 2027-Q4 ends on a working day (Friday 31 December 2027)."""
        assert reg.quarter_due("2029-Q1") == D(2029, 3, 29)
        assert reg.quarter_due("2027-Q4") == D(2027, 12, 31)

    def test_previous_quarter(self):
        """The quarter before crosses the year."""
        assert reg.previous_quarter("2027-Q1") == "2026-Q4"
        assert reg.previous_quarter("2026-Q3") == "2026-Q2"


@pytest.mark.django_db
class TestShareTask:
    def test_task_created_once_due_last_working_day(self, dev_manager):
        """One task per quarter for the development manager, due the quarter's last working day."""
        (task,) = share_services.mappa_share_task_ensure(today=D(2026, 11, 20))
        assert task.assignee == dev_manager and task.source == "mappa-share:2026-Q4"
        assert task.due == D(2026, 12, 31) and task.title.startswith("Share the MAPPA register")
        assert share_services.mappa_share_task_ensure(today=D(2026, 12, 1)) == []
        assert Task.objects.filter(source="mappa-share:2026-Q4").count() == 1
        (q1,) = share_services.mappa_share_task_ensure(today=D(2027, 1, 4))
        assert q1.due == D(2027, 3, 31)

    def test_one_query_when_it_exists(self, dev_manager, django_assert_num_queries):
        """The register page's call costs one query once the task exists."""
        share_services.mappa_share_task_ensure(today=TODAY, assignees=[dev_manager])
        with django_assert_num_queries(1):
            share_services.mappa_share_task_ensure(today=TODAY, assignees=[dev_manager])

    def test_no_task_when_already_shared(self, dev_manager):
        """A quarter already shared needs no task."""
        RegisterShare.objects.create(quarter="2026-Q4", shared_on=D(2026, 11, 2), shared_by=dev_manager)
        assert share_services.mappa_share_task_ensure(today=TODAY) == []
        assert not Task.objects.exists()

    def test_no_development_manager_no_task(self, team_manager):
        """Without a development manager there is nobody to give it to (and no error)."""
        assert share_services.mappa_share_task_ensure(today=TODAY) == []

    def test_beat_task_wrapper(self, dev_manager):
        """The Celery task creates the current quarter's task (and is idempotent)."""
        from mappa.tasks import mappa_share_task_ensure

        assert mappa_share_task_ensure.delay().get() == 1
        assert mappa_share_task_ensure.delay().get() == 0

    def test_share_marks_task_done_and_counts_rows(self, dev_manager, child, team_manager):
        """Recording the share marks the quarter's task done; rows are the open records now."""
        _record(child, team_manager)
        share_services.mappa_share_task_ensure(today=TODAY)
        share = share_services.register_share_record(
            user=dev_manager, quarter="2026-Q4", shared_on=D(2026, 11, 19), today=TODAY
        )
        assert share.rows == 1
        task = Task.objects.get(source="mappa-share:2026-Q4")
        assert task.done_on == D(2026, 11, 19) and task.done_by == dev_manager
        assert AuditEntry.objects.filter(object_type="registershare").exists()

    def test_share_unique_and_only_sharers(self, dev_manager, team_manager):
        """One share per quarter; a team manager cannot record it; no future quarter."""
        share_services.register_share_record(
            user=dev_manager, quarter="2026-Q4", shared_on=TODAY, today=TODAY
        )
        with pytest.raises(ValidationError, match="already recorded"):
            share_services.register_share_record(
                user=dev_manager, quarter="2026-Q4", shared_on=TODAY, today=TODAY
            )
        with pytest.raises(ValidationError, match="development manager"):
            share_services.register_share_record(
                user=team_manager, quarter="2026-Q3", shared_on=TODAY, today=TODAY
            )
        with pytest.raises(ValidationError, match="not started"):
            share_services.register_share_record(
                user=dev_manager, quarter="2027-Q1", shared_on=TODAY, today=TODAY
            )
        with pytest.raises(ValidationError, match="quarter"):
            share_services.register_share_record(
                user=dev_manager, quarter="2026-Q9", shared_on=TODAY, today=TODAY
            )


@pytest.mark.django_db
def test_refresh_on_commit(child, team_manager, django_capture_on_commit_callbacks):
    """A change queues the child's obligations refresh on commit: mappa.form_h appears."""
    with django_capture_on_commit_callbacks(execute=True):
        _record(child, team_manager)
    assert child.obligations.filter(code="mappa.form_h").exists()


@pytest.mark.django_db
def test_other_childs_record_untouched(child, team_manager, north):
    """A record is the child's own: another child of the team has none."""
    other = ChildFactory(team=north)
    _record(child, team_manager)
    assert mappa_facts(child=other) == []
