"""The meeting's record as a PDF, and sending the minutes (001 §6.2) and MAPPA level 1 minutes (001 §8).

Thin views: access follows the child (404 outside it), writes go through meetings/services/sending.py.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render

from core.audit import audit_record, child_view_audit
from core.downloads import no_store as _no_store
from core.forms import GovErrorsMixin, choice_field
from core.models import AuditEntry

from .. import selectors
from ..models import Meeting
from ..pdf import meeting_record_store
from ..services.sending import meeting_mappa_minutes_send, meeting_minutes_send, minutes_recipients
from .common import child_and_meeting, tab_context


class SendForm(GovErrorsMixin, forms.Form):
    """No fields: the confirmation button, and a place for the service's errors in the error summary."""

    def error_links(self) -> list[tuple[str, str]]:
        """Each error links to the send button."""
        return [("#send-button", str(e)) for e in self.non_field_errors()]


class SendMinutesForm(SendForm):
    """Who gets the minutes: every attendee with an email address, all chosen to start with (001 §6.2:
    "to all attendees"); the sender may leave someone out. `chosen` marks a page that showed the choice
    (a post without it, from a page cached before the choice existed, sends to every attendee)."""

    recipients = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    chosen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, invitations: list, **kwargs):
        """The choices are the attendees the minutes can be emailed to."""
        super().__init__(*args, **kwargs)
        field = choice_field(self, "recipients")
        field.choices = [(i.pk, str(i)) for i in invitations]
        field.error_messages["invalid_choice"] = "Choose people who attended"

    @property
    def only(self) -> list[int] | None:
        """The invitations chosen, or None (everyone) when the page did not offer the choice."""
        return self.cleaned_data.get("recipients", []) if self.cleaned_data.get("chosen") else None

    def error_links(self) -> list[tuple[str, str]]:
        """The service's errors link to the first name to choose; a bad choice to the list too."""
        errors = [*self.non_field_errors(), *self.errors.get("recipients", [])]
        return [("#recipients-1", str(e)) for e in errors]


def _sendable(request, pk, mpk) -> tuple:
    """The child and a finalised meeting whose minutes this user may send; 404 for anyone else."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if not selectors.can_edit_record(user=request.user, meeting=meeting):
        raise Http404("No meeting found")
    if meeting.status != Meeting.Status.FINALISED:
        raise Http404("The minutes are not finalised")
    return child, meeting


def meeting_pdf(request, pk, mpk):
    """Download the finalised record as a PDF: anyone who may see the child. Rendered now if the worker
    has not stored it yet, so the download works with the worker down."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if meeting.status != Meeting.Status.FINALISED:
        raise Http404("The record is not finalised")
    document = meeting_record_store(meeting_id=meeting.pk)
    if document is None:
        raise Http404("No record")
    audit_record(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        obj=child,
        child=child,
        description="Downloaded the CMM record PDF",
        path=request.path,
    )
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


def meeting_send_minutes(request, pk, mpk):
    """Send the minutes to the attendees (001 §6.2): colleagues a link, people outside the organisation a
    password-protected PDF. The result page shows the password once, to give separately."""
    child, meeting = _sendable(request, pk, mpk)
    recipients = minutes_recipients(meeting=meeting)
    form = SendMinutesForm(
        request.POST if request.method == "POST" else None,
        invitations=recipients["internal"] + recipients["external"],
    )
    context = tab_context(child, meeting=meeting, form=form)
    if request.method == "POST" and form.is_valid():
        try:
            result = meeting_minutes_send(
                meeting=meeting,
                user=request.user,
                base_url=request.build_absolute_uri("/"),
                only=form.only,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            response = render(request, "meetings/send_minutes.html", {**context, "result": result})
            return _no_store(response)
    if request.method != "POST":  # a refused send is not a view of the child (nothing stored)
        child_view_audit(
            user=request.user,
            child=child,
            page=f"send the minutes of meeting {meeting.pk}",
            path=request.path,
        )
    not_attending = [i for i in meeting.invitations.all() if i.attended is not True]
    # The boxes as the sender left them after an error; all ticked at first.
    chosen = set(request.POST.getlist("recipients")) if "chosen" in request.POST else None
    return render(
        request,
        "meetings/send_minutes.html",
        {**context, "recipients": recipients, "not_attending": not_attending, "chosen": chosen},
    )


def meeting_send_mappa(request, pk, mpk):
    """Send the MAPPA level 1 minutes to the MAPPA unit by secure email, password protected (001 §8)."""
    child, meeting = _sendable(request, pk, mpk)
    if not meeting.is_mappa:
        raise Http404("Not a MAPPA level 1 meeting")
    form = SendForm(request.POST if request.method == "POST" else None)
    context = tab_context(child, meeting=meeting, form=form, mappa_email=settings.MAPPA_UNIT_EMAIL)
    if request.method == "POST" and form.is_valid():
        again = meeting.mappa_minutes_sent_on is not None
        try:
            password = meeting_mappa_minutes_send(meeting=meeting, user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            meeting.refresh_from_db(fields=["mappa_minutes_sent_on"])
            response = render(
                request, "meetings/send_mappa.html", {**context, "password": password, "again": again}
            )
            return _no_store(response)
    else:
        child_view_audit(
            user=request.user,
            child=child,
            page=f"send the MAPPA minutes of meeting {meeting.pk}",
            path=request.path,
        )
    return render(request, "meetings/send_mappa.html", context)
