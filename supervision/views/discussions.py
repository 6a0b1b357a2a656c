"""The child's Oversight tab: case discussions (001 App. 5; 000 App. D; 000 §4.3; 001 §6.3-§6.4),
co-allocated workers' discussions (003 §5.3) and management oversight decisions (004 §7, 002).

Thin views: the child first (`child_get_for_user`, 404 outside the user's scope), then the record
(404 if not the child's), a form, a service call. Anyone who may see the child reads these records;
only those `selectors.can_write_discussion` names may change a draft, and everyone else gets the same
404 as an outsider. Every GET is audited against the child; every POST is audited by its service.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import selectors as case_selectors
from cases.services.requests import with_requests
from core.audit import audit_record, child_view_audit
from core.downloads import no_store as _no_store
from core.models import AuditEntry
from core.views import audit_get, service_errors
from meetings.actions import agreed_actions_post

from ..access import can_edit_session, session_get_for_user
from ..forms.discussions import DiscussionForm, OversightDecisionForm, discussion_action_form
from ..models import CaseDiscussion
from ..pdf import case_discussion_store
from ..selectors import discussions as selectors
from ..selectors.oocd import oocd_panel_context
from ..services import discussions as services

PAGE_SIZE = 20
# The kinds a manager records (the co-allocated workers record their own: 003 §5.3).
MANAGER_KINDS = [k for k in CaseDiscussion.Kind.values if k != CaseDiscussion.Kind.CO_ALLOCATED]


def _context(child, **extra) -> dict:
    """What every page of the child's Oversight tab shares."""
    return {"child": child, "tab": "oversight", **extra}


def _child_and_discussion(request, pk, dpk):
    """The child (404 outside the user's scope) and one of its case discussions (404 if not the child's)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    return child, selectors.discussion_get_for_user(user=request.user, child=child, pk=dpk)


def _for_write(request, pk, dpk, *, draft_only: bool = True):
    """As _child_and_discussion, for those who may write it; 404 for anyone else (and once recorded)."""
    child, discussion = _child_and_discussion(request, pk, dpk)
    if not selectors.can_write_discussion(user=request.user, discussion=discussion):
        raise Http404("No case discussion found")
    if draft_only and discussion.status != CaseDiscussion.Status.DRAFT:
        raise Http404("The case discussion is recorded on the child's file")
    return child, discussion


# ---------------------------------------------------------------------------------------------------
# The Oversight tab


def child_oversight(request, pk):
    """The child's case discussions, oversight decisions and the obligations they meet (000 §4.3,
    001 §6.3, 003 §5.3, 002, 004 §7), with the buttons to record each for those allowed."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="oversight", path=request.path)
    page = Paginator(selectors.discussions_for_child(child=child), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    co_ids = selectors.co_worker_ids(child)
    can_manage = selectors.can_manage_oversight(user=request.user, child=child)
    context = _context(
        child,
        page=page,
        decisions=list(selectors.decisions_for_child(child=child)),
        obligations=with_requests(
            selectors.oversight_obligations(child=child), user=request.user, child=child
        ),
        can_manage=can_manage,
        can_co=selectors.can_hold_co_discussion(user=request.user, child=child, co_ids=co_ids),
        has_co_workers=bool(co_ids),
    )
    context.update(oocd_panel_context(child=child, user=request.user) or {})
    return render(request, "supervision/oversight.html", context)


# ---------------------------------------------------------------------------------------------------
# Case discussions


def _session_for(request, child):
    """The supervision the discussion is held in (`?session=`), which the user must be writing, and of
    whose supervisee the child is a case (or one the user may see); None without one; 404 otherwise."""
    raw = request.GET.get("session", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise Http404("No such supervision record")
    session = session_get_for_user(user=request.user, pk=int(raw))
    if not can_edit_session(request.user, session):
        raise Http404("No such supervision record")
    if not selectors.session_child_check(session=session, child=child, user=request.user):
        raise Http404("No such supervision record")
    return session


def _create_kinds(request, child, session) -> list[str]:
    """The kinds this user may record here: a manager's kinds, or the co-allocated workers' discussion
    for the case manager and co-workers (then the form is that kind); none means 404."""
    if session is not None:
        return [CaseDiscussion.Kind.SUPERVISION]
    co_ids = selectors.co_worker_ids(child)
    can_co = selectors.can_hold_co_discussion(user=request.user, child=child, co_ids=co_ids)
    can_manage = selectors.can_manage_oversight(user=request.user, child=child)
    if can_co and (request.GET.get("kind") == CaseDiscussion.Kind.CO_ALLOCATED or not can_manage):
        return [CaseDiscussion.Kind.CO_ALLOCATED]
    return list(MANAGER_KINDS) if can_manage else []


def _create_initial(request, child, session, kinds: list[str]) -> dict:
    """Pre-fill from the supervision, or the user as manager and the case manager as worker."""
    if session is not None:
        return {
            "held_on": session.held_on,
            "manager": session.supervisor_id,
            "worker": session.supervisee_id,
        }
    if kinds == [CaseDiscussion.Kind.CO_ALLOCATED]:
        co_ids = sorted(selectors.co_worker_ids(child))
        manager = request.user.pk if request.user.pk in co_ids else (co_ids[0] if co_ids else None)
        worker = child.case_manager_id if child.case_manager_id != manager else None
        return {"held_on": timezone.localdate(), "manager": manager, "worker": worker}
    kind = request.GET.get("kind", "")
    return {
        "held_on": timezone.localdate(),
        "kind": kind if kind in kinds else CaseDiscussion.Kind.SUPERVISION,
        "manager": request.user.pk,
        "worker": child.case_manager_id,
    }


def discussion_create(request, pk):
    """Record a case discussion (001 App. 5): from a supervision (`?session=`), by a manager, or the
    co-allocated workers' own discussion (003 §5.3)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    session = _session_for(request, child)
    kinds = _create_kinds(request, child, session)
    if not kinds:
        raise Http404("You cannot record a case discussion for this child")
    audit_get(request, child, "case discussion form")
    co_allocated = kinds == [CaseDiscussion.Kind.CO_ALLOCATED]
    extra = [session.supervisor, session.supervisee] if session is not None else [request.user]
    form = DiscussionForm(
        request.POST if request.method == "POST" else None,
        kinds=kinds,
        managers=selectors.manager_candidates(child=child, co_allocated=co_allocated, extra=extra[:1]),
        workers=selectors.staff_candidates(child=child, extra=extra[1:]),
        previous=selectors.previous_actions_hint(child=child),
        initial=_create_initial(request, child, session, kinds),
    )
    if request.method == "POST" and form.is_valid():
        try:
            discussion = services.case_discussion_create(
                child=child, user=request.user, session=session, **form.service_kwargs()
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request, "Case discussion saved. Add the agreed actions, then record it on the file."
            )
            if session is not None:
                return redirect("session_detail", spk=session.pk)
            return redirect("discussion_detail", pk=child.pk, dpk=discussion.pk)
    return render(
        request,
        "supervision/discussion_form.html",
        _context(child, form=form, session=session, co_allocated=co_allocated, editing=None),
    )


def _pdf_response(request, child, discussion) -> HttpResponse:
    """The recorded Case Discussion Record as a download (rendered now if the worker has not yet)."""
    if discussion.status != CaseDiscussion.Status.RECORDED:
        raise Http404("The case discussion is not recorded yet")
    document = case_discussion_store(discussion_id=discussion.pk)
    if document is None:
        raise Http404("No record")
    audit_record(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        obj=discussion,
        child=child,
        description="Downloaded the Case Discussion Record PDF",
        path=request.path,
    )
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


def discussion_detail(request, pk, dpk):
    """The Case Discussion Record read-only (001 App. 5) with its actions; `?download=pdf` gives the PDF
    once it is recorded on the file."""
    child, discussion = _child_and_discussion(request, pk, dpk)
    if request.GET.get("download") == "pdf":
        return _pdf_response(request, child, discussion)
    audit_get(request, child, f"case discussion {discussion.pk}")
    recorded = discussion.status == CaseDiscussion.Status.RECORDED
    return render(
        request,
        "supervision/discussion_detail.html",
        _context(
            child,
            discussion=discussion,
            actions=list(discussion.actions.all()),
            can_write=selectors.can_write_discussion(user=request.user, discussion=discussion),
            is_draft=not recorded,
            document=selectors.document_for(discussion) if recorded else None,
            today=timezone.localdate(),
        ),
    )


def discussion_edit(request, pk, dpk):
    """Change a draft case discussion."""
    child, discussion = _for_write(request, pk, dpk)
    audit_get(request, child, f"edit case discussion {discussion.pk}")
    session = discussion.session
    if session is not None or discussion.kind == CaseDiscussion.Kind.CO_ALLOCATED:
        kinds = [discussion.kind]
    else:
        kinds = list(MANAGER_KINDS)
    co_allocated = discussion.kind == CaseDiscussion.Kind.CO_ALLOCATED
    extra_managers = [discussion.manager] + ([session.supervisor] if session is not None else [])
    held_at = timezone.localtime(discussion.held_at) if discussion.held_at else None
    initial = {
        "held_on": discussion.held_on,
        "held_time": held_at.strftime("%H:%M") if held_at else "",
        "kind": discussion.kind,
        "manager": discussion.manager_id,
        "worker": discussion.worker_id,
        "significant": discussion.significant,
        "brief_check": discussion.brief_check,
        "plans_reviewed": discussion.plans_reviewed,
        **{name: getattr(discussion, name) for name in services.TEXT_FIELDS},
    }
    form = DiscussionForm(
        request.POST if request.method == "POST" else None,
        kinds=kinds,
        managers=selectors.manager_candidates(child=child, co_allocated=co_allocated, extra=extra_managers),
        workers=selectors.staff_candidates(child=child, extra=[discussion.worker]),
        previous=selectors.previous_actions_hint(child=child, before=discussion),
        initial=initial,
        submit="Save changes",
        discussion=discussion,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_discussion_update(
                discussion=discussion, user=request.user, version=form.version, **form.service_kwargs()
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Case discussion updated")
            return redirect("discussion_detail", pk=child.pk, dpk=discussion.pk)
    return render(
        request,
        "supervision/discussion_form.html",
        _context(child, form=form, session=session, co_allocated=co_allocated, editing=discussion),
    )


def discussion_actions(request, pk, dpk):
    """The agreed actions (Agreed Action / Who will complete this / Date to be completed by: 001 App. 5);
    add or remove them while the discussion is a draft."""
    child, discussion = _for_write(request, pk, dpk)
    audit_get(request, child, f"actions of case discussion {discussion.pk}")
    adding = request.method == "POST" and "remove" not in request.POST
    form = discussion_action_form(
        request.POST if adding else None,
        discussion=discussion,
        owners=selectors.staff_candidates(child=child, extra=[discussion.manager, discussion.worker]),
    )
    if request.method == "POST":
        try:
            done = agreed_actions_post(
                request,
                form=form,
                actions=discussion.actions,
                add=partial(services.discussion_action_add, discussion=discussion),
                remove=services.discussion_action_remove,
            )
            if done:
                return redirect("discussion_actions", pk=child.pk, dpk=discussion.pk)
        except ValidationError as exc:
            service_errors(form, exc)
    return render(
        request,
        "supervision/discussion_actions.html",
        _context(child, discussion=discussion, form=form, actions=list(discussion.actions.all())),
    )


def discussion_record(request, pk, dpk):
    """Check the record, then put it on the child's file: the "Management Oversight - Supervision" event
    (004 §7), the actions as tasks, the PDF (001 App. 5)."""
    child, discussion = _for_write(request, pk, dpk, draft_only=False)
    if discussion.status == CaseDiscussion.Status.RECORDED:
        return redirect("discussion_detail", pk=child.pk, dpk=discussion.pk)
    audit_get(request, child, f"record case discussion {discussion.pk}")
    errors = []
    if request.method == "POST":
        try:
            services.case_discussion_record(discussion=discussion, user=request.user)
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(request, "Case discussion recorded on the child's file")
            return redirect("discussion_detail", pk=child.pk, dpk=discussion.pk)
    return render(
        request,
        "supervision/discussion_record.html",
        _context(
            child,
            discussion=discussion,
            actions=list(discussion.actions.all()),
            errors=errors,
            co_allocated=discussion.kind == CaseDiscussion.Kind.CO_ALLOCATED,
        ),
    )


def discussion_delete(request, pk, dpk):
    """Delete a draft case discussion recorded in error (its facts go with it)."""
    child, discussion = _for_write(request, pk, dpk)
    audit_get(request, child, f"delete case discussion {discussion.pk}")
    errors = []
    if request.method == "POST":
        try:
            services.case_discussion_delete(discussion=discussion, user=request.user)
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(request, "Draft case discussion deleted")
            return redirect("child_oversight", pk=child.pk)
    return render(
        request, "supervision/discussion_delete.html", _context(child, discussion=discussion, errors=errors)
    )


# ---------------------------------------------------------------------------------------------------
# Management oversight decisions outside supervision


def decision_create(request, pk):
    """Record a management decision outside formal supervision on the child's file (004 §7, 002), with
    the active profile's recording timescale shown."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not selectors.can_manage_oversight(user=request.user, child=child):
        raise Http404("You cannot record a management decision for this child")
    audit_get(request, child, "management oversight decision form")
    form = OversightDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.oversight_decision_record(
                child=child, user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, f"{decision.heading} recorded on the child's file")
            return redirect("decision_detail", pk=child.pk, opk=decision.pk)
    return render(
        request,
        "supervision/decision_form.html",
        _context(child, form=form, timescale=selectors.recording_timescale()),
    )


def decision_detail(request, pk, opk):
    """A management oversight decision, read-only (004 §7)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    decision = selectors.decision_get_for_user(user=request.user, child=child, pk=opk)
    audit_get(request, child, f"oversight decision {decision.pk}")
    return render(request, "supervision/decision_detail.html", _context(child, decision=decision))
