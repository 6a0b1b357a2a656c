"""Subject access request pages (UK GDPR Art. 15): the service manager exports a child's whole record
and downloads past exports. 404 for everyone else, never 403, so nobody learns what exists. Every GET
of the page is audited against the child; the export and each download are audited by the service."""

from django.contrib import messages
from django.shortcuts import redirect, render

from core.downloads import download, no_store
from core.views import audit_get

from .forms import SubjectAccessForm
from .selectors import child_for_export, export_get, exports_page
from .services import subject_access_download_audit, subject_access_request


def subject_access(request, pk):
    """The request form and the child's past exports (paginated)."""
    child = child_for_export(user=request.user, pk=pk)
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subject_access_request(
            user=request.user,
            child=child,
            requester=data["requester"],
            reference=data["reference"],
            received_on=data["received_on"],
            reason=data["reason"],
        )
        messages.success(
            request, "The export is being prepared: it is listed below with its download when it is ready"
        )
        return redirect("subject_access", pk=child.pk)
    audit_get(request, child, "subject access requests")
    context = {
        "child": child,
        "tab": "subject_access",
        "form": form,
        "page_obj": exports_page(child=child, page=request.GET.get("page")),
    }
    return no_store(render(request, "records/subject_access.html", context))


def subject_access_download(request, pk, epk):
    """The export's ZIP, audited, never cached."""
    child = child_for_export(user=request.user, pk=pk)
    export = export_get(child=child, pk=epk)
    subject_access_download_audit(user=request.user, export=export, path=request.path)
    return download(bytes(export.content), "application/zip", export.filename)
