"""A record as plain, machine-readable data for a subject access export (UK GDPR Art. 15; DPA 2018
s.45 for law-enforcement processing): every stored field under its field name, dates in ISO 8601, a
link to another record as that record's name, and the record's earlier versions (django-simple-history)
oldest first.

Knows no app: each app's `plugin.py` registers a `core.registry.RecordSection` built with these.
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models

# Never exported: secrets and the bytes of a stored file (its title and name are).
SKIPPED_FIELDS = frozenset({"password", "content", "entry_hash", "prev_hash"})


def plain(value: Any) -> Any:
    """A value JSON holds as it is: ISO dates and times, decimals and UUIDs as text."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _field_value(obj: models.Model, field: models.Field) -> Any:
    """One field: a link as the linked record's name (None when unset), anything else as stored."""
    if field.is_relation:
        related = getattr(obj, field.name, None)
        return str(related) if related is not None else None
    return plain(getattr(obj, field.attname))


def _exported_fields(model, exclude: Iterable[str] = ()) -> list[models.Field]:
    """The concrete fields of the record (its own, not simple-history's bookkeeping) worth exporting."""
    skip = SKIPPED_FIELDS | set(exclude)
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in skip and not f.name.startswith("history_") and not isinstance(f, models.BinaryField)
    ]


def record_fields(obj: models.Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The record's fields by name, as plain values."""
    return {f.name: _field_value(obj, f) for f in _exported_fields(type(obj), exclude)}


def history_versions(obj: models.Model, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The record's saved versions (simple-history), oldest first: when, how (created, changed,
    deleted), by whom, and the fields as they were. Empty for a model without history."""
    history = getattr(obj, "history", None)
    if history is None or not hasattr(history, "model"):
        return []
    tracked = {f.name for f in _exported_fields(type(obj), exclude)}
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    versions = []
    for row in history.select_related("history_user").order_by("history_date", "history_id"):
        fields = {f.name: _field_value(row, f) for f in _exported_fields(type(row)) if f.name in tracked}
        versions.append(
            {
                "at": plain(row.history_date),
                "change": kinds.get(row.history_type, row.history_type),
                "by": str(row.history_user) if row.history_user else None,
                "reason": row.history_change_reason or "",
                "fields": fields,
            }
        )
    return versions


def record_item(
    obj: models.Model,
    *,
    exclude: Iterable[str] = (),
    history: bool = True,
    restricted: str = "",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One record of a section: its id, its name, its fields (and the labels the service gives those
    whose name is not their label: "rosh" is "RoSH"; and the words of each coded value), its versions and, when it is to be
    considered for redaction as a whole, why (`restricted`). `extra` adds related lists (a meeting's
    invitations) under their own names."""
    exclude = tuple(exclude)
    fields = record_fields(obj, exclude)
    fields.update(extra or {})
    exported = _exported_fields(type(obj), exclude)
    labels = {f.name: str(f.verbose_name) for f in exported}
    # A coded value's words ("very_high" is "Very high"), for people reading the codes.
    shown = {
        f.name: str(dict(f.flatchoices).get(getattr(obj, f.attname), getattr(obj, f.attname)))
        for f in exported
        if f.choices and not f.is_relation and getattr(obj, f.attname) not in (None, "")
    }
    return {
        "id": obj.pk,
        "label": str(obj),
        "fields": fields,
        "labels": {name: text for name, text in labels.items() if text != name.replace("_", " ")},
        "shown": shown,
        "versions": history_versions(obj, exclude) if history else [],
        "restricted": restricted,
    }


def record_items(objects: Iterable[models.Model], **kwargs: Any) -> list[dict[str, Any]]:
    """`record_item` for each record."""
    return [record_item(obj, **kwargs) for obj in objects]
