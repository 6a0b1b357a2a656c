"""Writes for court tracking (003 §9-§10, App. C).

Crown Court tracking (003 §9): the screening decides the band of case manager (§9.2), the tracking starts
a `crown_court_tracking` programme from the first appearance (§9.6), whose facts place the timescales
(allocation within 48 hours, contact within 5 days, monthly contact, face to face every 3 months);
management oversight decides trial attendance and welfare support (§9.5); ending closes the programme.

Magistrates' Court tracking (003 §10, App. C): children awaiting a hearing are listed, screened by the
Court lead TM/AP with the App. C questions, and offered My Futures; an accepted offer starts a
`my_future` programme (§10.3), allocated from the child's Allocation tab.

Every write is audited against the child and writes a Court event on the timeline; anything that
states facts queues the child's obligations to be recomputed on commit.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, EventType, Programme, RiskLevel, User
from cases.selectors.core import children_for_user
from cases.services.core import event_create
from cases.services.programmes import programme_close, programme_create
from core.audit import audit_record
from core.models import AuditEntry

from ..models import AwaitingHearing, Band, CrownCourtTracking, Seriousness
from ..selectors import tracking as selectors

APP_C_FIELDS = ("adjournment_over_six_weeks", "risk_to_others", "no_other_agencies")
PRINCIPLE_CODES = [code for code, _ in CrownCourtTracking.PRINCIPLES]
# How a tracking ends (003 §9): the programme closes with one of these reasons.
END_REASONS = [
    Programme.ClosureReason.SENTENCED,
    Programme.ClosureReason.TRANSFERRED,
    Programme.ClosureReason.OTHER,
]
BSS_MESSAGE = (
    "{name} is on a bail supervision and support package: Crown Court tracking is for children who are "
    "not (003 §9.1). Their BSS case manager tracks the case."
)


def _name(user: User | None) -> str:
    """A person's name for the timeline."""
    return (user.get_full_name() or user.username) if user is not None else ""


def _audit(*, user: User, obj, child: Child, action, description: str) -> None:
    """Audit one change to the child's record."""
    audit_record(user=user, action=action, obj=obj, child=child, description=description)


def _level(value: str, noun: str) -> str:
    """A RoSH or SaW level, or blank for not yet assessed."""
    value = value or ""
    if value and value not in RiskLevel.values:
        raise ValidationError(f"Choose the {noun} from the list.")
    return value


def _locked_tracking(tracking: CrownCourtTracking) -> CrownCourtTracking:
    """The tracking row locked for this transaction, so two people cannot end it at once."""
    return (
        CrownCourtTracking.objects.select_for_update(of=("self",))
        .select_related("child", "programme")
        .get(pk=tracking.pk)
    )


# ---------------------------------------------------------------------------------------------------
# Crown Court tracking (003 §9)


@transaction.atomic
def crown_court_start(
    *,
    child: Child,
    user: User,
    first_appearance_at: datetime.datetime,
    offence: str,
    seriousness: str,
    band: str,
    court: str = "Nottingham Crown Court",
    rosh: str = "",
    saw: str = "",
    screening_notes: str = "",
    out_of_area_home_yjs: str = "",
) -> CrownCourtTracking:
    """Start Crown Court tracking for a child committed to the Crown Court (003 §9.1-§9.6).

    The screening proposes Band B for high seriousness or High/Very High RoSH or SaW (§9.2); a manager
    may choose the other band with a note. Refused for a child on bail supervision and support (§9.1)
    or already tracked. Starts the `crown_court_tracking` programme on the first appearance date."""
    if not selectors.can_add_crown_court(user=user, child=child):
        raise ValidationError(
            "Only the team manager, advanced practitioner or business support of the child's team can "
            "start Crown Court tracking (003 §9.6)."
        )
    child = Child.objects.select_for_update(of=("self",)).select_related("team").get(pk=child.pk)
    if selectors.has_open_bss(child):
        raise ValidationError(BSS_MESSAGE.format(name=child.full_name))
    if selectors.open_tracking_for(child) is not None:
        raise ValidationError(
            f"{child.full_name} is already on Crown Court tracking: end it before starting another."
        )
    if first_appearance_at > timezone.now():
        raise ValidationError("The first appearance must be in the past (record it once it has happened).")
    if seriousness not in Seriousness.values:
        raise ValidationError("Choose the seriousness of the alleged offence.")
    if band not in Band.values:
        raise ValidationError("Choose the screening decision: Band A or Band B.")
    rosh, saw = _level(rosh, "RoSH"), _level(saw, "SaW")
    screening_notes = (screening_notes or "").strip()
    proposal = selectors.proposed_band(seriousness=seriousness, rosh=rosh, saw=saw)
    if band != proposal:
        if not selectors.can_override_band(user=user, child=child):
            raise ValidationError(
                f"The screening proposes {Band(proposal).label}: only a team manager or advanced practitioner "
                "can decide otherwise."
            )
        if not screening_notes:
            raise ValidationError(
                f"The screening proposes {Band(proposal).label}: enter a note explaining why you decided "
                f"{Band(band).label} instead (003 §9.2)."
            )
    first_day = timezone.localtime(first_appearance_at).date()
    tracking = CrownCourtTracking(
        child=child,
        first_appearance_at=first_appearance_at,
        court=(court or "").strip() or "Nottingham Crown Court",
        offence=(offence or "").strip(),
        seriousness=seriousness,
        rosh=rosh,
        saw=saw,
        band=band,
        screening_notes=screening_notes,
        out_of_area_home_yjs=(out_of_area_home_yjs or "").strip(),
        recorded_by=user,
    )
    tracking.full_clean()
    programme = programme_create(
        child=child, user=user, kind=Programme.Kind.CROWN_COURT_TRACKING, start_date=first_day
    )
    # The programme's facts read the first appearance from this row (cases/facts.py gives `at`).
    tracking.programme = programme
    tracking.save()
    decision = Band(band).label + (
        "" if band == proposal else f" (screening proposed {Band(proposal).label})"
    )
    _audit(
        user=user,
        obj=tracking,
        child=child,
        action=AuditEntry.Action.CREATE,
        description=f"Started Crown Court tracking: first appearance {first_day:%d/%m/%Y}, {decision}",
    )
    when = timezone.localtime(first_appearance_at)
    details = [
        f"First appearance: {when:%-d %B %Y, %H:%M} at {tracking.court}",
        f"Alleged offence: {tracking.offence} ({tracking.get_seriousness_display()})",
        f"RoSH at screening: {rosh.replace('_', ' ') or 'not assessed'}; SaW: {saw.replace('_', ' ') or 'not assessed'}",
        f"Screening decision: {decision}",
    ]
    if screening_notes:
        details.append(f"Note: {screening_notes}")
    if tracking.out_of_area_home_yjs:
        details.append(f"Home YJS (out of area, 003 §9.7): {tracking.out_of_area_home_yjs}")
    event_create(
        child=child,
        author=user,
        event_type=EventType.COURT,
        occurred_on=first_day,
        summary=f"Crown Court tracking started: {Band(band).label} to be allocated within 48 hours",
        details="\n".join(details),
        source=f"crown_court:{tracking.pk}",
    )
    # event_create queued child_obligations_refresh_on_commit: the new facts count once committed.
    return tracking


def _check_open(tracking: CrownCourtTracking) -> None:
    """Refuse a change once the tracking has ended."""
    if not selectors.is_open(tracking):
        raise ValidationError("This Crown Court tracking has ended and can no longer change.")


@transaction.atomic
def crown_court_progress(
    *,
    tracking: CrownCourtTracking,
    user: User,
    next_hearing_on: datetime.date | None,
    principles: list[str],
    out_of_area_home_yjs: str = "",
) -> CrownCourtTracking:
    """Record the next hearing, the case tracking principles done (003 §9) and the home YJS of a child
    from out of area (§9.7)."""
    current = _locked_tracking(tracking)
    child = current.child
    if not selectors.can_update_tracking(user=user, child=child):
        raise ValidationError("You cannot change this Crown Court tracking.")
    _check_open(current)
    unknown = set(principles) - set(PRINCIPLE_CODES)
    if unknown:
        raise ValidationError("Choose the case tracking principles from the list.")
    if (
        next_hearing_on is not None
        and next_hearing_on < timezone.localtime(current.first_appearance_at).date()
    ):
        raise ValidationError("The next hearing must be on or after the first appearance.")
    before = (current.next_hearing_on, list(current.principles), current.out_of_area_home_yjs)
    current.next_hearing_on = next_hearing_on
    current.principles = [code for code in PRINCIPLE_CODES if code in set(principles)]
    current.out_of_area_home_yjs = (out_of_area_home_yjs or "").strip()
    current.full_clean()
    current.save(update_fields=["next_hearing_on", "principles", "out_of_area_home_yjs"])
    changes = []
    if before[0] != current.next_hearing_on:
        changes.append(
            f"next hearing {current.next_hearing_on:%d/%m/%Y}"
            if current.next_hearing_on
            else "next hearing cleared"
        )
    if before[1] != current.principles:
        changes.append(f"{len(current.principles)} of {len(PRINCIPLE_CODES)} tracking principles done")
    if before[2] != current.out_of_area_home_yjs:
        changes.append(f"home YJS: {current.out_of_area_home_yjs or 'none'}")
    _audit(
        user=user,
        obj=current,
        child=child,
        action=AuditEntry.Action.UPDATE,
        description="Updated Crown Court tracking: " + ("; ".join(changes) or "no change"),
    )
    if before[0] != current.next_hearing_on and current.next_hearing_on:
        event_create(
            child=child,
            author=user,
            event_type=EventType.COURT,
            occurred_on=timezone.localdate(),
            summary=f"Next Crown Court hearing: {current.next_hearing_on:%-d %B %Y}",
            source=f"crown_court:{current.pk}",
        )
    return current


@transaction.atomic
def crown_court_oversight(
    *, tracking: CrownCourtTracking, user: User, trial_attendance: str, oversight_on: datetime.date
) -> CrownCourtTracking:
    """The management oversight decision after allocation (003 §9.5): whether the YJS attends the trial
    in person and/or gives welfare support on the days of the trial (a staffing rota for a long trial)."""
    current = _locked_tracking(tracking)
    child = current.child
    if not selectors.manages_child(user=user, child=child):
        raise ValidationError(
            "Only a team manager or advanced practitioner of the child's team can record management oversight."
        )
    _check_open(current)
    text = (trial_attendance or "").strip()
    if not text:
        raise ValidationError("Enter the decision on trial attendance and welfare support.")
    if oversight_on > timezone.localdate():
        raise ValidationError("The date of the decision must be today or in the past.")
    if oversight_on < timezone.localtime(current.first_appearance_at).date():
        raise ValidationError("The date of the decision must be on or after the first appearance.")
    current.trial_attendance = text
    current.oversight_by = user
    current.oversight_on = oversight_on
    current.full_clean()
    current.save(update_fields=["trial_attendance", "oversight_by", "oversight_on"])
    _audit(
        user=user,
        obj=current,
        child=child,
        action=AuditEntry.Action.UPDATE,
        description=f"Recorded the Crown Court management oversight decision of {oversight_on:%d/%m/%Y}",
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.COURT,
        occurred_on=oversight_on,
        summary="Crown Court tracking: management oversight of trial attendance and welfare support",
        details=f"Decision by {_name(user)} (003 §9.5):\n{text}",
        source=f"crown_court:{current.pk}",
    )
    return current


@transaction.atomic
def crown_court_end(
    *,
    tracking: CrownCourtTracking,
    user: User,
    ended_on: datetime.date,
    outcome: str,
    closure_reason: str = Programme.ClosureReason.SENTENCED,
) -> CrownCourtTracking:
    """End the tracking with the outcome at the Crown Court, closing its programme so the contact
    timescales stop (timescales.md "Recurring")."""
    current = _locked_tracking(tracking)
    child = current.child
    if not selectors.can_update_tracking(user=user, child=child):
        raise ValidationError("You cannot end this Crown Court tracking.")
    if current.ended_on is not None:
        raise ValidationError("This Crown Court tracking has already ended.")
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError("Enter the outcome at the Crown Court.")
    if closure_reason not in END_REASONS:
        raise ValidationError("Choose how the tracking ended.")
    if ended_on > timezone.localdate():
        raise ValidationError("The end date must be today or in the past.")
    if ended_on < timezone.localtime(current.first_appearance_at).date():
        raise ValidationError("The end date must be on or after the first appearance.")
    programme = current.programme
    if programme is not None and programme.end_date is None:
        try:
            programme_close(
                programme=programme,
                user=user,
                end_date=ended_on,
                closure_reason=closure_reason,
                closure_notes=f"Crown Court outcome: {outcome}",
            )
        except ValueError as exc:  # already closed, or before the start (ValidationError is one too)
            raise ValidationError(str(exc)) from None
    current.ended_on = ended_on
    current.outcome = outcome[:200]
    current.full_clean()
    current.save(update_fields=["ended_on", "outcome"])
    _audit(
        user=user,
        obj=current,
        child=child,
        action=AuditEntry.Action.UPDATE,
        description=f"Ended Crown Court tracking on {ended_on:%d/%m/%Y}: {current.outcome}",
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.COURT,
        occurred_on=ended_on,
        summary=f"Crown Court tracking ended: {current.outcome}",
        source=f"crown_court:{current.pk}",
    )
    # event_create queued child_obligations_refresh_on_commit: the new facts count once committed.
    return current


# ---------------------------------------------------------------------------------------------------
# Magistrates' Court tracking (003 §10, App. C)


def _check_court_manager(user: User, child: Child) -> None:
    """003 §10.1: the Court lead TM/AP (or the service manager) keeps the list, for children they see."""
    if not selectors.is_court_manager(user):
        raise ValidationError(
            "Only a team manager or advanced practitioner can keep the Magistrates' Court tracking list."
        )
    if not children_for_user(user=user).filter(pk=child.pk).exists():
        raise ValidationError("You cannot add this child.")


@transaction.atomic
def awaiting_hearing_add(
    *,
    user: User,
    child: Child,
    hearing_on: datetime.date,
    offence: str,
    listed_on: datetime.date,
    court: str = "Nottingham Magistrates' Court",
) -> AwaitingHearing:
    """Put a child awaiting a Magistrates' Court hearing on the court lead's list (003 §10.1; App. C
    from the 'Future Court' report)."""
    _check_court_manager(user, child)
    if listed_on > timezone.localdate():
        raise ValidationError("The date added to the list must be today or in the past.")
    if hearing_on < listed_on:
        raise ValidationError("The hearing must be on or after the date the child was added to the list.")
    if AwaitingHearing.objects.filter(
        child=child,
        hearing_on=hearing_on,
        decision__in=[AwaitingHearing.Decision.PENDING, AwaitingHearing.Decision.OFFER],
    ).exists():
        raise ValidationError(
            f"{child.full_name} is already on the list for the hearing on {hearing_on:%-d %B %Y}."
        )
    hearing = AwaitingHearing(
        child=child,
        hearing_on=hearing_on,
        court=(court or "").strip() or "Nottingham Magistrates' Court",
        offence=(offence or "").strip(),
        listed_on=listed_on,
        created_by=user,
    )
    # The App. C answers are unknown until screened (null); the model's fields lack blank=True.
    hearing.full_clean(exclude=list(APP_C_FIELDS))
    hearing.save()
    _audit(
        user=user,
        obj=hearing,
        child=child,
        action=AuditEntry.Action.CREATE,
        description=f"Added to the Magistrates' Court tracking list: hearing on {hearing_on:%d/%m/%Y}",
    )
    return hearing


def _locked_hearing(hearing: AwaitingHearing) -> AwaitingHearing:
    """The entry locked for this transaction, so two managers cannot decide it at once."""
    return (
        AwaitingHearing.objects.select_for_update(of=("self",))
        .select_related("child", "programme")
        .get(pk=hearing.pk)
    )


SCREENABLE = (
    AwaitingHearing.Decision.PENDING,
    AwaitingHearing.Decision.OFFER,
    AwaitingHearing.Decision.NO_OFFER,
)


@transaction.atomic
def awaiting_hearing_screen(
    *,
    hearing: AwaitingHearing,
    user: User,
    adjournment_over_six_weeks: bool,
    risk_to_others: bool,
    no_other_agencies: bool,
    decision: str,
    circumstances: str = "",
    decision_notes: str = "",
) -> AwaitingHearing:
    """Screen a child awaiting a hearing with the App. C questions and decide whether to offer My
    Futures (003 §10.1-§10.2). The questions are indicators: a decision against App. C's suggestion
    needs a note. May be screened again until the child answers the offer."""
    current = _locked_hearing(hearing)
    child = current.child
    _check_court_manager(user, child)
    if current.decision not in SCREENABLE:
        raise ValidationError("The child has answered the offer: the screening can no longer change.")
    answers = (adjournment_over_six_weeks, risk_to_others, no_other_agencies)
    if any(a is None for a in answers):
        raise ValidationError("Answer all three App. C questions.")
    if decision not in (AwaitingHearing.Decision.OFFER, AwaitingHearing.Decision.NO_OFFER):
        raise ValidationError("Choose whether to offer My Futures.")
    decision_notes = (decision_notes or "").strip()
    suggests = selectors.app_c_suggests_offer(
        adjournment=adjournment_over_six_weeks, risk=risk_to_others, no_agencies=no_other_agencies
    )
    if (decision == AwaitingHearing.Decision.OFFER) != suggests and not decision_notes:
        word = "an offer" if suggests else "no offer"
        raise ValidationError(
            f"The App. C answers suggest {word}: enter a note explaining your decision (003 §10.2)."
        )
    current.adjournment_over_six_weeks = adjournment_over_six_weeks
    current.risk_to_others = risk_to_others
    current.no_other_agencies = no_other_agencies
    current.circumstances = (circumstances or "").strip()
    current.decision = decision
    current.decision_notes = decision_notes
    current.screened_by = user
    current.screened_on = timezone.localdate()
    current.full_clean()
    current.save()
    label = current.get_decision_display()
    _audit(
        user=user,
        obj=current,
        child=child,
        action=AuditEntry.Action.UPDATE,
        description=f"Screened for Magistrates' Court tracking (App. C): {label}",
    )

    def yes_no(value: bool) -> str:
        return "Yes" if value else "No"

    details = [
        f"Hearing: {current.hearing_on:%-d %B %Y} at {current.court} ({current.offence})",
        f"Adjournment of more than six weeks: {yes_no(adjournment_over_six_weeks)}",
        f"Offence indicates a risk to others: {yes_no(risk_to_others)}",
        f"No other agencies involved: {yes_no(no_other_agencies)}",
    ]
    if current.circumstances:
        details.append(f"Circumstances (003 §10.2): {current.circumstances}")
    if decision_notes:
        details.append(f"Note: {decision_notes}")
    event_create(
        child=child,
        author=user,
        event_type=EventType.COURT,
        occurred_on=current.screened_on,
        summary=f"Magistrates' Court tracking screening: {label}",
        details="\n".join(details),
        source=f"awaiting_hearing:{current.pk}",
    )
    return current


@transaction.atomic
def awaiting_hearing_respond(
    *, hearing: AwaitingHearing, user: User, accepted: bool, responded_on: datetime.date, notes: str = ""
) -> AwaitingHearing:
    """Record the child's answer to the My Futures offer; an acceptance starts the `my_future` programme
    on that day (003 §10.3), for the case manager to be allocated from the Allocation tab."""
    current = _locked_hearing(hearing)
    child = current.child
    _check_court_manager(user, child)
    if current.decision != AwaitingHearing.Decision.OFFER:
        raise ValidationError("Record an answer only once My Futures has been offered.")
    if responded_on > timezone.localdate():
        raise ValidationError("The date of the answer must be today or in the past.")
    if current.screened_on and responded_on < current.screened_on:
        raise ValidationError(
            f"The date of the answer must be on or after the screening, {current.screened_on:%-d %B %Y}."
        )
    notes = (notes or "").strip()
    word = "Accepted" if accepted else "Declined"
    line = f"{word} on {responded_on:%d/%m/%Y}" + (f": {notes}" if notes else "")
    current.decision_notes = "\n".join(filter(None, [current.decision_notes, line]))
    if accepted:
        if child.programmes.filter(kind=Programme.Kind.MY_FUTURE, end_date__isnull=True).exists():
            raise ValidationError(f"{child.full_name} already has an open My Future programme.")
        current.programme = programme_create(
            child=child, user=user, kind=Programme.Kind.MY_FUTURE, start_date=responded_on
        )
        current.decision = AwaitingHearing.Decision.ACCEPTED
    else:
        current.decision = AwaitingHearing.Decision.DECLINED
    current.full_clean()
    current.save(update_fields=["decision", "decision_notes", "programme"])
    _audit(
        user=user,
        obj=current,
        child=child,
        action=AuditEntry.Action.UPDATE,
        description=f"My Futures offer {word.lower()} on {responded_on:%d/%m/%Y}",
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.COURT,
        occurred_on=responded_on,
        summary=f"My Futures offer {word.lower()} (Magistrates' Court tracking)"
        + (": allocate a case manager" if accepted else ""),
        details=notes,
        source=f"awaiting_hearing:{current.pk}",
    )
    return current
