"""Template tags shared by every app: one status-to-tag table and one way to show when something is due.

{% load core_tags %}
{% status_tag "obligation" o.status %}                  -> <strong class="moj-badge moj-badge--red">Overdue</strong>
{% status_tag "session" s.status draft="Record in progress" %}   (a page's own words for one status)
{% status_tag "closure_check" c.status label=c.get_status_display classes="govuk-!-margin-top-1" %}
{{ o|due_date:"short"|default:"No date set" }}          -> "Mon 3 Mar 2025", or "3 Mar 2025 14:00" when hour-based
{% csrf_token %}{% submission_token %}                 -> every POST form's one-time token (core/submissions.py)
"""

from typing import NamedTuple

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, format_html
from django.utils.timezone import localtime

from core.submissions import FIELD, token_for

register = template.Library()


class Kind(NamedTuple):
    """How one kind of record's statuses look: the tag style, each status's colour and words, the
    status used for any value not in the table (None: show the value as plain text, with no tag) and
    any classes every tag of the kind carries."""

    style: str
    tags: dict[str, tuple[str, str | None]]
    default: str | None = None
    classes: str = ""


GOVUK, MOJ = "govuk-tag", "moj-badge"

# status -> (colour, label). A label of None means the record's own status label: pass label=….get_status_display.
STATUS_TAGS: dict[str, Kind] = {
    # cases.Obligation.Status: what is due on a child's or worker's record (MOJ badges in the lists).
    "obligation": Kind(
        MOJ,
        {
            "overdue": ("red", "Overdue"),
            "open": ("blue", "Due"),
            "met_late": ("purple", "Met late"),
            "met": ("green", "Met"),
        },
        default="met",
    ),
    # A worker's formal supervision against its frequency (supervision.selectors.schedule).
    "supervision": Kind(
        GOVUK,
        {
            "overdue": ("red", "Overdue"),
            "due_soon": ("yellow", "Due soon"),
            "ok": ("green", "On track"),
            "not_scheduled": ("grey", "Not scheduled"),
        },
        default="not_scheduled",
    ),
    # core.OutboxMessage.Status: an email (or render) recorded and delivered after the change (ADR 0010).
    "outbox": Kind(
        GOVUK,
        {
            "queued": ("blue", "Queued"),
            "sent": ("green", "Sent"),
            "retrying": ("yellow", "Failed, retrying"),
            "failed": ("red", "Failed"),
        },
        default="queued",
    ),
    # meetings.Meeting.Status.
    "meeting": Kind(
        GOVUK,
        {
            "booked": ("blue", "Booked"),
            "held": ("yellow", "Held – record in progress"),
            "finalised": ("green", "Finalised"),
            "cancelled": ("grey", "Cancelled"),
            # Booked, and its time has passed.
            "not_recorded": ("red", "Not yet recorded as held"),
        },
        default="cancelled",
    ),
    # cases.RiskLevel (RoSH, SaW, LoR): includes/risk_badge.html puts the framework first ("RoSH very high").
    "risk": Kind(
        MOJ,
        {
            "very_high": ("red", "very high"),
            "high": ("purple", "high"),
            "medium": ("blue", "medium"),
            "low": ("grey", "low"),
            "": ("grey", "not rated"),
        },
        default="",
        classes="app-risk-badge",
    ),
    # supervision.SupervisionSession.Status.
    "session": Kind(
        GOVUK,
        {
            "draft": ("yellow", "Held – record in progress"),
            "finalised": ("green", "Finalised"),
            "cancelled": ("grey", "Cancelled"),
        },
        default="draft",
    ),
    # supervision.CaseDiscussion.Status.
    "discussion": Kind(
        GOVUK,
        {"recorded": ("green", "Recorded on the file"), "draft": ("yellow", "Draft: not on the file")},
        default="draft",
    ),
    # A tracked task (cases.Task) following up an agreed action: see the task_state filter.
    "task": Kind(
        GOVUK,
        {
            "done": ("green", "Done"),
            "overdue": ("red", "Overdue"),
            "open": ("blue", "Open"),
            "none": ("grey", "Not yet recorded"),
        },
        default="open",
    ),
    # A section of a record's task list (meetings, supervision sessions); other states are plain text.
    "section": Kind(
        GOVUK, {"Not started": ("blue", "Not started"), "In progress": ("light-blue", "In progress")}
    ),
    # cases.Assessment.Status.
    "assessment": Kind(
        GOVUK,
        {
            "completed": ("green", "Completed"),
            "awaiting_sign_off": ("blue", "Waiting for sign-off"),
            "returned": ("orange", "Returned for changes"),
            "draft": ("grey", "Draft"),
        },
        default="draft",
    ),
    # cases.Contact.Outcome, and "not_recorded" for a booked contact whose date has passed.
    "contact": Kind(
        MOJ,
        {
            "kept": ("green", "Kept"),
            "acceptable_failure": ("blue", "Acceptable failure"),
            "unacceptable_failure": ("red", "Unacceptable failure"),
            "not_recorded": ("orange", "Outcome not recorded"),
            "booked": ("grey", "Booked"),
        },
        default="booked",
    ),
    # The allocation checks (cases.allocation): one row's result.
    "allocation_check": Kind(
        GOVUK,
        {
            "blocked": ("red", "Not allowed"),
            "exception": ("orange", "Exception"),
            "record": ("blue", "Record"),
            "note": ("grey", "Note"),
            "pass": ("green", "Pass"),
        },
        default="pass",
    ),
    # meetings.Invitation.Response.
    "invitation": Kind(
        GOVUK,
        {
            "attending": ("green", "Attending"),
            "apologies": ("grey", "Apologies"),
            "written_update": ("turquoise", "Written update"),
            "invited": ("blue", "Invited"),
        },
        default="invited",
    ),
    # supervision.ClosureCheck.Status (labelled by the record).
    "closure_check": Kind(
        GOVUK,
        {"approved": ("green", None), "returned": ("orange", None), "requested": ("blue", None)},
        default="requested",
    ),
    # A break in the supervision chain (supervision.chain), labelled by the break's own text.
    "chain_break": Kind(
        GOVUK,
        {
            "overdue": ("red", None),
            "absent": ("yellow", None),
            # Structural breaks: the recorded chain itself is wrong.
            "no_supervisor": ("orange", None),
            "no_expected": ("orange", None),
            "differs": ("orange", None),
            "inactive": ("orange", None),
            "loop": ("orange", None),
            "no_top": ("orange", None),
        },
        default="no_supervisor",
    ),
    # alerts.Notification.Kind.
    "notification": Kind(
        GOVUK,
        {
            "due_soon": ("yellow", "Due soon"),
            "overdue": ("red", "Overdue"),
            "overdue_manager": ("orange", "Overdue in your team"),
            "escalated": ("purple", "Escalated"),
            "waiting": ("blue", "Waiting for you"),
        },
        default="escalated",
    ),
    # Where a notification's obligation stands now (alerts.selectors.notification_states).
    "notification_state": Kind(
        GOVUK,
        {
            "overdue": ("red", "Still overdue"),
            "open": ("yellow", "Still to do"),
            "met": ("green", "Done"),
            "gone": ("grey", "No longer due"),
            "moved_on": ("grey", "No longer waiting"),
        },
        default="gone",
    ),
    # courts.AwaitingHearing.Decision.
    "court_decision": Kind(
        GOVUK,
        {
            "pending": ("yellow", "Not yet screened"),
            "offer": ("blue", "Offer My Futures"),
            "accepted": ("green", "Accepted: My Futures"),
            "declined": ("grey", "Offer declined"),
            "no_offer": ("grey", "No offer"),
        },
        default="no_offer",
    ),
    # A Crown Court tracking (courts.CrownCourtTracking): open, or ended.
    "court_tracking": Kind(
        GOVUK, {"open": ("blue", "Tracking"), "ended": ("grey", "Ended")}, default="ended"
    ),
    # The case manager's band against a Crown Court screening (courts.selectors.tracking.band_check).
    "band_check": Kind(
        GOVUK,
        {
            "mismatch": ("red", "Band mismatch"),
            "unallocated": ("yellow", "Not allocated"),
            "above": ("blue", "Band B worker"),
            "match": ("green", "Band matches"),
        },
        default="match",
    ),
    # transfers.InternalTransfer.Status.
    "internal_transfer": Kind(
        GOVUK,
        {
            "proposed": ("blue", "In progress"),
            "escalated": ("blue", "In progress"),
            "endorsed": ("blue", "In progress"),
            "allocated": ("blue", "In progress"),
            "completed": ("green", "Transferred"),
            "declined": ("grey", "Closed"),
            "withdrawn": ("grey", "Closed"),
        },
        default="withdrawn",
    ),
    # transfers.TransferIn.Status (labelled by the record).
    "transfer_in": Kind(
        GOVUK,
        {
            "received": ("yellow", None),
            "accepted": ("green", None),
            "stayed": ("orange", None),
            "rejected": ("red", None),
        },
        default="rejected",
    ),
    # transfers.TransferOut.Status (labelled by the record).
    "transfer_out": Kind(
        GOVUK,
        {
            "needed": ("blue", None),
            "requested": ("blue", None),
            "caretaken": ("blue", None),
            "transferred": ("green", None),
            "declined": ("grey", None),
            "withdrawn": ("grey", None),
        },
        default="needed",
    ),
    # transfers.CaretakingAgreement.Status (labelled by the record).
    "caretaking": Kind(
        GOVUK,
        {
            "active": ("blue", None),
            "full_transfer": ("grey", None),
            "returned": ("grey", None),
            "ended": ("grey", None),
        },
        default="ended",
    ),
}


@register.simple_tag(takes_context=True)
def submission_token(context):
    """The form's one-time token as a hidden input, beside `{% csrf_token %}` in every POST form: an
    identical second submission is then not saved twice (core/submissions.py)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token_for(context.get("request")))


@register.simple_tag
def status_tag(kind, status, label=None, classes="", prefix="", **labels):
    """A record's status as a GOV.UK tag (or MOJ badge) from STATUS_TAGS.

    `label` replaces the words for whatever the status is (e.g. the record's get_status_display);
    a keyword named after a status replaces the words for that status only; `prefix` goes before the
    words ("RoSH" very high); `classes` adds classes."""
    table = STATUS_TAGS[kind]
    key = "" if status is None else str(status)
    if key not in table.tags:
        if table.default is None:
            return conditional_escape(key)
        key = table.default
    colour, words = table.tags[key]
    words = labels.get(key, label if label is not None else words)
    if words is None:
        words = key
    css = " ".join(c for c in (table.style, f"{table.style}--{colour}", table.classes, classes) if c)
    if prefix:
        return format_html('<strong class="{}">{} {}</strong>', css, prefix, words)
    return format_html('<strong class="{}">{}</strong>', css, words)


def _field(obj, name):
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


# style -> (format for an hour-based deadline (due_at), format for a day's deadline (due)).
DUE_FORMATS = {
    "short": ("j M Y H:i", "D j M Y"),  # work lists and notifications
    "compact": ("j M Y H:i", "j M Y"),  # obligation tables
    "medium": ("j F Y, H:i", "j F Y"),  # a sentence: "by 3 March 2025"
    "long": ("H:i, l j F Y", "l j F Y"),  # a meeting's follow-ups
    "digest": (r"H:i \o\n D j M Y", "D j M Y"),  # the email digest
}


@register.filter
def due_date(obj, style="short"):
    """When an obligation (or anything with `due_at` and `due`) is due: the hour-based deadline if it
    has one, else the day; "" when neither is set (follow with |default:"No date set")."""
    at_format, day_format = DUE_FORMATS[style]
    due_at = _field(obj, "due_at")
    if due_at:
        return date_filter(localtime(due_at), at_format)
    due = _field(obj, "due")
    if due:
        return date_filter(due, day_format)
    return ""


@register.filter
def task_state(task, today):
    """A tracked task's state for status_tag "task": none, done, overdue (due before today) or open."""
    if not task:
        return "none"
    if task.done_on:
        return "done"
    if task.due and today and task.due < today:
        return "overdue"
    return "open"
