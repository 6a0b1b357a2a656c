"""What every meetings view shares: the child-then-meeting access check, GET auditing, service errors."""

from django.core.exceptions import ValidationError

from cases import selectors as case_selectors
from cases import services as case_services

from .. import selectors


def child_and_meeting(request, pk, mpk):
    """The child (404 outside the user's scope) and one of its meetings (404 if not the child's)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    return child, selectors.meeting_get_for_user(user=request.user, child=child, pk=mpk)


def audit_get(request, child, page: str) -> None:
    """Every GET of a page showing the child is audited (a POST is audited by the service it calls)."""
    if request.method == "GET":
        case_services.child_view_audit(user=request.user, child=child, page=page, path=request.path)


def service_errors(form, exc: ValidationError) -> None:
    """A service's refusal as form-wide errors in the error summary (a model field's error is kept as
    a message, since the model's fields need not be the form's)."""
    form.add_error(None, list(exc.messages))
