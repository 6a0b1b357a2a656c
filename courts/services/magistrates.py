"""Writes for Magistrates' Court tracking (003 §10, App. C).

Children awaiting a hearing are listed (from the 'Future Court' report), screened by the Court lead TM/AP
with the App. C questions, and offered My Futures; an accepted offer starts a `my_future` programme
(§10.3), allocated from the child's Allocation tab. Where an entry may go next is
`AwaitingHearing.TRANSITIONS`.

Every write is audited against the child; a screening and an answer write a Court event on the timeline.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, EventType, Programme, User
from cases.selectors.core import children_for_user
from cases.services.core import event_create
from cases.services.programmes import programme_create
from core.audit import audit_record
from core.models import AuditEntry
from core.services import locked

from ..models import AwaitingHearing
from ..selectors import tracking as selectors

APP_C_FIELDS = ("adjournment_over_six_weeks", "risk_to_others", "no_other_agencies")
DEFAULT_COURT = "Nottingham Magistrates' Court"


def _check_court_manager(user: User, child: Child) -> None:
    """003 §10.1: the Court lead TM/AP (or the service manager) keeps the list, for children they see."""
    if not selectors.is_court_manager(user):
        raise ValidationError(
            "Only a team manager or advanced practitioner can keep the Magistrates' Court tracking list."
        )
    if not children_for_user(user=user).filter(pk=child.pk).exists():
        raise ValidationError("You cannot add this child.")


def _locked_hearing(hearing: AwaitingHearing) -> AwaitingHearing:
    """The entry locked for this transaction, so two managers cannot decide it at once."""
    return locked(hearing, "child", "programme")


def _yes_no(value: bool | None) -> str:
    """An App. C answer in words (the fields are nullable; a screening is recorded only once all three are
    answered, see `_check_screening`)."""
    return "Yes" if value else "No"


@transaction.atomic
def awaiting_hearing_add(
    *,
    user: User,
    child: Child,
    hearing_on: datetime.date,
    offence: str,
    listed_on: datetime.date,
    court: str = DEFAULT_COURT,
) -> AwaitingHearing:
    """Put a child awaiting a Magistrates' Court hearing on the court lead's list (003 §10.1; App. C
    from the 'Future Court' report)."""
    _check_court_manager(user, child)
    if listed_on > timezone.localdate():
        raise ValidationError("The date added to the list must be today or in the past.")
    if hearing_on < listed_on:
        raise ValidationError("The hearing must be on or after the date the child was added to the list.")
    if AwaitingHearing.objects.filter(
        child=child, hearing_on=hearing_on, decision__in=AwaitingHearing.ON_LIST
    ).exists():
        raise ValidationError(
            f"{child.full_name} is already on the list for the hearing on {hearing_on:%-d %B %Y}."
        )
    hearing = AwaitingHearing(
        child=child,
        hearing_on=hearing_on,
        court=(court or "").strip() or DEFAULT_COURT,
        offence=(offence or "").strip(),
        listed_on=listed_on,
        created_by=user,
    )
    # The App. C answers are unknown until screened (null); the model's fields lack blank=True.
    hearing.full_clean(exclude=list(APP_C_FIELDS))
    hearing.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=hearing,
        child=child,
        description=f"Added to the Magistrates' Court tracking list: hearing on {hearing_on:%d/%m/%Y}",
    )
    return hearing


def _check_screening(
    *, hearing: AwaitingHearing, answers: tuple, decision: str, decision_notes: str, programmes: list
) -> None:
    """The screening may change, App. C is answered, a child already on a programme is not offered a
    second one, and a decision against App. C's suggestion has a note (003 §10.2: the questions are
    indicators, the manager decides; being on a programme is the reason itself)."""
    if not hearing.is_screenable:
        raise ValidationError("The child has answered the offer: the screening can no longer change.")
    if any(a is None for a in answers):
        raise ValidationError("Answer all three App. C questions.")
    if decision not in AwaitingHearing.SCREEN_DECISIONS:
        raise ValidationError("Choose whether to offer My Futures.")
    if programmes:
        if decision == AwaitingHearing.Decision.OFFER:
            raise ValidationError(selectors.already_on_programme_message(hearing.child, programmes))
        return
    adjournment, risk, no_agencies = answers
    suggests = selectors.app_c_suggests_offer(adjournment=adjournment, risk=risk, no_agencies=no_agencies)
    if (decision == AwaitingHearing.Decision.OFFER) != suggests and not decision_notes:
        word = "an offer" if suggests else "no offer"
        raise ValidationError(
            f"The App. C answers suggest {word}: enter a note explaining your decision (003 §10.2)."
        )


def _screening_details(hearing: AwaitingHearing, programmes: list) -> str:
    """The timeline text of a screening: the hearing, the App. C answers, the circumstances and note."""
    details = [
        f"Hearing: {hearing.hearing_on:%-d %B %Y} at {hearing.court} ({hearing.offence})",
        f"Adjournment of more than six weeks: {_yes_no(hearing.adjournment_over_six_weeks)}",
        f"Offence indicates a risk to others: {_yes_no(hearing.risk_to_others)}",
        f"No other agencies involved: {_yes_no(hearing.no_other_agencies)}",
    ]
    if hearing.circumstances:
        details.append(f"Circumstances (003 §10.2): {hearing.circumstances}")
    if programmes:
        details.append(
            f"Already on a programme ({selectors.programmes_words(programmes)}): no second, parallel programme."
        )
    if hearing.decision_notes:
        details.append(f"Note: {hearing.decision_notes}")
    return "\n".join(details)


@transaction.atomic
def awaiting_hearing_screen(
    *,
    hearing: AwaitingHearing,
    user: User,
    adjournment_over_six_weeks: bool,
    risk_to_others: bool,
    no_other_agencies: bool,
    decision: str,
    circumstances: str = "",
    decision_notes: str = "",
) -> AwaitingHearing:
    """Screen a child awaiting a hearing with the App. C questions and decide whether to offer My
    Futures (003 §10.1-§10.2). The questions are indicators: a decision against App. C's suggestion
    needs a note. A child already on a programme is screened (the list covers every child awaiting a
    hearing) but not offered My Futures: that would be a second, parallel programme with duplicate
    obligations. May be screened again until the child answers the offer."""
    current = _locked_hearing(hearing)
    child = current.child
    _check_court_manager(user, child)
    decision_notes = (decision_notes or "").strip()
    programmes = selectors.open_programmes(child)
    _check_screening(
        hearing=current,
        answers=(adjournment_over_six_weeks, risk_to_others, no_other_agencies),
        decision=decision,
        decision_notes=decision_notes,
        programmes=programmes,
    )
    current.adjournment_over_six_weeks = adjournment_over_six_weeks
    current.risk_to_others = risk_to_others
    current.no_other_agencies = no_other_agencies
    current.circumstances = (circumstances or "").strip()
    current.decision = decision
    current.decision_notes = decision_notes
    current.screened_by = user
    current.screened_on = timezone.localdate()
    current.full_clean()
    current.save()
    label = current.get_decision_display()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=child,
        description=f"Screened for Magistrates' Court tracking (App. C): {label}",
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.COURT,
        occurred_on=current.screened_on,
        summary=f"Magistrates' Court tracking screening: {label}",
        details=_screening_details(current, programmes),
        source=f"awaiting_hearing:{current.pk}",
    )
    return current


@transaction.atomic
def awaiting_hearing_respond(
    *, hearing: AwaitingHearing, user: User, accepted: bool, responded_on: datetime.date, notes: str = ""
) -> AwaitingHearing:
    """Record the child's answer to the My Futures offer; an acceptance starts the `my_future` programme
    on that day (003 §10.3), for the case manager to be allocated from the Allocation tab."""
    current = _locked_hearing(hearing)
    child = current.child
    _check_court_manager(user, child)
    if not current.awaits_answer:
        raise ValidationError("Record an answer only once My Futures has been offered.")
    if responded_on > timezone.localdate():
        raise ValidationError("The date of the answer must be today or in the past.")
    if current.screened_on and responded_on < current.screened_on:
        raise ValidationError(
            f"The date of the answer must be on or after the screening, {current.screened_on:%-d %B %Y}."
        )
    notes = (notes or "").strip()
    word = "Accepted" if accepted else "Declined"
    line = f"{word} on {responded_on:%d/%m/%Y}" + (f": {notes}" if notes else "")
    current.decision_notes = "\n".join(filter(None, [current.decision_notes, line]))
    if accepted:
        # A programme started since the offer (a sentence, say): no second, parallel one (003 §10).
        if programmes := selectors.open_programmes(child):
            raise ValidationError(
                selectors.already_on_programme_message(child, programmes).replace(
                    "choose No offer", "change the screening to No offer"
                )
            )
        current.programme = programme_create(
            child=child, user=user, kind=Programme.Kind.MY_FUTURE, start_date=responded_on
        )
        current.decision = AwaitingHearing.Decision.ACCEPTED
    else:
        current.decision = AwaitingHearing.Decision.DECLINED
    current.full_clean()
    current.save(update_fields=["decision", "decision_notes", "programme"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        child=child,
        description=f"My Futures offer {word.lower()} on {responded_on:%d/%m/%Y}",
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.COURT,
        occurred_on=responded_on,
        summary=f"My Futures offer {word.lower()} (Magistrates' Court tracking)"
        + (": allocate a case manager" if accepted else ""),
        details=notes,
        source=f"awaiting_hearing:{current.pk}",
    )
    return current
