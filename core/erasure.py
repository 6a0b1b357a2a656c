"""What every app's erasure provider shares (core.registry `add_erasure`; retention/, issue 19).

django-simple-history keeps a `Historical*` table beside each tracked model. Its rows have no foreign
key constraint (the history outlives the record), so deleting a child cascades to the records but
leaves every earlier version of them, and the "deleted" version simple-history writes as each record
goes. Erasure (UK GDPR Art. 17) must remove those too: `history_eraser(app_label)` gives a provider
that deletes, from each of the app's history tables, the rows whose record was one of the erased child's
(its pk in `owned`) or which point at one (any foreign key of the history row, `child` included, whose
target is in `owned`: an action's history names its discussion). A history row of a record deleted long
before, with no pointer to anything of the child's, cannot be told apart; the app then registers a
provider of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.apps import apps
from django.db import models
from django.db.models import Q

# Keep each `IN (...)` well below SQLite's limit on a statement's variables.
CHUNK = 500

Owned = Mapping[type[models.Model], Iterable[int]]


def _chunks(pks: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(pks), CHUNK):
        yield pks[start : start + CHUNK]


def is_history_model(model: type[models.Model]) -> bool:
    """A simple-history table (`HistoricalChild`, or an m2m's `HistoricalChild_co_workers`)."""
    return model.__name__.startswith("Historical")


def _conditions(model: type[models.Model], owned: Mapping[type[models.Model], list[int]]) -> list[Q]:
    """Each way a row of this history table belongs to the erased records, as Q objects by chunk."""
    found: list[Q] = []
    original = getattr(model, "instance_type", None)  # the tracked model (absent on an m2m's history)
    if original is not None and owned.get(original):
        pk_name = original._meta.pk.attname
        found += [Q(**{f"{pk_name}__in": chunk}) for chunk in _chunks(owned[original])]
    for field in model._meta.concrete_fields:
        target = field.related_model
        if field.is_relation and target is not None and owned.get(target):
            found += [Q(**{f"{field.attname}__in": chunk}) for chunk in _chunks(owned[target])]
    return found


def erase_history(app_label: str, *, child_id: int | None = None, owned: Owned) -> int:
    """Delete the app's history rows of (or pointing at) the erased records; how many were deleted.

    With `child_id`, a history row that names a child names this one (or none): a version of another
    child's record that pointed at one of this child's (detached by SET_NULL since) is that child's."""
    listed = {model: sorted(pks) for model, pks in owned.items()}
    deleted = 0
    for model in apps.get_app_config(app_label).get_models():
        if not is_history_model(model):
            continue
        rows = model._default_manager.all()
        if child_id is not None and any(f.attname == "child_id" for f in model._meta.concrete_fields):
            rows = rows.filter(Q(child_id=child_id) | Q(child_id__isnull=True))
        # One delete per condition and chunk (an OR of them all could pass SQLite's variable limit). A
        # history table has no history of its own: deleting its rows writes nothing more.
        for condition in _conditions(model, listed):
            deleted += rows.filter(condition).delete()[0]
    return deleted


def history_eraser(app_label: str) -> Callable[..., int]:
    """The erasure provider of an app whose only rows outside the cascade are its history tables."""

    def erase(*, child_id: int, owned: Owned) -> int:
        return erase_history(app_label, child_id=child_id, owned=owned)

    erase.__qualname__ = f"history_eraser({app_label!r})"
    return erase
