"""Writes for programmes and orders: starting and closing one (001 §6 timescales table).

A programme's dates drive the child's timescales (timescales.md, "Programmes"), so every change writes a
timeline event, is audited, and queues the child's obligations to be recomputed on commit.
"""

import datetime

from django.db import transaction

from core.audit import audit_record
from core.models import AuditEntry

from ..models import Child, EventType, Programme
from ..signals import programme_closing
from .core import event_create

K = Programme.Kind

# The kind-specific fields each programme takes (timescales.md, "Programmes"); any other is cleared.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    K.PSR: ("court_date",),
    K.REFERRAL_ORDER: ("length_months", "panel_date", "custody_threshold"),
    K.YRO: ("length_months", "iss"),
    K.DTO_CUSTODY: ("length_months", "custody_months", "release_date"),
    # Programmes with a set length the worker may record; it places no timescale of its own.
    K.MY_FUTURE: ("length_months",),
    K.OOCD_INTERVENTION: ("length_months",),
    K.OOCD_YCC: ("length_months",),
    K.BAIL_SUPERVISION_SUPPORT: ("length_months", "assessed_for_court"),
    K.DTO_LICENCE: ("length_months",),
    K.SPECIFIC_INTERVENTION: ("length_months",),
    K.PARENTING_ORDER: ("length_months",),
}

# Statutory orders whose length decides conditions (cmm.risk_review: "more than three months", 001 §6.2).
LENGTH_REQUIRED = {K.REFERRAL_ORDER, K.YRO, K.DTO_CUSTODY}

# What `start_date` means for each programme (001 §6 table; timescales.md, "Programmes").
START_MEANS: dict[str, str] = {
    K.PSR: "the date the report was requested",
    K.MY_FUTURE: "the date the case was allocated",
    K.OOCD_NO_INTERVENTION: "the date of the out of court disposal panel",
    K.OOCD_INTERVENTION: "the date of the out of court disposal panel",
    K.OOCD_YCC: "the date of the out of court disposal panel",
    K.REFERRAL_ORDER: "the date of sentence",
    K.YRO: "the date of sentence",
    K.BAIL_SUPERVISION_SUPPORT: "the day the court imposed it",
    K.REMAND: "the date of remand",
    K.DTO_CUSTODY: "the date of sentence",
    K.DTO_LICENCE: "the date of release from custody",
    K.CROWN_COURT_TRACKING: "the date of first appearance",
    K.SPECIFIC_INTERVENTION: "the date the case was allocated",
    K.PARENTING_ORDER: "the date the order was made",
}

OPTIONAL_FIELDS = ("length_months", "court_date", "panel_date", "custody_months", "release_date")
FLAG_FIELDS = ("custody_threshold", "iss", "assessed_for_court")


def programme_clean_fields(*, kind: str, values: dict) -> dict:
    """The kind-specific values kept for this kind; the ones that do not apply are cleared (None/False)."""
    applies = KIND_FIELDS.get(kind, ())
    cleaned = {}
    for name in OPTIONAL_FIELDS:
        cleaned[name] = values.get(name) if name in applies else None
    for name in FLAG_FIELDS:
        cleaned[name] = bool(values.get(name)) if name in applies else False
    return cleaned


def _programme_summary(programme: Programme) -> str:
    """A one-line description for the timeline: the kind and its key facts."""
    parts = [programme.get_kind_display()]
    if programme.length_months:
        parts.append(f"{programme.length_months} months")
    if programme.iss:
        parts.append("with ISS")
    if programme.custody_threshold:
        parts.append("at custody threshold")
    if programme.assessed_for_court:
        parts.append("AssetPlus done for court")
    if programme.court_date:
        parts.append(f"court date {programme.court_date:%-d %b %Y}")
    return ", ".join(parts)


@transaction.atomic
def programme_create(
    *,
    child: Child,
    user,
    kind: str,
    start_date: datetime.date,
    length_months: int | None = None,
    court_date: datetime.date | None = None,
    panel_date: datetime.date | None = None,
    custody_threshold: bool = False,
    iss: bool = False,
    assessed_for_court: bool = False,
    custody_months: int | None = None,
    release_date: datetime.date | None = None,
) -> Programme:
    """Start a programme for a child; fields that do not apply to its kind are cleared, not saved."""
    fields = programme_clean_fields(
        kind=kind,
        values={
            "length_months": length_months,
            "court_date": court_date,
            "panel_date": panel_date,
            "custody_threshold": custody_threshold,
            "iss": iss,
            "assessed_for_court": assessed_for_court,
            "custody_months": custody_months,
            "release_date": release_date,
        },
    )
    programme = Programme(child=child, kind=kind, start_date=start_date, created_by=user, **fields)
    programme.full_clean()
    programme.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=programme,
        child=child,
        description=f"Started programme: {_programme_summary(programme)} from {start_date:%d/%m/%Y}",
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.PROGRAMME,
        occurred_on=start_date,
        summary=f"Programme started: {_programme_summary(programme)}",
        source=f"programme:{programme.pk}",
    )
    # event_create queues child_obligations_refresh_on_commit: the new facts count once committed.
    return programme


@transaction.atomic
def programme_close(
    *,
    programme: Programme,
    user,
    end_date: datetime.date,
    closure_reason: str,
    closure_notes: str = "",
) -> Programme:
    """Close an open programme: its recurring timescales stop at the end date (timescales.md, "Recurring").

    Raises ValueError if it is already closed or the end date is before the start.
    """
    # Lock the row so two people closing at once cannot both close it.
    current = Programme.objects.select_for_update().select_related("child").get(pk=programme.pk)
    if current.end_date is not None:
        raise ValueError("This programme has already been closed")
    if end_date < current.start_date:
        raise ValueError("End date must be on or after the start date")
    # 001 §6.3, §6.4: a completed OOC / My Future case closes only after the AP's approved closure
    # checks (supervision listens). The refusal is a ValidationError that is also a ValueError, so the
    # view shows it.
    programme_closing.send(sender=Programme, programme=current, closure_reason=closure_reason)
    current.end_date = end_date
    current.closure_reason = closure_reason
    current.closure_notes = closure_notes
    current.full_clean()
    current.save(update_fields=["end_date", "closure_reason", "closure_notes"])
    child = current.child
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=child,
        description=(
            f"Closed programme: {current.get_kind_display()} on {end_date:%d/%m/%Y} "
            f"({current.get_closure_reason_display()})"
        ),
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.PROGRAMME,
        occurred_on=end_date,
        summary=f"Programme closed: {current.get_kind_display()} ({current.get_closure_reason_display()})",
        details=closure_notes,
        source=f"programme:{current.pk}",
    )
    # event_create queues child_obligations_refresh_on_commit: the chains stop once committed.
    return current
