"""Keyset ("Newer"/"Older") paging for lists that only grow: the audit log, notifications (issue 19).

Django's Paginator counts the whole selection (`COUNT(*)`) and reaches page n with `OFFSET`, both linear
in the rows before it: at a million audit entries the first page took 132 ms and page 2,000 took 302 ms.
A keyset page instead starts from the row it was asked for: "older than entry 812" is
`WHERE (at, id) < (at of 812, 812) ORDER BY at DESC, id DESC LIMIT size + 1`, which an index on
(at, id) answers by reading `size + 1` rows wherever the page is. The extra row says whether there is a
next page; nothing is ever counted (ADR 0015).

A cursor is a row's primary key (`?before=812`, `?after=760`), looked up in the list for its sort value
with one query by primary key, so a link keeps working after newer rows arrive. Anything else (not a
number, out of range, a row not in the list or no longer there) falls back to the first page: a bad link
never gives a 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

# The largest primary key a bigint holds: a larger cursor would make PostgreSQL refuse the query.
_MAX_PK = 2**63 - 1


@dataclass
class KeysetPage:
    """One page of a list, newest first: its rows, and the cursors of the pages either side of it."""

    items: list[Any] = field(default_factory=list)
    # `?after=<newer>` shows the rows newer than this page; None on the first page.
    newer: int | None = None
    # `?before=<older>` shows the rows older than this page; None on the last page.
    older: int | None = None

    @property
    def is_first(self) -> bool:
        """Whether this is the newest page (no "Newer" link)."""
        return self.newer is None

    @property
    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None


def parse_cursor(value: str | None) -> int | None:
    """A cursor from the query string: a positive primary key, or None for anything else."""
    if value is None:
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= _MAX_PK else None


def keyset_page(
    qs: QuerySet, *, field_name: str, size: int, before: str | None = None, after: str | None = None
) -> KeysetPage:
    """The page of `qs` (newest first by `field_name`, then primary key) older than the row `before`,
    or else newer than the row `after`, or else the first page. At most two queries: the cursor row's
    sort value (by primary key), and `size + 1` rows of the page."""
    for cursor, older in ((parse_cursor(before), True), (parse_cursor(after), False)):
        if cursor is None:
            continue
        # Looked up in the list itself, so a cursor naming someone else's row tells nothing about it.
        value = qs.filter(pk=cursor).order_by().values_list(field_name, flat=True).first()
        if value is None:
            break  # not in this list (or no sort value): the first page
        if older:
            page = _older_than(qs, field_name=field_name, size=size, value=value, pk=cursor)
        else:
            page = _newer_than(qs, field_name=field_name, size=size, value=value, pk=cursor)
        if page is not None:
            return page
        # Nothing older than the oldest row, or back at the newest rows: the first page, whose links
        # match the first visit's.
        break
    return _first(qs, field_name=field_name, size=size)


def _desc(qs: QuerySet, field_name: str) -> QuerySet:
    return qs.order_by(f"-{field_name}", "-pk")


def _first(qs: QuerySet, *, field_name: str, size: int) -> KeysetPage:
    rows = list(_desc(qs, field_name)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(items=rows, older=rows[-1].pk if more else None)


def _older_than(qs: QuerySet, *, field_name: str, size: int, value, pk: int) -> KeysetPage | None:
    """Rows after (value, pk) in newest-first order; None when there are none. `field <= value` is
    repeated outside the OR so the database reads the (field, id) index from `value` down instead of
    filtering every row."""
    after_anchor = Q(**{f"{field_name}__lt": value}) | Q(**{field_name: value, "pk__lt": pk})
    rows = list(
        _desc(qs.filter(**{f"{field_name}__lte": value}).filter(after_anchor), field_name)[: size + 1]
    )
    if not rows:
        return None
    more = len(rows) > size
    rows = rows[:size]
    # The anchor row is newer than this page, so "Newer" goes back to just before the first row here.
    return KeysetPage(items=rows, newer=rows[0].pk, older=rows[-1].pk if more else None)


def _newer_than(qs: QuerySet, *, field_name: str, size: int, value, pk: int) -> KeysetPage | None:
    """Rows before (value, pk) in newest-first order, the `size` nearest it; None when they reach the
    newest row (the caller shows the first page instead)."""
    before_anchor = Q(**{f"{field_name}__gt": value}) | Q(**{field_name: value, "pk__gt": pk})
    rows = list(
        qs.filter(**{f"{field_name}__gte": value})
        .filter(before_anchor)
        .order_by(field_name, "pk")[: size + 1]
    )
    if len(rows) <= size:
        return None
    rows = rows[:size][::-1]
    return KeysetPage(items=rows, newer=rows[0].pk, older=rows[-1].pk)
