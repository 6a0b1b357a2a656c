"""Writes for plans (and their reviews) and contacts (and appointments' outcomes).

Plans meet the plan timescales of the 001 §6 table; kept contacts meet contact timescales and an
unacceptable failure starts the compliance CMM timescale (000 §1.3). Each write is audited, writes a
timeline event whose source names the record, and queues the child's obligations to be recomputed.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEntry

from ..models import Child, Contact, EventType, Plan, Programme
from .core import event_create


def _plan_summary(plan: Plan) -> str:
    """The plan as the timeline names it."""
    if plan.is_review:
        return f"Review of {plan.get_kind_display().lower()} completed"
    return f"{plan.get_kind_display()} completed"


@transaction.atomic
def plan_create(
    *,
    child: Child,
    author,
    kind: str,
    completed_on: datetime.date,
    objectives: str,
    child_views: str = "",
    next_review: datetime.date | None = None,
    programme: Programme | None = None,
    reviews: Plan | None = None,
) -> Plan:
    """Record a completed plan, or a review of one when `reviews` is given (001 §6 table).

    A review takes the kind of the plan it reviews. Raises ValueError if the programme or the reviewed
    plan belongs to another child.
    """
    if programme is not None and programme.child_id != child.pk:
        raise ValueError("The programme is not this child's")
    if reviews is not None:
        if reviews.child_id != child.pk:
            raise ValueError("The plan being reviewed is not this child's")
        kind = reviews.kind
    plan = Plan(
        child=child,
        programme=programme,
        kind=kind,
        is_review=reviews is not None,
        reviews=reviews,
        completed_on=completed_on,
        objectives=objectives,
        child_views=child_views,
        next_review=next_review,
        author=author,
    )
    plan.full_clean()
    plan.save()
    audit_record(
        user=author,
        action=AuditEntry.Action.CREATE,
        obj=plan,
        child=child,
        description=f"{_plan_summary(plan)} on {completed_on:%d/%m/%Y}",
    )
    # event_create queues child_obligations_refresh_on_commit, so plan_completed counts once committed.
    event_create(
        child=child,
        author=author,
        event_type=EventType.PLAN,
        occurred_on=completed_on,
        summary=_plan_summary(plan),
        details=objectives,
        source=f"plan:{plan.pk}",
    )
    return plan


def plan_review(
    *,
    plan: Plan,
    author,
    completed_on: datetime.date,
    objectives: str,
    child_views: str = "",
    next_review: datetime.date | None = None,
    programme: Programme | None = None,
) -> Plan:
    """Record a review of a plan: a new Plan of the same kind with is_review set (001 §6 table)."""
    return plan_create(
        child=plan.child,
        author=author,
        kind=plan.kind,
        completed_on=completed_on,
        objectives=objectives,
        child_views=child_views,
        next_review=next_review,
        programme=programme if programme is not None else plan.programme,
        reviews=plan,
    )


def _contact_summary(contact: Contact) -> str:
    """The contact as the timeline names it: kind, appointment or not, and outcome."""
    what = "appointment" if contact.is_appointment else "contact"
    return f"{contact.get_kind_display()} {what}: {contact.get_outcome_display().lower()}"


def _contact_details(contact: Contact) -> str:
    """Explanation and notes for the timeline event."""
    parts = []
    if contact.explanation:
        parts.append(f"Explanation given: {contact.explanation}")
    if contact.notes:
        parts.append(contact.notes)
    return "\n\n".join(parts)


def _contact_event(*, contact: Contact, user) -> None:
    """The timeline entry for a contact whose outcome is known (none while it is only booked)."""
    event_create(
        child=contact.child,
        author=user,
        event_type=EventType.CONTACT,
        occurred_on=contact.date,
        summary=_contact_summary(contact),
        details=_contact_details(contact),
        source=f"contact:{contact.pk}",
    )


def _check_contact(*, is_appointment: bool, date: datetime.date, outcome: str, explanation: str) -> None:
    """The rules a contact's outcome must follow (000 App. B); ValueError when broken."""
    if outcome != Contact.Outcome.BOOKED and date > timezone.localdate():
        raise ValueError("An appointment in the future can only be recorded as booked")
    if outcome in Contact.FAILURES and not is_appointment:
        raise ValueError("Only an appointment given to the child can be recorded as a failure")
    if outcome in Contact.FAILURES and not explanation.strip():
        raise ValueError("Enter the explanation given, or say that none was given")


@transaction.atomic
def contact_create(
    *,
    child: Child,
    author,
    kind: str,
    date: datetime.date,
    outcome: str,
    is_appointment: bool = True,
    time: datetime.time | None = None,
    explanation: str = "",
    notes: str = "",
    worker=None,
    programme: Programme | None = None,
) -> Contact:
    """Record a contact or appointment; a kept one or a failure is also a timeline event.

    A kept contact meets contact timescales; an unacceptable failure starts the compliance CMM
    timescale, 10 working days (000 §1.3). Raises ValueError for an outcome the date or kind does not
    allow (a future appointment can only be booked).
    """
    _check_contact(is_appointment=is_appointment, date=date, outcome=outcome, explanation=explanation)
    if programme is not None and programme.child_id != child.pk:
        raise ValueError("The programme is not this child's")
    contact = Contact(
        child=child,
        programme=programme,
        kind=kind,
        is_appointment=is_appointment,
        date=date,
        time=time,
        outcome=outcome,
        explanation=explanation,
        notes=notes,
        worker=worker or author,
        author=author,
    )
    contact.full_clean()
    contact.save()
    audit_record(
        user=author,
        action=AuditEntry.Action.CREATE,
        obj=contact,
        child=child,
        description=f"Recorded {_contact_summary(contact)} on {date:%d/%m/%Y}",
    )
    if outcome != Contact.Outcome.BOOKED:
        # event_create queues child_obligations_refresh_on_commit.
        _contact_event(contact=contact, user=author)
    return contact


@transaction.atomic
def contact_outcome_record(*, contact: Contact, user, outcome: str, explanation: str = "") -> Contact:
    """Record the outcome of a booked appointment (kept, acceptable or unacceptable failure).

    Raises ValueError if its outcome is already recorded, the outcome is "booked", or it is in the future.
    """
    current = Contact.objects.select_for_update().select_related("child").get(pk=contact.pk)
    if not current.awaits_outcome:
        raise ValueError("The outcome of this appointment has already been recorded")
    if outcome == Contact.Outcome.BOOKED:
        raise ValueError("Choose the outcome of the appointment")
    _check_contact(
        is_appointment=current.is_appointment, date=current.date, outcome=outcome, explanation=explanation
    )
    current.outcome = outcome
    current.explanation = explanation
    current.full_clean()
    current.save(update_fields=["outcome", "explanation"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=current.child,
        description=f"Recorded the outcome: {_contact_summary(current)} on {current.date:%d/%m/%Y}",
    )
    _contact_event(contact=current, user=user)
    return current
