"""Writes for the KPI facts (issue 21): a child's accommodation, ETE, SEND, health screenings, wider
services, offences and victims, and the management board's meetings.

Each write is all-or-nothing: the record is validated (`full_clean` and the checks below), saved, audited,
put on the child's timeline (an event whose source names the record, "outcome:<kind>:<pk>", so the record's
own facts count and the event adds none), and the child's snapshots are refreshed in the same transaction;
the timeline event queues the child's obligations to be recomputed as it commits (cases/services/core.py),
so a snapshot completed by this record meets its obligation at once. Records are corrected in place, their
earlier versions kept (simple-history), and never deleted by a practitioner.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models, transaction

from cases.models import Child, EventType
from cases.services import event_create
from core.audit import audit_record
from core.models import AuditEntry

from .kinds import KINDS, RecordKind, kind_for
from .models import BoardAttendance, BoardMeeting, Education, HealthNeed, Offence, SpecialNeed, VictimContact
from .snapshots import child_snapshots_refresh

ACADEMIC_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
# Kinds whose records a snapshot reads (offences and victims are counted by the KPI figures directly).
SNAPSHOT_KINDS = {"accommodation", "ete", "send", "health", "wider-services"}
# Fields a form may not set: who the record is about and who recorded it.
PROTECTED = {"id", "child", "child_id", "recorded_by", "recorded_by_id", "created_at"}


def _check_common(record: models.Model, kind: RecordKind, child: Child) -> dict[str, str]:
    """The checks every kind shares: dates in order and not before the child was born."""
    errors: dict[str, str] = {}
    day = getattr(record, kind.date_field)
    if day and day < child.date_of_birth:
        errors[kind.date_field] = "The date must be on or after the child's date of birth"
    to_date = getattr(record, "to_date", None)
    if kind.dated and day and to_date and to_date < day:
        errors["to_date"] = "The date it ended must be on or after the date it started"
    for name in ("programme", "offence"):
        linked = getattr(record, f"{name}_id", None)
        if linked is not None and getattr(record, name).child_id != child.pk:
            errors[name] = f"Choose one of this child's {name}s"
    return errors


def _check_kind(record: models.Model) -> dict[str, str]:
    """The checks of one kind of record (what a form cannot say on one field alone)."""
    errors: dict[str, str] = {}
    if isinstance(record, Education):
        offered, attended = record.hours_offered, record.hours_attended
        if offered is not None and attended is not None and attended > offered:
            errors["hours_attended"] = "Hours attended must not be more than the hours offered"
        if attended is not None and offered is None:
            errors["hours_offered"] = "Enter the hours offered a week, as well as the hours attended"
    elif isinstance(record, SpecialNeed):
        match = ACADEMIC_YEAR.match(record.plan_academic_year or "")
        if record.plan_academic_year and (
            not match or (int(match.group(1)) + 1) % 100 != int(match.group(2))
        ):
            errors["plan_academic_year"] = "Enter the academic year like 2026/27"
        if not record.identified and record.plan != SpecialNeed.Plan.NONE:
            errors["plan"] = "A child with no special educational need identified has no learning plan"
        if record.plan not in ("", SpecialNeed.Plan.NONE) and not record.plan_academic_year:
            errors["plan_academic_year"] = "Enter the academic year the plan is for, like 2026/27"
    elif isinstance(record, HealthNeed):
        if record.offered_on and record.offered_on < record.from_date:
            errors["offered_on"] = "The date it was planned or offered must be on or after the screening"
        if not record.need_identified and (record.intervention or record.offered_on or record.attending):
            errors["need_identified"] = (
                "An intervention is planned or offered only where the screening found a need"
            )
        if record.attending is not None and not (record.intervention or record.offered_on):
            errors["attending"] = "Enter the intervention planned or offered before whether the child attends"
    elif isinstance(record, Offence):
        if record.proven_on and record.proven_on < record.committed_on:
            errors["proven_on"] = "The date it was proven must be on or after the date of the offence"
    elif isinstance(record, VictimContact):
        if record.rj_taken_part and not record.rj_offered:
            errors["rj_taken_part"] = "A victim takes part in restorative justice only once it is offered"
        if record.consented is False and (record.views_sought or record.rj_offered):
            errors["consented"] = "A victim who did not consent to contact was not asked or offered anything"
    return errors


def _validate(record: models.Model, kind: RecordKind, child: Child) -> None:
    """Every check, all errors at once (the model's own, then the kind's), by field."""
    errors: dict[str, list] = {}
    try:
        record.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for field, message in {**_check_common(record, kind, child), **_check_kind(record)}.items():
        errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)


def _apply(record: models.Model, values: dict) -> None:
    """Set the given fields on the record; a field the form may not set is refused."""
    names = {f.name for f in record._meta.concrete_fields} | {f.attname for f in record._meta.concrete_fields}
    for name, value in values.items():
        if name in PROTECTED or name not in names:
            raise ValueError(f"{name} cannot be set here")
        setattr(record, name, value)


def _after_write(*, record: models.Model, kind: RecordKind, child: Child, user, corrected: bool) -> None:
    """What every write does after the save: the timeline entry and the child's snapshots."""
    summary = kind.summary(record)
    event_create(
        child=child,
        author=user,
        event_type=EventType.CIRCUMSTANCES,
        occurred_on=getattr(record, kind.date_field),
        summary=f"{summary} (corrected)" if corrected else summary,
        details=getattr(record, "notes", ""),
        source=f"outcome:{kind.slug}:{record.pk}",
    )
    # event_create queues child_obligations_refresh_on_commit: a snapshot completed here meets its
    # obligation once committed.
    if kind.slug in SNAPSHOT_KINDS:
        child_snapshots_refresh(child_id=child.pk)


@transaction.atomic
def record_create(*, kind: str, child: Child, user, values: dict) -> models.Model:
    """Record one KPI fact of `kind` (a key of outcomes.kinds.KINDS) about the child.

    Raises ValidationError (by field) for a record the model or the checks refuse, ValueError for a field
    that cannot be set this way."""
    spec = KINDS[kind]
    record = spec.model(child=child, recorded_by=user)
    _apply(record, values)
    _validate(record, spec, child)
    record.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=record,
        child=child,
        description=f"Recorded {spec.label}: {spec.summary(record)}",
    )
    _after_write(record=record, kind=spec, child=child, user=user, corrected=False)
    return record


@transaction.atomic
def record_correct(*, record: models.Model, user, values: dict) -> models.Model:
    """Correct a KPI fact in place (its earlier version kept in its history); the child is the record's."""
    spec = kind_for(record)
    current = spec.model.objects.select_for_update().select_related("child").get(pk=record.pk)
    child = current.child
    _apply(current, values)
    _validate(current, spec, child)
    current.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=child,
        description=f"Corrected {spec.label}: {spec.summary(current)}",
    )
    _after_write(record=current, kind=spec, child=child, user=user, corrected=True)
    return current


# ---------------------------------------------------------------------------------------------------
# The management board (KPI 7)

PARTNERS = [value for value, _ in BoardAttendance.Partner.choices]


def _board_attendance(*, meeting: BoardMeeting, attendance: dict[str, dict]) -> None:
    """Each statutory partner's attendance, replacing what was recorded (one row per partner)."""
    missing = [p for p in PARTNERS if p not in attendance]
    if missing:
        raise ValidationError({"attendance": f"Record the attendance of every partner: {', '.join(missing)}"})
    existing = {row.partner: row for row in meeting.attendance.all()}
    errors: dict[str, list] = {}
    rows = []
    for partner in PARTNERS:
        given = attendance[partner]
        row = existing.get(partner) or BoardAttendance(meeting=meeting, partner=partner)
        row.attended = bool(given.get("attended"))
        # Seniority and data apply to a partner who attended; one who did not brought neither.
        row.senior = row.attended and bool(given.get("senior"))
        row.contributed_data = row.attended and bool(given.get("contributed_data"))
        try:
            row.full_clean(validate_unique=False)
        except ValidationError as exc:
            errors.setdefault(partner, []).extend(exc.messages)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    for row in rows:
        row.save()


@transaction.atomic
def board_meeting_record(
    *, user, held_on: datetime.date, attendance: dict[str, dict], notes: str = ""
) -> BoardMeeting:
    """Record a management board meeting and each statutory partner's attendance (KPI 7).

    Raises ValidationError for a second meeting on the same day or a partner left out."""
    meeting = BoardMeeting(held_on=held_on, notes=notes, recorded_by=user)
    meeting.full_clean()
    meeting.save()
    _board_attendance(meeting=meeting, attendance=attendance)
    attended = sum(1 for p in PARTNERS if attendance[p].get("attended"))
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=meeting,
        description=f"Recorded the management board of {held_on:%d/%m/%Y}: {attended} of {len(PARTNERS)} partners",
    )
    return meeting


@transaction.atomic
def board_meeting_correct(
    *, meeting: BoardMeeting, user, held_on: datetime.date, attendance: dict[str, dict], notes: str = ""
) -> BoardMeeting:
    """Correct a board meeting's date, notes or attendance (earlier versions kept in its history)."""
    current = BoardMeeting.objects.select_for_update().get(pk=meeting.pk)
    current.held_on, current.notes = held_on, notes
    current.full_clean()
    current.save()
    _board_attendance(meeting=current, attendance=attendance)
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        description=f"Corrected the management board of {held_on:%d/%m/%Y}",
    )
    return current
