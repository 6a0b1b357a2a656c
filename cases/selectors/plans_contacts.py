"""Reads for a child's programmes, plans and contacts, and the compliance summary of 000 App. B.

Every function takes a child the caller has already fetched with `child_get_for_user` (404 outside the
user's scope); a record id that belongs to another child is a 404 too.
"""

import datetime

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from ..models import Child, Contact, Obligation, Plan, Programme
from ..rules.calendar import add_months_raw

# ---------------------------------------------------------------------------------------------------
# Programmes


def programmes_for_child(*, child: Child) -> QuerySet[Programme]:
    """The child's programmes: open ones first (newest start first), then closed ones (latest end first)."""
    return (
        child.programmes.select_related("created_by")
        .annotate(closed=Q(end_date__isnull=False))
        .order_by("closed", F("end_date").desc(nulls_first=True), "-start_date", "-pk")
    )


def programme_get_for_child(*, child: Child, pk) -> Programme:
    """One of the child's programmes; 404 for anything else."""
    try:
        return child.programmes.get(pk=pk)
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise Http404("No programme found") from None


# ---------------------------------------------------------------------------------------------------
# Plans


def plans_for_child(*, child: Child) -> QuerySet[Plan]:
    """The child's plans and reviews, latest completed first, with what each reviews (one query)."""
    return child.plans.select_related("author", "programme", "reviews").order_by(
        "-completed_on", "-created_at", "-pk"
    )


def plan_get_for_child(*, child: Child, pk) -> Plan:
    """One of the child's plans; 404 for anything else."""
    try:
        return child.plans.select_related("programme").get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404("No plan found") from None


# ---------------------------------------------------------------------------------------------------
# Contacts


def contacts_for_child(*, child: Child) -> QuerySet[Contact]:
    """The child's contacts and appointments, newest first, with who held and recorded them."""
    return child.contacts.select_related("worker", "author").order_by(
        "-date", F("time").desc(nulls_last=True), "-created_at", "-pk"
    )


def contact_get_for_child(*, child: Child, pk) -> Contact:
    """One of the child's contacts; 404 for anything else."""
    try:
        return child.contacts.get(pk=pk)
    except (Contact.DoesNotExist, ValueError, TypeError):
        raise Http404("No contact found") from None


def contact_compliance_default_period(
    *, child: Child, today: datetime.date
) -> tuple[datetime.date, datetime.date, str]:
    """The compliance report's default period and why: from the start of the child's current
    (latest-started) open programme, or the last 3 months if none is open, to today."""
    current = (
        child.programmes.filter(end_date__isnull=True, start_date__lte=today)
        .order_by("-start_date", "-pk")
        .only("kind", "start_date")
        .first()
    )
    if current is None:
        return add_months_raw(today, -3), today, "the last 3 months"
    return current.start_date, today, f"since the {current.get_kind_display()} started"


def contact_compliance_summary(*, child: Child, start: datetime.date, end: datetime.date) -> dict:
    """The compliance report for a CMM (000 App. B, 000 §1.3) over appointments dated start..end inclusive.

    Only appointments given to the child count (`is_appointment`); other contacts are not appointments.
    Runs two queries whatever the number of contacts. Returns::

        {
            "start": date, "end": date,            # the period, as given
            "appointments_given": int,             # appointments dated in the period, any outcome
            "kept": int,                           # ... kept
            "acceptable_failures": int,            # ... failed with an acceptable explanation
            "unacceptable_failures": int,          # ... failed without one (each starts a compliance CMM)
            "awaiting_outcome": int,               # ... still booked (outcome not yet recorded)
            "non_compliance": [                    # every failure (acceptable or not), oldest first
                {
                    "pk": int, "date": date, "time": time | None,
                    "kind": str, "kind_display": str,          # the nature of the requirement
                    "outcome": str, "outcome_display": str,
                    "acceptable": bool,
                    "explanation": str,                        # any explanation given
                    "notes": str,                              # including any action taken
                },
                ...
            ],
        }

    appointments_given == kept + acceptable_failures + unacceptable_failures + awaiting_outcome.
    """
    out = Contact.Outcome
    appointments = child.contacts.filter(is_appointment=True, date__gte=start, date__lte=end)
    counts = appointments.aggregate(
        appointments_given=Count("pk"),
        kept=Count("pk", filter=Q(outcome=out.KEPT)),
        acceptable_failures=Count("pk", filter=Q(outcome=out.ACCEPTABLE_FAILURE)),
        unacceptable_failures=Count("pk", filter=Q(outcome=out.UNACCEPTABLE_FAILURE)),
        awaiting_outcome=Count("pk", filter=Q(outcome=out.BOOKED)),
    )
    kinds, outcomes = dict(Contact.Kind.choices), dict(out.choices)
    non_compliance = [
        {
            "pk": pk,
            "date": date,
            "time": time,
            "kind": kind,
            "kind_display": kinds.get(kind, kind),
            "outcome": outcome,
            "outcome_display": outcomes.get(outcome, outcome),
            "acceptable": outcome == out.ACCEPTABLE_FAILURE,
            "explanation": explanation,
            "notes": notes,
        }
        for pk, date, time, kind, outcome, explanation, notes in appointments.filter(
            outcome__in=[out.ACCEPTABLE_FAILURE, out.UNACCEPTABLE_FAILURE]
        )
        .order_by("date", F("time").asc(nulls_first=True), "pk")
        .values_list("pk", "date", "time", "kind", "outcome", "explanation", "notes")
    ]
    return {"start": start, "end": end, **counts, "non_compliance": non_compliance}


def compliance_cmms_outstanding(*, child: Child) -> list[Obligation]:
    """The child's stored compliance CMM obligations not yet met (000 §1.3), soonest first."""
    return list(
        child.obligations.filter(
            code="cmm.compliance", status__in=[Obligation.Status.OPEN, Obligation.Status.OVERDUE]
        ).order_by("position")
    )
