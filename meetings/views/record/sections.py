"""Writing the record: that the meeting was held (the `cmm_held` fact), and the CMM Record's sections
(001 App. 4) with what the chair needs beside them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from cases.forms.assessments import FRAMEWORKS, LEVEL_ORDER
from core.views import audit_get, service_errors

from ... import selectors, services
from ...forms.record.held import MeetingHeldForm
from ...forms.record.sections import SECTIONS, RecordSectionForm
from ..common import child_and_meeting_for_edit, tab_context


def meeting_held(request, pk, mpk):
    """Record that the meeting took place: when, who came, who sent apologies (the `cmm_held` fact)."""
    child, meeting = child_and_meeting_for_edit(request, pk, mpk)
    audit_get(request, child, f"record-held form for meeting {meeting.pk}")
    form = MeetingHeldForm(request.POST if request.method == "POST" else None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_held_record(meeting=meeting, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Meeting recorded as held")
            # Straight on to the record, on one page (issue 20), while the meeting is fresh.
            return redirect("meeting_record", pk=child.pk, mpk=meeting.pk)
    return render(request, "meetings/held.html", tab_context(child, meeting=meeting, form=form))


def meeting_section(request, pk, mpk, section):
    """One section of the CMM Record (001 App. 4), with what the chair needs beside it."""
    if section not in SECTIONS:
        raise Http404("No such section")
    child, meeting = child_and_meeting_for_edit(request, pk, mpk)
    audit_get(request, child, f"record section {section} of meeting {meeting.pk}")
    form = RecordSectionForm(
        request.POST if request.method == "POST" else None, meeting=meeting, section=section
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record_update(
                meeting=meeting, user=request.user, data=form.record_data(), version=form.version
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, f"{SECTIONS[section]['title']}: saved")
            return redirect("meeting_detail", pk=child.pk, mpk=meeting.pk)
    extra = {"section": section, "section_title": SECTIONS[section]["title"], "form": form}
    extra.update(section_context(meeting, [section]))
    return render(request, "meetings/section.html", tab_context(child, meeting=meeting, **extra))


def section_context(meeting, slugs: list[str]) -> dict:
    """What the chair needs beside the given sections (the previous actions, written updates, the
    decision frameworks, the rules' date for the next review); read only for the sections shown."""
    extra: dict = {}
    if "reason" in slugs:
        previous = selectors.previous_meeting(meeting=meeting)
        extra["previous"] = previous
        extra["previous_actions"] = (
            list(previous.actions.select_related("owner", "task")) if previous is not None else []
        )
    if "circumstances" in slugs:
        extra["written_updates"] = [i for i in meeting.invitations.all() if i.written_update]
    if "risk" in slugs:
        extra["frameworks"] = _frameworks()
    if "next" in slugs:
        # The rules' due date for the next review, and a warning when the saved date is later.
        extra["next_due"] = selectors.next_review_due(meeting=meeting)
        extra["next_late"] = selectors.next_meeting_late(meeting=meeting)
    return extra


def _frameworks() -> list[dict]:
    """The RoSH and SaW decision frameworks (001 App. 2 and 3) as tables, Very High first."""
    tables = []
    for framework in FRAMEWORKS.values():
        by_name = framework["columns"]
        if not isinstance(by_name, dict):  # FRAMEWORKS (cases) holds each framework's columns by name
            raise TypeError(f"The columns of {framework['title']} are not a dict")
        columns = list(by_name.values())
        rows = [
            {"level": level, "label": level.label, "cells": [texts[level] for _, texts in columns]}
            for level in reversed(LEVEL_ORDER)
        ]
        tables.append(
            {"title": framework["title"], "headings": [label for label, _ in columns], "rows": rows}
        )
    return tables
