"""Archiving the audit log by month (issue 19, ADR 0018), without breaking its hash chain.

The live log (`cases_auditentry`) keeps the recent months; `audit_archive(before=...)` moves the sealed
entries written before a month's first day to the archive (`core_auditarchive`: on PostgreSQL a table
partitioned by month, one partition per month made here as entries arrive). An entry moves whole: the
same id, fields and hashes, so no hash changes (an entry's HMAC covers its own fields and its
predecessor's hash, never its table).

- Only **sealed** entries move, in id order, as a prefix of the chain: the run stops at the first entry
  written on or after the month, so the archive is exactly the entries up to one id and the live chain
  starts right after it.
- Each chunk is one transaction under the chain head's lock (the sealer's too): it checks the chunk
  follows the last entry archived, copies it, deletes it from the live log and moves the **checkpoint**
  on the head (the last archived entry's id and hash, and how many have moved). A failure part-way
  changes nothing in that chunk; a second run carries on where the first stopped.
- `audit_verify` walks the live log from the checkpoint; `audit_verify --archive` walks the archive from
  the first entry to the checkpoint first, so the whole chain is still checked end to end.
- A broken chain is not archived: the run stops and says where it breaks, for someone to investigate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .audit import audit_record
from .audit_chain import entry_problem, head_for_update
from .models import AuditArchiveEntry, AuditChain, AuditEntry

ARCHIVE_CHUNK = 5000
# The columns an entry moves with (its table is the only thing that changes).
COLUMNS = [
    "id",
    "at",
    "user_id",
    "user_name",
    "action",
    "child_id",
    "object_type",
    "object_id",
    "description",
    "path",
    "prev_hash",
    "entry_hash",
]


class ArchiveRefused(Exception):
    """The archive cannot go on: a break in the chain, or a month that has not ended."""


@dataclass
class Archived:
    """What one run moved: how many entries, up to which id, and the monthly partitions it used."""

    entries: int = 0
    to_id: int = 0
    before: datetime.datetime | None = None
    months: list[str] = field(default_factory=list)


def month_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of the day's month, in the service's time zone (a month as staff count it)."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, 1))


def _next_month(start: datetime.datetime) -> datetime.datetime:
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return month_start(datetime.date(year, month, 1))


def default_before(today: datetime.date | None = None) -> datetime.datetime:
    """The first day of the month `AUDIT_KEEP_LIVE_MONTHS` before this one: the live log keeps that many
    whole months and the current one (13 months by default, so a year ago today is always live)."""
    today = today or timezone.localdate()
    keep = int(getattr(settings, "AUDIT_KEEP_LIVE_MONTHS", 12))
    index = today.year * 12 + (today.month - 1) - keep
    return month_start(datetime.date(index // 12, index % 12 + 1, 1))


def partition_name(start: datetime.datetime) -> str:
    """The PostgreSQL partition holding one month of the archive, e.g. core_auditarchive_y2025m04."""
    return f"{AuditArchiveEntry._meta.db_table}_y{start.year:04d}m{start.month:02d}"


def _ensure_partitions(first: datetime.datetime, last: datetime.datetime) -> list[str]:
    """Make the monthly partitions covering `first`..`last` (PostgreSQL only; a no-op elsewhere)."""
    if connection.vendor != "postgresql":
        return []
    names = []
    start = month_start(timezone.localtime(first).date())
    table = connection.ops.quote_name(AuditArchiveEntry._meta.db_table)
    with connection.cursor() as cursor:
        while start <= last:
            end = _next_month(start)
            name = partition_name(start)
            # The bounds come from datetimes made here, never from input.
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {connection.ops.quote_name(name)} PARTITION OF {table} "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
            names.append(name)
            start = end
    return names


def _chunk(head: AuditChain, before: datetime.datetime, size: int) -> tuple[list[AuditEntry], bool]:
    """The next sealed entries after the checkpoint written before `before`, in id order, and whether
    the run reached the first entry that stays (so it stops)."""
    entries = list(
        AuditEntry.objects.filter(pk__gt=head.archived_to_id, pk__lte=head.last_entry_id).order_by("pk")[
            :size
        ]
    )
    moving: list[AuditEntry] = []
    for entry in entries:
        if entry.at >= before:
            return moving, True
        moving.append(entry)
    return moving, len(entries) < size


def audit_archive(*, before: datetime.datetime, chunk: int = ARCHIVE_CHUNK, user=None) -> Archived:
    """Move the sealed entries written before `before` (a month's first day) to the archive, chunk by
    chunk; idempotent. Raises ArchiveRefused, having moved nothing more, where the chain is broken."""
    if before > month_start(timezone.localdate()):
        raise ArchiveRefused("Only months that have ended can be archived")
    result = Archived(before=before)
    months: set[str] = set()
    done = False
    while not done:
        with transaction.atomic():
            head = head_for_update()
            moving, done = _chunk(head, before, chunk)
            if not moving:
                break
            previous = head.archived_hash
            for entry in moving:
                problem = entry_problem(entry, previous)
                if problem:
                    raise ArchiveRefused(f"Entry {entry.pk} {problem}; nothing from it on was archived")
                previous = entry.entry_hash
            months.update(_ensure_partitions(moving[0].at, moving[-1].at))
            AuditArchiveEntry.objects.bulk_create(
                [AuditArchiveEntry(**{name: getattr(entry, name) for name in COLUMNS}) for entry in moving],
                batch_size=1000,
            )
            AuditEntry.objects.filter(pk__gt=head.archived_to_id, pk__lte=moving[-1].pk).delete()
            head.archived_to_id = moving[-1].pk
            head.archived_hash = previous
            head.archived_entries += len(moving)
            head.archived_before = max(filter(None, [head.archived_before, before]))
            head.save(
                update_fields=["archived_to_id", "archived_hash", "archived_entries", "archived_before"]
            )
            result.entries += len(moving)
            result.to_id = moving[-1].pk
    result.months = sorted(months)
    if result.entries:
        head = AuditChain.objects.get(pk=1)
        audit_record(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=head,
            description=(
                f"Audit log archived: {result.entries} entries written before "
                f"{timezone.localtime(before):%d %B %Y} moved to the archive (to entry {result.to_id})"
            ),
        )
    return result
