"""The tamper-evident audit log (issue 18, ADR 0002): entries are sealed into a keyed hash chain.

Writing an audit entry stays one plain insert, so pages never queue behind each other for the log. A
sealer (beat, every five minutes) takes the entries older than `SEAL_MARGIN` in id order and gives
each one `prev_hash` (the hash of the entry sealed before it) and `entry_hash`, an HMAC-SHA256 over its
fields and `prev_hash` under `AUDIT_CHAIN_KEY` (by default the SECRET_KEY: never in the database, so
someone with only database access cannot re-forge the chain). The chain's head (`AuditChain`) keeps the
last entry sealed and its hash. `audit_verify` walks the chain and names the first entry where it
breaks:

- an **altered** entry: its fields no longer give its hash;
- a **deleted** entry: the next entry's `prev_hash` is not the hash of the entry now before it;
- an **inserted** entry: unsealed, or sealed with a hash the key did not make, among sealed entries;
- a **deleted tail**: the last sealed entry is not the one the head names.

The margin lets every transaction that wrote an entry commit before its id is sealed (requests end in
30 s; a later commit would be reported as an inserted entry, and investigated).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import AuditArchiveEntry, AuditChain, AuditEntry

SEAL_MARGIN = datetime.timedelta(minutes=5)
SEAL_BATCH = 5000
VERIFY_CHUNK = 2000
_SALT = "core.audit_chain"


def entry_digest(entry: AuditEntry, prev_hash: str) -> str:
    """The entry's HMAC: every field it was written with, and the previous entry's hash."""
    at = entry.at.astimezone(datetime.UTC).isoformat() if entry.at else ""
    fields = [
        str(entry.pk),
        at,
        str(entry.user_id or ""),
        entry.user_name,
        entry.action,
        str(entry.child_id or ""),
        entry.object_type,
        entry.object_id,
        entry.description,
        entry.path,
        prev_hash,
    ]
    message = "\x1f".join(fields)
    key = getattr(settings, "AUDIT_CHAIN_KEY", "") or settings.SECRET_KEY
    return salted_hmac(_SALT, message, secret=key, algorithm="sha256").hexdigest()


def head_for_update() -> AuditChain:
    """The chain's head, locked for this transaction (one sealer at a time)."""
    AuditChain.objects.get_or_create(pk=1)
    return AuditChain.objects.select_for_update().get(pk=1)


def audit_seal(*, now: datetime.datetime | None = None, margin: datetime.timedelta = SEAL_MARGIN) -> int:
    """Seal the entries written more than `margin` ago, in id order, into the chain. Returns how many.

    Idempotent and safe to run at once from two places (the head is locked)."""
    now = now or timezone.now()
    sealed = 0
    while True:
        with transaction.atomic():
            head = head_for_update()
            entries = list(
                AuditEntry.objects.filter(pk__gt=head.last_entry_id, at__lte=now - margin).order_by("pk")[
                    :SEAL_BATCH
                ]
            )
            if not entries:
                return sealed
            previous = head.last_hash
            for entry in entries:
                entry.prev_hash = previous
                entry.entry_hash = previous = entry_digest(entry, previous)
            AuditEntry.objects.bulk_update(entries, ["prev_hash", "entry_hash"], batch_size=1000)
            head.last_entry_id = entries[-1].pk
            head.last_hash = previous
            head.sealed_at = now
            head.save(update_fields=["last_entry_id", "last_hash", "sealed_at"])
            sealed += len(entries)


@dataclass
class Verification:
    """What `audit_verify` found: how many entries checked, and where the chain first breaks."""

    entries: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None and not self.problem


def entry_problem(entry: AuditEntry, previous: str) -> str:
    """Why this entry breaks the chain after `previous`, or "" when it holds."""
    if not entry.entry_hash:
        return "is not in the chain: it was inserted among sealed entries"
    if entry.prev_hash != previous:
        return "does not follow the entry before it: an entry before it was deleted or inserted"
    if entry.entry_hash != entry_digest(entry, previous):
        return "was altered after it was sealed (or inserted with a forged hash)"
    return ""


def _walk(entries, previous: str, result: Verification) -> tuple[str, int]:
    """Check each entry follows `previous`; stop at the first break (kept on `result`). Returns the hash
    and id of the last entry that held."""
    seen_last = 0
    for entry in entries.iterator(chunk_size=VERIFY_CHUNK):
        problem = entry_problem(entry, previous)
        if problem:
            result.broken_at, result.problem = entry.pk, f"Entry {entry.pk} {problem}"
            break
        previous, seen_last = entry.entry_hash, entry.pk
        result.entries += 1
    return previous, seen_last


def _verify_archive(head: AuditChain | None, result: Verification) -> str:
    """Walk the archive (core/audit_archive.py) from the chain's first entry to the checkpoint: it must
    hold, end at the entry the checkpoint names with its hash, and hold as many entries as were moved.
    Returns the hash the live chain continues from."""
    to_id, to_hash, moved = (
        (head.archived_to_id, head.archived_hash, head.archived_entries) if head else (0, "", 0)
    )
    archived = AuditArchiveEntry.objects.filter(pk__lte=to_id).order_by("pk")
    previous, seen_last = _walk(archived, "", result)
    if result.ok and (seen_last != to_id or previous != to_hash or result.entries != moved):
        result.broken_at = seen_last or None
        result.problem = (
            f"The archive ends at entry {seen_last or 'none'} after {result.entries} entries but the "
            f"checkpoint names entry {to_id} after {moved}: archived entries were deleted or added"
        )
    return to_hash


def audit_verify(
    *, record: bool = True, now: datetime.datetime | None = None, archive: bool = False
) -> Verification:
    """Walk the sealed chain and stop at the first break. The live log is walked from the archive's
    checkpoint (its first entry must follow the last entry archived); with `archive`, the archive is
    walked first, from the chain's very first entry, so the whole chain is checked end to end. With
    `record`, the result is kept on the head for the audit log page ("last verified at")."""
    head = AuditChain.objects.filter(pk=1).first()
    last_id, last_hash = (head.last_entry_id, head.last_hash) if head else (0, "")
    archived_to, previous = (head.archived_to_id, head.archived_hash) if head else (0, "")
    result = Verification(entries=0)
    if archive:
        previous = _verify_archive(head, result)
    stray = AuditEntry.objects.filter(pk__lte=archived_to).order_by("pk").values_list("pk", flat=True).first()
    if result.ok and stray is not None:
        result.broken_at = stray
        result.problem = (
            f"Entry {stray} is in the live log but the archive's checkpoint covers it: it was inserted"
        )
    if result.ok:
        live = AuditEntry.objects.filter(pk__gt=archived_to, pk__lte=last_id).order_by("pk")
        previous, seen_last = _walk(live, previous, result)
        seen_last = seen_last or archived_to
        if result.ok and (seen_last != last_id or previous != last_hash):
            result.broken_at = seen_last or None
            result.problem = (
                f"The chain ends at entry {seen_last or 'none'} but was sealed to entry {last_id}: "
                "the latest sealed entries were deleted"
            )
    if record:
        AuditChain.objects.get_or_create(pk=1)
        AuditChain.objects.filter(pk=1).update(
            verified_at=now or timezone.now(),
            verified_entries=result.entries,
            verified_ok=result.ok,
            verified_problem=result.problem[:300],
        )
    return result


def audit_rechain() -> int:
    """Start the live chain again from the archive's checkpoint (or the first entry when nothing is
    archived): only `seed_demo` does this, after deleting the previous demo's entries from a
    demonstration database. Every live entry is sealed afresh; the archive is untouched."""
    with transaction.atomic():
        head = head_for_update()
        AuditEntry.objects.update(prev_hash="", entry_hash="")
        AuditChain.objects.filter(pk=1).update(
            last_entry_id=head.archived_to_id, last_hash=head.archived_hash, sealed_at=None
        )
    return audit_seal(margin=datetime.timedelta(0))
