"""Writes for a child's MAPPA record (001 §8): eligibility by category, Form H sent to the MAPPA
Co-ordination Unit, the management level with its history, and the end of MAPPA management.

Each change states (or stops stating) facts (mappa/facts.py), so each is audited, put on the child's
timeline as a management entry (with a `source`: the record's facts count, not the event's), and the
child's obligations are recomputed on commit (mappa.form_h, mappa.meeting, mappa.minutes).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, EventType, User
from cases.services.core import child_obligations_refresh_on_commit, event_create, work_waiting_on_commit
from core.audit import audit_record
from core.models import AuditEntry

from ..models import (
    CATEGORY_2_CUSTODY_MONTHS,
    CRITERION_CATEGORY,
    CUSTODY_CRITERIA,
    Criterion,
    Level,
    MappaLevel,
    MappaRecord,
)
from ..selectors.records import can_manage_mappa
from .checks import not_future

INITIAL_REASON = "Initial level when identified as eligible for MAPPA"


def _check_manager(*, user: User, child: Child) -> None:
    """Only a TM or AP of the child's team (or the service manager) keeps the MAPPA record (001 §8)."""
    if not can_manage_mappa(user=user, child=child):
        raise ValidationError("Only a team manager or advanced practitioner of the child's team can do this.")


def _locked_open(record: MappaRecord) -> MappaRecord:
    """The record, locked for the change, while it is still managed under MAPPA."""
    current = MappaRecord.objects.select_for_update().select_related("child").get(pk=record.pk)
    if not current.is_open:
        raise ValidationError("This MAPPA record has ended: record a new one if the child is eligible again.")
    return current


def _source(record: MappaRecord) -> str:
    """The timeline events' source: the record states the facts (cases.services.core.event_create)."""
    return f"mappa:{record.pk}"


def category_for(criterion: str) -> int:
    """The MAPPA category the criterion of 001 §8 belongs to."""
    try:
        return int(CRITERION_CATEGORY[Criterion(criterion)])
    except (KeyError, ValueError):
        raise ValidationError("Choose the MAPPA eligibility criterion") from None


def custody_error(criterion: str, custody_months: int | None) -> str | None:
    """001 §8 category 2 (a Schedule 15 offence, or a transfer to hospital under s.47/49) needs a sentence
    of 12 months or more custody: an inconsistent category is refused with what would fit instead. The
    hospital order criterion (s.37) needs no custodial sentence."""
    if criterion not in CUSTODY_CRITERIA:
        return None
    label = Criterion(criterion).label
    if custody_months is None:
        return (
            f"Enter the length of the custodial sentence: category 2 ({label}) needs "
            f"{CATEGORY_2_CUSTODY_MONTHS} months or more custody (001 §8)"
        )
    if custody_months < CATEGORY_2_CUSTODY_MONTHS:
        return (
            f"Category 2 needs a sentence of {CATEGORY_2_CUSTODY_MONTHS} months or more custody (001 §8): "
            f"{custody_months} month{'s' if custody_months != 1 else ''} does not qualify. Choose the "
            "criterion the child meets: category 3 if the offence shows they are capable of serious harm "
            "and needs multi-agency management"
        )
    return None


@transaction.atomic
def mappa_record_create(
    *,
    child: Child,
    user: User,
    criterion: str,
    offence: str,
    identified_on: datetime.date,
    level: int,
    notes: str = "",
    custody_months: int | None = None,
    today: datetime.date | None = None,
) -> MappaRecord:
    """Record a child as eligible for MAPPA (001 §8): the criterion decides the category (category 2's
    custody criteria need 12 months or more custody); the first level starts the level history; Form H is
    outstanding from now until it is recorded as sent. One open record per child."""
    today = today or timezone.localdate()
    _check_manager(user=user, child=child)
    not_future(identified_on, "Date identified as eligible", today)
    if level not in Level.values:
        raise ValidationError("Choose the MAPPA management level")
    category = category_for(criterion)
    if message := custody_error(criterion, custody_months):
        raise ValidationError({"custody_months": message})
    Child.objects.select_for_update().filter(pk=child.pk).first()  # one open record per child, even racing
    if MappaRecord.objects.filter(child=child, ended_on__isnull=True).exists():
        raise ValidationError(
            "This child already has an open MAPPA record: change its level, or end it first."
        )
    record = MappaRecord(
        child=child,
        category=category,
        criterion=criterion,
        offence=offence.strip(),
        custody_months=custody_months if criterion in CUSTODY_CRITERIA else None,
        identified_on=identified_on,
        current_level=level,
        notes=notes.strip(),
        recorded_by=user,
    )
    record.full_clean()
    record.save()
    first = MappaLevel(record=record, level=level, set_on=identified_on, reason=INITIAL_REASON, set_by=user)
    first.full_clean()
    first.save()
    event_create(
        child=child,
        author=user,
        event_type=EventType.MANAGEMENT_ENTRY,
        occurred_on=identified_on,
        summary=f"MAPPA eligible: category {record.category}, level {level}",
        details=f"{record.get_criterion_display()}."
        + (f" Custodial sentence: {record.custody_months} months." if record.custody_months else "")
        + (f" Index offence: {record.offence}." if record.offence else "")
        + " Form H to be sent to the MAPPA Co-ordination Unit (001 §8).",
        source=_source(record),
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=record,
        child=child,
        description=f"Recorded MAPPA eligibility: category {record.category}, level {level}",
    )
    child_obligations_refresh_on_commit(child=child)
    # Form H is waiting on the child's team managers from now (001 §8): My work and a notification.
    work_waiting_on_commit(child=child)
    return record


@transaction.atomic
def mappa_form_h_record(
    *, record: MappaRecord, user: User, sent_on: datetime.date, today: datetime.date | None = None
) -> MappaRecord:
    """Record the date Form H was sent to the MAPPA Co-ordination Unit (001 §8): meets mappa.form_h.
    Recording it again corrects the date (audited as a change)."""
    today = today or timezone.localdate()
    current = _locked_open(record)
    _check_manager(user=user, child=current.child)
    not_future(sent_on, "Date Form H was sent", today)
    if sent_on < current.identified_on:
        raise ValidationError(
            f"Date Form H was sent must be on or after the date identified as eligible "
            f"({current.identified_on:%-d %B %Y})"
        )
    previous = current.form_h_sent_on
    current.form_h_sent_on = sent_on
    current.form_h_sent_by = user
    current.full_clean()
    current.save(update_fields=["form_h_sent_on", "form_h_sent_by"])
    event_create(
        child=current.child,
        author=user,
        event_type=EventType.MANAGEMENT_ENTRY,
        occurred_on=sent_on,
        summary="MAPPA Form H sent to the MAPPA Co-ordination Unit"
        + (" (date corrected)" if previous else ""),
        details=f"Initial Notification of MAPPA Eligible Offender (Form H), category {current.category}."
        + (f" Previously recorded as sent on {previous:%-d %B %Y}." if previous else ""),
        source=_source(current),
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE if previous else AuditEntry.Action.CREATE,
        obj=current,
        child=current.child,
        description=f"Recorded Form H sent on {sent_on:%d/%m/%Y}"
        + (f" (was {previous:%d/%m/%Y})" if previous else ""),
    )
    child_obligations_refresh_on_commit(child=current.child)
    work_waiting_on_commit(child=current.child)
    return current


@transaction.atomic
def mappa_level_set(
    *,
    record: MappaRecord,
    user: User,
    level: int,
    set_on: datetime.date,
    reason: str,
    today: datetime.date | None = None,
) -> MappaLevel:
    """Change the MAPPA management level, kept as history (001 §8: "the lowest defensible level");
    level 1 starts the level 1 meetings on the CMM timescales (mappa.meeting)."""
    today = today or timezone.localdate()
    current = _locked_open(record)
    _check_manager(user=user, child=current.child)
    not_future(set_on, "Date of the level", today)
    if level not in Level.values:
        raise ValidationError("Choose the MAPPA management level")
    if not reason.strip():
        raise ValidationError("Enter the reason for the level")
    latest = current.levels.order_by("-set_on", "-pk").first()
    if latest is not None and latest.level == level:
        raise ValidationError(f"The child is already managed at level {level}")
    if latest is not None and set_on < latest.set_on:
        raise ValidationError(
            f"Date of the level must be on or after the date of the current level ({latest.set_on:%-d %B %Y})"
        )
    if set_on < current.identified_on:
        raise ValidationError(
            f"Date of the level must be on or after the date identified as eligible "
            f"({current.identified_on:%-d %B %Y})"
        )
    entry = MappaLevel(record=current, level=level, set_on=set_on, reason=reason.strip(), set_by=user)
    entry.full_clean()
    entry.save()
    current.current_level = level
    current.save(update_fields=["current_level"])
    was = f" (was level {latest.level})" if latest is not None else ""
    event_create(
        child=current.child,
        author=user,
        event_type=EventType.MANAGEMENT_ENTRY,
        occurred_on=set_on,
        summary=f"MAPPA level {level}{was}",
        details=reason.strip(),
        source=_source(current),
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=current.child,
        description=f"Set MAPPA level {level} from {set_on:%d/%m/%Y}{was}",
    )
    child_obligations_refresh_on_commit(child=current.child)
    return entry


@transaction.atomic
def mappa_record_end(
    *,
    record: MappaRecord,
    user: User,
    ended_on: datetime.date,
    reason: str,
    today: datetime.date | None = None,
) -> MappaRecord:
    """End MAPPA management: the record stays as history but states no facts (mappa/facts.py), so its
    Form H and level 1 meetings are no longer due."""
    today = today or timezone.localdate()
    current = _locked_open(record)
    _check_manager(user=user, child=current.child)
    not_future(ended_on, "Date MAPPA management ended", today)
    if ended_on < current.identified_on:
        raise ValidationError(
            f"Date MAPPA management ended must be on or after the date identified as eligible "
            f"({current.identified_on:%-d %B %Y})"
        )
    if not reason.strip():
        raise ValidationError("Enter why the child is no longer managed under MAPPA")
    current.ended_on = ended_on
    current.end_reason = reason.strip()[:200]
    current.full_clean()
    current.save(update_fields=["ended_on", "end_reason"])
    event_create(
        child=current.child,
        author=user,
        event_type=EventType.MANAGEMENT_ENTRY,
        occurred_on=ended_on,
        summary="No longer managed under MAPPA",
        details=current.end_reason,
        source=_source(current),
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=current.child,
        description=f"Ended MAPPA management on {ended_on:%d/%m/%Y}",
    )
    child_obligations_refresh_on_commit(child=current.child)
    return current
