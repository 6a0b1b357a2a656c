"""Writes for assessment stages and their sign-off (001 §3-§6, App. 1).

Who completes a stage is decided by `cases.signoff` (pure) from what `sign_off_requirement_for` gathers;
these services check it again under a row lock, so two people acting at once cannot both complete.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEntry
from core.services import locked

from .. import signoff
from ..models import Assessment, Child, EventType, User
from ..selectors.assessments import sign_off_requirement_for
from .core import child_levels_set, child_obligations_refresh_on_commit, event_create

# The fields the author writes on a draft (cases.forms.assessments.AssessmentForm).
EDITABLE_FIELDS = (
    "kind",
    "stage",
    "programme",
    "rosh",
    "rosh_rationale",
    "saw",
    "saw_rationale",
    "lor",
    "lor_rationale",
    "rosh_seriousness",
    "rosh_protective",
    "rosh_imminence",
    "saw_seriousness",
    "saw_protective",
    "saw_imminence",
    "summary",
)


KIND_SHORT: dict[str, str] = {
    Assessment.Kind.ASSETPLUS: "AssetPlus",
    Assessment.Kind.OOCD: "OOCD assessment",
    Assessment.Kind.MY_FUTURE: "My Future assessment",
}
STAGE_SHORT: dict[str, str] = {
    Assessment.Stage.INITIAL: "initial assessment",
    Assessment.Stage.PSR: "PSR assessment",
    Assessment.Stage.REVIEW: "review",
    Assessment.Stage.INTERIM_REVIEW: "interim review",
    Assessment.Stage.PRE_RELEASE: "pre-release review",
    Assessment.Stage.CLOSURE: "closure",
    Assessment.Stage.PLAN_ONLY: "review to add a plan or referral details",
    Assessment.Stage.ADMINISTRATIVE: "administrative review",
}


def assessment_label(assessment: Assessment) -> str:
    """How a stage is named in summaries: "AssetPlus review", "OOCD assessment closure"."""
    kind = KIND_SHORT.get(assessment.kind, assessment.kind)
    if assessment.kind != Assessment.Kind.ASSETPLUS and assessment.stage == Assessment.Stage.INITIAL:
        return kind
    return f"{kind} {STAGE_SHORT.get(assessment.stage, assessment.stage)}"


def _set_fields(assessment: Assessment, data: dict) -> None:
    """Copy the author's fields onto the stage; blank text fields are "" and no programme is None."""
    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "programme":
            assessment.programme = value or None
        else:
            setattr(assessment, name, value if value is not None else "")


def _apply_requirement(assessment: Assessment) -> signoff.Requirement:
    """Store who must complete the stage and why (001 App. 1), as the rules say now."""
    rule = sign_off_requirement_for(assessment=assessment)
    assessment.sign_off_by = rule.sign_off_by
    assessment.sign_off_basis = rule.basis[:200]
    return rule


def _locked(assessment: Assessment) -> Assessment:
    """The stage re-read under a row lock, with what the sign-off rules look at."""
    return locked(assessment, "child", "child__team", "author", "assigned_to", "levels_agreed_with")


@transaction.atomic
def assessment_create(*, child: Child, author, data: dict) -> Assessment:
    """Start a draft stage for a child, with who must complete it under 001 App. 1."""
    assessment = Assessment(child=child, author=author)
    _set_fields(assessment, data)
    _apply_requirement(assessment)
    assessment.full_clean()
    assessment.save()
    audit_record(
        user=author,
        action=AuditEntry.Action.CREATE,
        obj=assessment,
        child=child,
        description=f"Started {assessment_label(assessment)} (draft)",
    )
    return assessment


@transaction.atomic
def assessment_update(*, assessment: Assessment, user, data: dict) -> Assessment:
    """Edit a draft or returned stage; only its author may (001 App. 1 sends changes back to them)."""
    current = _locked(assessment)
    if not signoff.may_edit(user, current):
        raise ValidationError("Only the author can change a draft or a stage returned for changes.")
    _set_fields(current, data)
    _apply_requirement(current)
    current.full_clean()
    current.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=current.child,
        description=f"Edited {assessment_label(current)}",
    )
    return current


@transaction.atomic
def assessment_request_sign_off(
    *, assessment: Assessment, user, assigned_to: User | None = None, now: datetime.datetime | None = None
) -> Assessment:
    """Send a stage for sign-off to whoever 001 App. 1 names (or a chosen eligible person)."""
    current = _locked(assessment)
    if not signoff.may_edit(user, current):
        raise ValidationError("Only the author can send a draft or returned stage for sign-off.")
    rule = _apply_requirement(current)
    if current.sign_off_by == Assessment.SignOff.CASE_HOLDER:
        raise ValidationError("This stage needs no sign-off: complete it yourself (001 App. 1).")
    if current.kind == Assessment.Kind.ASSETPLUS and current.stage not in signoff.HOUSEKEEPING_STAGES:
        missing = [
            label
            for name, label in (("rosh", "RoSH"), ("saw", "SaW"), ("lor", "LoR"))
            if not getattr(current, name)
        ]
        if missing:
            raise ValidationError(f"Propose the {' and '.join(missing)} level before requesting sign-off.")
    if (
        assigned_to is not None
        and assigned_to != rule.assigned_to
        and not signoff.eligible_signer(assigned_to, current)
    ):
        raise ValidationError("Choose someone who can sign this stage off.")
    current.assigned_to = assigned_to or rule.assigned_to
    current.move_to(Assessment.Status.AWAITING_SIGN_OFF)
    current.submitted_at = now or timezone.now()
    current.full_clean()
    current.save()
    who = (
        str(current.assigned_to)
        if current.assigned_to
        else f"any {current.get_sign_off_by_display().lower()}"
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=current.child,
        description=f"Requested sign-off of {assessment_label(current)} from {who}",
    )
    return current


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, user, comments: str, today: datetime.date | None = None
) -> Assessment:
    """Return a stage to its author for changes; the first manager review of it is the gatekeeping (App. 1)."""
    current = _locked(assessment)
    if not signoff.may_act(user, current):
        raise ValidationError("You cannot sign off this stage.")
    if not comments.strip():
        raise ValidationError("Enter what needs to change.")
    today = today or timezone.localdate()
    if current.gatekept_on is None:
        current.gatekept_by, current.gatekept_on = user, today
    current.move_to(Assessment.Status.RETURNED)
    current.return_comments = comments.strip()
    current.full_clean()
    current.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=current.child,
        description=f"Returned {assessment_label(current)} for changes (comments kept with the assessment)",
    )
    child_obligations_refresh_on_commit(child=current.child)
    return current


def has_proposed_levels(assessment: Assessment) -> bool:
    """Whether the stage proposes any level for the completer to agree (App. 1 "agreement with level")."""
    return bool(assessment.rosh or assessment.saw or assessment.lor)


def _completion_details(assessment: Assessment) -> str:
    """The App. 1 "Complete Stage" comments as the event's details."""
    lines = []
    levels = ", ".join(
        f"{label} {getattr(assessment, f'get_{name}_display')()}"
        for name, label in (("rosh", "RoSH"), ("saw", "SaW"), ("lor", "LoR"))
        if getattr(assessment, name)
    )
    if levels:
        lines.append(f"Levels: {levels}.")
    if assessment.levels_agreed is not None:
        lines.append(
            "Agreed with the proposed levels."
            if assessment.levels_agreed
            else "Did not agree with the proposed levels."
        )
    if assessment.levels_agreed_with_id:
        lines.append(f"Levels agreed with {assessment.levels_agreed_with}.")
    if assessment.cmm_date:
        lines.append(f"Case management meeting: {assessment.cmm_date:%-d %B %Y}.")
    if assessment.progress_at_closure:
        lines.append(f"Progress at closure: {assessment.progress_at_closure}")
    if assessment.completion_comments:
        lines.append(f"Comments: {assessment.completion_comments}")
    return "\n".join(lines)


def _sign_off(
    current: Assessment,
    *,
    user,
    today: datetime.date,
    levels_agreed: bool | None,
    agreed_levels: dict | None,
    levels_agreed_with: User | None,
    cmm_date: datetime.date | None,
    progress_at_closure: str,
) -> None:
    """What App. 1 asks of someone completing another's stage, checked, and their gatekeeping and levels kept."""
    if levels_agreed is None and has_proposed_levels(current):
        raise ValidationError("Say whether you agree with the proposed levels.")
    if signoff.assessment_cmm_date_required(current) and cmm_date is None:
        raise ValidationError("Enter the date of the case management meeting (001 App. 1).")
    if signoff.levels_agreement_missing(current, levels_agreed_with):
        raise ValidationError(
            "Agree the RoSH and SaW levels with a team manager or advanced practitioner of the team "
            "before completing this stage (001 App. 1)."
        )
    if signoff.progress_required(current) and not progress_at_closure.strip():
        raise ValidationError("Enter your observations of the child's progress at closure (001 App. 1).")
    if current.gatekept_on is None:
        current.gatekept_by, current.gatekept_on = user, today
    current.levels_agreed = levels_agreed
    if levels_agreed_with is not None:
        current.levels_agreed_with = levels_agreed_with
    if levels_agreed is False and agreed_levels:
        for name in ("rosh", "saw", "lor"):
            if agreed_levels.get(name):
                setattr(current, name, agreed_levels[name])


@transaction.atomic
def assessment_complete(
    *,
    assessment: Assessment,
    user,
    comments: str = "",
    levels_agreed: bool | None = None,
    agreed_levels: dict | None = None,
    levels_agreed_with: User | None = None,
    cmm_date: datetime.date | None = None,
    progress_at_closure: str = "",
    today: datetime.date | None = None,
) -> Assessment:
    """Complete (sign off) a stage under 001 App. 1: its levels become the child's, with an event and audit.

    Someone else's stage: the person it waits for, or a colleague with the role covering their absence.
    A case-holder stage (Low/Low review, plan-only or administrative review): its author. When the
    completer disagrees with the proposed levels, `agreed_levels` (rosh/saw/lor) replace them.
    """
    current = _locked(assessment)
    child = current.child
    today = today or timezone.localdate()
    if signoff.may_complete_own(user, current):
        # The levels or the child's may have moved since the draft was saved: decide again.
        rule = _apply_requirement(current)
        if rule.sign_off_by != Assessment.SignOff.CASE_HOLDER:
            raise ValidationError("This stage now needs sign-off by someone else: request sign-off instead.")
    elif not signoff.may_act(user, current):
        raise ValidationError("You cannot sign off this stage.")
    else:
        _sign_off(
            current,
            user=user,
            today=today,
            levels_agreed=levels_agreed,
            agreed_levels=agreed_levels,
            levels_agreed_with=levels_agreed_with,
            cmm_date=cmm_date,
            progress_at_closure=progress_at_closure,
        )
    current.move_to(Assessment.Status.COMPLETED)
    current.completed_by, current.completed_on = user, today
    current.completion_comments = comments.strip()
    current.cmm_date = cmm_date
    current.progress_at_closure = progress_at_closure.strip()
    current.full_clean()
    current.save()
    label = assessment_label(current)
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=child,
        description=f"Completed {label}",
    )
    # The agreed levels become the child's (history keeps each change: `risk_rated` facts).
    child_levels_set(
        child=child,
        levels={"rosh": current.rosh, "saw": current.saw, "lor": current.lor},
        user=user,
        reason=f"on completing assessment {current.pk}",
    )
    # 001 App. 1: "It is good practice that an Event is also added ...; Event: AssetPlus Completion."
    event_create(
        child=child,
        author=user,
        event_type=EventType.ASSETPLUS_COMPLETION
        if current.kind == Assessment.Kind.ASSETPLUS
        else EventType.ASSESSMENT,
        occurred_on=today,
        summary=f"{label[:1].upper()}{label[1:]} completed by {user}",
        details=_completion_details(current),
        source=f"assessment:{current.pk}",
    )
    # event_create has queued the obligations refresh for when this commits.
    return current
