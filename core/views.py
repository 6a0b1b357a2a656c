"""What every view shares: auditing the page it shows, a service's refusal on the form, and where to go
back to after a POST (`next`, only ever a path on this site)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from .audit import audit_record, child_view_audit
from .models import AuditEntry
from .services import StaleVersion


def audit_get(request, child, page: str) -> None:
    """Every GET of a page showing the child is audited (a POST is audited by the service it calls)."""
    if request.method == "GET":
        child_view_audit(user=request.user, child=child, page=page, path=request.path)


def audit_get_record(request, obj, description: str) -> None:
    """Every GET of a page about a record that is not a child's (a member of staff's supervision) is
    audited with no child (a POST is audited by the service it calls)."""
    if request.method == "GET":
        audit_record(
            user=request.user,
            action=AuditEntry.Action.VIEW,
            obj=obj,
            description=description,
            path=request.path,
        )


# Longer than any page of the product's address (with its query), and within what a redirect's location
# may be stored as (core.Submission.response_location).
MAX_NEXT_LENGTH = 1000


def is_local_path(target: object) -> bool:
    """Whether `target` is a path on this site ("/my-work/?page=2"): not another site ("//evil.example",
    "https://..."), not a scheme ("javascript:alert(1)"), not a name for `reverse` ("-1"), and nothing a
    redirect header cannot carry (new lines, NUL or other control characters)."""
    if not isinstance(target, str) or not target or len(target) > MAX_NEXT_LENGTH:
        return False
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(unicodedata.category(char).startswith("C") for char in target):
        return False
    return url_has_allowed_host_and_scheme(target, allowed_hosts=None)


def next_path(request: HttpRequest, fallback: str) -> str:
    """Where to go after a POST: the `next` the form (or the address) names when it is a path on this
    site, else `fallback` (a URL). Anything else sent as `next` is ignored, never an error."""
    for target in (request.POST.get("next"), request.GET.get("next")):
        if is_local_path(target):
            return str(target)
    return fallback


def service_errors(form, exc: ValidationError, *, by_field: bool = False) -> None:
    """A service's refusal in the form's error summary: form-wide, or (`by_field`) against the field it
    names when the form has that field (a model field's error is otherwise kept as a message, since the
    model's fields need not be the form's). A stale save (StaleVersion) also shows, on a versioned form,
    what is saved now beside the user's words."""
    if isinstance(exc, StaleVersion) and hasattr(form, "show_stale"):
        form.show_stale(exc.record)
    if by_field and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, list(exc.messages))
