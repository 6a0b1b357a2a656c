"""Who completes (signs off) an assessment stage, and who may act on it (001 App. 1, §6.3, §6.4).

Pure functions: no queries and no clock. The caller gathers what the rules need (the child's current
levels, whether they were ever known High, who gatekept a preceding PSR stage) — see
`cases.selectors.assessments.sign_off_requirement_for` — and these decide.
"""

from typing import NamedTuple

from .models import HIGH_LEVELS, MANAGER_ROLES, MEDIUM_OR_ABOVE, Assessment, Role, User

SignOff = Assessment.SignOff
Stage = Assessment.Stage
Kind = Assessment.Kind

# 001 §6: "the TM, AP or Senior Case Manager on duty" gatekeeps; TM/AP stages need a TM or AP.
DUTY_SENIOR_ROLES = frozenset({Role.SENIOR_CASE_MANAGER, Role.ADVANCED_PRACTITIONER, Role.TEAM_MANAGER})
TM_AP_ROLES = frozenset(MANAGER_ROLES)
ROLES_FOR: dict[str, frozenset[Role]] = {SignOff.DUTY_SENIOR: DUTY_SENIOR_ROLES, SignOff.MANAGER: TM_AP_ROLES}


# Stages App. 1 lets the case holder complete as housekeeping, whatever the levels.
HOUSEKEEPING_STAGES = frozenset({Stage.PLAN_ONLY, Stage.ADMINISTRATIVE})
# Stages App. 1 calls reviews: Low/Low ones are the case holder's, Medium and above the TM/AP's post-CMM.
LEVEL_REVIEW_STAGES = frozenset({Stage.REVIEW, Stage.PRE_RELEASE})
# Reviews that a TM/AP who gatekept the preceding PSR stage gets back ("post sentence reviews").
POST_SENTENCE_STAGES = frozenset({Stage.REVIEW, Stage.INTERIM_REVIEW})
# Stages at which a Medium+ case is completed after a CMM, so the CMM date is asked for (App. 1).
CMM_STAGES = frozenset({Stage.REVIEW, Stage.PRE_RELEASE, Stage.CLOSURE})


class Requirement(NamedTuple):
    """Who must complete a stage, the named person if the rule names one, and why (App. 1 wording)."""

    sign_off_by: str
    assigned_to: User | None
    basis: str


def _any_in(levels, wanted) -> bool:
    """Whether any of these levels is one of `wanted` (blank levels never count)."""
    return any(level in wanted for level in levels if level)


def requirement(
    *,
    kind: str,
    stage: str,
    rosh: str = "",
    saw: str = "",
    current_rosh: str = "",
    current_saw: str = "",
    previously_high: bool = False,
    psr_gatekeeper=None,
) -> Requirement:
    """Decide who completes this stage under 001 App. 1 (AssetPlus), §6.3 (OOCD) and §6.4 (My Future).

    `rosh`/`saw` are the proposed levels, `current_*` the child's agreed ones; `previously_high` says the
    child was ever known High/Very High RoSH or SaW; `psr_gatekeeper` is the TM/AP who gatekept the
    child's last completed AssetPlus stage when that stage was a PSR assessment (else None).
    """
    if stage in HOUSEKEEPING_STAGES:
        return Requirement(
            SignOff.CASE_HOLDER,
            None,
            "001 App. 1: reviews to add an intervention plan or referral details, and administrative "
            "reviews, are completed by the case holder",
        )
    if kind == Kind.OOCD:
        return Requirement(
            SignOff.MANAGER,
            None,
            "001 §6.3 and App. 1: out of court disposal assessments are gatekept by the AP chairing the "
            "OOCD panel",
        )
    if kind == Kind.MY_FUTURE:
        return Requirement(
            SignOff.MANAGER,
            None,
            "001 §6.4: the manager overseeing the My Future case gatekeeps and agrees closure",
        )
    return _assetplus_requirement(
        stage=stage,
        rosh=rosh,
        saw=saw,
        current_rosh=current_rosh,
        current_saw=current_saw,
        previously_high=previously_high,
        psr_gatekeeper=psr_gatekeeper,
    )


def _assetplus_requirement(
    *,
    stage: str,
    rosh: str,
    saw: str,
    current_rosh: str,
    current_saw: str,
    previously_high: bool,
    psr_gatekeeper,
) -> Requirement:
    """Who completes an AssetPlus stage (001 App. 1), housekeeping reviews aside."""
    if stage == Stage.INITIAL:
        if previously_high:
            return Requirement(
                SignOff.MANAGER,
                None,
                "001 App. 1: the child was previously known to be High RoSH/SaW, so a TM/AP completes "
                "the initial assessment",
            )
        return Requirement(
            SignOff.DUTY_SENIOR,
            None,
            "001 App. 1: initial assessments are gatekept by the senior duty worker",
        )
    if stage == Stage.PSR:
        return Requirement(
            SignOff.MANAGER, None, "001 App. 1: pre-sentence report assessments are gatekept by a TM/AP"
        )
    if stage in POST_SENTENCE_STAGES and psr_gatekeeper is not None:
        return Requirement(
            SignOff.MANAGER,
            psr_gatekeeper,
            "001 App. 1: a post-sentence review where the PSR assessment was gatekept by a TM/AP is "
            "returned to the original TM/AP to complete",
        )
    if stage == Stage.INTERIM_REVIEW:
        return Requirement(
            SignOff.MANAGER,
            None,
            "001 App. 1: interim reviews for a change in risk factors or levels are returned to the TM/AP "
            "for completion",
        )
    if stage == Stage.CLOSURE:
        return Requirement(
            SignOff.MANAGER, None, "001 App. 1: closure assessments of all orders need a TM/AP to complete"
        )
    if stage in LEVEL_REVIEW_STAGES:
        return _review_requirement(rosh=rosh, saw=saw, current_rosh=current_rosh, current_saw=current_saw)
    return Requirement(SignOff.MANAGER, None, "001 §6: all assessments are quality assured by a TM/AP")


def _review_requirement(*, rosh: str, saw: str, current_rosh: str, current_saw: str) -> Requirement:
    """App. 1 reviews: Low/Low ones are the case holder's, Medium and above (or unknown) a TM/AP's."""
    if _any_in((rosh, saw, current_rosh, current_saw), MEDIUM_OR_ABOVE):
        return Requirement(
            SignOff.MANAGER,
            None,
            "001 App. 1: reviews for cases with Medium/High RoSH or SaW are completed by the TM/AP "
            "after the case management meeting",
        )
    if (rosh or current_rosh) and (saw or current_saw):
        return Requirement(
            SignOff.CASE_HOLDER,
            None,
            "001 App. 1: reviews for cases with Low RoSH and Low SaW are completed by the case holder",
        )
    # Levels not yet known: App. 1 only frees Low/Low reviews, so a TM/AP completes it.
    return Requirement(
        SignOff.MANAGER,
        None,
        "001 App. 1: only Low RoSH/Low SaW reviews are the case holder's; levels are not yet known, "
        "so a TM/AP completes it",
    )


def cmm_date_required(*, kind: str, stage: str, levels) -> bool:
    """App. 1: Medium/High reviews and closures are completed by the TM/AP post-CMM; ask the CMM date."""
    return kind == Kind.ASSETPLUS and stage in CMM_STAGES and _any_in(levels, MEDIUM_OR_ABOVE)


def assessment_cmm_date_required(assessment: Assessment) -> bool:
    """Whether completing this stage asks for the CMM date (proposed or child's current Medium+)."""
    if assessment.sign_off_by == SignOff.CASE_HOLDER:
        return False
    child = assessment.child
    levels = (assessment.rosh, assessment.saw, child.rosh, child.saw)
    return cmm_date_required(kind=assessment.kind, stage=assessment.stage, levels=levels)


def progress_required(assessment: Assessment) -> bool:
    """App. 1: completing a closure asks for observations of the child's progress."""
    return assessment.stage == Stage.CLOSURE


def apparent_high_by_duty_worker(assessment: Assessment) -> bool:
    """App. 1: a duty worker gatekeeping an apparent High RoSH/SaW agrees the levels with a TM/AP first."""
    return assessment.sign_off_by == SignOff.DUTY_SENIOR and _any_in(
        (assessment.rosh, assessment.saw), HIGH_LEVELS
    )


def is_team_tm_ap(user, team_id) -> bool:
    """A team manager or advanced practitioner of this team, active."""
    return (
        user is not None
        and user.is_active
        and user.role in TM_AP_ROLES
        and user.team_id is not None
        and user.team_id == team_id
    )


def levels_agreement_missing(assessment: Assessment, levels_agreed_with=None) -> bool:
    """True while an apparent High gatekept by a duty worker has no TM/AP of the team named as agreeing."""
    if not apparent_high_by_duty_worker(assessment):
        return False
    agreed = levels_agreed_with if levels_agreed_with is not None else assessment.levels_agreed_with
    return not is_team_tm_ap(agreed, assessment.child.team_id)


def has_sign_off_role(user, sign_off_by: str) -> bool:
    """Whether the user's role is one that can complete a stage of this kind."""
    return user.role in ROLES_FOR.get(sign_off_by, ())


def _unavailable(person) -> bool:
    """Absent (003 §7) or no longer active: their colleagues act instead."""
    return person.is_absent or not person.is_active


def may_act(user, assessment: Assessment) -> bool:
    """Whether this user may gatekeep, return or complete a stage waiting for sign-off (001 App. 1).

    The person assigned may; when nobody is assigned, or the assigned person is absent, anyone with the
    sign-off role in the child's team may ("anyone with the sign-off role can act for an absent
    colleague"). Nobody signs off a stage they wrote: that would be no oversight at all.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not assessment.is_awaiting_sign_off:
        return False
    if assessment.sign_off_by not in ROLES_FOR or assessment.author_id == user.pk:
        return False
    if not has_sign_off_role(user, assessment.sign_off_by):
        return False
    assigned = assessment.assigned_to
    if assigned is not None and assigned.pk == user.pk:
        return True
    if user.team_id is None or user.team_id != assessment.child.team_id:
        return False
    return assigned is None or _unavailable(assigned)


def is_panel_ap(user, assessment: Assessment) -> bool:
    """001 §6.3, 000 §3.1: an OOCD assessment is gatekept by the AP attending the OOC panel, "irrespective of
    which team/locality the AP and the child/young person are from": any active advanced practitioner
    may be named to sign one off, whatever their team."""
    return (
        assessment.kind == Kind.OOCD
        and user is not None
        and user.is_active
        and user.role == Role.ADVANCED_PRACTITIONER
    )


def panel_grant(user, assessment: Assessment) -> bool:
    """The narrow grant of 001 §6.3: the panel AP named on an OOCD assessment waiting for sign-off may see
    that assessment (and act on it) even when the child is another team's. Nothing else of the child."""
    return (
        is_panel_ap(user, assessment)
        and assessment.is_awaiting_sign_off
        and assessment.assigned_to_id == user.pk
        and assessment.author_id != user.pk
    )


def may_edit(user, assessment: Assessment) -> bool:
    """Drafts and returned stages are edited by their author only."""
    return assessment.author_id == user.pk and assessment.is_editable


def may_request_sign_off(user, assessment: Assessment) -> bool:
    """The author asks for sign-off on a stage that needs someone else to complete it."""
    return may_edit(user, assessment) and assessment.sign_off_by != SignOff.CASE_HOLDER


def may_complete_own(user, assessment: Assessment) -> bool:
    """App. 1: the case holder (the stage's author) completes the stages that need no oversight."""
    return may_edit(user, assessment) and assessment.sign_off_by == SignOff.CASE_HOLDER


def eligible_signer(user, assessment: Assessment) -> bool:
    """Whether someone could be named to sign this stage off: the role, in the child's team, not the author;
    for an OOCD assessment also the panel AP of any team (001 §6.3)."""
    if not user.is_active or user.pk == assessment.author_id:
        return False
    if is_panel_ap(user, assessment) and has_sign_off_role(user, assessment.sign_off_by):
        return True
    return (
        has_sign_off_role(user, assessment.sign_off_by)
        and user.team_id is not None
        and user.team_id == assessment.child.team_id
    )
