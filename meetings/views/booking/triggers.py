"""What calls a CMM (000 §1.3): recording a further offence (a re-offending CMM) or a bail application (a
bail strategy CMM before it), then saying when the CMM is now due."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from cases import selectors as case_selectors
from cases import services as case_services
from core.views import audit_get, service_errors

from ... import services
from ...forms.booking.triggers import BailApplicationForm, FurtherOffenceForm
from ..common import tab_context
from .book import obligation_for


def _due_message(child, code: str, label: str) -> str:
    """The CMM now due, read back from the child's obligations after they are recomputed."""
    # The request's transaction commits after the view, so the queued refresh would come too late for
    # this message: recompute now (idempotent; the queued one repeats it on commit).
    case_services.child_obligations_refresh(child_id=child.pk)
    obligation = obligation_for(child, code)
    if obligation is None or obligation.due is None:
        return ""
    return f" {label} is now due by {obligation.due:%-d %B %Y} (000 §1.3)."


def further_offence_add(request, pk):
    """Record a further offence: a re-offending CMM falls due (000 §1.3)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    audit_get(request, child, "further-offence form")
    form = FurtherOffenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.further_offence_record(child=child, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            message = "Further offence recorded." + _due_message(
                child, "cmm.reoffending", "A re-offending CMM"
            )
            messages.success(request, message)
            return redirect("meeting_list", pk=child.pk)
    return render(request, "meetings/further_offence.html", tab_context(child, form=form))


def bail_application_add(request, pk):
    """Record a planned bail application: a bail strategy CMM falls due before it (000 §1.3)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    audit_get(request, child, "bail-application form")
    form = BailApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bail_application_record(child=child, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            message = "Bail application recorded." + _due_message(child, "cmm.bail", "A bail strategy CMM")
            messages.success(request, message)
            return redirect("meeting_list", pk=child.pk)
    return render(request, "meetings/bail_application.html", tab_context(child, form=form))
