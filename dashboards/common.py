"""Reads shared by the team and compliance dashboards."""

import datetime
import re
from typing import cast

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, DateField, Max, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.urls import reverse

from cases.models import Allocation, Child, Programme


def unallocated_children(*, team=None, today: datetime.date) -> QuerySet[Child]:
    """Open children with no case manager (003 §2), longest waiting first, each with `waiting_since`.

    A child waits from the later of: the end of their last case manager allocation, and the start of
    their latest programme; with neither, from when their record was opened. A child whose order starts
    later is listed too (they need a worker by then). `days_waiting` is set on each row by
    `with_days_waiting`. One query, whatever the number of children.
    """
    last_end = (
        Allocation.objects.filter(child=OuterRef("pk"), role=Allocation.Role.CASE_MANAGER)
        .values("child")
        .annotate(last=Max("ended_on"))
        .values("last")
    )
    last_start = (
        Programme.objects.filter(child=OuterRef("pk"))
        .values("child")
        .annotate(last=Max("start_date"))
        .values("last")
    )
    # The London date the record was opened (a plain cast would take the UTC date: a day early after
    # midnight in summer time).
    opened = TruncDate("created_at")
    qs = Child.objects.filter(is_open=True, case_manager__isnull=True)
    if team is not None:
        qs = qs.filter(team=team)
    return (
        qs.select_related("team")
        .annotate(
            _last_end=Subquery(last_end, output_field=DateField()),
            _last_start=Subquery(last_start, output_field=DateField()),
        )
        .annotate(
            waiting_since=Greatest(
                Coalesce("_last_end", "_last_start", opened),
                Coalesce("_last_start", "_last_end", opened),
            )
        )
        .order_by("waiting_since", "last_name", "first_name")
    )


def with_days_waiting(children, *, today: datetime.date) -> list[Child]:
    """Set `days_waiting` (calendar days since `waiting_since`) on each child of a page of rows."""
    rows = list(children)
    for child in rows:
        # A child whose order starts later still needs a worker by then: listed, 0 days so far.
        child.starts_later = bool(child.waiting_since and child.waiting_since > today)
        child.days_waiting = max((today - child.waiting_since).days, 0) if child.waiting_since else None
    return rows


MAX_PAGE = 10**6  # a page number beyond this is out of range whatever the list (and the OFFSET overflows)
TOTAL = "_page_total"  # the window annotation carrying the whole list's length on each row


class CountedPaginator(Paginator):
    """A paginator over a queryset that reads the list's length with its page: `COUNT(*) OVER ()` on
    each row of the page, so a list on a dashboard is one query, not a COUNT and then the page (issue
    19: the team dashboard shows three lists, the compliance dashboard two). The window counts the rows
    the WHERE keeps before LIMIT and OFFSET apply, so the count is the queryset's `count()`. Only a
    page past the end (no rows to carry the count) costs the COUNT as well, and then shows the last
    page, as `Paginator.get_page` does."""

    def get_page(self, number) -> Page:
        """The page `number` (the first for anything that is not a page number)."""
        try:
            number = int(number) if number not in (None, "") else 1
        except (TypeError, ValueError, OverflowError):
            number = 1
        if not 1 <= number <= MAX_PAGE:  # out of range either way: the last page, as Paginator does
            return super().get_page(number)
        bottom = (number - 1) * self.per_page
        queryset = cast(QuerySet, self.object_list)  # a queryset, not any sequence: it is annotated
        rows = list(queryset.annotate(**{TOTAL: Window(Count("*"))})[bottom : bottom + self.per_page])
        if rows:
            self.__dict__["count"] = getattr(rows[0], TOTAL)  # Paginator.count is a cached_property
        elif number == 1:
            self.__dict__["count"] = 0
        else:  # past the end: count, then the last page
            try:
                return super().page(self.validate_number(number))
            except (PageNotAnInteger, EmptyPage):
                return super().page(self.num_pages)
        return Page(rows, number, self)


def counted_page(queryset: QuerySet, number, *, per_page: int) -> Page:
    """One page of `queryset` with the whole list's length, in one query (`CountedPaginator`)."""
    return CountedPaginator(queryset, per_page).get_page(number)


# Placeholder ids: reversed once per URL name, then replaced by each row's ids (nine digits no real path
# part has).
PLACEHOLDERS = (918273641, 918273642, 918273643)


class RowUrls:
    """`reverse(name, args=ids)` for the rows of a list: each URL name is reversed once with placeholder
    ids, split around them, and each row's ids put in their places (a reverse costs about 60 µs; the
    team dashboard shows about a hundred links). A name whose URL does not show each placeholder
    exactly once is reversed for every row."""

    def __init__(self) -> None:
        self._parts: dict[tuple[str, int], list[str | int] | None] = {}

    def __call__(self, name: str, *ids: int) -> str:
        key = (name, len(ids))
        if key not in self._parts:
            self._parts[key] = _split(reverse(name, args=PLACEHOLDERS[: len(ids)]), len(ids))
        parts = self._parts[key]
        if parts is None:
            return reverse(name, args=ids)
        return "".join(part if isinstance(part, str) else str(int(ids[part])) for part in parts)


def _split(url: str, count: int) -> list[str | int] | None:
    """The URL as text and the positions of its `count` placeholder ids; None unless each shows once."""
    found = {str(PLACEHOLDERS[i]): i for i in range(count)}
    pieces = re.split("(" + "|".join(found) + ")", url) if found else [url]
    if sorted(found[p] for p in pieces[1::2]) != list(range(count)):
        return None
    return [found[piece] if n % 2 else piece for n, piece in enumerate(pieces)]
