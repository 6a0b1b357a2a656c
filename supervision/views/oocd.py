"""Out-of-court and My Future oversight on the child's file (001 §6.3, §6.4; 000 §3, §5). Thin views.

- Who holds oversight: decided by a TM or AP of the child's team (or the service manager).
- Closure checks: the worker asks the AP; the oversight holder (or a TM/AP of the team) reviews them.
- "Closure checks waiting for you": the reviewer's list.

Every page starts with child_get_for_user (404 outside scope); anyone who may see the child but may not
act here gets the same 404, never a 403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from cases import selectors as case_selectors
from cases.views.core import PAGE_SIZE
from core.audit import list_view_audit
from core.views import audit_get

from ..forms.oocd import ClosureRequestForm, ClosureReviewForm, OversightHolderForm
from ..models import ClosureCheck
from ..selectors import oocd as selectors
from ..services import oocd as services


def _context(child, **extra) -> dict:
    """What every page here needs: the child, on the Oversight tab."""
    return {"child": child, "tab": "oversight", **extra}


def _programmes_or_404(child) -> list:
    """The child's open OOC / My Future programmes; 404 when there are none (nothing to oversee)."""
    programmes = list(selectors.oversight_programmes(child=child))
    if not programmes:
        raise Http404("No open out-of-court or My Future programme")
    return programmes


def oversight_holder_set(request, pk):
    """Record who holds oversight of the child's OOC / My Future case (001 §6.3, 000 §3.6)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not selectors.can_decide_holder(user=request.user, child=child):
        raise Http404("No such page")
    programmes = _programmes_or_404(child)
    current = selectors.oversight_holder_current(child, programmes[0])
    audit_get(request, child, "oversight holder form")
    form = OversightHolderForm(
        request.POST if request.method == "POST" else None,
        child=child,
        programmes=programmes,
        current=current,
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.oversight_holder_set(child=child, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, list(exc.messages))
        else:
            messages.success(
                request,
                f"Recorded: {record.holder.get_full_name() or record.holder.username} holds oversight.",
            )
            return redirect("child_oversight", pk=child.pk)
    return render(
        request,
        "supervision/holder_form.html",
        _context(child, form=form, current=current, candidates_exist=bool(form.candidates)),
    )


def closure_check_request(request, pk):
    """The worker asks the AP for the closure checks (001 §6.3; 000 §3.4)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not selectors.can_request_closure(user=request.user, child=child):
        raise Http404("No such page")
    programmes = _programmes_or_404(child)
    audit_get(request, child, "closure check request form")
    form = ClosureRequestForm(request.POST if request.method == "POST" else None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_check_request(
                child=child,
                programme=form.cleaned_data["programme"],
                user=request.user,
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            form.add_error(None, list(exc.messages))
        else:
            messages.success(request, "Closure checks requested. The AP has a task to complete them.")
            return redirect("child_oversight", pk=child.pk)
    holders = [selectors.oversight_holder_current(child, p) for p in programmes]
    return render(request, "supervision/closure_request.html", _context(child, form=form, holders=holders))


def closure_check_review(request, pk, cpk):
    """The AP's closure checks: approve (business support asked to close) or return (001 §6.3)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    try:
        check = selectors.closure_check_get(child=child, pk=cpk)
    except (ClosureCheck.DoesNotExist, ValueError, TypeError):
        raise Http404("No closure check found") from None
    holder = selectors.oversight_holder_current(child, check.programme)
    if not selectors.can_review_closure(user=request.user, check=check, holder=holder):
        raise Http404("No closure check found")
    is_open = check.awaits_review
    if request.method == "POST" and not is_open:
        raise Http404("These closure checks have already been reviewed")
    audit_get(request, child, f"closure checks {check.pk}")
    form = (
        ClosureReviewForm(request.POST if request.method == "POST" else None, check=check)
        if is_open
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            done = services.closure_check_review(check=check, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, list(exc.messages))
        else:
            if done.status == ClosureCheck.Status.APPROVED:
                messages.success(
                    request, "Closure checks approved. Business support has a task to close the case."
                )
            else:
                messages.success(request, "Closure checks returned to the worker with your note.")
            return redirect("child_oversight", pk=child.pk)
    labels = selectors.closure_check_labels()
    results = [(label, getattr(check, name)) for name, label in labels.items()]
    return render(
        request,
        "supervision/closure_review.html",
        _context(child, form=form, check=check, holder=holder, results=results),
    )


def closure_checks_mine(request):
    """Closure checks waiting for the user: as oversight holder, or as a TM or AP of the team (001 §6.3)."""
    page = Paginator(selectors.closure_checks_waiting(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    list_view_audit(user=request.user, page="closure checks", path=request.path)  # issue 18
    return render(request, "supervision/closure_checks_mine.html", {"page": page})
