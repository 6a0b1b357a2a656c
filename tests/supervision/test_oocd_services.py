"""Out-of-court and My Future oversight services (001 §6.3, §6.4; 000 §3, §5): who holds oversight, the
prompt for a TM discussion, the AP's closure checks and the closure gate."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Event, EventType, Programme, RiskLevel, Role
from cases.services import programmes as programme_services
from cases.services.core import child_levels_set
from core.models import AuditEntry, Task
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory
from meetings.services import further_offence_record
from supervision.models import ClosureCheck, OversightDecision, OversightHolder
from supervision.selectors import oocd as selectors
from supervision.services import oocd as services

K = Programme.Kind
ALL_CHECKS = {name: True for name in selectors.CLOSURE_CHECKS}


@pytest.fixture
def ap(north):
    """North's advanced practitioner: the default holder of OOC oversight (001 §6.3)."""
    return UserFactory(
        username="ap", role=Role.ADVANCED_PRACTITIONER, team=north, first_name="Ada", last_name="Ap"
    )


@pytest.fixture
def support(north):
    """North's business support worker, who closes the case after the checks (001 §6.3)."""
    return UserFactory(username="bs", role=Role.BUSINESS_SUPPORT, team=north)


@pytest.fixture
def ooc(child):
    """An open OOC with intervention for the child, started a month ago."""
    return ProgrammeFactory(
        child=child,
        kind=K.OOCD_INTERVENTION,
        start_date=timezone.localdate() - datetime.timedelta(days=30),
        length_months=None,
    )


def _decide(child, programme, holder, user, **extra):
    """Record a holder decision made an hour ago."""
    kwargs = {
        "child": child,
        "programme": programme,
        "holder": holder,
        "decided_at": timezone.now() - datetime.timedelta(hours=1),
        "reason": "Risk rose to High; the TM is best placed.",
        "significant": True,
        "user": user,
    }
    kwargs.update(extra)
    return services.oversight_holder_set(**kwargs)


@pytest.mark.django_db
class TestOversightHolder:
    def test_default_is_the_locality_ap(self, child, ooc, ap, team_manager):
        """With no decision the locality AP holds oversight, shown as the default (001 §6.3)."""
        info = selectors.oversight_holder_current(child)
        assert info.holder == ap and info.is_default and info.label == "default (locality AP)"
        assert info.programme == ooc and info.since is None and info.decision is None

    def test_none_without_an_open_ooc_or_my_future_programme(self, child, ap):
        """A child on a statutory order, or whose OOC is closed, has no OOC oversight holder."""
        ProgrammeFactory(child=child, kind=K.YRO)
        ProgrammeFactory(
            child=child, kind=K.OOCD_YCC, end_date=datetime.date(2024, 6, 1), closure_reason="completed"
        )
        assert selectors.oversight_holder_current(child) is None

    def test_change_records_decision_and_holder(self, child, ooc, ap, team_manager):
        """The TM taking oversight is recorded as an oversight decision on the file, linked and audited."""
        record = _decide(child, ooc, team_manager, ap)
        info = selectors.oversight_holder_current(child)
        assert info.holder == team_manager and not info.is_default and info.record == record
        assert info.since == timezone.localdate(record.decision.decided_at)
        decision = record.decision
        assert decision.label == OversightDecision.Label.OVERSIGHT_HOLDER and decision.significant
        assert decision.manager == ap and "holds management oversight" in decision.decision
        assert decision.event is not None
        assert AuditEntry.objects.filter(object_type="oversightholder", object_id=str(record.pk)).exists()

    def test_my_future_has_a_holder_too(self, child, ap, team_manager):
        """My Future oversight is decided case by case (001 §6.4): the decision overrides the default."""
        my_future = ProgrammeFactory(
            child=child, kind=K.MY_FUTURE, start_date=timezone.localdate() - datetime.timedelta(days=10)
        )
        assert selectors.oversight_holder_current(child).holder == ap
        _decide(child, my_future, team_manager, team_manager)
        assert selectors.oversight_holder_current(child).holder == team_manager

    @pytest.mark.parametrize("who", ["case_manager", "colleague", "outsider", "support"])
    def test_only_team_managers_and_aps_decide(self, request, child, ooc, ap, support, who):
        """A case manager, business support or another team's worker cannot decide (000 §3.6)."""
        user = request.getfixturevalue(who)
        with pytest.raises(ValidationError, match="Only a team manager or advanced practitioner"):
            _decide(child, ooc, ap, user)
        assert not OversightHolder.objects.exists() and not OversightDecision.objects.exists()

    def test_other_team_manager_refused_but_service_manager_may(self, child, ooc, ap, service_manager, south):
        """A TM of another team cannot decide; the service manager can."""
        other_tm = UserFactory(username="tm.south", role=Role.TEAM_MANAGER, team=south)
        with pytest.raises(ValidationError):
            _decide(child, ooc, ap, other_tm)
        assert _decide(child, ooc, ap, service_manager).holder == ap

    def test_holder_must_be_a_manager_of_the_childs_team(self, child, ooc, ap, case_manager, south):
        """The holder is a TM or AP of the child's team: not a case manager, not another team's AP."""
        other_ap = UserFactory(username="ap.south", role=Role.ADVANCED_PRACTITIONER, team=south)
        for holder in (case_manager, other_ap):
            with pytest.raises(ValidationError, match="must be a team manager or advanced practitioner"):
                _decide(child, ooc, holder, ap)

    def test_programme_must_be_the_childs_open_ooc(self, child, ooc, ap):
        """A statutory order, or another child's OOC, cannot carry an oversight holder."""
        yro = ProgrammeFactory(child=child, kind=K.YRO)
        other = ProgrammeFactory(child=ChildFactory(team=child.team), kind=K.OOCD_YCC)
        for programme in (yro, other):
            with pytest.raises(ValidationError, match="open out-of-court or My Future"):
                _decide(child, programme, ap, ap)

    def test_decision_before_the_programme_started_refused(self, child, ooc, ap):
        """The decision cannot predate the programme."""
        before = timezone.now() - datetime.timedelta(days=60)
        with pytest.raises(ValidationError, match="on or after the programme started"):
            _decide(child, ooc, ap, ap, decided_at=before)

    def test_from_date_is_the_london_date_across_midnight_bst(self, child, ap, team_manager):
        """A decision at 00:30 BST on 1 July (23:30 UTC on 30 June) takes effect on 1 July."""
        programme = ProgrammeFactory(child=child, kind=K.OOCD_YCC, start_date=datetime.date(2024, 6, 1))
        at = datetime.datetime(2024, 6, 30, 23, 30, tzinfo=datetime.UTC)
        record = _decide(child, programme, team_manager, ap, decided_at=at, today=datetime.date(2024, 7, 1))
        assert record.from_date == datetime.date(2024, 7, 1)


@pytest.mark.django_db
class TestOversightPrompt:
    def test_further_offence_prompts_the_tm_once(self, child, ooc, case_manager, team_manager):
        """Re-offending on an OOC is shared with the locality TM (001 §6.3): one prompt, however many."""
        today = datetime.date(2024, 12, 19)
        for _ in range(2):
            further_offence_record(
                child=child,
                user=case_manager,
                description="Criminal damage",
                sentence_date=today,
                today=today,
            )
        tasks = list(selectors.open_prompts(child=child))
        assert len(tasks) == 1
        task = tasks[0]
        assert task.assignee == team_manager and task.basis == "001 §6.3, 000 §3.6"
        assert task.source == f"oversight-prompt:{child.pk}:1"
        assert task.title == (
            f"Discuss {child.initials} {child.case_number} with the AP and decide who holds oversight "
            "(001 §6.3): further offence recorded"
        )
        # Five working days over Christmas: 25 and 26 December are bank holidays.
        assert task.due == datetime.date(2024, 12, 30)

    def test_due_skips_easter(self, child, ooc, team_manager, case_manager):
        """From Maundy Thursday 2024, five working days skip Good Friday and Easter Monday."""
        task = services.oversight_prompt_for_child(
            child=child, reason="test", user=case_manager, today=datetime.date(2024, 3, 28)
        )
        assert task.due == datetime.date(2024, 4, 8)

    def test_rise_to_high_prompts(self, child, ooc, case_manager, team_manager):
        """RoSH rising from Medium to High prompts a discussion (000 §3.6)."""
        child.rosh, child.saw, child.lor = RiskLevel.MEDIUM, RiskLevel.LOW, RiskLevel.LOW
        child.save()
        child_levels_set(child=child, levels={"rosh": RiskLevel.HIGH}, user=case_manager, reason="at review")
        (task,) = selectors.open_prompts(child=child)
        assert task.title.endswith("risk levels rose to High")

    def test_no_prompt_when_already_high_or_still_below(self, child, ooc, case_manager, team_manager):
        """High to Very High, or Low to Medium, is not a rise to High from below."""
        child.rosh, child.saw, child.lor = RiskLevel.HIGH, RiskLevel.LOW, RiskLevel.LOW
        child.save()
        child_levels_set(
            child=child,
            levels={"rosh": RiskLevel.VERY_HIGH, "saw": RiskLevel.MEDIUM},
            user=case_manager,
            reason="at review",
        )
        assert not selectors.open_prompts(child=child).exists()

    def test_only_for_ooc_or_my_future_children(self, child, case_manager, team_manager):
        """A child on a statutory order gets no oversight prompt (they have CMMs, 001 §6.2)."""
        ProgrammeFactory(child=child, kind=K.YRO)
        child.rosh = RiskLevel.LOW
        child.save()
        child_levels_set(child=child, levels={"rosh": RiskLevel.HIGH}, user=case_manager, reason="x")
        further_offence_record(
            child=child, user=case_manager, description="Theft", sentence_date=timezone.localdate()
        )
        assert not Task.objects.filter(source__startswith="oversight-prompt:").exists()

    def test_my_future_child_is_prompted(self, child, case_manager, team_manager):
        """A My Future child re-offending prompts the TM too."""
        ProgrammeFactory(child=child, kind=K.MY_FUTURE)
        further_offence_record(
            child=child, user=case_manager, description="Theft", sentence_date=timezone.localdate()
        )
        assert selectors.open_prompts(child=child).count() == 1

    def test_no_tm_names_the_locality_tm(self, child, ooc, case_manager, team_manager):
        """With no active TM in the team the prompt names the locality team manager."""
        team_manager.is_active = False
        team_manager.save()
        task = services.oversight_prompt_for_child(child=child, reason="x", user=case_manager)
        assert task.assignee is None and task.assignee_name == "Locality team manager"

    def test_decision_closes_the_prompt_and_a_new_one_follows(
        self, child, ooc, ap, team_manager, case_manager
    ):
        """Recording who holds oversight marks the prompt done; a later change prompts again (n = 2)."""
        first = services.oversight_prompt_for_child(child=child, reason="x", user=case_manager)
        _decide(child, ooc, team_manager, ap)
        first.refresh_from_db()
        assert first.done_on == timezone.localdate() and first.done_by == ap
        assert not selectors.open_prompts(child=child).exists()
        second = services.oversight_prompt_for_child(child=child, reason="y", user=case_manager)
        assert second.source == f"oversight-prompt:{child.pk}:2"

    def test_prompt_prefix_does_not_match_another_child(self, child, ooc, case_manager, team_manager):
        """Child 1's prompts are not child 12's: the prefix ends with a colon."""
        assert selectors.prompt_prefix(1) == "oversight-prompt:1:"
        assert not "oversight-prompt:12:1".startswith(selectors.prompt_prefix(1))


def _request(child, programme, user, **extra):
    return services.closure_check_request(child=child, programme=programme, user=user, note="Ready", **extra)


@pytest.mark.django_db
class TestClosureChecks:
    def test_request_makes_a_task_for_the_holder(self, child, ooc, ap, case_manager):
        """The worker asks the AP (001 §6.3): a task for the holder, an event and an audit entry."""
        check = _request(child, ooc, case_manager)
        assert check.status == ClosureCheck.Status.REQUESTED and check.requested_by == case_manager
        task = check.task
        assert task.assignee == ap and task.source == f"closure-check:{check.pk}"
        assert task.title == f"Closure checks for {child.initials} {child.case_number} (001 §6.3)"
        assert task.basis == "001 §6.3"
        assert Event.objects.filter(
            child=child, event_type=EventType.CLOSURE_CHECK, source=f"closure-check:{check.pk}"
        ).exists()
        assert AuditEntry.objects.filter(object_type="closurecheck", object_id=str(check.pk)).exists()

    def test_request_goes_to_the_decided_holder(self, child, ooc, ap, team_manager, case_manager):
        """Once the TM holds oversight, the closure checks are theirs."""
        _decide(child, ooc, team_manager, ap)
        assert _request(child, ooc, case_manager).task.assignee == team_manager

    def test_one_open_request_per_programme(self, child, ooc, ap, case_manager):
        """A second request while one is waiting is refused."""
        _request(child, ooc, case_manager)
        with pytest.raises(ValidationError, match="already been requested"):
            _request(child, ooc, case_manager)

    def test_colleague_cannot_request(self, child, ooc, colleague):
        """Only the child's case manager or a manager asks."""
        with pytest.raises(ValidationError, match="case manager or a manager"):
            _request(child, ooc, colleague)

    def test_approve_creates_business_support_task(self, child, ooc, ap, support, team_manager, case_manager):
        """Approving with every check done asks business support to close the case (001 §6.3)."""
        check = _request(child, ooc, case_manager)
        done = services.closure_check_review(check=check, user=ap, decision="approve", note="", **ALL_CHECKS)
        assert done.status == ClosureCheck.Status.APPROVED and done.checked_by == ap
        assert all(getattr(done, name) for name in selectors.CLOSURE_CHECKS)
        done.task.refresh_from_db()
        assert done.task.done_on is not None
        bs = Task.objects.get(source=f"closure-check:{check.pk}", assignee=support)
        assert bs.title == (
            f"Close Out of court: with intervention for {child.initials} {child.case_number}: closure checks done"
        )
        assert bs.done_on is None
        event = Event.objects.filter(
            event_type=EventType.CLOSURE_CHECK, source=f"closure-check:{check.pk}"
        ).first()
        assert event.summary.startswith("Closure checks done")
        assert team_manager.get_full_name() in event.details
        # No separate task for the TM: they are informed in the event (000 §3.4).
        assert not Task.objects.filter(source=f"closure-check:{check.pk}", assignee=team_manager).exists()

    def test_approve_without_business_support_names_the_team(self, child, ooc, ap, case_manager):
        """With no business support worker in the team, the task names locality business support."""
        check = _request(child, ooc, case_manager)
        services.closure_check_review(check=check, user=ap, decision="approve", **ALL_CHECKS)
        assert Task.objects.filter(
            source=f"closure-check:{check.pk}", assignee=None, assignee_name="Locality business support"
        ).exists()

    def test_approve_with_missing_checks_names_them(self, child, ooc, ap, case_manager):
        """Approving with boxes unticked is refused, naming each missing check."""
        check = _request(child, ooc, case_manager)
        partial = {**ALL_CHECKS, "review_assessment": False, "levels_reviewed": False}
        with pytest.raises(ValidationError) as exc:
            services.closure_check_review(check=check, user=ap, decision="approve", **partial)
        message = " ".join(exc.value.messages)
        assert "Review Assessment at the end of an OOC" in message and "RoSH, SaW and LoR reviewed" in message
        assert "action plan completed" not in message
        check.refresh_from_db()
        assert check.status == ClosureCheck.Status.REQUESTED

    def test_return_needs_a_note_and_reopens_for_the_worker(self, child, ooc, ap, case_manager):
        """Returning needs a note; the worker gets a task, and may ask again."""
        check = _request(child, ooc, case_manager)
        with pytest.raises(ValidationError, match="Enter a note"):
            services.closure_check_review(check=check, user=ap, decision="return", note="  ")
        done = services.closure_check_review(
            check=check, user=ap, decision="return", note="Attach the review assessment"
        )
        assert done.status == ClosureCheck.Status.RETURNED
        back = Task.objects.get(source=f"closure-check:{check.pk}", assignee=case_manager)
        assert back.title == "Closure checks returned: Attach the review assessment"
        assert Event.objects.filter(summary__startswith="Closure checks returned").exists()
        assert _request(child, ooc, case_manager).status == ClosureCheck.Status.REQUESTED

    def test_reviewed_once_only(self, child, ooc, ap, case_manager):
        """A reviewed check cannot be reviewed again."""
        check = _request(child, ooc, case_manager)
        services.closure_check_review(check=check, user=ap, decision="approve", **ALL_CHECKS)
        with pytest.raises(ValidationError, match="already been reviewed"):
            services.closure_check_review(check=check, user=ap, decision="return", note="x")

    def test_case_manager_cannot_review(self, child, ooc, ap, case_manager, outsider):
        """The worker does not check their own case; nor does another team."""
        check = _request(child, ooc, case_manager)
        for user in (case_manager, outsider):
            with pytest.raises(ValidationError, match="Only the person holding oversight"):
                services.closure_check_review(check=check, user=user, decision="approve", **ALL_CHECKS)

    def test_waiting_list_for_holder_and_team_managers(
        self, child, ooc, ap, team_manager, case_manager, outsider
    ):
        """The request waits for the holder and the team's managers, not for others."""
        check = _request(child, ooc, case_manager)
        assert list(selectors.closure_checks_waiting(user=ap)) == [check]
        assert list(selectors.closure_checks_waiting(user=team_manager)) == [check]
        assert not selectors.closure_checks_waiting(user=case_manager).exists()
        assert not selectors.closure_checks_waiting(user=outsider).exists()


@pytest.mark.django_db
class TestClosureGate:
    def _close(self, programme, user, reason=Programme.ClosureReason.COMPLETED):
        return programme_services.programme_close(
            programme=programme, user=user, end_date=timezone.localdate(), closure_reason=reason
        )

    def test_completed_ooc_refused_without_approved_checks(self, child, ooc, ap, case_manager):
        """Closing a completed OOC before the AP's checks are approved is refused (001 §6.3)."""
        with pytest.raises(ValidationError, match="The AP must complete the closure checks"):
            self._close(ooc, case_manager)
        _request(child, ooc, case_manager)  # requested is not enough
        with pytest.raises(
            ValueError, match=r"^The AP must complete the closure checks before this case is closed"
        ):
            self._close(ooc, case_manager)
        ooc.refresh_from_db()
        assert ooc.end_date is None

    def test_completed_ooc_closes_after_approval(self, child, ooc, ap, case_manager):
        """With approved checks the programme closes."""
        check = _request(child, ooc, case_manager)
        services.closure_check_review(check=check, user=ap, decision="approve", **ALL_CHECKS)
        assert self._close(ooc, case_manager).end_date == timezone.localdate()

    def test_other_reasons_and_statutory_orders_are_not_gated(self, child, case_manager):
        """A breached YCC, or a completed YRO, closes without closure checks."""
        ycc = ProgrammeFactory(child=child, kind=K.OOCD_YCC, start_date=datetime.date(2024, 1, 8))
        yro = ProgrammeFactory(child=child, kind=K.YRO, start_date=datetime.date(2024, 1, 8))
        assert self._close(ycc, case_manager, Programme.ClosureReason.BREACHED).end_date
        assert self._close(yro, case_manager).end_date

    def test_my_future_is_gated(self, child, case_manager):
        """My Future closure is agreed and overseen too (001 §6.4)."""
        my_future = ProgrammeFactory(child=child, kind=K.MY_FUTURE, start_date=datetime.date(2024, 1, 8))
        with pytest.raises(ValidationError):
            self._close(my_future, case_manager)
