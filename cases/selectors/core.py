"""Reads for the cases app. One access predicate decides both lists and detail pages (architecture.md)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from core.models import AuditArchiveEntry, AuditEntry
from core.registry import registry

from ..models import Child, Event, Role, User


def held_children_q(*, user) -> Q:
    """The children a worker holds: as case manager or co-allocated worker (003 §5, §6)."""
    co = Child.co_workers.through.objects.filter(user=user).values("child_id")
    return Q(case_manager=user) | Q(pk__in=co)


def _child_scope_q(user) -> Q | None:
    """The children a user may see, as a filter; None means every child.

    Service manager: all. Team managers and advanced practitioners: their team's children.
    Everyone else: their team's children and those allocated or co-allocated to them.
    Administrators run the system (users, teams) and see no child records.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.SERVICE_MANAGER:
        return None
    if user.role == Role.ADMINISTRATOR:
        return Q(pk__in=[])
    held = held_children_q(user=user)
    if user.team_id:
        q = Q(team_id=user.team_id) | held
        # Children other apps let the user see (transfers: the receiving team, 003 §11.4-§11.7).
        for extension in registry.child_visibility:
            extra = extension(user)
            if extra is not None:
                q |= Q(pk__in=extra)
        return q
    return held


def children_for_user(*, user) -> QuerySet[Child]:
    """Every child the user may see (team, allocation, co-allocation or service-wide)."""
    q = _child_scope_q(user)
    qs = Child.objects.all()
    return qs if q is None else qs.filter(q)


def child_get_for_user(*, user, pk) -> Child:
    """The child with this pk if the user may see it; 404 otherwise, so existence is not disclosed."""
    try:
        return children_for_user(user=user).select_related("team", "case_manager").get(pk=pk)
    except (Child.DoesNotExist, ValueError, TypeError):
        raise Http404("No child found") from None


def event_get_for_user(*, user, child, pk) -> Event:
    """An event on a child the user can already see; 404 otherwise."""
    try:
        return child.events.select_related("author").get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404("No event found") from None


def caseload_for_worker(*, user, scope="mine", query="", risk="") -> QuerySet[Child]:
    """The caseload list: children held by the user, or their visible team/service, filtered."""
    qs = children_for_user(user=user).filter(is_open=True)
    if scope == "mine":
        qs = qs.filter(held_children_q(user=user))
    if query:
        q = query.strip()
        qs = qs.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(case_number__iexact=q))
    if risk:
        qs = qs.filter(Q(rosh=risk) | Q(saw=risk))
    return qs.select_related("team", "case_manager").order_by("last_name", "first_name", "pk")


def timeline_for_child(*, child) -> QuerySet[Event]:
    """The current version of each event, newest first, with authors (one query)."""
    return (
        child.events.filter(is_current=True)
        .select_related("author", "corrects")
        .order_by("-occurred_on", "-created_at")
    )


def event_versions(*, event) -> list[Event]:
    """Every version of an event, newest first, by walking the correction chain."""
    versions = []
    node = event
    while (newer := Event.objects.filter(corrects=node).first()) is not None:
        node = newer
    while node is not None:
        versions.append(node)
        node = node.corrects
    return versions


def audit_entries(*, user_query="", case_number="", archive=False) -> QuerySet:
    """The audit log, newest first, filtered by a user's name or a child's case number; with `archive`,
    the entries moved to the archive instead (core/audit_archive.py: the same columns and indexes).

    The names and the case number are looked up first in their own (small) tables, so the filter on the
    log itself is on `user_id` or `child_id`, which its indexes on (user, at, id) and (child, at, id)
    answer page by page however long the log grows (issue 19; paged with core.keyset)."""
    model = AuditArchiveEntry if archive else AuditEntry
    qs = model.objects.select_related("user", "child")
    if user_query:
        q = user_query.strip()
        users = User.objects.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        ).values_list("pk", flat=True)
        qs = _one_or_many(qs, "user_id", list(users))
    if case_number:
        children = Child.objects.filter(case_number__iexact=case_number.strip()).values_list("pk", flat=True)
        qs = _one_or_many(qs, "child_id", list(children))
    return qs.order_by("-at", "-pk")


def _one_or_many(qs: QuerySet, column: str, ids: list[int]) -> QuerySet:
    """Entries with `column` among `ids`, as equality when there is one: PostgreSQL then reads the
    (column, at, id) index in page order, where `IN (subquery)` may walk the whole log by time."""
    if len(ids) == 1:
        return qs.filter(**{column: ids[0]})
    return qs.filter(**{f"{column}__in": ids})


def obligations_for_child(*, child) -> QuerySet:
    """The child's stored obligations in the rules module's order (due, then code; undated last)."""
    return child.obligations.order_by("position")
