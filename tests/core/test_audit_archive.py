"""Archiving the audit log by month (issue 19, ADR 0018): sealed entries move whole to the archive (on
PostgreSQL partitioned by month), the chain still verifies end to end, and a break anywhere is named."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from core.audit import audit_record
from core.audit_archive import ArchiveRefused, audit_archive, default_before, month_start, partition_name
from core.audit_chain import audit_rechain, audit_seal, audit_verify
from core.models import AuditArchiveEntry, AuditChain, AuditEntry
from retention.erasure import TOMBSTONE_TYPE, case_number_hash, tombstone_for

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC


def written_at(user, child, moments: list[datetime.datetime]) -> list[AuditEntry]:
    """One entry per moment, each dated then (as if written then), sealed into the chain."""
    made = []
    for i, moment in enumerate(moments):
        entry = audit_record(
            user=user, action=AuditEntry.Action.VIEW, obj=child, child=child, description=f"Viewed page {i}"
        )
        AuditEntry.objects.filter(pk=entry.pk).update(at=moment)
        made.append(entry)
    audit_seal(now=timezone.now() + datetime.timedelta(minutes=10))
    return [AuditEntry.objects.get(pk=e.pk) for e in made]


def spread(user, child) -> list[AuditEntry]:
    """Seven entries from January 2025 to this month: three in Q1 2025, two in 2025-11, two recent."""
    return written_at(
        user,
        child,
        [
            datetime.datetime(2025, 1, 10, 9, tzinfo=UTC),
            datetime.datetime(2025, 2, 28, 23, 59, tzinfo=UTC),
            datetime.datetime(2025, 3, 31, 22, 30, tzinfo=UTC),  # 23:30 BST, still March in London
            datetime.datetime(2025, 11, 1, 0, 0, tzinfo=UTC),
            datetime.datetime(2025, 11, 30, 12, 0, tzinfo=UTC),
            timezone.now() - datetime.timedelta(days=2),
            timezone.now() - datetime.timedelta(hours=1),
        ],
    )


def april_2025() -> datetime.datetime:
    return month_start(datetime.date(2025, 4, 1))


def test_entries_before_the_month_move_whole_and_the_chain_still_verifies(case_manager, child):
    """The three Q1 entries move with their ids and hashes; the live chain continues from the checkpoint,
    and the whole chain (archive then live) verifies."""
    entries = spread(case_manager, child)
    result = audit_archive(before=april_2025())
    assert (result.entries, result.to_id) == (3, entries[2].pk)
    moved = list(AuditArchiveEntry.objects.order_by("pk"))
    assert [(a.pk, a.entry_hash, a.prev_hash, a.description) for a in moved] == [
        (e.pk, e.entry_hash, e.prev_hash, e.description) for e in entries[:3]
    ]
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in entries[:3]]).exists()
    head = AuditChain.objects.get()
    assert (head.archived_to_id, head.archived_hash, head.archived_entries) == (
        entries[2].pk,
        entries[2].entry_hash,
        3,
    )
    live = audit_verify()
    assert live.ok, live.problem
    whole = audit_verify(archive=True)
    assert whole.ok and whole.entries == 3 + 4  # the archiving's own entry is not sealed yet
    assert AuditEntry.objects.filter(description__startswith="Audit log archived: 3 entries").exists()


def test_a_month_counts_in_london_time_across_the_clock_change(case_manager, child):
    """The clocks went forward on 30 March 2025, so London's April began at 23:00 UTC on 31 March: an
    entry at 22:59 UTC (23:59 BST) is March and moves; one at 23:30 UTC (00:30 BST, 1 April) stays."""
    entries = written_at(
        case_manager,
        child,
        [
            datetime.datetime(2025, 3, 31, 22, 59, tzinfo=UTC),  # 23:59 BST, 31 March
            datetime.datetime(2025, 3, 31, 23, 30, tzinfo=UTC),  # 00:30 BST, 1 April
        ],
    )
    assert april_2025() == datetime.datetime(2025, 3, 31, 23, 0, tzinfo=UTC)
    assert audit_archive(before=april_2025()).entries == 1
    assert AuditEntry.objects.filter(pk=entries[1].pk).exists()


def test_archiving_is_idempotent_and_carries_on_in_small_chunks(case_manager, child):
    """A second run moves nothing; a later month carries on from the checkpoint; chunks of one give the
    same archive as one chunk."""
    entries = spread(case_manager, child)
    assert audit_archive(before=april_2025(), chunk=1).entries == 3
    assert audit_archive(before=april_2025(), chunk=1).entries == 0
    assert audit_archive(before=month_start(datetime.date(2025, 12, 1)), chunk=2).entries == 2
    assert list(AuditArchiveEntry.objects.order_by("pk").values_list("pk", flat=True)) == [
        e.pk for e in entries[:5]
    ]
    assert AuditChain.objects.get().archived_entries == 5
    assert audit_verify(archive=True).ok


def test_unsealed_entries_stay_live(case_manager, child):
    """Only the sealed chain moves: an entry written but not yet sealed stays, even if old."""
    sealed = spread(case_manager, child)
    late = audit_record(
        user=case_manager, action=AuditEntry.Action.VIEW, obj=child, child=child, description="Late"
    )
    AuditEntry.objects.filter(pk=late.pk).update(at=datetime.datetime(2025, 1, 1, tzinfo=UTC))
    audit_archive(before=april_2025())
    assert AuditEntry.objects.filter(pk=late.pk).exists()
    assert AuditChain.objects.get().archived_to_id == sealed[2].pk


def test_sealing_and_rechaining_carry_on_from_the_checkpoint(case_manager, child):
    """New entries seal after the live chain; the demo's rechain restarts the live chain from the
    checkpoint and leaves the archive alone."""
    spread(case_manager, child)
    audit_archive(before=april_2025())
    written_at(case_manager, child, [timezone.now()])
    assert audit_verify(archive=True).ok
    audit_rechain()
    assert audit_verify(archive=True).ok
    assert AuditArchiveEntry.objects.count() == 3


def test_an_altered_archived_entry_is_named_by_the_full_walk(case_manager, child):
    entries = spread(case_manager, child)
    audit_archive(before=april_2025())
    AuditArchiveEntry.objects.filter(pk=entries[1].pk).update(description="Viewed nothing")
    assert audit_verify().ok  # the nightly walk reads the live log only
    result = audit_verify(archive=True)
    assert result.broken_at == entries[1].pk and "altered" in result.problem


def test_a_deleted_archived_entry_or_tail_is_named(case_manager, child):
    entries = spread(case_manager, child)
    audit_archive(before=april_2025())
    AuditArchiveEntry.objects.filter(pk=entries[2].pk).delete()
    result = audit_verify(archive=True)
    assert not result.ok and "archived entries were deleted" in result.problem


def test_an_entry_put_back_below_the_checkpoint_is_named(case_manager, child):
    entries = spread(case_manager, child)
    audit_archive(before=april_2025())
    copy = AuditArchiveEntry.objects.get(pk=entries[0].pk)
    AuditEntry.objects.create(
        user=case_manager, action="view", object_type="child", object_id="1", description="x", child=child
    )
    AuditEntry.objects.filter(description="x").update(id=copy.pk)
    result = audit_verify()
    assert result.broken_at == copy.pk and "inserted" in result.problem


def test_a_broken_chain_is_not_archived_past_the_break(case_manager, child):
    """Everything before the break moves; the break and what follows stay for someone to investigate."""
    entries = spread(case_manager, child)
    AuditEntry.objects.filter(pk=entries[1].pk).update(description="Viewed nothing")
    with pytest.raises(ArchiveRefused, match=f"Entry {entries[1].pk} was altered"):
        audit_archive(before=april_2025(), chunk=1)
    assert list(AuditArchiveEntry.objects.values_list("pk", flat=True)) == [entries[0].pk]
    assert AuditEntry.objects.filter(pk__in=[entries[1].pk, entries[2].pk]).count() == 2


def test_only_ended_months_can_be_archived():
    with pytest.raises(ArchiveRefused, match="ended"):
        audit_archive(before=month_start(timezone.localdate()) + datetime.timedelta(days=40))


@pytest.mark.parametrize(
    ("today", "keep", "expected"),
    [
        (datetime.date(2026, 12, 4), 12, datetime.date(2025, 12, 1)),
        (datetime.date(2027, 1, 31), 12, datetime.date(2026, 1, 1)),
        (datetime.date(2028, 2, 29), 1, datetime.date(2028, 1, 1)),  # a leap day
        (datetime.date(2026, 3, 15), 3, datetime.date(2025, 12, 1)),  # back across a year end
        (datetime.date(2026, 12, 4), 0, datetime.date(2026, 12, 1)),
    ],
)
def test_the_months_kept_live(settings, today, keep, expected):
    settings.AUDIT_KEEP_LIVE_MONTHS = keep
    assert default_before(today) == month_start(expected)
    assert default_before(today).tzinfo is not None


def test_monthly_partitions_on_postgresql(case_manager, child):
    """On PostgreSQL each month archived is its own partition of the archive table (so a year can be
    detached and dumped); elsewhere the archive is one table and no partition is named."""
    spread(case_manager, child)
    result = audit_archive(before=month_start(datetime.date(2025, 12, 1)))
    if connection.vendor != "postgresql":
        assert result.months == [] and AuditArchiveEntry.objects.count() == 5
        return
    expected = [partition_name(month_start(datetime.date(2025, m, 1))) for m in range(1, 12)]
    assert result.months == expected
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, count(*) FROM core_auditarchive a JOIN pg_class c ON c.oid = a.tableoid "
            "GROUP BY c.relname ORDER BY c.relname"
        )
        rows = cursor.fetchall()
    assert rows == [
        ("core_auditarchive_y2025m01", 1),
        ("core_auditarchive_y2025m02", 1),
        ("core_auditarchive_y2025m03", 1),
        ("core_auditarchive_y2025m11", 2),
    ]


def test_an_archived_tombstone_is_still_found(case_manager, child):
    """An erasure's tombstone moved to the archive still answers "was this case number erased?"."""
    stone = audit_record(
        user=case_manager,
        action=AuditEntry.Action.UPDATE,
        obj=child,
        description=f"Erased: {case_number_hash('YJ123456')}",
    )
    AuditEntry.objects.filter(pk=stone.pk).update(
        object_type=TOMBSTONE_TYPE, at=datetime.datetime(2025, 1, 5, tzinfo=UTC)
    )
    audit_seal(now=timezone.now() + datetime.timedelta(minutes=10))
    audit_archive(before=april_2025())
    found = tombstone_for("yj123456")
    assert isinstance(found, AuditArchiveEntry) and found.pk == stone.pk


def test_the_command_archives_says_so_and_refuses_bad_months(case_manager, child, capsys):
    spread(case_manager, child)
    call_command("audit_archive", "--before", "2025-04", "--dry-run")
    assert "3 sealed entries written before 01 April 2025 would move" in capsys.readouterr().out
    assert AuditArchiveEntry.objects.count() == 0
    call_command("audit_archive", "--before", "2025-04")
    assert "Archived 3 entries written before 01 April 2025" in capsys.readouterr().out
    call_command("audit_archive", "--before", "2025-04")
    assert "Nothing to archive" in capsys.readouterr().out
    call_command("audit_verify", "--archive")
    assert "The audit chain holds" in capsys.readouterr().out
    for bad, words in (
        ("April", "YYYY-MM"),
        ("2025-13", "YYYY-MM"),
        ("1999-01", "before any"),
        ("2999-01", "not ended"),
    ):
        with pytest.raises(CommandError) as raised:
            call_command("audit_archive", "--before", bad)
        assert raised.value.returncode == 2 and words in str(raised.value) and "\n" not in str(raised.value)


def test_the_command_exits_1_at_a_break(case_manager, child):
    entries = spread(case_manager, child)
    AuditEntry.objects.filter(pk=entries[0].pk).update(description="Viewed nothing")
    with pytest.raises(CommandError) as raised:
        call_command("audit_archive", "--before", "2025-04")
    assert raised.value.returncode == 1 and f"Entry {entries[0].pk}" in str(raised.value)


def test_the_audit_log_page_searches_the_archive(client, case_manager, service_manager, child):
    """The page says what has moved; ticking "Search the archive" shows the archived entries (and the
    filters still apply); the live log no longer lists them."""
    entries = spread(case_manager, child)
    audit_archive(before=april_2025())
    client.force_login(service_manager)
    page = client.get("/audit/").content.decode()
    assert "have moved to the archive" in page and "Search the archive" in page
    assert "Viewed page 0" not in page and "Viewed page 6" in page
    archived = client.get("/audit/", {"archive": "on", "case_number": child.case_number}).content.decode()
    assert "Archived entries" in archived
    assert all(f"Viewed page {i}<" in archived for i in range(3)) and "Viewed page 6" not in archived
    older = client.get("/audit/", {"archive": "on", "before": str(entries[2].pk)}).content.decode()
    assert "Viewed page 1<" in older and "Viewed page 2<" not in older
    client.force_login(case_manager)
    assert client.get("/audit/", {"archive": "on"}).status_code == 404
