"""The whole CMM Record (001 App. 4) on one page (issue 20): every section in one form, the meeting's
task list at the top as a summary of progress linking to each section, one error summary for the lot,
and the draft saved in the background as the chair types (ADR 0018), so a session that expires mid-way
loses nothing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from core.autosave import autosave_answer, is_autosave
from core.views import audit_get, service_errors

from ... import services
from ...forms.record.sections import SECTIONS
from ...forms.record.whole import CHECK, RecordForm
from ...models import Meeting
from ..common import child_and_meeting_for_edit, tab_context
from .detail import record_items
from .sections import section_context


def meeting_record(request, pk, mpk):
    """Write the record: every section on one page. Save comes back here; "Save and check before
    finalising" goes on to the finalise page, which shows the whole record to check. A background
    autosave (the `X-Autosave` header) saves the draft without asking for anything, and answers JSON."""
    child, meeting = child_and_meeting_for_edit(request, pk, mpk)
    if is_autosave(request):
        return _autosave(request, meeting)
    audit_get(request, child, f"record of meeting {meeting.pk}")
    form = RecordForm(request.POST if request.method == "POST" else None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record_update(
                meeting=meeting, user=request.user, data=form.record_data(), version=form.version
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Record saved")
            if CHECK in request.POST:
                return redirect("meeting_finalise", pk=child.pk, mpk=meeting.pk)
            return redirect("meeting_record", pk=child.pk, mpk=meeting.pk)
    return render(
        request,
        "meetings/record.html",
        tab_context(
            child,
            meeting=meeting,
            form=form,
            progress=record_items(request, meeting),
            **section_context(meeting, list(SECTIONS)),
        ),
    )


def _autosave(request, meeting: Meeting):
    """Save what differs from the record, checked for types and lengths only; JSON for the script."""
    form = RecordForm(request.POST, meeting=meeting, autosave=True)

    def save() -> Meeting:
        """The draft's changes, at the version the page holds (a stale page is refused)."""
        changes = form.draft_data()
        if not changes:
            return meeting
        return services.meeting_record_update(
            meeting=meeting, user=request.user, data=changes, version=form.version, draft=True
        )

    return autosave_answer(form, save)
