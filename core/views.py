"""What every child page's view shares: auditing the page it shows, and a service's refusal on the form."""

from django.core.exceptions import ValidationError

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
