"""The compliance roll-up (issue 19, ADR 0020): stored obligations counted by month, code, title, basis
and team, so the compliance dashboard reads a few hundred rows instead of every obligation of a period.

Never staler than the obligations:

- whatever changes obligations (a child's or worker's refresh, the sweep's re-judging, a child's team
  or a worker's team changing, an erasure) marks the months it touches **stale in the same
  transaction** (`months_stale`): an upsert, so a month already marked is simply marked again;
- a read of the figures first rebuilds the stale months it needs (`months_fresh`): under a row lock
  on each month's marker, it recounts that month from the obligations and removes the marker. A change
  committed while the recount ran marks the month again (its upsert waits for the lock), so the next
  read recounts it; nothing is lost between the two;
- the daily sweep rebuilds every stale month when it has finished, so the first read of the morning is
  quick, and the weekly recomputation rebuilds them all.

A month's counts are those of `COUNTS` over its obligations: the dashboard's own definitions
(dashboards/compliance/figures.py), which read the roll-up and the obligations alike.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from ..models import Obligation, ObligationMonth, ObligationMonthStale

MET, MET_LATE = Obligation.Status.MET, Obligation.Status.MET_LATE
OVERDUE, OPEN = Obligation.Status.OVERDUE, Obligation.Status.OPEN
# The counts of one group of obligations: the compliance figures' columns.
COUNTS = {
    "n_due": Count("pk"),
    "n_met": Count("pk", filter=Q(status=MET)),
    "n_met_late": Count("pk", filter=Q(status=MET_LATE)),
    "n_overdue": Count("pk", filter=Q(status=OVERDUE)),
    "n_open": Count("pk", filter=Q(status=OPEN)),
}
GROUP = ("code", "title", "basis", "team_key")


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def with_team(qs: QuerySet[Obligation]) -> QuerySet:
    """Obligations with `team_key`: the child's team, or the worker's for a worker's own obligation."""
    return qs.annotate(team_key=Coalesce("child__team", "worker__team"))


def _team_filter(qs: QuerySet, column: str, team) -> QuerySet:
    """Rows of one team (its pk), of no team ("none"), or all (None)."""
    if team == "none":
        return qs.filter(**{f"{column}__isnull": True})
    if team is not None:
        return qs.filter(**{column: team})
    return qs


def grouped(
    date_from: datetime.date, date_to: datetime.date, *, team=None, code: str | None = None
) -> QuerySet:
    """The obligations due from `date_from` to `date_to` (of one team or code, if given), counted by
    code, title, basis and team."""
    qs = with_team(Obligation.objects.filter(due__gte=date_from, due__lte=date_to))
    if code is not None:
        qs = qs.filter(code=code)
    return _team_filter(qs, "team_key", team).values(*GROUP).annotate(**COUNTS).order_by()


def months_stale(months: Iterable[datetime.date | None]) -> None:
    """Mark the months of these due dates stale, in the caller's transaction (undated ones have none)."""
    firsts = sorted({first_of_month(day) for day in months if day is not None})
    if firsts:
        ObligationMonthStale.objects.bulk_create(
            [ObligationMonthStale(month=m) for m in firsts],
            update_conflicts=True,
            unique_fields=["month"],
            update_fields=["marked_at"],
        )


# What the roll-up counts of a row: its due date, code, title, basis and status.
COUNTED = ("due", "code", "title", "basis", "status")


def counted(obligations: Iterable[Obligation]) -> list[tuple]:
    """Unsaved (or saved) obligations as the roll-up counts them."""
    return [tuple(getattr(o, name) for name in COUNTED) for o in obligations]


def months_changed(old: Iterable[tuple], new: Iterable[tuple]) -> set[datetime.date]:
    """The months whose counted rows differ between two sets of one owner's obligations (rows as
    `COUNTED`): only those need recounting after a refresh that rewrote them all."""
    before = Counter((first_of_month(d), *rest) for d, *rest in old if d is not None)
    after = Counter((first_of_month(d), *rest) for d, *rest in new if d is not None)
    return {key[0] for key in (before - after) + (after - before)}


def months_of(qs: QuerySet[Obligation]) -> list[datetime.date]:
    """The months these obligations fall due in (one query)."""
    return list(qs.exclude(due=None).dates("due", "month"))


def child_months_stale(*, child_id: int) -> None:
    """Every month a child's obligations fall in, stale (their team changed, or they are erased)."""
    months_stale(months_of(Obligation.objects.filter(child_id=child_id)))


def worker_months_stale(*, worker_id: int) -> None:
    """Every month a worker's own obligations fall in, stale (their team changed)."""
    months_stale(months_of(Obligation.objects.filter(worker_id=worker_id, child__isnull=True)))


def obligation_saved(sender, instance: Obligation, **kwargs) -> None:
    """An obligation saved on its own (the admin, a data fix, a test's factory): its month is stale."""
    months_stale([instance.due])


def _recount(months: list[datetime.date]) -> None:
    """Replace the roll-up of these months with their counts from the obligations: one GROUP BY over
    just those months' days, summed into months here (PostgreSQL's date_trunc would convert every
    row's date first)."""
    ObligationMonth.objects.filter(month__in=months).delete()
    spans = Q()
    for month in months:
        spans |= Q(due__gte=month, due__lt=next_month(month))
    rows = with_team(Obligation.objects.filter(spans)).values("due", *GROUP).annotate(**COUNTS).order_by()
    totals: dict[tuple, dict[str, int]] = {}
    for row in rows:
        _add(totals, first_of_month(row["due"]), row)
    ObligationMonth.objects.bulk_create(
        [
            ObligationMonth(month=key[0], code=key[1], title=key[2], basis=key[3], team=key[4], **counts)
            for key, counts in totals.items()
        ],
        batch_size=2000,
    )


def _add(totals: dict[tuple, dict[str, int]], month: datetime.date, row: dict) -> None:
    key = (month, row["code"], row["title"], row["basis"], row["team_key"])
    counts = totals.setdefault(key, dict.fromkeys(COUNTS, 0))
    for name in COUNTS:
        counts[name] += row[name]


def months_fresh(months: Iterable[datetime.date] | None = None) -> int:
    """Recount the stale months among `months` (every stale month when None); how many were recounted.
    One transaction under the markers' row locks (taken in month order, as writers take theirs), a few
    queries however many months: nothing to do is one query."""
    stale = ObligationMonthStale.objects.all()
    if months is not None:
        stale = stale.filter(month__in=sorted({first_of_month(m) for m in months}))
    if not stale.exists():
        return 0
    with transaction.atomic():
        # Locked: a change marking one of these months again waits, and is recounted by the next read.
        locked = list(stale.select_for_update().order_by("month").values_list("pk", "month"))
        if not locked:  # recounted meanwhile by another read
            return 0
        _recount([month for _, month in locked])
        ObligationMonthStale.objects.filter(pk__in=[pk for pk, _ in locked]).delete()
    return len(locked)


def months_rebuild_all() -> int:
    """Mark every month with obligations (or a roll-up) stale, then rebuild them: the weekly safety net."""
    with transaction.atomic():
        months_stale(months_of(Obligation.objects.all()))
        months_stale(ObligationMonth.objects.values_list("month", flat=True).distinct())
    return months_fresh()


def whole_months(date_from: datetime.date, date_to: datetime.date) -> tuple[list[datetime.date], list[tuple]]:
    """A period as the calendar months wholly inside it, and the part-months (as date spans) at its ends.
    1 Feb-30 Apr: ([Feb, Mar, Apr], []); 15 Jan-10 Mar: ([Feb], [(15 Jan, 31 Jan), (1 Mar, 10 Mar)])."""
    first = date_from if date_from.day == 1 else next_month(first_of_month(date_from))
    after = next_month(first_of_month(date_to))
    stop = after if date_to == after - datetime.timedelta(days=1) else first_of_month(date_to)
    if first >= stop:
        return [], [(date_from, date_to)]
    months, month = [], first
    while month < stop:
        months.append(month)
        month = next_month(month)
    edges = []
    if date_from < first:
        edges.append((date_from, first - datetime.timedelta(days=1)))
    if stop <= date_to:
        edges.append((stop, date_to))
    return months, edges


class Selection(NamedTuple):
    """One read of `period_rows_many`: a period, of one team or code if given, counted by `by`."""

    date_from: datetime.date
    date_to: datetime.date
    team: Any = None
    code: str | None = None
    by: tuple[str, ...] = GROUP


def period_rows(
    date_from: datetime.date, date_to: datetime.date, *, team=None, code: str | None = None, by=GROUP
) -> list[dict]:
    """The obligations due in a period (of one team or code, if given) counted by the fields `by`
    (code, title, basis and team (`team_key`) by default; ("month",) for a trend): whole months from the
    roll-up (made fresh first, summed in the database), part-months from the obligations (with
    `month` None). A few queries and a few hundred rows, whatever the period or the number of
    obligations."""
    return period_rows_many([Selection(date_from, date_to, team, code, tuple(by))])[0]


def period_rows_many(selections: Sequence[Selection]) -> list[list[dict]]:
    """`period_rows` for several selections (the dashboard's by-type totals, team totals and trend): the
    stale months of all of them made fresh first, in one check, then one GROUP BY each (and one per
    part-month). Every selection's rows are read after the check, in the caller's transaction, so
    none is staler than the obligations."""
    split = [whole_months(s.date_from, s.date_to) for s in selections]
    wanted = sorted({month for months, _ in split for month in months})
    if wanted:
        months_fresh(wanted)
    return [
        _selection_rows(selection, months, edges)
        for selection, (months, edges) in zip(selections, split, strict=True)
    ]


def _selection_rows(selection: Selection, months: list[datetime.date], edges: list[tuple]) -> list[dict]:
    """One selection's rows: its whole months from the (fresh) roll-up, its part-months counted from
    the obligations."""
    team, code, by = selection.team, selection.code, selection.by
    sums = {name: Sum(name) for name in COUNTS}
    rows: list[dict] = []
    if months:
        qs = ObligationMonth.objects.filter(month__in=months)
        if code is not None:
            qs = qs.filter(code=code)
        fields = ["team" if name == "team_key" else name for name in by]
        for row in _team_filter(qs, "team", team).values(*fields).annotate(**sums).order_by():
            if "team" in row:
                row["team_key"] = row.pop("team")
            rows.append(row)
    for start, end in edges:
        totals: dict[tuple, dict] = {}
        for row in grouped(start, end, team=team, code=code):
            key = tuple(None if name == "month" else row[name] for name in by)
            counts = totals.setdefault(key, {**dict(zip(by, key, strict=True)), **dict.fromkeys(COUNTS, 0)})
            for name in COUNTS:
                counts[name] += row[name]
        rows.extend(totals.values())
    return rows
