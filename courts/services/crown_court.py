"""Writes for Crown Court tracking (003 §9).

The screening decides the band of case manager (§9.2), the tracking starts a `crown_court_tracking`
programme from the first appearance (§9.6), whose facts place the timescales (allocation within 48
hours, contact within 5 days, monthly contact, face to face every 3 months); management oversight decides
trial attendance and welfare support (§9.5); ending closes the programme.

Every write is audited against the child and writes a Court event on the timeline; anything that
states facts queues the child's obligations to be recomputed on commit (event_create does).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, EventType, Programme, RiskLevel, User
from cases.services.core import event_create
from cases.services.programmes import programme_close, programme_create
from core.audit import audit_record
from core.models import AuditEntry
from core.services import locked

from ..models import Band, CrownCourtTracking, Seriousness
from ..selectors import tracking as selectors

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
DEFAULT_COURT = "Nottingham Crown Court"


def _level(value: str, noun: str) -> str:
    """A RoSH or SaW level, or blank for not yet assessed."""
    value = value or ""
    if value and value not in RiskLevel.values:
        raise ValidationError(f"Choose the {noun} from the list.")
    return value


def _locked_tracking(tracking: CrownCourtTracking) -> CrownCourtTracking:
    """The tracking row locked for this transaction, so two people cannot end it at once."""
    return locked(tracking, "child", "programme")


def _check_open(tracking: CrownCourtTracking) -> None:
    """Refuse a change once the tracking has ended."""
    if not tracking.is_open:
        raise ValidationError("This Crown Court tracking has ended and can no longer change.")


def _first_day(tracking: CrownCourtTracking) -> datetime.date:
    """The local date of the first appearance: nothing about the tracking happens before it."""
    return timezone.localtime(tracking.first_appearance_at).date()


# ---------------------------------------------------------------------------------------------------
# Starting: the screening (003 §9.1-§9.2, §9.6)


def _check_may_start(*, child: Child, user: User, first_appearance_at: datetime.datetime) -> Child:
    """Who may start tracking, and for which child (003 §9.1, §9.6); the child's row, locked."""
    if not selectors.can_add_crown_court(user=user, child=child):
        raise ValidationError(
            "Only the team manager, advanced practitioner or business support of the child's team can "
            "start Crown Court tracking (003 §9.6)."
        )
    child = locked(child, "team")  # the lock first, then the team as it is now (core.services.locked)
    if selectors.has_open_bss(child):
        raise ValidationError(BSS_MESSAGE.format(name=child.full_name))
    if selectors.open_tracking_for(child) is not None:
        raise ValidationError(
            f"{child.full_name} is already on Crown Court tracking: end it before starting another."
        )
    if first_appearance_at > timezone.now():
        raise ValidationError("The first appearance must be in the past (record it once it has happened).")
    return child


def _check_band(
    *, child: Child, user: User, seriousness: str, band: str, rosh: str, saw: str, screening_notes: str
) -> str:
    """A band other than the screening's proposal needs a manager and a note (003 §9.2); returns the
    proposed band."""
    proposal = selectors.proposed_band(seriousness=seriousness, rosh=rosh, saw=saw)
    if band == proposal:
        return proposal
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
    return proposal


def _start_details(tracking: CrownCourtTracking, decision: str) -> str:
    """The timeline text of a started tracking: the first appearance, the offence and the screening."""
    when = timezone.localtime(tracking.first_appearance_at)
    rosh, saw = tracking.rosh, tracking.saw
    details = [
        f"First appearance: {when:%-d %B %Y, %H:%M} at {tracking.court}",
        f"Alleged offence: {tracking.offence} ({tracking.get_seriousness_display()})",
        f"RoSH at screening: {rosh.replace('_', ' ') or 'not assessed'}; SaW: {saw.replace('_', ' ') or 'not assessed'}",
        f"Screening decision: {decision}",
    ]
    if tracking.screening_notes:
        details.append(f"Note: {tracking.screening_notes}")
    if tracking.out_of_area_home_yjs:
        details.append(f"Home YJS (out of area, 003 §9.7): {tracking.out_of_area_home_yjs}")
    return "\n".join(details)


@transaction.atomic
def crown_court_start(
    *,
    child: Child,
    user: User,
    first_appearance_at: datetime.datetime,
    offence: str,
    seriousness: str,
    band: str,
    court: str = DEFAULT_COURT,
    rosh: str = "",
    saw: str = "",
    screening_notes: str = "",
    out_of_area_home_yjs: str = "",
) -> CrownCourtTracking:
    """Start Crown Court tracking for a child committed to the Crown Court (003 §9.1-§9.6).

    The screening proposes Band B for high seriousness or High/Very High RoSH or SaW (§9.2); a manager
    may choose the other band with a note. Refused for a child on bail supervision and support (§9.1)
    or already tracked. Starts the `crown_court_tracking` programme on the first appearance date."""
    child = _check_may_start(child=child, user=user, first_appearance_at=first_appearance_at)
    if seriousness not in Seriousness.values:
        raise ValidationError("Choose the seriousness of the alleged offence.")
    if band not in Band.values:
        raise ValidationError("Choose the screening decision: Band A or Band B.")
    rosh, saw = _level(rosh, "RoSH"), _level(saw, "SaW")
    screening_notes = (screening_notes or "").strip()
    proposal = _check_band(
        child=child,
        user=user,
        seriousness=seriousness,
        band=band,
        rosh=rosh,
        saw=saw,
        screening_notes=screening_notes,
    )
    tracking = CrownCourtTracking(
        child=child,
        first_appearance_at=first_appearance_at,
        court=(court or "").strip() or DEFAULT_COURT,
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
    first_day = _first_day(tracking)
    programme = programme_create(
        child=child, user=user, kind=Programme.Kind.CROWN_COURT_TRACKING, start_date=first_day
    )
    # The programme's facts read the first appearance from this row (cases/facts.py gives `at`).
    tracking.programme = programme
    tracking.save()
    decision = Band(band).label + (
        "" if band == proposal else f" (screening proposed {Band(proposal).label})"
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=tracking,
        child=child,
        description=f"Started Crown Court tracking: first appearance {first_day:%d/%m/%Y}, {decision}",
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.COURT,
        occurred_on=first_day,
        summary=f"Crown Court tracking started: {Band(band).label} to be allocated within 48 hours",
        details=_start_details(tracking, decision),
        source=f"crown_court:{tracking.pk}",
    )
    # event_create queued child_obligations_refresh_on_commit: the new facts count once committed.
    return tracking


# ---------------------------------------------------------------------------------------------------
# While it runs: progress and management oversight (003 §9, §9.5, §9.7)


def _progress_changes(before: tuple, current: CrownCourtTracking) -> list[str]:
    """What a progress update changed, in words for the audit log."""
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
    return changes


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
    if set(principles) - set(PRINCIPLE_CODES):
        raise ValidationError("Choose the case tracking principles from the list.")
    if next_hearing_on is not None and next_hearing_on < _first_day(current):
        raise ValidationError("The next hearing must be on or after the first appearance.")
    before = (current.next_hearing_on, list(current.principles), current.out_of_area_home_yjs)
    current.next_hearing_on = next_hearing_on
    current.principles = [code for code in PRINCIPLE_CODES if code in set(principles)]
    current.out_of_area_home_yjs = (out_of_area_home_yjs or "").strip()
    current.full_clean()
    current.save(update_fields=["next_hearing_on", "principles", "out_of_area_home_yjs"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=child,
        description="Updated Crown Court tracking: "
        + ("; ".join(_progress_changes(before, current)) or "no change"),
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
    if oversight_on < _first_day(current):
        raise ValidationError("The date of the decision must be on or after the first appearance.")
    current.trial_attendance = text
    current.oversight_by = user
    current.oversight_on = oversight_on
    current.full_clean()
    current.save(update_fields=["trial_attendance", "oversight_by", "oversight_on"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=child,
        description=f"Recorded the Crown Court management oversight decision of {oversight_on:%d/%m/%Y}",
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.COURT,
        occurred_on=oversight_on,
        summary="Crown Court tracking: management oversight of trial attendance and welfare support",
        # User's str is their full name, or their username without one.
        details=f"Decision by {user} (003 §9.5):\n{text}",
        source=f"crown_court:{current.pk}",
    )
    return current


# ---------------------------------------------------------------------------------------------------
# Ending: the outcome at the Crown Court


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
    if ended_on < _first_day(current):
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
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=child,
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
