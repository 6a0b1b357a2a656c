"""Reading subject access exports: only the service manager (records.export_subject_access), only for
a child they may see (cases.selectors.child_get_for_user); 404 for anyone else."""

import rules
from django.core.paginator import Page, Paginator
from django.http import Http404

from cases.models import Child
from cases.selectors.core import child_get_for_user

from .models import SubjectAccessExport

PER_PAGE = 10


def child_for_export(*, user, pk) -> Child:
    """The child, for the service manager; 404 for everyone else (the administrator too)."""
    if not rules.has_perm("records.export_subject_access", user):
        raise Http404("No child found")
    return child_get_for_user(user=user, pk=pk)


def exports_page(*, child: Child, page: str | None) -> Page:
    """One page of the child's exports, latest first, without their content."""
    exports = (
        SubjectAccessExport.objects.filter(child=child)
        .select_related("requested_by", "message")
        .defer("content")
    )
    return Paginator(exports, PER_PAGE).get_page(page)


def export_get(*, child: Child, pk) -> SubjectAccessExport:
    """One of the child's exports that is ready; 404 otherwise."""
    try:
        return SubjectAccessExport.objects.get(child=child, pk=pk, status=SubjectAccessExport.Status.READY)
    except (SubjectAccessExport.DoesNotExist, ValueError, TypeError):
        raise Http404("No export found") from None
