"""Form H waiting to be sent (001 §8), for the people who send it (core.registry waiting work).

001 §8: "If a case meets one of the below categories, the Initial Notification of MAPPA Eligible Offender
(MAPPA Form H) must be completed and sent to the MAPPA Co-ordination Unit". The policy states no
timescale, and the rules contract keeps `mappa.form_h` with no due date (timescales.md), so nothing is
invented here: Form H is outstanding from the day the child is found eligible until it is recorded as
sent. "Prompt at once" is this waiting item: on the My work of the child's team managers and advanced
practitioners (who keep the MAPPA record, `can_manage_mappa`), and a notification raised as the
eligibility is saved. An ended record, or a child no longer open, waits on nobody.
"""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse

from cases.models import MANAGER_ROLES, Role, User
from core.registry import WaitingItem

from .models import MappaRecord


def form_h_waiting(*, user=None) -> list[WaitingItem]:
    """Open MAPPA records without Form H, each for its team's TM/APs (the service managers when the team
    has none); with `user`, only those that may wait on them."""
    records = MappaRecord.objects.filter(
        form_h_sent_on__isnull=True, ended_on__isnull=True, child__is_open=True
    )
    if user is not None:
        if user.role in MANAGER_ROLES and user.team_id:
            records = records.filter(child__team_id=user.team_id)
        elif user.role != Role.SERVICE_MANAGER:
            return []
    rows = list(records.select_related("child"))
    if not rows:
        return []
    managers: dict[int, list[int]] = defaultdict(list)
    for team_id, pk in User.objects.filter(
        is_active=True, role__in=MANAGER_ROLES, team_id__in={r.child.team_id for r in rows}
    ).values_list("team_id", "pk"):
        managers[team_id].append(pk)
    sms = tuple(User.objects.filter(is_active=True, role=Role.SERVICE_MANAGER).values_list("pk", flat=True))
    return [
        WaitingItem(
            key=f"mappa:{r.pk}:form_h",
            code="mappa.form_h",
            title="Send MAPPA Form H to the MAPPA Co-ordination Unit and record the date",
            link=reverse("mappa_form_h", args=[r.child_id, r.pk]),
            since=r.identified_on,
            recipients=tuple(managers.get(r.child.team_id, [])) or sms,
            child_id=r.child_id,
            child_name=r.child.full_name,
            case_number=r.child.case_number,
            basis="001 §8",
            detail=f"Category {r.category}: outstanding until sent (the policy sets no timescale)",
        )
        for r in rows
    ]
