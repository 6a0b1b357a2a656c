"""The service manager's retention pages (issue 19): records due for review, extend, erase.

Every page answers 404 to anyone without `retention.review_records` (the header link's permission),
and the extend and erase pages answer 404 for a child that is open, unknown or already erased, so a
second erasure of the same record is a plain "not found".
"""

from __future__ import annotations

import logging

import rules
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from core.audit import child_view_audit, list_view_audit

from .erasure import ErasureIncomplete, ErasureRefused, child_erase
from .forms import EraseForm, ExtendForm
from .selectors import closed_review_get, extensions_for, records_due, review_for
from .services import ExtensionRefused, review_extend

PAGE_SIZE = 25
logger = logging.getLogger(__name__)


def _require_service_manager(request) -> None:
    if not rules.has_perm("retention.review_records", request.user):
        raise Http404("Not found")


def _closed_review(request, pk):
    _require_service_manager(request)
    review = closed_review_get(child_id=pk)
    if review is None:
        raise Http404("Not found")
    return review


def retention_due(request):
    """Closed records whose review date has come, a page at a time (UK GDPR Art. 5(1)(e))."""
    _require_service_manager(request)
    today = timezone.localdate()
    page = Paginator(records_due(today=today), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(review, review_for(review)) for review in page.object_list]
    list_view_audit(user=request.user, page="records due for review", shown=len(rows), path=request.path)
    return render(
        request,
        "retention/records_due.html",
        {"page": page, "rows": rows, "today": today, "querystring": ""},
    )


def retention_extend(request, pk):
    """Keep a closed record until a later review date, with the reason (who and when are recorded)."""
    review = _closed_review(request, pk)
    today = timezone.localdate()
    due = review_for(review)
    form = ExtendForm(request.POST or None, earliest=max(today, due))
    if request.method == "POST" and form.is_valid():
        try:
            review_extend(
                child_id=pk,
                user=request.user,
                review_on=form.cleaned_data["review_on"],
                reason=form.cleaned_data["reason"],
                today=today,
            )
        except ExtensionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Record {review.child.case_number} kept for review on {form.cleaned_data['review_on']:%-d %B %Y}",
            )
            return redirect("retention_due")
    if request.method == "GET":
        child_view_audit(user=request.user, child=review.child, page="retention review", path=request.path)
    return render(
        request,
        "retention/extend.html",
        {
            "review": review,
            "child": review.child,
            "due": due,
            "form": form,
            "extensions": extensions_for(child_id=pk),
        },
    )


def retention_erase(request, pk):
    """Erase a closed record everywhere, once the service manager types its case number (erasure.py)."""
    review = _closed_review(request, pk)
    child = review.child
    due = review_for(review)
    form = EraseForm(request.POST or None, case_number=child.case_number)
    if request.method == "POST" and form.is_valid():
        case_number = child.case_number
        try:
            result = child_erase(
                child_id=pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
                confirmation=form.cleaned_data["confirmation"],
            )
        except ErasureRefused as exc:
            form.add_error(None, str(exc))
        except ErasureIncomplete:
            # A part of the service kept rows of the child (an app registered no erasure provider):
            # nothing was erased (rolled back). Logged with the models named, for the developers.
            logger.exception("Erasure of child %s rolled back", pk)
            form.add_error(
                None,
                "The record could not be erased completely, so nothing was erased: tell the support team",
            )
        else:
            messages.success(
                request,
                f"Record {case_number} erased: {result.deleted} rows deleted; the audit log keeps a tombstone",
            )
            return redirect("retention_due")
    if request.method == "GET":
        child_view_audit(user=request.user, child=child, page="erasure confirmation", path=request.path)
    return render(
        request,
        "retention/erase.html",
        {
            "review": review,
            "child": child,
            "due": due,
            "form": form,
            "today": timezone.localdate(),
        },
    )
