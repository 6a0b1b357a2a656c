"""Records of Supervision (000 App. C, 000 §4.1-§4.2, §6.1, 002): a worker's supervision page, their agreed
frequency, and recording, completing, finalising, cancelling and downloading a supervision.

Thin views over supervision.services.sessions and supervision.selectors.sessions. Access is
supervision.access: a worker's page is for those above them in the chain (and the worker themself); a
record for the supervisee, the supervisor, those above, and the managers of the supervisee's team, whose
personal wellbeing and performance sections only the first three read. Anything else is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cases.models import User
from core.audit import audit_record
from core.downloads import no_store as _no_store
from core.models import AuditEntry
from core.views import audit_get_record, service_errors

from .. import access
from ..forms.sessions import (
    SessionCancelForm,
    SessionCreateForm,
    SupervisionFrequencyForm,
)
from ..models import FORMAL_METHODS, SupervisionSession
from ..pdf_session import session_record_filename, supervision_record_store
from ..selectors import sessions as selectors
from ..services import sessions as services

PAGE_SIZE = 25
RESTRICTED_NOTICE = (
    "Restricted: visible only to {name}, their supervisor and managers above them in the supervision chain"
)
NOT_STARTED, COMPLETED, RESTRICTED = "Not started", "Completed", "Restricted"


def _worker_for_page(request, wpk) -> User:
    """The worker whose page this is: the worker themself, or someone who supervises them; 404 otherwise."""
    if request.user.pk == wpk:
        return User.objects.select_related("team", "line_manager").get(pk=wpk)
    return access.worker_get_for_supervision(user=request.user, pk=wpk)


def supervision_worker(request, wpk):
    """A worker's supervision: who supervises them, how often, what is due or overdue (with the policy),
    active supervision (000 §4.2), and their Records of Supervision."""
    worker = _worker_for_page(request, wpk)
    audit_get_record(request, worker, "Viewed supervision page")
    supervises = access.can_supervise(request.user, worker)
    page = Paginator(selectors.sessions_for_worker(worker=worker), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    obligations = selectors.worker_supervision_obligations(worker=worker)
    return render(
        request,
        "supervision/worker.html",
        {
            "worker": worker,
            "is_self": request.user.pk == worker.pk,
            "can_supervise": supervises,
            "frequency": selectors.frequency_in_force(worker=worker),
            "obligations": obligations,
            "active_cases": selectors.active_supervision_cases(worker=worker, viewer=request.user),
            "page": page,
        },
    )


def supervision_frequency(request, wpk):
    """Agree a more frequent supervision for the worker, or return them to the standard (002 Frequency)."""
    worker = access.worker_get_for_supervision(user=request.user, pk=wpk)
    audit_get_record(request, worker, "Viewed supervision frequency form")
    form = SupervisionFrequencyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_frequency_set(worker=worker, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, f"Supervision frequency saved for {worker}")
            return redirect("supervision_worker", wpk=worker.pk)
    return render(
        request,
        "supervision/frequency.html",
        {
            "worker": worker,
            "form": form,
            "frequency": selectors.frequency_in_force(worker=worker),
        },
    )


def session_create(request, wpk):
    """Record that a supervision was held (000 App. C): date, method, supervisor, and the leave gap where
    002 requires it. The record itself is then completed on its own page."""
    worker = access.worker_get_for_supervision(user=request.user, pk=wpk)
    audit_get_record(request, worker, "Viewed record-a-supervision form")
    supervisors = selectors.supervisor_candidates(worker=worker, user=request.user)
    form = SessionCreateForm(
        request.POST if request.method == "POST" else None,
        worker=worker,
        user=request.user,
        supervisors=supervisors,
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(supervisee=worker, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, "Supervision recorded: now complete the record")
            return redirect("session_edit", spk=session.pk)
    return render(
        request,
        "supervision/session_form.html",
        {
            "worker": worker,
            "form": form,
            "gap": form.gap,
            "creating": True,
            "frequency": selectors.frequency_in_force(worker=worker),
        },
    )


def section_rows(
    session: SupervisionSession,
    *,
    restricted: bool,
    editable: bool,
    discussions: int,
    base: str | None = None,
) -> list:
    """App. C's agenda in order, then the notes, the leave gap and the next supervision: each with what
    was recorded (or the restricted notice), a status and, for the record's writers, where to change it
    (on the record's page, or `base` "" for an anchor on the page showing the list)."""
    edit = (reverse("session_edit", args=[session.pk]) if base is None else base) if editable else ""
    rows = []
    for item in selectors.AGENDA:
        row = {
            **item,
            "hidden": item["restricted"] and not restricted,
            "name": f"{item['number']}. {item['title']}",
        }
        if item["field"] is None:
            row["status"] = COMPLETED if discussions else NOT_STARTED
            row["url"] = f"{edit}#cases-discussed" if edit else "#cases-discussed"
        elif row["hidden"]:
            row["status"] = RESTRICTED
            row["url"] = ""
        else:
            text: str = getattr(session, item["field"])  # a text section of the record
            row["text"] = text
            row["status"] = COMPLETED if text.strip() else NOT_STARTED
            row["url"] = f"{edit}#id_{item['field']}" if editable else ""
        rows.append(row)
    rows.append(
        {
            "name": "Discussion notes",
            "field": "discussion_notes",
            "text": session.discussion_notes,
            "status": COMPLETED if session.discussion_notes.strip() else NOT_STARTED,
            "url": f"{edit}#id_discussion_notes" if editable else "",
        }
    )
    rows.append(
        {
            "name": "Date, time and place of next supervision",
            "field": "next",
            "status": COMPLETED if session.next_date else NOT_STARTED,
            "url": f"{edit}#id_next_date_0" if editable else "",
        }
    )
    return rows


def session_detail(request, spk):
    """The Record of Supervision (000 App. C) as a task list of its agenda, the cases discussed (each a
    Case Discussion Record on the child's file) and the supervisee's open cases to add discussions for."""
    session = access.session_get_for_user(user=request.user, pk=spk)
    audit_get_record(request, session, "Viewed Record of Supervision")
    user = request.user
    restricted = access.can_see_restricted(user, session)
    editable = access.can_edit_session(user, session)
    discussions = selectors.session_discussions(session=session)
    discussed = {d.child_id for d in discussions}
    is_draft = session.is_draft
    open_cases = selectors.open_cases_for(worker=session.supervisee, viewer=request.user) if is_draft else []
    gap = None
    if editable and not session.leave_gap.strip():
        gap = selectors.leave_gap_for(
            worker=session.supervisee, held_on=session.held_on, exclude_pk=session.pk
        )
    return render(
        request,
        "supervision/session_detail.html",
        {
            "session": session,
            "supervisee": session.supervisee,
            "can_see_restricted": restricted,
            "can_edit": editable,
            "can_open_worker": user.pk == session.supervisee_id
            or access.can_supervise(user, session.supervisee),
            "restricted_notice": RESTRICTED_NOTICE.format(name=session.supervisee),
            "sections": section_rows(
                session, restricted=restricted, editable=editable, discussions=len(discussions)
            ),
            "discussions": discussions,
            "open_cases": [{"child": c, "discussed": c.pk in discussed} for c in open_cases],
            "is_formal": session.method in FORMAL_METHODS,
            "gap": gap if gap is not None and gap.required else None,
        },
    )


def session_cancel(request, spk):
    """Cancel a draft record, with the reason: it no longer counts as a supervision held."""
    session = access.session_get_for_edit(user=request.user, pk=spk)
    audit_get_record(request, session, "Viewed Record of Supervision cancel form")
    form = SessionCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, "Record of Supervision cancelled")
            return redirect("supervision_worker", wpk=session.supervisee_id)
    return render(
        request,
        "supervision/session_cancel.html",
        {"session": session, "form": form},
    )


def session_pdf(request, spk):
    """Download the finalised Record of Supervision: only those who may read its restricted sections.
    Rendered now if the task has not stored it yet, so the download works with the worker down."""
    session = access.session_get_for_user(user=request.user, pk=spk)
    if not access.can_see_restricted(request.user, session):
        raise Http404("No such supervision record")
    if not session.is_finalised:
        raise Http404("The record is not finalised")
    if supervision_record_store(session_id=session.pk) is None:
        raise Http404("No record")
    content = SupervisionSession.objects.filter(pk=session.pk).values_list("pdf", flat=True).first()
    if not content:
        raise Http404("No record")
    audit_record(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        obj=session,
        description="Downloaded Record of Supervision",
        path=request.path,
    )
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{session_record_filename(session)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


__all__ = [
    "session_cancel",
    "session_create",
    "session_detail",
    "session_pdf",
    "supervision_frequency",
    "supervision_worker",
]
