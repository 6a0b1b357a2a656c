"""What the staff records' checks look up here (onboarding.validate.staff_records): the records an earlier
import made, the decisions already behind an oversight holder, the covers already in a leave, and staff's
roles. Each is one or two queries for all the rows of a file."""

from __future__ import annotations

from django.db.models.functions import Lower

from cases.models import LeaveCover, User
from supervision.models import OversightDecision, OversightHolder

from ..models import ImportedRecord
from .rows import Row


def imported(kind: str, ids: set[str]) -> dict[str, int]:
    """The record each of these old ids made in an earlier import of this kind, by old id."""
    if not ids:
        return {}
    return dict(
        ImportedRecord.objects.filter(kind=kind, external_id__in=ids).values_list("external_id", "object_id")
    )


def _old_ids(kind: str, pks) -> dict[int, str]:
    """The old id of each of these records an import made of this kind, by primary key."""
    return {
        pk: ext
        for ext, pk in ImportedRecord.objects.filter(kind=kind, object_id__in=pks).values_list(
            "external_id", "object_id"
        )
    }


def staff_roles(staff_rows: list[Row], emails: set[str]) -> dict[str, str]:
    """Each member of staff's role, by email (lower case, as the cells are read): staff.csv's, else the one
    here, whatever the case of the address stored."""
    roles = {r["Email"]: r["Role"] for r in staff_rows}
    here = User.objects.annotate(address=Lower("email")).filter(address__in=emails - set(roles))
    for email, role in here.values_list("address", "role"):
        roles.setdefault(email, role)
    return roles


def decisions_held(rows: list[Row]) -> dict[str, str]:
    """Each decision the rows name that is behind a holder here already (OversightHolder.decision is
    one-to-one): that holder's old id (blank for a holder no import made), by the decision's old id."""
    decisions = imported("oversight_decisions", {r["Decision ID"] for r in rows if r["Decision ID"]})
    by_pk = {pk: ext for ext, pk in decisions.items()}
    holders = dict(OversightHolder.objects.filter(decision_id__in=by_pk).values_list("pk", "decision_id"))
    ids = _old_ids("oversight_holders", holders)
    return {by_pk[decision]: ids.get(pk, "") for pk, decision in holders.items()}


def covers_here(rows: list[Row]) -> dict[tuple[str, str], str]:
    """The covers here of the leave the rows name (imported before; LeaveCover: one per case in a leave):
    the cover's old id (blank for one no import made), by the leave's old id and the case number."""
    leave = imported("leave", {r["Leave ID"] for r in rows})
    by_pk = {pk: ext for ext, pk in leave.items()}
    covers = {
        pk: (by_pk[leave_id], number)
        for pk, leave_id, number in LeaveCover.objects.filter(leave_id__in=by_pk).values_list(
            "pk", "leave_id", "child__case_number"
        )
    }
    ids = _old_ids("leave_cover", covers)
    return {key: ids.get(pk, "") for pk, key in covers.items()}


def decision_labels(decision_rows: list[Row], rows: list[Row]) -> dict[str, str]:
    """The label of each decision the rows name, by its old id: oversight_decisions.csv's, else the one an
    earlier import made."""
    labels = {r["Decision ID"]: r["Label"] for r in decision_rows}
    earlier = imported(
        "oversight_decisions", {r["Decision ID"] for r in rows if r["Decision ID"]} - set(labels)
    )
    by_pk = {pk: ext for ext, pk in earlier.items()}
    for pk, label in OversightDecision.objects.filter(pk__in=by_pk).values_list("pk", "label"):
        labels[by_pk[pk]] = label
    return labels
