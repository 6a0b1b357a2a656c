"""Caretaking agreements: the agreement (App. B), its review and its end (003 §12.1-§12.2, §12.5, §12.7).

Thin views: the child first, through its access check (404 outside the user's scope), then who may
write (the same 404 for anyone else), a form, a service call. Every GET is audited against the child;
every POST is audited by the service it calls.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import selectors as case_selectors
from core.views import audit_get, service_errors

from ...forms.external.caretaking import CaretakingEndForm, CaretakingForm, CaretakingReviewForm
from ...models import CaretakingAgreement
from ...selectors import external as selectors
from ...services.external import caretaking as services
from ..common import bound, child_context


def _levels_hint(child) -> str:
    """The child's RoSH and SaW for the contact frequency hint (003 §12.5)."""
    rosh = child.get_rosh_display() if child.rosh else "not rated"
    saw = child.get_saw_display() if child.saw else "not rated"
    return f"RoSH {rosh}, SaW {saw}"


def caretaking_new(request, pk):
    """Record the Caretaking Agreement (App. B) for a child accepted on a caretaking basis."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not selectors.can_manage_caretaking(user=request.user, child=child):
        raise Http404("You cannot record a caretaking agreement for this child")
    current = selectors.active_agreement(child=child)
    if current is not None:
        messages.info(request, "This child already has a caretaking agreement in force")
        return redirect("caretaking_detail", pk=child.pk, apk=current.pk)
    audit_get(request, child, "caretaking agreement form")
    transfer_in = selectors.accepted_transfer_in(child=child)
    today = timezone.localdate()
    starts_on = today
    if transfer_in is not None and transfer_in.decided_on:
        starts_on = transfer_in.decided_on
    looked_after = child.looked_after or bool(transfer_in and transfer_in.looked_after)
    form = CaretakingForm(
        bound(request),
        workers=selectors.case_manager_candidates(child=child),
        levels_hint=_levels_hint(child),
        initial={
            "case_manager": child.case_manager_id,
            "home_yjs": transfer_in.home_yjs if transfer_in else "",
            "starts_on": starts_on,
            "review_on": selectors.review_default(starts_on),
            "our_responsibilities": [c for c, _ in CaretakingAgreement.OUR_RESPONSIBILITIES],
            "home_responsibilities": [c for c, _ in CaretakingAgreement.HOME_RESPONSIBILITIES],
            "host_signed_name": request.user.get_full_name(),
            "host_signed_role": request.user.get_role_display(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement, problems = services.caretaking_create(
                child=child, user=request.user, transfer_in=transfer_in, **form.service_kwargs()
            )
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            if problems:
                # Part of what was asked failed: never a green "Success" (issue 17), but what did happen
                # and what is still to do, as an "Important" banner.
                messages.warning(
                    request,
                    f"Caretaking agreement recorded, but {agreement.case_manager} is not the case manager: "
                    "allocate them from the Allocation tab, where the checks can be answered. "
                    + " ".join(problems),
                )
            else:
                messages.success(request, "Caretaking agreement recorded")
            return redirect("caretaking_detail", pk=child.pk, apk=agreement.pk)
    return render(
        request,
        "transfers/caretaking_form.html",
        child_context(child, form=form, transfer_in=transfer_in, looked_after=looked_after),
    )


def caretaking_detail(request, pk, apk):
    """The Caretaking Agreement (App. B), the §12.2 looked-after notice, and the §12.1 full-transfer
    presumption once the child has lived here three months."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    agreement = selectors.agreement_get(child=child, pk=apk)
    audit_get(request, child, f"caretaking agreement {agreement.pk}")
    looked_after = selectors.is_looked_after(child=child, agreement=agreement)
    can_manage = selectors.can_manage_caretaking(user=request.user, child=child)
    return render(
        request,
        "transfers/caretaking_detail.html",
        child_context(
            child,
            agreement=agreement,
            responsibilities=selectors.responsibility_labels(agreement),
            looked_after=looked_after,
            presumption=selectors.presumption_applies(agreement=agreement, looked_after=looked_after),
            three_months_on=selectors.review_latest(agreement.starts_on),
            can_manage=can_manage and agreement.in_force,
        ),
    )


def _agreement_for_write(request, pk, apk):
    """The child, and its caretaking agreement in force, for those who manage caretaking; 404 otherwise."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    agreement = selectors.agreement_get(child=child, pk=apk)
    if not selectors.can_manage_caretaking(user=request.user, child=child):
        raise Http404("You cannot change this caretaking agreement")
    if not agreement.in_force:
        raise Http404("This caretaking agreement has ended")
    return child, agreement


def caretaking_review(request, pk, apk):
    """Record a review of the agreement and the next review date (no later than three months on)."""
    child, agreement = _agreement_for_write(request, pk, apk)
    audit_get(request, child, f"review caretaking agreement {agreement.pk}")
    today = timezone.localdate()
    form = CaretakingReviewForm(
        bound(request),
        starts_on=agreement.starts_on,
        initial={"reviewed_on": today, "next_review_on": selectors.review_default(today)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.caretaking_review(
                agreement=agreement,
                user=request.user,
                reviewed_on=data["reviewed_on"],
                notes=data["notes"],
                next_review_on=data.get("next_review_on"),
            )
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, "Caretaking review recorded")
            return redirect("caretaking_detail", pk=child.pk, apk=agreement.pk)
    return render(
        request, "transfers/caretaking_review.html", child_context(child, agreement=agreement, form=form)
    )


def caretaking_review_current(request, pk):
    """Where a `caretaking.review` obligation is done (the work link takes only the child): the review
    page of the child's agreement in force, for those who review it; its agreement page for anyone else
    who may see the child; the Transfers tab when no agreement is in force any more."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    agreement = selectors.active_agreement(child=child)
    if agreement is None:
        messages.info(request, "This child has no caretaking agreement in force: no review is due")
        return redirect("child_transfers", pk=child.pk)
    if selectors.can_manage_caretaking(user=request.user, child=child):
        return redirect("caretaking_review", pk=child.pk, apk=agreement.pk)
    return redirect("caretaking_detail", pk=child.pk, apk=agreement.pk)


def caretaking_end(request, pk, apk):
    """End caretaking: full transfer (the §12.1 presumption), returned home, or the order ended."""
    child, agreement = _agreement_for_write(request, pk, apk)
    audit_get(request, child, f"end caretaking agreement {agreement.pk}")
    looked_after = selectors.is_looked_after(child=child, agreement=agreement)
    initial: dict[str, object] = {"ended_on": timezone.localdate()}
    if request.GET.get("outcome") == "full_transfer" and not looked_after:
        initial["outcome"] = "full_transfer"
    form = CaretakingEndForm(bound(request), looked_after=looked_after, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.caretaking_end(
                agreement=agreement,
                user=request.user,
                outcome=data["outcome"],
                ended_on=data["ended_on"],
                notes=data.get("notes", ""),
            )
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, f"Caretaking ended: {agreement.get_status_display()}")
            return redirect("caretaking_detail", pk=child.pk, apk=agreement.pk)
    return render(
        request,
        "transfers/caretaking_end.html",
        child_context(child, agreement=agreement, form=form, looked_after=looked_after),
    )
