"""Preparing a meeting: the child's and parent/carer's participation (000 §1.2) and the case manager's
compliance report (000 App. B, 000 §1.3)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import User
from cases.selectors.plans_contacts import contact_compliance_summary

from ..models import Meeting, MeetingKind
from .common import audit, locked


@transaction.atomic
def participation_record(
    *,
    meeting: Meeting,
    user: User,
    child_attending: bool | None,
    views: str,
    views_gathered_by: User | None,
    views_gathered_on: datetime.date | None,
) -> Meeting:
    """The child's and parent/carer's part (000 §1.2): attending, or their views gathered beforehand."""
    current = locked(meeting)
    if not current.is_open:
        raise ValidationError("This meeting's record is closed.")
    if child_attending is not True and (
        not views.strip() or views_gathered_by is None or views_gathered_on is None
    ):
        raise ValidationError("Enter their views, who gathered them and when (000 §1.2).")
    current.child_attending = child_attending
    current.views = views.strip()
    current.views_gathered_by = views_gathered_by
    current.views_gathered_on = views_gathered_on
    current.full_clean()
    current.save()
    audit(
        user=user,
        meeting=current,
        description="Recorded the child's participation",
    )
    return current


@transaction.atomic
def compliance_report_submit(
    *,
    meeting: Meeting,
    user: User,
    period_start: datetime.date,
    period_end: datetime.date,
    actions_taken: dict,
    unacceptable_behaviour: str,
    plan_progress: str,
    now: datetime.datetime | None = None,
) -> Meeting:
    """The case manager's condensed compliance report (000 App. B), built from the contact records.

    The counts and failures are frozen as submitted, so the record shows what the chair saw. A report
    less than 24 hours before the meeting is accepted but shown as late (000 §1.3).
    """
    now = now or timezone.now()
    current = locked(meeting)
    if current.kind != MeetingKind.COMPLIANCE:
        raise ValidationError("Only a compliance CMM has a compliance report.")
    if not current.is_open:
        raise ValidationError("This meeting's record is closed.")
    if period_end < period_start:
        raise ValidationError("The end of the period must be on or after its start.")
    if not plan_progress.strip():
        raise ValidationError("Enter the intervention plan's progress and barriers (000 App. A).")
    summary = contact_compliance_summary(child=current.child, start=period_start, end=period_end)
    frozen = {
        key: summary[key]
        for key in (
            "appointments_given",
            "kept",
            "acceptable_failures",
            "unacceptable_failures",
            "awaiting_outcome",
        )
    }
    frozen["non_compliance"] = [
        {
            "pk": row["pk"],
            "date": row["date"].isoformat(),
            "nature": row["kind_display"],
            "outcome": row["outcome_display"],
            "explanation": row["explanation"],
            "action_taken": str(actions_taken.get(str(row["pk"]), actions_taken.get(row["pk"], ""))).strip(),
        }
        for row in summary["non_compliance"]
    ]
    current.compliance_period_start, current.compliance_period_end = period_start, period_end
    current.compliance_figures = frozen
    current.compliance_actions_taken = {str(k): str(v) for k, v in actions_taken.items()}
    current.unacceptable_behaviour = unacceptable_behaviour.strip()
    current.plan_progress = plan_progress.strip()
    current.compliance_report_submitted_at = now
    current.full_clean()
    current.save()
    audit(
        user=user,
        meeting=current,
        description="Submitted the compliance report",
    )
    return current
