"""A meeting's page: its parts as a GOV.UK task list, its booking, the 48-hour and five-working-day items
while outstanding (001 §6.2), and the whole record read-only (001 App. 4)."""

from collections.abc import Callable

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cases.models import Obligation
from cases.policy import timescale_text
from core.outbox import messages_for_source
from core.views import audit_get

from ... import selectors
from ...forms.record.sections import (
    SECTIONS,
    needs_breach_presumption,
    section_complete_fields,
    section_fields,
)
from ...forms.record.whole import anchor
from ...models import Meeting, MeetingKind
from ..common import child_and_meeting, tab_context

# Task list statuses (GOV.UK task list pattern).
NOT_STARTED, IN_PROGRESS, COMPLETED, CANNOT_START = (
    "Not started",
    "In progress",
    "Completed",
    "Cannot start yet",
)
# The chair's follow-up obligations for a held meeting (000 §1.3, 001 §6.2; timescales.md).
FOLLOW_UP_CODES = ("cmm.actions_recorded", "cmm.minutes")


def _filled(value) -> bool:
    """Whether a record field holds an answer (False is an answer; blank and None are not)."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None


def _section_status(meeting: Meeting, slug: str) -> str:
    """Not started, In progress or Completed, from what the section holds."""
    values = [getattr(meeting, name) for name in section_fields(meeting, slug)]
    complete = section_complete_fields(meeting, slug)
    if complete and all(_filled(getattr(meeting, name)) for name in complete):
        return COMPLETED
    if not complete and any(_filled(v) for v in values):
        return COMPLETED
    return IN_PROGRESS if any(_filled(v) for v in values) else NOT_STARTED


def _participation_status(meeting: Meeting) -> str:
    """000 §1.2: attending, or their views gathered beforehand by the person named."""
    if meeting.child_attending is True:
        return COMPLETED
    if meeting.views.strip() and meeting.views_gathered_by_id and meeting.views_gathered_on:
        return COMPLETED
    if meeting.child_attending is not None or meeting.views.strip():
        return IN_PROGRESS
    return NOT_STARTED


def _item(name: str, status: str, url: str = "", hint: str = "") -> dict:
    """One row of the task list; no link where the user may not act or the part cannot start."""
    return {"name": name, "status": status, "url": "" if status == CANNOT_START else url, "hint": hint}


def _task_list(request, meeting: Meeting) -> list[dict]:
    """The meeting's parts in order, each with its status and (for those allowed) its link."""
    edit = selectors.can_edit_record(user=request.user, meeting=meeting)
    prepare = selectors.can_prepare(user=request.user, meeting=meeting)

    def url(name: str, allowed: bool, *args) -> str:
        """The part's address for those allowed to use it; blank otherwise."""
        return reverse(name, args=[meeting.child_id, meeting.pk, *args]) if allowed else ""

    return (
        _preparation_items(meeting, url, prepare=prepare)
        + _record_items(meeting, url, edit=edit)
        + _after_items(meeting, url, edit=edit)
    )


def record_items(request, meeting: Meeting) -> list[dict]:
    """The record's part of the task list (held, the sections, the agreed actions): the one-page record's
    summary of progress."""
    edit = selectors.can_edit_record(user=request.user, meeting=meeting)

    def url(name: str, allowed: bool, *args) -> str:
        """The part's address for those allowed to use it; blank otherwise."""
        return reverse(name, args=[meeting.child_id, meeting.pk, *args]) if allowed else ""

    return _record_items(meeting, url, edit=edit)


def _preparation_items(meeting: Meeting, url: Callable[..., str], *, prepare: bool) -> list[dict]:
    """Booking and invitations, the child's participation (000 §1.2), the compliance report (000 §1.3)."""
    invitations = list(meeting.invitations.all())
    replied = sum(1 for i in invitations if i.response != i.Response.INVITED)
    items = [
        _item(
            "Booking and invitations",
            COMPLETED if meeting.invitations_sent_at else IN_PROGRESS,
            url("meeting_invitations", prepare),
            f"{len(invitations)} invited, {replied} replied",
        ),
        _item(
            "Child's and parent/carer's participation",
            _participation_status(meeting),
            url("meeting_participation", prepare and meeting.is_open),
            meeting.get_participation_display(),
        ),
    ]
    if meeting.kind == MeetingKind.COMPLIANCE:
        late = selectors.compliance_report_late(meeting=meeting)
        items.append(
            _item(
                "Compliance report",
                COMPLETED if meeting.compliance_report_submitted_at else NOT_STARTED,
                url("meeting_compliance_report", prepare and meeting.is_open),
                timescale_text(
                    "Submitted late: less than {cmm.compliance_report} before the meeting (000 §1.3)"
                )
                if late
                else timescale_text(
                    "The case manager completes it at least {cmm.compliance_report} before the meeting (000 §1.3)"
                ),
            )
            | {"late": late}
        )
    return items


def _record_items(meeting: Meeting, url: Callable[..., str], *, edit: bool) -> list[dict]:
    """That the meeting was held, the record's sections (001 App. 4) and the agreed actions."""
    items = [
        _item(
            "Record that the meeting was held",
            COMPLETED if meeting.held_at else NOT_STARTED,
            url("meeting_held", edit and meeting.is_open),
            "Date, time, attendees and apologies",
        )
    ]
    # Every section is written on one page (issue 20): each links to its part of that page.
    record = url("meeting_record", edit and meeting.is_open)
    for slug, section in SECTIONS.items():
        items.append(
            _item(
                section["title"],
                _section_status(meeting, slug),
                f"{record}#{anchor(slug)}" if record else "",
            )
        )
    actions = list(meeting.actions.all())
    items.append(
        _item(
            "Agreed actions",
            COMPLETED if meeting.actions_recorded_on else (IN_PROGRESS if actions else NOT_STARTED),
            url("meeting_actions", edit and meeting.status != Meeting.Status.CANCELLED),
            "Recorded on the child's file" if meeting.actions_recorded_on else "Action, by whom, by when",
        )
    )
    return items


def _after_items(meeting: Meeting, url: Callable[..., str], *, edit: bool) -> list[dict]:
    """Finalising (001 §6.2: within five working days), then the download and the sending of the minutes."""
    finalised = meeting.status == Meeting.Status.FINALISED
    if finalised:
        finalise_status = COMPLETED
    elif meeting.can_move_to(Meeting.Status.FINALISED):
        finalise_status = NOT_STARTED
    else:
        finalise_status = CANNOT_START
    items = [
        _item(
            "Finalise the record",
            finalise_status,
            url("meeting_finalise", edit),
            timescale_text("Minutes completed within {cmm.minutes} (001 §6.2)"),
        )
    ]
    if not finalised:
        return items
    items.append(_item("Download the record", COMPLETED, url("meeting_pdf", True), "PDF"))
    items.append(
        _item(
            "Send the minutes",
            COMPLETED if meeting.minutes_sent_on else NOT_STARTED,
            url("meeting_send_minutes", edit),
            "To everyone who attended (001 §6.2)",
        )
    )
    if meeting.is_mappa:
        items.append(
            _item(
                "Send to the MAPPA unit",
                COMPLETED if meeting.mappa_minutes_sent_on else NOT_STARTED,
                url("meeting_send_mappa", edit),
                timescale_text("Within {mappa.minutes} (001 §8)"),
            )
        )
    return items


def follow_ups(child, meeting: Meeting) -> list[Obligation]:
    """This meeting's 48-hour and five-working-day obligations while outstanding (the rules module's rows).

    Obligations carry no meeting, so each is the child's earliest outstanding one of its code due on or
    after the day the meeting was held.
    """
    if meeting.held_at is None or meeting.status not in (Meeting.Status.HELD, Meeting.Status.FINALISED):
        return []
    pending = []
    if not meeting.actions_recorded_on:
        pending.append("cmm.actions_recorded")
    if not meeting.finalised_on:
        pending.append("cmm.minutes")
    if not pending:
        return []
    held_on = timezone.localdate(meeting.held_at)
    rows = (
        child.obligations.filter(
            code__in=pending,
            status__in=[Obligation.Status.OPEN, Obligation.Status.OVERDUE],
            due__gte=held_on,
        )
        .order_by("due", "position")
        .only("code", "title", "due", "due_at", "status", "basis")
    )
    found: dict[str, Obligation] = {}
    for row in rows:
        found.setdefault(row.code, row)
    return [found[code] for code in FOLLOW_UP_CODES if code in found]


def meeting_detail(request, pk, mpk):
    """The meeting's parts as a task list, its booking, the 48-hour and five-working-day items while
    outstanding, and the whole record read-only (001 App. 4)."""
    child, meeting = child_and_meeting(request, pk, mpk)
    audit_get(request, child, f"meeting {meeting.pk}")
    edit = selectors.can_edit_record(user=request.user, meeting=meeting)
    return render(
        request,
        "meetings/detail.html",
        tab_context(
            child,
            meeting=meeting,
            tasks=_task_list(request, meeting) if meeting.status != Meeting.Status.CANCELLED else [],
            next_step=_next_step(meeting) if edit else None,
            follow_ups=follow_ups(child, meeting),
            can_edit=edit,
            can_cancel=meeting.can_move_to(Meeting.Status.CANCELLED)
            and selectors.can_manage_meetings(user=request.user, child=child),
            emails=messages_for_source(f"meeting:{meeting.pk}"),
            short_notice=meeting.invitations_sent_at is not None
            and selectors.short_notice(starts_at=meeting.starts_at, now=meeting.invitations_sent_at),
            **record_context(meeting),
        ),
    )


def _next_step(meeting: Meeting) -> tuple[str, str] | None:
    """The chair's next step as one button (issue 20: fewer clicks from booking to minutes sent)."""
    args = [meeting.child_id, meeting.pk]
    if (
        meeting.status == Meeting.Status.BOOKED
        and timezone.localdate(meeting.starts_at) <= timezone.localdate()
    ):
        return "Mark as held", reverse("meeting_held", args=args)
    if meeting.status == Meeting.Status.HELD:
        return "Write the record", reverse("meeting_record", args=args)
    if meeting.status == Meeting.Status.FINALISED and not meeting.minutes_sent_on:
        return "Send the minutes to the attendees", reverse("meeting_send_minutes", args=args)
    return None


def record_context(meeting: Meeting) -> dict:
    """What the read-only record (templates/meetings/_record_summary.html) shows."""
    return {
        "record_actions": list(meeting.actions.all()),
        "written_updates": [i for i in meeting.invitations.all() if i.written_update],
        "breach_question": needs_breach_presumption(meeting),
        # A next meeting set later than the rules' due date for the next review is warned about.
        "next_late": selectors.next_meeting_late(meeting=meeting),
    }
