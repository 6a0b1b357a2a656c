"""Transfer steps waiting on the people who must act (core.registry waiting work).

003 §11.4 names who acts at each step of an internal transfer, but gives only the allocation a timescale
(`transfer.allocate`, 2 working days, an obligation on the child that alerts its case manager, who is not
the one who allocates). So the steps are not obligations: each is a "Waiting for you" item on My work of
the person who must act, and a notification raised as soon as the step begins (alerts):

- proposed: the current case manager's line manager and the sending team's TM/APs endorse or decline;
- escalated: the service manager decides ("If a case transfer can not be agreed by the Locality
  Managers, this should be escalated to the Service Manager");
- endorsed: the receiving team's TM/APs allocate (within 2 working days);
- a transfer in received: the receiving team's TM/APs review it (003 §12.4).

Who is named here is who the transfer pages let act (transfers/selectors), so a link never leads to a 404.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse

from cases.models import Role, User
from cases.policy import timescale_text
from core.registry import WaitingItem

from .models import InternalTransfer, TransferIn
from .selectors.external import DECIDER_ROLES

Status = InternalTransfer.Status
MANAGER_ROLES = (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER)
WAITING = (Status.PROPOSED, Status.ESCALATED, Status.ENDORSED)


def _managers_by_team(team_ids: set[int], roles) -> dict[int, list[int]]:
    """Active TM/APs (or the given roles) of each team, in one query."""
    out: dict[int, list[int]] = defaultdict(list)
    rows = User.objects.filter(is_active=True, role__in=roles, team_id__in=team_ids).values_list(
        "team_id", "pk"
    )
    for team_id, pk in rows:
        out[team_id].append(pk)
    return out


def _service_managers() -> list[int]:
    return list(User.objects.filter(is_active=True, role=Role.SERVICE_MANAGER).values_list("pk", flat=True))


def _internal_q(user) -> Q:
    """The transfers that may wait on this user (a superset: recipients decide)."""
    q = Q(status=Status.PROPOSED, child__case_manager__line_manager_id=user.pk)
    if user.role == Role.SERVICE_MANAGER:
        q |= Q(status=Status.ESCALATED)
    if user.role in MANAGER_ROLES and user.team_id:
        q |= Q(status=Status.PROPOSED, from_team_id=user.team_id)
        q |= Q(status=Status.ENDORSED, to_team_id=user.team_id)
    return q


def _internal_item(t: InternalTransfer, managers: dict[int, list[int]], sms: list[int]) -> WaitingItem | None:
    """The step this transfer waits on, and who must take it."""
    child = t.child
    common = {
        "child_id": child.pk,
        "child_name": child.full_name,
        "case_number": child.case_number,
        "basis": "003 §11.4",
    }
    if t.status == Status.PROPOSED:
        manager = child.case_manager.line_manager if child.case_manager is not None else None
        line = [manager.pk] if manager is not None and manager.is_active else []
        return WaitingItem(
            key=f"transfer:{t.pk}:endorse",
            code="transfer.endorse",
            title=f"Endorse or decline the transfer to {t.to_team}",
            link=reverse("internal_transfer_decide", args=[child.pk, t.pk]),
            since=t.proposed_on,
            recipients=tuple(dict.fromkeys([*line, *managers.get(t.from_team_id, [])])),
            detail=f"Proposed by {t.proposed_by} on {t.proposed_on:%-d %B %Y}",
            **common,
        )
    if t.status == Status.ESCALATED:
        return WaitingItem(
            key=f"transfer:{t.pk}:escalated",
            code="transfer.escalated",
            title=f"Decide the transfer from {t.from_team} to {t.to_team}: the locality managers disagree",
            link=reverse("internal_transfer_decide", args=[child.pk, t.pk]),
            since=t.escalated_on or t.proposed_on,
            recipients=tuple(sms),
            detail=t.escalation_reason[:200],
            **common,
        )
    if t.status == Status.ENDORSED:
        return WaitingItem(
            key=f"transfer:{t.pk}:allocate",
            code="transfer.allocate",
            title=f"Allocate the case transferred from {t.from_team}",
            link=reverse("internal_transfer_allocate", args=[child.pk, t.pk]),
            since=t.endorsed_on or t.proposed_on,
            recipients=tuple(managers.get(t.to_team_id, [])),
            detail=timescale_text("Within {transfer.allocate} of the endorsement"),
            **common,
        )
    return None


def _transfer_in_q(user) -> Q | None:
    """The transfers in that may wait on this user's decision."""
    if user.role == Role.SERVICE_MANAGER:
        return Q()
    if user.role in DECIDER_ROLES and user.team_id:
        return Q(team_id=user.team_id)
    return None


def transfers_waiting(*, user=None) -> list[WaitingItem]:
    """Internal transfers waiting for endorsement, escalation or allocation, and transfers in waiting for
    the receiving team's review, each with who must act (with `user`: those that may wait on them)."""
    internal = InternalTransfer.objects.filter(status__in=WAITING, child__is_open=True)
    # A stayed request waits on the home YJS first (003 §12.4), so only a received one waits on us.
    incoming = TransferIn.objects.filter(status=TransferIn.Status.RECEIVED, child__isnull=False)
    if user is not None:
        internal = internal.filter(_internal_q(user))
        q = _transfer_in_q(user)
        incoming = incoming.filter(q) if q is not None else incoming.none()
    internal_rows = list(
        internal.select_related(
            "child",
            "child__case_manager",
            "child__case_manager__line_manager",
            "from_team",
            "to_team",
            "proposed_by",
        )
    )
    incoming_rows = list(incoming.select_related("child", "team"))
    if not internal_rows and not incoming_rows:
        return []
    teams = {t.from_team_id for t in internal_rows} | {t.to_team_id for t in internal_rows}
    managers = _managers_by_team(teams, MANAGER_ROLES)
    deciders = _managers_by_team({t.team_id for t in incoming_rows}, DECIDER_ROLES)
    sms = _service_managers()
    items = [item for t in internal_rows if (item := _internal_item(t, managers, sms)) is not None]
    for t in incoming_rows:
        items.append(
            WaitingItem(
                key=f"transfer_in:{t.pk}:decide",
                code="transfer_in.decide",
                title=f"Review the transfer in from {t.home_yjs}: accept, stay or reject",
                link=reverse("transfer_in_decide", args=[t.pk]),
                since=t.received_on,
                recipients=tuple(deciders.get(t.team_id, []) or sms),
                child_id=t.child_id,
                child_name=t.child.full_name if t.child else f"{t.first_name} {t.last_name}",
                case_number=t.child.case_number if t.child else "",
                basis="003 §12.4",
                detail=timescale_text(
                    "The supervision requirements are due to the home YJS within {transfer_in.confirm}"
                ),
            )
        )
    return [item for item in items if item.recipients]
