"""Re-judge every stored obligation as of a new date from the stored facts (the alerts sweep, alerts/).

Facts change only when a record changes, and every change recomputes the child's (or worker's)
obligations and stores the facts they came from (FactSnapshot, cases/services/core.py). What changes
from one day to the next is only the date the statuses are judged at (open -> overdue, the next
occurrence of a recurring chain), so the daily sweep runs the rules module on the stored facts with
the new date instead of re-reading every child's records: about 1 ms a child instead of about 30.

The work goes in chunks: per chunk one query locks the children (the same row lock a record change's
refresh takes, so the two never interleave), one loads their snapshots, one their stored rows; the
rules module runs in Python; only the children whose rows changed are replaced, and the rest only have
their `as_of` moved on (one UPDATE), each chunk in one transaction. A child (or worker) with no
snapshot gets a full refresh, which stores one. The weekly (Sundays 01:05) `cases.tasks.obligations_refresh_all`
still recomputes everything from the records, as the safety net.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from ..models import Child, FactSnapshot, Obligation, User
from ..rules import compute, explain
from . import rollup
from .core import _obligation_rows, child_obligations_refresh, obligation_due, worker_obligations_refresh

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
# What a stored row is, for comparing it with a recomputed one (everything but pk and as_of).
ROW_FIELDS = (
    "code",
    "title",
    "due",
    "due_at",
    "earliest",
    "status",
    "met_on",
    "basis",
    "explanation",
    "position",
)


def _chunks(ids: Sequence[int], size: int) -> Iterable[list[int]]:
    """The ids in consecutive chunks of `size`."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _date(value: str | None) -> datetime.date | None:
    """An ISO date from the rules module's output, as a date."""
    return datetime.date.fromisoformat(value) if value else None


def _result_keys(result: dict, facts: list) -> list[tuple]:
    """The rules module's output as the values its stored rows would have (ROW_FIELDS), in order.

    The same conversion as `_obligation_rows`, without building a model instance per row: most
    children's rows do not change from one day to the next, and only the changed ones are built.
    """
    keys = []
    for position, item in enumerate(result["obligations"]):
        due, due_at = obligation_due(item)
        keys.append(
            (
                item["code"],
                item["title"],
                due,
                due_at,
                _date(item["earliest"]),
                item["status"],
                _date(item["met_on"]),
                item["basis"],
                explain(item, facts)[:300],
                position,
            )
        )
    return keys


def _compute(*, facts: list, as_of: datetime.date) -> dict:
    """The rules module's output for stored facts as of a date."""
    return compute(
        {"policy": settings.POLICY_PROFILE, "as_of": as_of.isoformat(), "facts": facts}, explain=True
    )


def _rejudge_chunk(*, ids: list[int], as_of: datetime.date, owner: str) -> tuple[int, int, list[int]]:
    """Re-judge one chunk of children (owner "child") or workers ("worker") in one transaction.

    Returns (how many changed, how many only moved their as_of, ids that need a full refresh).
    """
    owner_model = Child if owner == "child" else User
    snapshot_filter = {f"{owner}_id__in": ids}
    stored_filter = {f"{owner}_id__in": ids} if owner == "child" else {"worker_id__in": ids, "child": None}
    with transaction.atomic():
        # The row lock a record change's refresh takes (select_for_update in core.py): a record changed
        # while this chunk is judged waits for it, and then writes its own fresh rows.
        list(owner_model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        snapshots = dict(FactSnapshot.objects.filter(**snapshot_filter).values_list(f"{owner}_id", "facts"))
        stored: dict[int, list[tuple]] = defaultdict(list)
        for values in (
            Obligation.objects.filter(**stored_filter)
            .order_by(f"{owner}_id", "position")
            .values_list(f"{owner}_id", *ROW_FIELDS)
        ):
            stored[values[0]].append(values[1:])
        changed_ids, new_rows, unchanged_ids, need_full = [], [], [], []
        for pk in ids:
            facts = snapshots.get(pk)
            if facts is None:
                need_full.append(pk)
                continue
            try:
                result = _compute(facts=facts, as_of=as_of)
            except Exception:  # a snapshot the rules module refuses: recompute from the records instead
                logger.exception("Re-judging %s %s from its snapshot failed", owner, pk)
                need_full.append(pk)
                continue
            if _result_keys(result, facts) == stored.get(pk, []):
                unchanged_ids.append(pk)
                continue
            changed_ids.append(pk)
            rows = _obligation_rows(result=result, as_of=as_of, facts=facts)
            for row in rows:
                row.child_id, row.worker_id = (pk, None) if owner == "child" else (None, pk)
            new_rows.extend(rows)
        if changed_ids:
            Obligation.objects.filter(**{**stored_filter, f"{owner}_id__in": changed_ids}).delete()
            Obligation.objects.bulk_create(new_rows, batch_size=1000)
            # The compliance roll-up's months whose counts moved, stale in this transaction (ADR 0020).
            old = [
                tuple(row[ROW_FIELDS.index(name)] for name in rollup.COUNTED)
                for pk in changed_ids
                for row in stored[pk]
            ]
            rollup.months_stale(rollup.months_changed(old, rollup.counted(new_rows)))
        if unchanged_ids:
            # The same obligations, now judged as of this date (the "What is due" page says "as of").
            Obligation.objects.filter(**{**stored_filter, f"{owner}_id__in": unchanged_ids}).exclude(
                as_of=as_of
            ).update(as_of=as_of)
    return len(changed_ids), len(unchanged_ids), need_full


def _worker_ids_to_rejudge() -> tuple[list[int], set[int]]:
    """Workers to re-judge, and those whose snapshot no longer matches who is supervised.

    Every worker with a snapshot, and every active worker with a line manager: each is supervised
    (000 §4.1), so one given a supervisor since their last refresh gets their supervision timescale. A
    worker's `worker_started` fact depends on their line manager and being active (supervision/facts.py),
    which change without a record of theirs changing: such a worker gets a full refresh.
    """
    with_snapshot = dict(FactSnapshot.objects.filter(worker__isnull=False).values_list("worker_id", "facts"))
    stale = set()
    supervised = set()
    for pk, is_active, line_manager_id in User.objects.values_list("pk", "is_active", "line_manager_id"):
        expected = bool(is_active and line_manager_id)
        if expected:
            supervised.add(pk)
        facts = with_snapshot.get(pk)
        if facts is not None and expected != any(f.get("type") == "worker_started" for f in facts):
            stale.add(pk)
    return sorted(set(with_snapshot) | supervised), stale


def obligations_rejudge_all(*, as_of: datetime.date, chunk_size: int = CHUNK_SIZE) -> dict:
    """Re-judge every open child's and every worker's obligations as of `as_of`, from stored facts.

    Idempotent: a second run as of the same date changes nothing. Each chunk is one transaction; a child
    whose snapshot is missing (or refused) gets a full refresh from its records, and one whose full
    refresh fails is logged and skipped, so one bad record never leaves the rest of the service stale.
    Returns counts and the seconds taken, for the sweep's log and the benchmark.
    """
    started = time.perf_counter()
    stats: dict[str, int | float] = {  # counts, and "seconds" (a float) at the end
        "children": 0,
        "children_changed": 0,
        "children_refreshed": 0,
        "workers": 0,
        "workers_changed": 0,
        "workers_refreshed": 0,
        "failed": 0,
    }
    # Open children, and closed ones still holding an obligation left "open" past its due date: a record
    # closed with something unmet must show it overdue (as the rules judge it), not "not yet due" forever.
    # Once re-judged it is overdue, so each closed child comes back here at most once.
    lapsed = Obligation.objects.filter(child=OuterRef("pk"), status=Obligation.Status.OPEN, due__lt=as_of)
    child_ids = list(
        Child.objects.filter(Q(is_open=True) | Exists(lapsed)).order_by("pk").values_list("pk", flat=True)
    )
    stats["children"] = len(child_ids)
    for ids in _chunks(child_ids, chunk_size):
        changed, _same, need_full = _rejudge_chunk(ids=ids, as_of=as_of, owner="child")
        stats["children_changed"] += changed
        for child_id in need_full:
            try:
                child_obligations_refresh(child_id=child_id, as_of=as_of)
            except Exception:
                logger.exception("Obligations refresh failed for child %s", child_id)
                stats["failed"] += 1
                continue
            stats["children_refreshed"] += 1
    worker_ids, stale = _worker_ids_to_rejudge()
    stats["workers"] = len(worker_ids)
    for ids in _chunks([pk for pk in worker_ids if pk not in stale], chunk_size):
        changed, _same, need_full = _rejudge_chunk(ids=ids, as_of=as_of, owner="worker")
        stats["workers_changed"] += changed
        stale.update(need_full)
    for worker_id in sorted(stale):
        try:
            worker_obligations_refresh(worker_id=worker_id, as_of=as_of)
        except Exception:
            logger.exception("Obligations refresh failed for worker %s", worker_id)
            stats["failed"] += 1
            continue
        stats["workers_refreshed"] += 1
    # The compliance roll-up's months the re-judging moved, counted again now rather than by the first
    # dashboard read of the morning (ADR 0020).
    stats["rollup_months"] = rollup.months_fresh()
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return stats
