"""What calls a CMM (000 §1.3): a further offence (a re-offending CMM) and a bail application (a bail
strategy CMM before it). The rules module reads them as facts; these only record them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, EventType, User
from cases.services.core import event_create
from cases.signals import child_significant_change

from ..models import BailApplication, FurtherOffence


@transaction.atomic
def further_offence_record(
    *,
    child: Child,
    user: User,
    description: str,
    offence_date: datetime.date | None = None,
    psr_court_date: datetime.date | None = None,
    sentence_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> FurtherOffence:
    """Record a further offence: a re-offending CMM falls due before the PSR court date, or within 15
    working days of sentence where there is no PSR (000 §1.3)."""
    today = today or timezone.localdate()
    if psr_court_date is None and sentence_date is None:
        raise ValidationError("Enter the PSR court date or, if sentenced without a PSR, the sentence date.")
    if psr_court_date is not None and sentence_date is None and psr_court_date < today:
        raise ValidationError("The PSR court date has passed: enter the sentence date as well.")
    item = FurtherOffence(
        child=child,
        description=description.strip(),
        offence_date=offence_date,
        psr_court_date=psr_court_date,
        sentence_date=sentence_date,
        recorded_on=today,
        recorded_by=user,
    )
    item.full_clean()
    item.save()
    when = (
        f"PSR court date {psr_court_date:%-d %B %Y}"
        if psr_court_date
        else f"sentenced {sentence_date:%-d %B %Y}"
    )
    event_create(
        child=child,
        author=user,
        event_type=EventType.FURTHER_OFFENCE,
        occurred_on=today,
        summary=f"Further offence recorded ({when})",
        details=item.description,
        source=f"further_offence:{item.pk}",
    )
    # 001 §6.3: re-offending by a child open on an OOC (or My Future) is shared with the locality TM,
    # who decides with the AP who holds oversight (supervision listens).
    child_significant_change.send(
        sender=Child, child=child, reason="further offence recorded", user=user, today=today
    )
    return item


@transaction.atomic
def bail_application_record(
    *, child: Child, user: User, bail_date: datetime.date, court: str = "", notes: str = "", today=None
) -> BailApplication:
    """Record a planned bail application: the bail strategy CMM must be held before it (000 §1.3)."""
    today = today or timezone.localdate()
    if bail_date < today:
        raise ValidationError("The bail application date must be today or later.")
    item = BailApplication(
        child=child,
        bail_date=bail_date,
        court=court.strip(),
        notes=notes.strip(),
        recorded_on=today,
        recorded_by=user,
    )
    item.full_clean()
    item.save()
    event_create(
        child=child,
        author=user,
        event_type=EventType.BAIL_APPLICATION,
        occurred_on=today,
        summary=f"Bail application listed for {bail_date:%-d %B %Y}"
        + (f" at {item.court}" if item.court else ""),
        details=item.notes,
        source=f"bail_application:{item.pk}",
    )
    return item
