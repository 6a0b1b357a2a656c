"""A child's plans and reviews, and contacts and appointments with the compliance summary. Thin views."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from core.audit import child_view_audit
from core.views import audit_get

from .. import selectors
from ..forms.plans_contacts import CompliancePeriodForm, ContactForm, ContactOutcomeForm, PlanForm
from ..models import Contact
from ..policy import timescale_lazy
from ..selectors import plans_contacts as records
from ..services import plans_contacts as record_services
from .core import PAGE_SIZE

UNACCEPTABLE_MESSAGE = timescale_lazy(
    " An unacceptable failure starts the compliance CMM timescale: the CMM must be held within "
    "{cmm.compliance} (000 §1.3); see what is due."
)

# ---------------------------------------------------------------------------------------------------
# Plans


def child_plans(request, pk):
    """The child's plans and reviews, latest first, with a link to review each plan."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="plans", path=request.path)
    page = Paginator(records.plans_for_child(child=child), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/plans/list.html", {"child": child, "page": page, "tab": "plans"})


def plan_add(request, pk):
    """Record a completed plan (intervention, professionals, action or pre-release)."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    audit_get(request, child, "record-plan form")
    form = PlanForm(request.POST if request.method == "POST" else None, child=child)
    if request.method == "POST" and form.is_valid():
        plan = record_services.plan_create(child=child, author=request.user, **form.cleaned_data)
        messages.success(request, f"{plan.get_kind_display()} recorded")
        return redirect("child_plans", pk=child.pk)
    return render(request, "cases/plans/form.html", {"child": child, "form": form, "tab": "plans"})


def plan_review(request, pk, plan_pk):
    """Review a plan: a new plan of the same kind, marked as a review of this one."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    plan = records.plan_get_for_child(child=child, pk=plan_pk)
    audit_get(request, child, f"review form for plan {plan.pk}")
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        child=child,
        reviews=plan,
        initial={"programme": plan.programme_id, "child_views": "", "objectives": plan.objectives},
    )
    if request.method == "POST" and form.is_valid():
        record_services.plan_review(plan=plan, author=request.user, **form.cleaned_data)
        messages.success(request, f"Review of the {plan.get_kind_display().lower()} recorded")
        return redirect("child_plans", pk=child.pk)
    return render(
        request,
        "cases/plans/form.html",
        {"child": child, "form": form, "plan": plan, "tab": "plans"},
    )


# ---------------------------------------------------------------------------------------------------
# Contacts


def child_contacts(request, pk):
    """Contacts and appointments, newest first, with the compliance summary for a period (000 App. B)."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="contacts", path=request.path)
    today = timezone.localdate()
    default_start, default_end, basis = records.contact_compliance_default_period(child=child, today=today)
    form = CompliancePeriodForm(request.GET if "period_start_0" in request.GET else None)
    start, end = form.period((default_start, default_end))
    summary = records.contact_compliance_summary(child=child, start=start, end=end)
    page = Paginator(records.contacts_for_child(child=child), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/contacts/list.html",
        {
            "child": child,
            "page": page,
            "form": form,
            "summary": summary,
            "default_basis": basis if (start, end) == (default_start, default_end) else "",
            "compliance_cmms": records.compliance_cmms_outstanding(child=child),
            "today": today,
            "querystring": params.urlencode(),
            "tab": "contacts",
        },
    )


def contact_add(request, pk):
    """Record a contact or an appointment; a future appointment can only be booked."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    audit_get(request, child, "record-contact form")
    form = ContactForm(
        request.POST if request.method == "POST" else None, child=child, initial={"is_appointment": "yes"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = record_services.contact_create(child=child, author=request.user, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            message = "Contact recorded."
            if contact.outcome == Contact.Outcome.UNACCEPTABLE_FAILURE:
                message += str(UNACCEPTABLE_MESSAGE)
            messages.success(request, message)
            return redirect("child_contacts", pk=child.pk)
    return render(
        request,
        "cases/contacts/form.html",
        {"child": child, "form": form, "tab": "contacts"},
    )


def contact_outcome(request, pk, contact_pk):
    """Record the outcome of a booked appointment; 404 once its outcome is known."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    contact = records.contact_get_for_child(child=child, pk=contact_pk)
    if not contact.awaits_outcome:
        raise Http404("The outcome is already recorded")
    audit_get(request, child, f"outcome form for contact {contact.pk}")
    form = ContactOutcomeForm(request.POST if request.method == "POST" else None, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            contact = record_services.contact_outcome_record(
                contact=contact, user=request.user, **form.cleaned_data
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            message = "Outcome recorded."
            if contact.outcome == Contact.Outcome.UNACCEPTABLE_FAILURE:
                message += str(UNACCEPTABLE_MESSAGE)
            messages.success(request, message)
            return redirect("child_contacts", pk=child.pk)
    return render(
        request,
        "cases/contacts/outcome.html",
        {"child": child, "form": form, "contact": contact, "tab": "contacts"},
    )


urlpatterns = [
    path("children/<int:pk>/plans/", child_plans, name="child_plans"),
    path("children/<int:pk>/plans/new/", plan_add, name="plan_add"),
    path("children/<int:pk>/plans/<int:plan_pk>/review/", plan_review, name="plan_review"),
    path("children/<int:pk>/contacts/", child_contacts, name="child_contacts"),
    path("children/<int:pk>/contacts/new/", contact_add, name="contact_add"),
    path("children/<int:pk>/contacts/<int:contact_pk>/outcome/", contact_outcome, name="contact_outcome"),
]
