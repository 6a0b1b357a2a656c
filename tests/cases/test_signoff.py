"""The sign-off rules of 001 App. 1 (and §6.3, §6.4): who completes each stage, and who may act on it."""

import datetime

import pytest

from cases import signoff
from cases.models import Assessment, RiskLevel, Role
from cases.selectors.assessments import sign_off_requirement_for
from demo.factories import ChildFactory, UserFactory

A = Assessment
LOW, MEDIUM, HIGH, VERY_HIGH = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH


def make(child, author, **fields) -> Assessment:
    """A stage for a child (AssetPlus review, draft, unless told otherwise)."""
    fields.setdefault("kind", A.Kind.ASSETPLUS)
    fields.setdefault("stage", A.Stage.REVIEW)
    return Assessment.objects.create(child=child, author=author, **fields)


class TestRequirementRules:
    """The pure decision, one App. 1 case at a time."""

    def test_initial_goes_to_senior_duty_worker(self):
        """001 App. 1: initial assessments are gatekept by the senior duty worker."""
        rule = signoff.requirement(kind=A.Kind.ASSETPLUS, stage=A.Stage.INITIAL, rosh=MEDIUM, saw=LOW)
        assert rule.sign_off_by == A.SignOff.DUTY_SENIOR and rule.assigned_to is None
        assert "001 App. 1" in rule.basis

    def test_initial_previously_known_high_goes_to_tm_ap(self):
        """001 App. 1: a child previously known High RoSH/SaW has a TM/AP complete the initial assessment."""
        rule = signoff.requirement(kind=A.Kind.ASSETPLUS, stage=A.Stage.INITIAL, previously_high=True)
        assert rule.sign_off_by == A.SignOff.MANAGER and "previously known" in rule.basis

    def test_psr_goes_to_tm_ap(self):
        """001 App. 1: pre-sentence report assessments are gatekept by a TM/AP."""
        rule = signoff.requirement(kind=A.Kind.ASSETPLUS, stage=A.Stage.PSR, rosh=LOW, saw=LOW)
        assert rule.sign_off_by == A.SignOff.MANAGER

    def test_post_sentence_review_returns_to_psr_gatekeeper(self):
        """001 App. 1: a post-sentence review after a TM/AP-gatekept PSR goes back to that TM/AP, even Low/Low."""
        tm = object()
        rule = signoff.requirement(
            kind=A.Kind.ASSETPLUS, stage=A.Stage.REVIEW, rosh=LOW, saw=LOW, psr_gatekeeper=tm
        )
        assert rule.sign_off_by == A.SignOff.MANAGER and rule.assigned_to is tm
        assert "original TM/AP" in rule.basis

    @pytest.mark.parametrize("stage", [A.Stage.REVIEW, A.Stage.PRE_RELEASE])
    @pytest.mark.parametrize(
        "levels",
        [
            {"rosh": MEDIUM, "saw": LOW},
            {"rosh": LOW, "saw": HIGH},
            {"rosh": LOW, "saw": LOW, "current_rosh": MEDIUM, "current_saw": LOW},
            {"rosh": LOW, "saw": LOW, "current_rosh": LOW, "current_saw": VERY_HIGH},
        ],
    )
    def test_medium_or_above_review_goes_to_tm_ap_after_cmm(self, stage, levels):
        """001 App. 1: reviews with proposed or current RoSH/SaW Medium+ are completed by the TM/AP post-CMM."""
        rule = signoff.requirement(kind=A.Kind.ASSETPLUS, stage=stage, **levels)
        assert rule.sign_off_by == A.SignOff.MANAGER and "case management meeting" in rule.basis
        all_levels = [levels.get(k, "") for k in ("rosh", "saw", "current_rosh", "current_saw")]
        assert signoff.cmm_date_required(kind=A.Kind.ASSETPLUS, stage=stage, levels=all_levels)

    @pytest.mark.parametrize("stage", [A.Stage.REVIEW, A.Stage.PRE_RELEASE])
    def test_low_low_review_is_the_case_holders(self, stage):
        """001 App. 1: reviews for Low RoSH and Low SaW are completed by the case holder."""
        rule = signoff.requirement(
            kind=A.Kind.ASSETPLUS, stage=stage, rosh=LOW, saw=LOW, current_rosh=LOW, current_saw=LOW
        )
        assert rule.sign_off_by == A.SignOff.CASE_HOLDER

    def test_review_with_unknown_levels_is_not_freed(self):
        """001 App. 1 frees only Low/Low reviews: with no levels known, a TM/AP completes it."""
        rule = signoff.requirement(kind=A.Kind.ASSETPLUS, stage=A.Stage.REVIEW)
        assert rule.sign_off_by == A.SignOff.MANAGER

    def test_interim_review_goes_to_tm_ap(self):
        """001 App. 1: interim reviews for a change in risk are returned to the TM/AP, even Low/Low."""
        rule = signoff.requirement(kind=A.Kind.ASSETPLUS, stage=A.Stage.INTERIM_REVIEW, rosh=LOW, saw=LOW)
        assert rule.sign_off_by == A.SignOff.MANAGER

    def test_closure_always_goes_to_tm_ap(self):
        """001 App. 1: closure assessments of all orders need a TM/AP, even Low/Low."""
        rule = signoff.requirement(
            kind=A.Kind.ASSETPLUS, stage=A.Stage.CLOSURE, rosh=LOW, saw=LOW, current_rosh=LOW, current_saw=LOW
        )
        assert rule.sign_off_by == A.SignOff.MANAGER
        assert not signoff.cmm_date_required(kind=A.Kind.ASSETPLUS, stage=A.Stage.CLOSURE, levels=[LOW, LOW])
        assert signoff.cmm_date_required(kind=A.Kind.ASSETPLUS, stage=A.Stage.CLOSURE, levels=[HIGH, LOW])

    @pytest.mark.parametrize("stage", [A.Stage.PLAN_ONLY, A.Stage.ADMINISTRATIVE])
    @pytest.mark.parametrize("kind", list(A.Kind.values))
    def test_housekeeping_reviews_are_the_case_holders(self, stage, kind):
        """001 App. 1: plan-only and administrative reviews need no oversight, whatever the levels."""
        rule = signoff.requirement(kind=kind, stage=stage, rosh=VERY_HIGH, saw=HIGH)
        assert rule.sign_off_by == A.SignOff.CASE_HOLDER

    def test_oocd_goes_to_panel_ap(self):
        """001 §6.3, App. 1: OOCD assessments are gatekept by the AP chairing the OOCD panel (a TM/AP)."""
        rule = signoff.requirement(kind=A.Kind.OOCD, stage=A.Stage.INITIAL, rosh=LOW, saw=LOW)
        assert rule.sign_off_by == A.SignOff.MANAGER and "001 §6.3" in rule.basis

    def test_my_future_goes_to_overseeing_manager(self):
        """001 §6.4: the manager overseeing a My Future case gatekeeps it."""
        rule = signoff.requirement(kind=A.Kind.MY_FUTURE, stage=A.Stage.CLOSURE, rosh=LOW, saw=LOW)
        assert rule.sign_off_by == A.SignOff.MANAGER and "001 §6.4" in rule.basis


@pytest.mark.django_db
class TestRequirementFromRecord:
    """What the selector gathers from the child's record before the rules decide."""

    def test_previously_high_from_levels_history(self, child, case_manager):
        """001 App. 1: a child once rated High (history), now Low, still has a TM/AP complete the initial."""
        child.rosh, child.saw = HIGH, LOW
        child.save()
        child.rosh = LOW
        child.save()
        stage = make(child, case_manager, stage=A.Stage.INITIAL, rosh=LOW, saw=LOW)
        assert sign_off_requirement_for(assessment=stage).sign_off_by == A.SignOff.MANAGER

    def test_previously_high_from_earlier_completed_stage(self, north, case_manager):
        """001 App. 1: an earlier completed stage at High SaW also counts as previously known High."""
        child = ChildFactory(team=north, case_manager=case_manager, rosh="", saw="", lor="")
        make(child, case_manager, stage=A.Stage.CLOSURE, saw=HIGH, status=A.Status.COMPLETED)
        stage = make(child, case_manager, stage=A.Stage.INITIAL)
        assert sign_off_requirement_for(assessment=stage).sign_off_by == A.SignOff.MANAGER

    def test_never_high_goes_to_duty_senior(self, north, case_manager):
        """A child never rated High gets the senior duty worker for the initial assessment."""
        child = ChildFactory(team=north, case_manager=case_manager, rosh=LOW, saw=MEDIUM, lor=LOW)
        stage = make(child, case_manager, stage=A.Stage.INITIAL, rosh=HIGH, saw=LOW)
        assert sign_off_requirement_for(assessment=stage).sign_off_by == A.SignOff.DUTY_SENIOR

    def test_post_sentence_review_assigned_to_psr_gatekeeper(self, north, case_manager, team_manager):
        """001 App. 1: the first review after a PSR gatekept by a TM/AP is assigned to that TM/AP."""
        child = ChildFactory(team=north, case_manager=case_manager, rosh=LOW, saw=LOW, lor=LOW)
        make(
            child,
            case_manager,
            stage=A.Stage.PSR,
            status=A.Status.COMPLETED,
            gatekept_by=team_manager,
            gatekept_on=datetime.date(2024, 2, 1),
            completed_on=datetime.date(2024, 2, 2),
        )
        review = make(child, case_manager, rosh=LOW, saw=LOW)
        rule = sign_off_requirement_for(assessment=review)
        assert rule.sign_off_by == A.SignOff.MANAGER and rule.assigned_to == team_manager

    def test_review_after_a_later_review_is_not_returned(self, north, case_manager, team_manager):
        """Only the first review after the PSR goes back: once a review is completed, the levels decide."""
        child = ChildFactory(team=north, case_manager=case_manager, rosh=LOW, saw=LOW, lor=LOW)
        make(
            child,
            case_manager,
            stage=A.Stage.PSR,
            status=A.Status.COMPLETED,
            gatekept_by=team_manager,
            completed_on=datetime.date(2024, 2, 2),
        )
        make(child, case_manager, status=A.Status.COMPLETED, completed_on=datetime.date(2024, 3, 1))
        review = make(child, case_manager, rosh=LOW, saw=LOW)
        rule = sign_off_requirement_for(assessment=review)
        assert rule.sign_off_by == A.SignOff.CASE_HOLDER and rule.assigned_to is None

    def test_psr_gatekept_by_senior_case_manager_is_not_returned(self, north, case_manager):
        """The return rule is for a TM/AP gatekeeper; a senior case manager's PSR leaves the levels to decide."""
        scm = UserFactory(role=Role.SENIOR_CASE_MANAGER, team=north)
        child = ChildFactory(team=north, case_manager=case_manager, rosh=LOW, saw=LOW, lor=LOW)
        make(
            child,
            case_manager,
            stage=A.Stage.PSR,
            status=A.Status.COMPLETED,
            gatekept_by=scm,
            completed_on=datetime.date(2024, 2, 2),
        )
        review = make(child, case_manager, rosh=LOW, saw=LOW)
        assert sign_off_requirement_for(assessment=review).assigned_to is None


@pytest.mark.django_db
class TestWhoMayAct:
    """signoff.may_act and friends: the assigned person, absent-colleague cover, no self sign-off."""

    @pytest.fixture
    def ap(self, north):
        """North's advanced practitioner."""
        return UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north)

    @pytest.fixture
    def scm(self, north):
        """North's senior case manager (a duty senior)."""
        return UserFactory(username="scm", role=Role.SENIOR_CASE_MANAGER, team=north)

    def waiting(self, child, author, **fields):
        """A stage waiting for sign-off."""
        fields.setdefault("sign_off_by", A.SignOff.MANAGER)
        return make(child, author, status=A.Status.AWAITING_SIGN_OFF, **fields)

    def test_assigned_person_may_act_and_colleagues_may_not(self, child, case_manager, team_manager, ap):
        """The named TM acts; another TM/AP of the team does not while the named one is present."""
        stage = self.waiting(child, case_manager, assigned_to=team_manager)
        assert signoff.may_act(team_manager, stage)
        assert not signoff.may_act(ap, stage)

    def test_absent_colleague_is_covered(self, child, case_manager, team_manager, ap):
        """003 §7 / App. 1: anyone with the sign-off role in the team acts for an absent colleague."""
        team_manager.is_absent = True
        team_manager.save()
        stage = self.waiting(child, case_manager, assigned_to=team_manager)
        assert signoff.may_act(ap, stage)

    def test_unassigned_open_to_role_in_team(self, child, case_manager, team_manager, ap, scm, outsider):
        """Unassigned manager stages: any TM/AP of the child's team; not a senior CM, CM or other team."""
        stage = self.waiting(child, case_manager)
        assert signoff.may_act(team_manager, stage) and signoff.may_act(ap, stage)
        assert not signoff.may_act(scm, stage)
        assert not signoff.may_act(case_manager, stage)
        other_tm = UserFactory(role=Role.TEAM_MANAGER, team=outsider.team)
        assert not signoff.may_act(other_tm, stage)

    def test_duty_senior_stage_open_to_senior_case_manager(self, child, case_manager, scm, colleague):
        """001 §6: a senior case manager on duty gatekeeps initial assessments; a case manager does not."""
        stage = self.waiting(child, case_manager, stage=A.Stage.INITIAL, sign_off_by=A.SignOff.DUTY_SENIOR)
        assert signoff.may_act(scm, stage)
        assert not signoff.may_act(colleague, stage)

    def test_author_cannot_sign_off_own_stage(self, child, team_manager, ap):
        """A manager cannot sign off a stage they wrote, even when assigned to it."""
        stage = self.waiting(child, team_manager, assigned_to=team_manager)
        assert not signoff.may_act(team_manager, stage)
        unassigned = self.waiting(child, team_manager)
        assert not signoff.may_act(team_manager, unassigned) and signoff.may_act(ap, unassigned)

    def test_only_waiting_stages_can_be_acted_on(self, child, case_manager, team_manager):
        """Drafts, returned and completed stages are not open to sign-off."""
        for status in (A.Status.DRAFT, A.Status.RETURNED, A.Status.COMPLETED):
            stage = make(child, case_manager, status=status, sign_off_by=A.SignOff.MANAGER)
            assert not signoff.may_act(team_manager, stage)

    def test_case_holder_completes_own_housekeeping_stage(self, child, case_manager, colleague, team_manager):
        """001 App. 1: the case holder completes a Low/Low or housekeeping stage themselves; only its author."""
        stage = make(child, case_manager, sign_off_by=A.SignOff.CASE_HOLDER)
        assert signoff.may_complete_own(case_manager, stage)
        assert not signoff.may_complete_own(colleague, stage)
        assert not signoff.may_request_sign_off(case_manager, stage)
        own_tm = make(child, team_manager, sign_off_by=A.SignOff.CASE_HOLDER)
        assert signoff.may_complete_own(team_manager, own_tm)

    def test_duty_worker_apparent_high_needs_levels_agreed(
        self, child, case_manager, scm, team_manager, outsider
    ):
        """001 App. 1: a duty worker gatekeeping an apparent High agrees levels with a locality TM/AP first."""
        stage = self.waiting(
            child, case_manager, stage=A.Stage.INITIAL, sign_off_by=A.SignOff.DUTY_SENIOR, rosh=HIGH, saw=LOW
        )
        assert signoff.apparent_high_by_duty_worker(stage)
        assert signoff.levels_agreement_missing(stage)
        assert signoff.levels_agreement_missing(stage, scm)
        other_tm = UserFactory(role=Role.TEAM_MANAGER, team=outsider.team)
        assert signoff.levels_agreement_missing(stage, other_tm)
        assert not signoff.levels_agreement_missing(stage, team_manager)
        medium = self.waiting(
            child,
            case_manager,
            stage=A.Stage.INITIAL,
            sign_off_by=A.SignOff.DUTY_SENIOR,
            rosh=MEDIUM,
            saw=LOW,
        )
        assert not signoff.levels_agreement_missing(medium)
