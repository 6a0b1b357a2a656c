"""A child's programmes and orders: list, add and close (001 §6 timescales table). Thin views."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from core.audit import child_view_audit
from core.views import audit_get

from .. import selectors
from ..forms.programmes import ProgrammeCloseForm, ProgrammeForm
from ..selectors import plans_contacts as records
from ..services import programmes as programme_services
from .core import PAGE_SIZE


def child_programmes(request, pk):
    """The child's programmes, open first then closed, each with its key dates and a link to close it."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="programmes", path=request.path)
    page = Paginator(records.programmes_for_child(child=child), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/programmes/list.html",
        {"child": child, "page": page, "tab": "programmes"},
    )


def programme_add(request, pk):
    """Add a programme; on success show the child's due dates, which it now drives."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    audit_get(request, child, "add-programme form")
    form = ProgrammeForm(request.POST if request.method == "POST" else None, child=child)
    if request.method == "POST" and form.is_valid():
        programme = programme_services.programme_create(child=child, user=request.user, **form.cleaned_data)
        messages.success(
            request, f"{programme.get_kind_display()} added. The due dates below include its timescales."
        )
        return redirect("child_obligations", pk=child.pk)
    return render(
        request,
        "cases/programmes/form.html",
        {"child": child, "form": form, "tab": "programmes"},
    )


def programme_close(request, pk, programme_pk):
    """Close an open programme with its end date and reason; its recurring timescales stop."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    programme = records.programme_get_for_child(child=child, pk=programme_pk)
    if not programme.is_open:
        raise Http404("This programme is already closed")
    audit_get(request, child, f"close-programme form for {programme.pk}")
    form = ProgrammeCloseForm(request.POST if request.method == "POST" else None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme_services.programme_close(programme=programme, user=request.user, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{programme.get_kind_display()} closed")
            return redirect("child_programmes", pk=child.pk)
    return render(
        request,
        "cases/programmes/close.html",
        {"child": child, "form": form, "programme": programme, "tab": "programmes"},
    )


urlpatterns = [
    path("children/<int:pk>/programmes/", child_programmes, name="child_programmes"),
    path("children/<int:pk>/programmes/new/", programme_add, name="programme_add"),
    path("children/<int:pk>/programmes/<int:programme_pk>/close/", programme_close, name="programme_close"),
]
