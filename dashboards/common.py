"""Reads shared by the team and compliance dashboards."""

import datetime

from django.db.models import DateField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate

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
