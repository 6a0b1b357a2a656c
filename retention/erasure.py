"""Erasing a closed child's record everywhere, in one transaction (issue 19; UK GDPR Art. 17, Art. 5(1)(e)).

1. The Child row and all that cascades from it go (events, programmes, obligations, tasks, documents,
   outbox messages, notifications, meetings, discussions, transfers... every app's models), collected
   first so the apps' providers know which rows were the child's.
2. Every provider registered with `core.registry.add_erasure` then deletes what the cascade cannot
   reach: the `Historical*` rows (no foreign key constraint), rows only detached (a transfer in).
3. A check asks every model with a `child` field for rows of this child: any left (a new model whose
   app registered nothing) fails the erasure, and the transaction rolls it all back. The audit log is
   the one exception: it is append-only and hash-chained (core/audit_chain.py), so its entries keep the
   child's id (no constraint) and are never touched.
4. A tombstone is appended to the audit log: a keyed SHA-256 (HMAC) of the case number, so a known case
   number can be checked against it but the log cannot be read back to one; the dates the record
   opened, closed and was erased; who authorised it (the entry's user) and why.

All or nothing: any failure (a provider raising, a row left) rolls every step back.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from django.apps import apps
from django.conf import settings
from django.db import router, transaction
from django.db.models import Model
from django.db.models.deletion import Collector
from django.utils import timezone

from cases.models import Child
from cases.services.rollup import child_months_stale
from core.audit import _append
from core.models import AuditArchiveEntry, AuditEntry
from core.registry import registry

from .models import RetentionReview

TOMBSTONE_TYPE = "erasure"
REASON_MAX = 100  # the tombstone's description holds at most 300 characters (core.models.AuditEntry)


class ErasureRefused(Exception):
    """The record cannot be erased (open, already erased, not confirmed): the message says why."""


class ErasureIncomplete(Exception):
    """Rows of the child were left after every provider ran: nothing is erased (rolled back)."""


@dataclass(frozen=True)
class ErasureResult:
    deleted: int
    case_hash: str
    tombstone: AuditEntry


def case_number_hash(case_number: str) -> str:
    """HMAC-SHA256 of the case number (trimmed, upper case) under ERASURE_HASH_SALT (the SECRET_KEY
    when unset): checkable against a case number someone already knows, not reversible from the log,
    and not guessable by hashing every possible number without the salt."""
    salt = getattr(settings, "ERASURE_HASH_SALT", "") or settings.SECRET_KEY
    message = case_number.strip().upper().encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()


def tombstone_for(case_number: str) -> AuditEntry | AuditArchiveEntry | None:
    """The erasure tombstone of this case number, if the record was erased."""
    digest = case_number_hash(case_number)
    for model in (AuditEntry, AuditArchiveEntry):  # an old tombstone may have moved to the archive
        found = (
            model.objects.filter(object_type=TOMBSTONE_TYPE, description__contains=digest)
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    return None


def _owned(child: Child) -> dict[type[Model], set[int]]:
    """Every row the child's deletion removes or detaches (SET_NULL), by model: what the providers and
    the check need to know once the rows themselves are gone."""
    collector = Collector(using=router.db_for_write(Child))
    collector.collect([child])
    owned: dict[type[Model], set[int]] = defaultdict(set)
    for model, instances in collector.data.items():
        owned[model] |= {obj.pk for obj in instances}
    for queryset in collector.fast_deletes:
        owned[queryset.model] |= set(queryset.values_list("pk", flat=True))
    for (field, _value), groups in collector.field_updates.items():
        for objs in groups:  # a queryset (or list) of the rows the SET_NULL detaches
            owned[field.model] |= {obj.pk for obj in cast(Iterable[Model], objs)}
    return owned


def _child_fields(model: type[Model]) -> list[str]:
    """The column by which the model's rows name a child: `child_id` (a foreign key, or a history
    table's copy of one without a constraint)."""
    return [f.attname for f in model._meta.concrete_fields if f.attname == "child_id"]


def rows_left(child_id: int) -> dict[str, int]:
    """Rows still naming the child, by model label: the audit log and its archive excepted (append-only,
    chained)."""
    left: dict[str, int] = {}
    for model in apps.get_models():
        if model in (AuditEntry, AuditArchiveEntry):
            continue
        for attname in _child_fields(model):
            count = model._default_manager.filter(**{attname: child_id}).count()
            if count:
                left[model._meta.label] = count
    history = getattr(Child, "history", None)
    if history is not None and history.model.objects.filter(id=child_id).exists():
        left[history.model._meta.label] = history.model.objects.filter(id=child_id).count()
    return left


@transaction.atomic
def child_erase(*, child_id: int, user, reason: str, confirmation: str) -> ErasureResult:
    """Erase the closed child's record everywhere and leave the tombstone (module docstring)."""
    child = Child.objects.select_for_update().filter(pk=child_id).first()
    if child is None:
        raise ErasureRefused("This record has already been erased")
    if child.is_open:
        raise ErasureRefused("This record is open: only a closed record can be erased")
    if confirmation.strip().upper() != child.case_number.upper():
        raise ErasureRefused("The case number does not match the record")
    review = RetentionReview.objects.filter(child=child).first()
    opened = timezone.localtime(child.created_at).date()
    closed = review.closed_on if review else None
    digest = case_number_hash(child.case_number)

    owned = _owned(child)
    # The child's obligations leave the compliance figures: their months are recounted (ADR 0020).
    child_months_stale(child_id=child.pk)
    deleted = child.delete()[0]
    for provider in registry.erasure:
        deleted += provider(child_id=child_id, owned=owned)
    left = rows_left(child_id)
    if left:
        raise ErasureIncomplete(f"rows of the child are left in {', '.join(sorted(left))}")

    closed_text = f"{closed:%Y-%m-%d}" if closed else "unknown"
    description = (
        f"Erased a closed child's record. Case number HMAC-SHA256 {digest}. "
        f"Opened {opened:%Y-%m-%d}, closed {closed_text}, erased {timezone.localdate():%Y-%m-%d}. "
        f"Reason: {' '.join(reason.split())[:REASON_MAX]}"
    )
    # The child's id is kept (no constraint), so the tombstone sits with the entries written about it.
    tombstone = _append(
        user=user,
        action=AuditEntry.Action.UPDATE,
        object_type=TOMBSTONE_TYPE,
        object_id=str(child_id),
        description=description,
        child=Child(pk=child_id),
    )
    return ErasureResult(deleted=deleted, case_hash=digest, tombstone=tombstone)
