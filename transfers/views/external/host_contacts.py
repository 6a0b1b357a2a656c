"""Host contacts: a contact the host YJS reports while we keep the case (003 §12.8)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import selectors as case_selectors
from core.views import audit_get, service_errors

from ...forms.external.host_contacts import HostContactForm
from ...selectors import external as selectors
from ...services.external import host_contacts as services
from ..common import bound, child_context


def host_contact_new(request, pk):
    """Log a contact the host YJS reports while we keep the case (003 §12.8)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    transfer_out = selectors.host_transfer_out(child=child)
    if transfer_out is None or not selectors.can_record_host_contact(user=request.user, child=child):
        raise Http404("You cannot record a host contact for this child")
    audit_get(request, child, "host contact form")
    form = HostContactForm(bound(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.host_contact_create(child=child, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, "Host contact logged")
            return redirect("child_transfers", pk=child.pk)
    return render(
        request,
        "transfers/host_contact_form.html",
        child_context(child, form=form, transfer_out=transfer_out),
    )
