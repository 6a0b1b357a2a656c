"""Holding and recording a meeting: the CMM Record of 001 App. 4 (000 App. A), its agreed actions as
tracked tasks, and finalising (001 §6.2: actions into an event within 48 hours, minutes within five
working days). Thin views over meetings.services and meetings.selectors.

Anyone who may see the child may read the meeting; only its chair or a manager of the child's team
(`selectors.can_edit_record`) may write the record, and everyone else gets the same 404 as an outsider.
"""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases.forms.assessments import FRAMEWORKS, LEVEL_ORDER
from cases.models import Document, Obligation, Task

from .. import selectors, services
from ..forms.record import (
    SECTIONS,
    MeetingActionForm,
    MeetingHeldForm,
    ProblemsForm,
    RecordSectionForm,
    needs_breach_presumption,
    section_complete_fields,
    section_fields,
)
from ..models import Meeting, MeetingAction, MeetingKind
from .common import audit_get, child_and_meeting, service_errors

# Task list statuses (GOV.UK task list pattern).
NOT_STARTED, IN_PROGRESS, COMPLETED, CANNOT_START = (
    "Not started",
    "In progress",
    "Completed",
    "Cannot start yet",
)
# The chair's follow-up obligations for a held meeting (000 §1.3, 001 §6.2; timescales.md).
FOLLOW_UP_CODES = ("cmm.actions_recorded", "cmm.minutes")


def _context(child, meeting, **extra) -> dict:
    """What every page of a meeting needs (the child's Meetings tab)."""
    return {"child": child, "meeting": meeting, "tab": "meetings", "nav": "caseload", **extra}


def _get_for_edit(request, pk, mpk, *, open_only: bool = True):
    """As _get, for the record's writers only; 404 for anyone else, and for a closed record."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if not selectors.can_edit_record(user=request.user, meeting=meeting):
        raise Http404("No meeting found")
    if meeting.status == Meeting.Status.CANCELLED:
        raise Http404("The meeting was cancelled")
    if open_only and meeting.status == Meeting.Status.FINALISED:
        raise Http404("The record is finalised")
    return child, meeting


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
    user, pk, mpk = request.user, meeting.child_id, meeting.pk
    edit = selectors.can_edit_record(user=user, meeting=meeting)
    prepare = selectors.can_prepare(user=user, meeting=meeting)
    is_open = meeting.status in (Meeting.Status.BOOKED, Meeting.Status.HELD)
    finalised = meeting.status == Meeting.Status.FINALISED

    def url(name: str, allowed: bool, *args) -> str:
        """The part's address for those allowed to use it; blank otherwise."""
        return reverse(name, args=[pk, mpk, *args]) if allowed else ""

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
            url("meeting_participation", prepare and is_open),
            meeting.get_participation_display(),
        ),
    ]
    if meeting.kind == MeetingKind.COMPLIANCE:
        late = selectors.compliance_report_late(meeting=meeting)
        items.append(
            _item(
                "Compliance report",
                COMPLETED if meeting.compliance_report_submitted_at else NOT_STARTED,
                url("meeting_compliance_report", prepare and is_open),
                "Submitted late: less than 24 hours before the meeting (000 §1.3)"
                if late
                else "The case manager completes it at least 24 hours before the meeting (000 §1.3)",
            )
            | {"late": late}
        )
    items.append(
        _item(
            "Record that the meeting was held",
            COMPLETED if meeting.held_at else NOT_STARTED,
            url("meeting_held", edit and is_open),
            "Date, time, attendees and apologies",
        )
    )
    for slug, section in SECTIONS.items():
        items.append(
            _item(
                section["title"],
                _section_status(meeting, slug),
                url("meeting_section", edit and is_open, slug),
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
    if finalised:
        finalise_status = COMPLETED
    elif meeting.status == Meeting.Status.HELD:
        finalise_status = NOT_STARTED
    else:
        finalise_status = CANNOT_START
    items.append(
        _item(
            "Finalise the record",
            finalise_status,
            url("meeting_finalise", edit),
            "Minutes completed within five working days (001 §6.2)",
        )
    )
    if finalised:
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
                    "Within ten working days (001 §8)",
                )
            )
    return items


def _follow_ups(child, meeting: Meeting) -> list[Obligation]:
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
    found = {}
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
        _context(
            child,
            meeting,
            tasks=_task_list(request, meeting) if meeting.status != Meeting.Status.CANCELLED else [],
            follow_ups=_follow_ups(child, meeting),
            can_edit=edit,
            can_cancel=meeting.status == Meeting.Status.BOOKED
            and selectors.can_manage_meetings(user=request.user, child=child),
            short_notice=meeting.invitations_sent_at is not None
            and selectors.short_notice(starts_at=meeting.starts_at, now=meeting.invitations_sent_at),
            **_record_context(meeting),
        ),
    )


def _record_context(meeting: Meeting) -> dict:
    """What the read-only record (templates/meetings/_record_summary.html) shows."""
    return {
        "record_actions": list(meeting.actions.all()),
        "written_updates": [i for i in meeting.invitations.all() if i.written_update],
        "breach_question": needs_breach_presumption(meeting),
    }


def meeting_held(request, pk, mpk):
    """Record that the meeting took place: when, who came, who sent apologies (the `cmm_held` fact)."""
    child, meeting = _get_for_edit(request, pk, mpk)
    audit_get(request, child, f"record-held form for meeting {meeting.pk}")
    form = MeetingHeldForm(request.POST if request.method == "POST" else None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_held_record(meeting=meeting, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Meeting recorded as held")
            return redirect("meeting_detail", pk=child.pk, mpk=meeting.pk)
    return render(request, "meetings/held.html", _context(child, meeting, form=form))


def meeting_section(request, pk, mpk, section):
    """One section of the CMM Record (001 App. 4), with what the chair needs beside it."""
    if section not in SECTIONS:
        raise Http404("No such section")
    child, meeting = _get_for_edit(request, pk, mpk)
    audit_get(request, child, f"record section {section} of meeting {meeting.pk}")
    form = RecordSectionForm(
        request.POST if request.method == "POST" else None, meeting=meeting, section=section
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record_update(meeting=meeting, user=request.user, data=form.record_data())
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, f"{SECTIONS[section]['title']}: saved")
            return redirect("meeting_detail", pk=child.pk, mpk=meeting.pk)
    extra = {"section": section, "section_title": SECTIONS[section]["title"], "form": form}
    if section == "reason":
        previous = selectors.previous_meeting(meeting=meeting)
        extra["previous"] = previous
        extra["previous_actions"] = (
            list(previous.actions.select_related("owner", "task")) if previous is not None else []
        )
    elif section == "circumstances":
        extra["written_updates"] = [i for i in meeting.invitations.all() if i.written_update]
    elif section == "risk":
        extra["frameworks"] = _frameworks()
    return render(request, "meetings/section.html", _context(child, meeting, **extra))


def _frameworks() -> list[dict]:
    """The RoSH and SaW decision frameworks (001 App. 2 and 3) as tables, Very High first."""
    tables = []
    for framework in FRAMEWORKS.values():
        columns = list(framework["columns"].values())
        rows = [
            {"level": level, "label": level.label, "cells": [texts[level] for _, texts in columns]}
            for level in reversed(LEVEL_ORDER)
        ]
        tables.append(
            {"title": framework["title"], "headings": [label for label, _ in columns], "rows": rows}
        )
    return tables


def meeting_actions(request, pk, mpk):
    """The agreed actions (action, by whom, by when: 001 App. 4); add or remove them, and record them on
    the child's file, where each becomes a task for the person named (001 §6.2: within 48 hours)."""
    child, meeting = _get_for_edit(request, pk, mpk, open_only=False)
    audit_get(request, child, f"agreed actions of meeting {meeting.pk}")
    is_open = meeting.status != Meeting.Status.FINALISED
    adding = request.method == "POST" and "remove" not in request.POST and "record" not in request.POST
    form = MeetingActionForm(request.POST if adding else None, meeting=meeting)
    problems = ProblemsForm()
    if request.method == "POST":
        if not is_open:
            raise Http404("The record is finalised")
        try:
            if _actions_post(request, meeting, form):
                return redirect("meeting_actions", pk=child.pk, mpk=meeting.pk)
        except ValidationError as exc:
            if adding:
                service_errors(form, exc)
            else:
                problems = ProblemsForm([("#actions", message) for message in exc.messages])
    return render(
        request,
        "meetings/actions.html",
        _context(
            child,
            meeting,
            form=form,
            problems=problems,
            actions=list(meeting.actions.all()),
            is_open=is_open,
            today=timezone.localdate(),
            follow_ups=[o for o in _follow_ups(child, meeting) if o.code == "cmm.actions_recorded"],
        ),
    )


def _actions_post(request, meeting: Meeting, form: MeetingActionForm) -> bool:
    """Remove, record or add; True when done (redirect), False to show the add form's errors.

    A service's refusal propagates as ValidationError for the caller to show."""
    if "remove" in request.POST:
        try:
            action = meeting.actions.get(pk=request.POST["remove"])
        except (ValueError, TypeError, MeetingAction.DoesNotExist):
            raise Http404("No such action") from None
        services.meeting_action_remove(action=action, user=request.user)
        messages.success(request, "Action removed")
        return True
    if "record" in request.POST:
        services.meeting_actions_record(meeting=meeting, user=request.user)
        messages.success(
            request, "Actions recorded on the child's file; each is now a task for the person named"
        )
        return True
    if not form.is_valid():
        return False
    data = form.cleaned_data
    services.meeting_action_add(
        meeting=meeting,
        user=request.user,
        action=data["action"],
        due=data["due"],
        owner=data.get("owner"),
        owner_name=data.get("owner_name", ""),
    )
    messages.success(request, "Action added")
    return True


def _missing_links(meeting: Meeting, problems: list[str]) -> list[tuple[str, str]]:
    """Each thing the record still needs, linked to the page where it is put right."""
    pk, mpk = meeting.child_id, meeting.pk

    def section(slug: str) -> str:
        """A section's address."""
        return reverse("meeting_section", args=[pk, mpk, slug])

    routes = [
        ("Record that the meeting was held", reverse("meeting_held", args=[pk, mpk])),
        ("attendees", reverse("meeting_held", args=[pk, mpk])),
        ("reason", section("reason")),
        ("views", section("views")),
        ("Risk of Serious Harm assessment", section("risk")),
        ("Safety and Wellbeing assessment", section("risk")),
        ("Likelihood of Re-offending", section("risk")),
        ("risk management plan", section("plan")),
        ("revised", section("levels")),
        ("presumption against breach", section("levels")),
        ("compliance report", reverse("meeting_compliance_report", args=[pk, mpk])),
    ]
    links = []
    for message in problems:
        href = next(
            (url for key, url in routes if key.lower() in message.lower()),
            reverse("meeting_detail", args=[pk, mpk]),
        )
        links.append((href, message))
    return links


def meeting_finalise(request, pk, mpk):
    """Check the whole record and finalise it: actions recorded, revised levels made the child's, minutes
    complete (001 §6.2), the PDF produced. After finalising, the confirmation and what comes next."""
    child, meeting = _get_for_edit(request, pk, mpk, open_only=False)
    audit_get(request, child, f"finalise page of meeting {meeting.pk}")
    if meeting.status == Meeting.Status.FINALISED:
        if request.method == "POST":
            return redirect("meeting_finalise", pk=child.pk, mpk=meeting.pk)
        return render(
            request,
            "meetings/finalise.html",
            _context(
                child,
                meeting,
                finalised=True,
                pdf_ready=Document.objects.filter(child=child, source=meeting.source).exists(),
            ),
        )
    problems = selectors.record_missing(meeting=meeting)
    if meeting.status != Meeting.Status.HELD and not problems:
        problems = ["Record that the meeting was held, with who attended"]
    if request.method == "POST" and not problems:
        try:
            services.meeting_finalise(meeting=meeting, user=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, "Record finalised")
            return redirect("meeting_finalise", pk=child.pk, mpk=meeting.pk)
    return render(
        request,
        "meetings/finalise.html",
        _context(
            child,
            meeting,
            form=ProblemsForm(_missing_links(meeting, problems)),
            can_edit=True,
            **_record_context(meeting),
        ),
    )


def _may_complete(user, task: Task) -> bool:
    """The task's assignee, or a manager who may see the task's child (001 §6.2 actions followed up)."""
    if task.assignee_id == user.pk:
        return True
    if task.child_id is None:
        return False
    if not rules.has_perm("cases.complete_team_tasks", user):
        return False
    return case_selectors.children_for_user(user=user).filter(pk=task.child_id).exists()


@require_POST
def task_complete(request, tpk):
    """Mark a task done, with an optional note; then back where the user came from (a local URL only)."""
    try:
        task = Task.objects.select_related("child").get(pk=tpk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("No task found") from None
    if not _may_complete(request.user, task):
        raise Http404("No task found")
    services.task_complete(task=task, user=request.user, note=request.POST.get("note", ""))
    messages.success(request, f"Marked as done: {task.title[:100]}")
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("my_work")


__all__ = [
    "meeting_actions",
    "meeting_detail",
    "meeting_finalise",
    "meeting_held",
    "meeting_section",
    "task_complete",
]
