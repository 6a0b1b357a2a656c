"""Reads for internal transfers between locality teams (003 §11): who may do what, the child's transfers,
the Transfers home page lists and the responsibility line every child page shows (§11.6).

Access follows the child: a view first calls `cases.selectors.core.child_get_for_user` (404 outside the
user's scope; the receiving team of an active transfer is in scope), then `transfer_get_for_child`
(404 if not the child's). Who may act is decided here, once, so pages and services agree; a user who may
not act gets the same 404 as an outsider.
"""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from cases.models import Child, Obligation, Role, Team, User
from cases.selectors.allocation import CASE_HOLDING_ROLES
from mappa.models import MappaRecord

from ..models import InternalTransfer

MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER})
OUTSTANDING = (Obligation.Status.OPEN, Obligation.Status.OVERDUE)
# The obligations the child's Transfers tab lists (the rules module's codes, timescales.md).
TRANSFER_CODE_PREFIXES = ("transfer.", "transfer_out.", "transfer_in.", "caretaking.")
Status = InternalTransfer.Status


def _is_manager_of(user, team_id) -> bool:
    """A team manager or advanced practitioner of this team."""
    return bool(team_id) and user.role in MANAGER_ROLES and user.team_id == team_id


def _is_sm(user) -> bool:
    """The service manager (escalations, 003 §11.4)."""
    return user.role == Role.SERVICE_MANAGER


# ---------------------------------------------------------------------------------------------------
# Fetching


def transfer_get_for_child(*, child: Child, pk) -> InternalTransfer:
    """One of the child's internal transfers (the child already fetched with the user's scope); else 404."""
    try:
        return InternalTransfer.objects.select_related(
            "from_team",
            "to_team",
            "from_case_manager",
            "to_case_manager",
            "proposed_by",
            "endorsed_by",
            "allocated_by",
        ).get(child=child, pk=pk)
    except (InternalTransfer.DoesNotExist, ValueError, TypeError):
        raise Http404("No transfer found") from None


def active_transfer_for_child(*, child) -> InternalTransfer | None:
    """The child's active internal transfer, if any (one query): there is at most one (003 §11)."""
    return (
        InternalTransfer.objects.filter(child_id=child.pk, status__in=InternalTransfer.ACTIVE)
        .select_related("to_team")
        .order_by("-pk")
        .first()
    )


def transfers_for_child(*, child) -> list[InternalTransfer]:
    """Every internal transfer of the child, latest first (one query)."""
    return list(
        InternalTransfer.objects.filter(child=child).select_related(
            "from_team", "to_team", "from_case_manager", "to_case_manager"
        )
    )


def transfer_obligations(*, child) -> list[Obligation]:
    """The child's transfer, transfer in/out and caretaking obligations (one query)."""
    q = Q()
    for prefix in TRANSFER_CODE_PREFIXES:
        q |= Q(code__startswith=prefix)
    return list(Obligation.objects.filter(q, child=child).order_by("position"))


# ---------------------------------------------------------------------------------------------------
# Who may act (003 §11.4-§11.7)


def can_propose(*, user, child) -> bool:
    """The child's case manager, or a TM/AP of the child's team, proposes a transfer (003 §11.4)."""
    return child.case_manager_id == user.pk or _is_manager_of(user, child.team_id)


def can_decide(*, user, transfer: InternalTransfer, child=None) -> bool:
    """Endorse or decline: the current case manager's line manager or a TM/AP of the sending team; once
    escalated, only the service manager (003 §11.4)."""
    if not transfer.can_move_to(Status.ENDORSED):
        return False
    if transfer.status == Status.ESCALATED:
        return _is_sm(user)
    child = child or transfer.child
    manager_id = child.case_manager.line_manager_id if child.case_manager_id else None
    return (manager_id is not None and manager_id == user.pk) or _is_manager_of(user, transfer.from_team_id)


def can_escalate(*, user, transfer: InternalTransfer) -> bool:
    """Record that the locality managers disagree: a TM/AP of the receiving team (003 §11.4), before the
    receiving team allocates."""
    return transfer.can_move_to(Status.ESCALATED) and _is_manager_of(user, transfer.to_team_id)


def can_record_mappa(*, user, transfer: InternalTransfer, child=None) -> bool:
    """Record the MAPPA meeting's endorsement (003 §11.5): those who propose or decide, or the service
    manager, before the receiving team allocates."""
    if transfer.status not in InternalTransfer.MAPPA_ENDORSABLE:
        return False
    child = child or transfer.child
    return (
        _is_sm(user)
        or can_propose(user=user, child=child)
        or _is_manager_of(user, transfer.from_team_id)
        or (child.case_manager_id and child.case_manager.line_manager_id == user.pk)
    )


def can_allocate(*, user, transfer: InternalTransfer) -> bool:
    """A TM/AP of the receiving team allocates an endorsed transfer (003 §11.4)."""
    return transfer.can_move_to(Status.ALLOCATED) and _is_manager_of(user, transfer.to_team_id)


def can_record_meeting(*, user, transfer: InternalTransfer, child=None) -> bool:
    """The current or new case manager, or a TM/AP of either team, records the three-way meeting (§11.7)."""
    if not transfer.can_move_to(Status.COMPLETED):
        return False
    child = child or transfer.child
    return (
        user.pk in (child.case_manager_id, transfer.to_case_manager_id)
        or _is_manager_of(user, transfer.from_team_id)
        or _is_manager_of(user, transfer.to_team_id)
    )


def can_withdraw(*, user, transfer: InternalTransfer) -> bool:
    """The proposer, a TM/AP of either team or the service manager withdraws an active transfer."""
    if not transfer.can_move_to(Status.WITHDRAWN):
        return False
    return (
        user.pk == transfer.proposed_by_id
        or _is_sm(user)
        or _is_manager_of(user, transfer.from_team_id)
        or _is_manager_of(user, transfer.to_team_id)
    )


def actions_for(*, user, transfer: InternalTransfer, child) -> dict[str, bool]:
    """Every permission the detail page needs, computed once."""
    return {
        "decide": can_decide(user=user, transfer=transfer, child=child),
        "escalate": can_escalate(user=user, transfer=transfer),
        "mappa": can_record_mappa(user=user, transfer=transfer, child=child),
        "allocate": can_allocate(user=user, transfer=transfer),
        "meeting": can_record_meeting(user=user, transfer=transfer, child=child),
        "withdraw": can_withdraw(user=user, transfer=transfer),
    }


# ---------------------------------------------------------------------------------------------------
# Choices


def locality_teams_for(*, child) -> QuerySet[Team]:
    """The other locality teams a child may transfer to (003 §11.1)."""
    return Team.objects.filter(kind=Team.Kind.LOCALITY).exclude(pk=child.team_id).order_by("name")


def receiving_candidates(*, transfer: InternalTransfer) -> QuerySet[User]:
    """Active staff of the receiving team who can hold cases (003 §11.4)."""
    return (
        User.objects.filter(is_active=True, team_id=transfer.to_team_id, role__in=CASE_HOLDING_ROLES)
        .exclude(role=Role.STUDENT)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )


def mappa_needs_endorsement(*, child) -> bool:
    """003 §11.5: the child is managed under MAPPA at level 2 or 3 (an open record)."""
    return MappaRecord.objects.filter(child=child, ended_on__isnull=True, current_level__in=(2, 3)).exists()


# ---------------------------------------------------------------------------------------------------
# The Transfers home page


def _due_subquery(code: str) -> Subquery:
    """The outstanding obligation's due date for the transfer's child (annotated: no per-row query)."""
    return Subquery(
        Obligation.objects.filter(child_id=OuterRef("child_id"), code=code, status__in=OUTSTANDING)
        .order_by("due")
        .values("due")[:1]
    )


def _listing(qs: QuerySet[InternalTransfer]) -> QuerySet[InternalTransfer]:
    """A home page list with everything a row shows in the same query."""
    return (
        qs.select_related(
            "child", "child__case_manager", "from_team", "to_team", "from_case_manager", "to_case_manager"
        )
        .annotate(
            allocate_due=_due_subquery("transfer.allocate"),
            meeting_due=_due_subquery("transfer.three_way_meeting"),
        )
        .order_by("proposed_on", "pk")
    )


def incoming_for_user(*, user) -> QuerySet[InternalTransfer]:
    """Transfers endorsed to the user's team waiting to be allocated or met (TM/AP, 003 §11.4, §11.7)."""
    if user.role not in MANAGER_ROLES or not user.team_id:
        return InternalTransfer.objects.none()
    return _listing(
        InternalTransfer.objects.filter(
            to_team_id=user.team_id, status__in=(Status.ENDORSED, Status.ALLOCATED)
        )
    )


def outgoing_for_user(*, user) -> QuerySet[InternalTransfer]:
    """The user's team's transfers waiting for endorsement, allocation or the three-way meeting (TM/AP)."""
    if user.role not in MANAGER_ROLES or not user.team_id:
        return InternalTransfer.objects.none()
    return _listing(
        InternalTransfer.objects.filter(from_team_id=user.team_id, status__in=InternalTransfer.ACTIVE)
    )


def escalations_for_user(*, user) -> QuerySet[InternalTransfer]:
    """Transfers the locality managers could not agree, for the service manager (003 §11.4)."""
    if not _is_sm(user):
        return InternalTransfer.objects.none()
    return _listing(InternalTransfer.objects.filter(status=Status.ESCALATED))


def mine_for_user(*, user) -> QuerySet[InternalTransfer]:
    """Active transfers of children the user holds now or will hold after the three-way meeting."""
    return _listing(
        InternalTransfer.objects.filter(status__in=InternalTransfer.ACTIVE).filter(
            Q(child__case_manager_id=user.pk) | Q(to_case_manager_id=user.pk)
        )
    )


def days_waiting(transfer: InternalTransfer, today: datetime.date) -> int | None:
    """Calendar days since the step the transfer waits on began (endorsement, allocation, proposal)."""
    starts: dict[str, datetime.date | None] = {
        Status.ENDORSED: transfer.endorsed_on,
        Status.ALLOCATED: transfer.allocated_on,
        Status.ESCALATED: transfer.escalated_on,
    }
    start = starts.get(transfer.status, transfer.proposed_on)
    return (today - start).days if start else None
