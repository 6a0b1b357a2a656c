"""Magistrates' Court tracking pages (003 §10, App. C): the court lead adds a child awaiting a hearing to
the list, screens them with the App. C questions, and records their answer to a My Futures offer.

Thin views: the entry for a child the user may see (404 otherwise), a permission check (404 for anyone
who may not act, never 403), a form, a service call. Every GET is audited against the child; every POST
is audited by its service. Which form shows follows `AwaitingHearing.TRANSITIONS`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.forms import yes_no_initial
from core.views import audit_get, service_errors

from ..forms.magistrates import AwaitingHearingForm, RespondForm, ScreenForm
from ..models import AwaitingHearing
from ..selectors import tracking as selectors
from ..services import magistrates as services


def awaiting_hearing_new(request):
    """Add a child awaiting a Magistrates' Court hearing to the list (003 §10.1): TM/AP or the service
    manager, for a child they can see."""
    if not selectors.is_court_manager(request.user):
        raise Http404("Only the court lead keeps the Magistrates' Court list")
    form = AwaitingHearingForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"court": "Nottingham Magistrates' Court", "listed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearing = services.awaiting_hearing_add(
                user=request.user,
                child=data["child"],
                hearing_on=data["hearing_on"],
                court=data["court"],
                offence=data["offence"],
                listed_on=data["listed_on"],
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request, f"{hearing.child.full_name} added to the list: screen them now or later"
            )
            return redirect("awaiting_hearing_screen", apk=hearing.pk)
    return render(request, "courts/awaiting_form.html", {"form": form})


def _screen_initial(hearing: AwaitingHearing) -> dict:
    """The stored screening as the form's starting values."""
    return {
        "adjournment_over_six_weeks": yes_no_initial(hearing.adjournment_over_six_weeks),
        "risk_to_others": yes_no_initial(hearing.risk_to_others),
        "no_other_agencies": yes_no_initial(hearing.no_other_agencies),
        "circumstances": hearing.circumstances,
        "decision": hearing.decision if hearing.decision in AwaitingHearing.SCREEN_DECISIONS else None,
        "decision_notes": hearing.decision_notes,
    }


def _screen_forms(request, hearing: AwaitingHearing, responding: bool, on_programme: str):
    """The screening form while it may change, and the answer form while an offer awaits one; the one
    posted is bound."""
    posted = request.POST if request.method == "POST" else None
    screen_form = respond_form = None
    if hearing.is_screenable:
        screen_form = ScreenForm(
            None if responding else posted, initial=_screen_initial(hearing), on_programme=on_programme
        )
    if hearing.awaits_answer:
        respond_form = RespondForm(
            posted if responding else None, initial={"responded_on": timezone.localdate()}
        )
    return screen_form, respond_form


def _save(form, hearing: AwaitingHearing, user, responding: bool) -> AwaitingHearing:
    """Call the service for the form posted: the child's answer, or the screening."""
    if responding:
        data = form.cleaned_data
        return services.awaiting_hearing_respond(
            hearing=hearing,
            user=user,
            accepted=data["answer"] == "accepted",
            responded_on=data["responded_on"],
            notes=data.get("notes", ""),
        )
    return services.awaiting_hearing_screen(hearing=hearing, user=user, **form.service_kwargs())


def awaiting_hearing_screen(request, apk):
    """Screen a child awaiting a hearing with the App. C questions (003 §10.1-§10.2), then record their
    answer to a My Futures offer (§10.3): the Court lead TM/AP or the service manager."""
    hearing = selectors.awaiting_get_for_user(user=request.user, pk=apk)
    if not selectors.is_court_manager(request.user):
        raise Http404("Only the court lead screens children for My Futures")
    child = hearing.child
    audit_get(request, child, f"Magistrates' Court screening {hearing.pk}")
    responding = request.method == "POST" and "respond" in request.POST
    # 003 §10: a child already on a programme is not offered a second, parallel one; the page says so.
    programmes = selectors.open_programmes(child)
    on_programme = selectors.already_on_programme_message(child, programmes) if programmes else ""
    screen_form, respond_form = _screen_forms(request, hearing, responding, on_programme)
    form = respond_form if responding else screen_form
    if request.method == "POST" and form is None:
        raise Http404("This screening can no longer change")
    if request.method == "POST" and form.is_valid():
        try:
            hearing = _save(form, hearing, request.user, responding)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            if hearing.decision == AwaitingHearing.Decision.ACCEPTED:
                messages.success(
                    request,
                    "My Futures started: allocate a case manager from the child's Allocation tab (003 §10.3)",
                )
            else:
                messages.success(request, f"Saved: {hearing.get_decision_display()}")
            return redirect(reverse("awaiting_hearing_screen", args=[hearing.pk]))
    suggests = None
    if hearing.screened_on:
        suggests = selectors.app_c_suggests_offer(
            adjournment=hearing.adjournment_over_six_weeks,
            risk=hearing.risk_to_others,
            no_agencies=hearing.no_other_agencies,
        )
    return render(
        request,
        "courts/awaiting_screen.html",
        {
            "hearing": hearing,
            "child": child,
            "screen_form": screen_form,
            "respond_form": respond_form,
            "errors_form": form if request.method == "POST" else None,
            "suggests": suggests,
            "programmes": programmes,
            "on_programme": on_programme,
        },
    )
