"""The Record of Supervision on one page, and the check before it is finalised (000 App. C, 001 App. 5,
002; issue 20).

- `session_edit`: the record's sections and its case discussions, one fieldset each, saved together
  (all or nothing) with one error summary for the page. "Add another case discussion" sends the page
  back with another fieldset and every answer kept. A POST with `autosave=1` keeps the draft as typed
  (nothing asked for yet, lengths and versions still checked) and answers JSON (ADR 0018).
- `session_finalise`: the answers to check, each with where to change it, what the record still needs,
  and the button that finalises it; then the confirmation.

Access: only those who may write the record (its supervisor and those above the supervisee) reach either
page while it is a draft; anyone else gets the same 404 (supervision.access). Every GET is audited
against the record, and against each child whose case discussion it shows.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.audit import children_view_audit
from core.autosave import autosave_json
from core.forms import parse_id
from core.views import audit_get_record, service_errors
from meetings.forms.common import ProblemsForm

from .. import access
from ..forms.record import RecordPage
from ..models import FORMAL_METHODS, CaseDiscussion, SupervisionSession
from ..selectors import sessions as selectors
from ..services import sessions as services
from ..services.record import DiscussionInput, RecordNotSaved, session_record_save
from .sessions import section_rows

# A POST field the page's autosave sends (ADR 0018); the page's own buttons never do.
AUTOSAVE = "autosave"


def _audit_children(request, discussions: list[CaseDiscussion], page: str) -> None:
    """A GET showing case discussions is audited against each child shown (their file's content), in one
    insert however many there are."""
    if request.method == "GET" and discussions:
        children = [discussion.child for discussion in discussions]
        children_view_audit(user=request.user, children=children, page=page, path=request.path)


def _record_page(request, session: SupervisionSession, *, partial: bool = False) -> RecordPage:
    """The page's forms: bound to the POST (any fieldset may name any of the supervisee's open cases),
    or from the record (the empty fieldset offers those not yet discussed; `?add=` chooses one)."""
    drafts, _ = selectors.session_discussions_for_page(session=session, user=request.user)
    bound = request.method == "POST"
    children = selectors.cases_to_discuss(session=session, user=request.user, discussed=bound)
    wanted = None if bound else parse_id(request.GET.get("add"))
    add_child = children.filter(pk=wanted).values_list("pk", flat=True).first() if wanted else None
    return RecordPage(
        request.POST if bound else None,
        session=session,
        show_restricted=access.can_see_restricted(request.user, session),
        drafts=drafts,
        children=children,
        partial=partial,
        add_child=add_child,
    )


def _save(request, session: SupervisionSession, record: RecordPage):
    """Save the page (partial for an autosave); the saved result, or None with the refusals on the forms."""
    form = record.session_form
    answers = record.answers()
    inputs = [
        DiscussionInput(
            data=data,
            discussion=discussion.discussion,
            child=None if discussion.discussion else discussion.cleaned_data.get("child"),
            version=discussion.version,
        )
        for discussion, data in answers
    ]
    try:
        return session_record_save(
            session=session,
            user=request.user,
            version=form.version,
            fields=form.record_data(),
            discussions=inputs,
            partial=record.partial,
        )
    except RecordNotSaved as exc:
        for part, error in exc.parts.items():
            if part == "session":
                service_errors(form, error, by_field=True)
            else:
                service_errors(answers[int(part)][0], error, by_field=True)
        return None


def _errors(record: RecordPage) -> list[dict[str, str]]:
    """The page's errors for a script: the id of the input at fault and the message."""
    return [{"field": href.lstrip("#"), "message": message} for href, message in record.error_links()]


def _autosave(request, session: SupervisionSession) -> JsonResponse:
    """Keep the draft as typed, answering in the shared autosave contract (core/autosave.py, ADR 0018):
    {"saved": true, "at", "version", "fields"} where `fields` are the hidden inputs the page updates (the
    record's version, each fieldset's id and version) so the next save is neither stale nor a second
    draft; 422 with the errors (messages, and where each is), or 409 when someone else saved since the
    page was loaded (ADR 0009)."""
    record = _record_page(request, session, partial=True)
    if not record.is_valid():
        return _refused(record, 422)
    saved = _save(request, session, record)
    if saved is None:
        stale = any(form.stale is not None for form in record.forms)
        if stale:
            return autosave_json(
                {
                    "saved": False,
                    "stale": True,
                    "message": "Someone else saved this record since you opened it.",
                },
                409,
            )
        return _refused(record, 422)
    fields = {"version": str(saved.session.version)}
    written = [form for form, _ in record.answers()]
    for form, discussion in zip(written, saved.discussions, strict=True):
        if discussion is not None:
            fields[f"{form.prefix}-id"] = str(discussion.pk)
            fields[f"{form.prefix}-version"] = str(discussion.version)
    now = timezone.localtime()
    return autosave_json(
        {
            "saved": True,
            "at": f"{now:%H:%M}",
            "saved_at": now.isoformat(timespec="seconds"),
            "version": saved.session.version,
            "fields": fields,
        },
        200,
    )


def _refused(record, status: int) -> JsonResponse:
    problems = _errors(record)
    return autosave_json(
        {"saved": False, "errors": [p["message"] for p in problems], "where": problems},
        status,
    )


def session_edit(request, spk):
    """The whole Record of Supervision on one page: App. C's agenda with a fieldset per case discussion
    (001 App. 5) where App. C lists the cases discussed, the notes, the leave gap and the next supervision."""
    session = access.session_get_for_edit(user=request.user, pk=spk)
    if request.method == "POST" and request.POST.get(AUTOSAVE) == "1":
        return _autosave(request, session)
    audit_get_record(request, session, "Viewed Record of Supervision edit form")
    record = _record_page(request, session)
    _audit_children(
        request,
        [f.discussion for f in record.discussion_forms if f.discussion],
        "case discussion in supervision",
    )
    if request.method == "POST":
        if "add_discussion" in request.POST:
            record.add_another()
        elif record.is_valid() and _save(request, session, record) is not None:
            messages.success(request, "Record of Supervision saved")
            if "continue" in request.POST:
                return redirect("session_finalise", spk=session.pk)
            return redirect("session_detail", spk=session.pk)
    drafts, recorded = selectors.session_discussions_for_page(session=session, user=request.user)
    restricted = access.can_see_restricted(request.user, session)
    return render(
        request,
        "supervision/session_record.html",
        {
            "worker": session.supervisee,
            "session": session,
            "record": record,
            "form": record.session_form,
            "gap": record.session_form.gap,
            "recorded": recorded,
            "sections": section_rows(
                session,
                restricted=restricted,
                editable=True,
                discussions=len(drafts) + len(recorded),
                base="",
            ),
        },
    )


def _problem_links(session: SupervisionSession, problems: list[str]) -> list[tuple[str, str]]:
    """Each thing the record still needs, linked to where it is put right on the record's page."""
    edit = reverse("session_edit", args=[session.pk])
    routes = [
        ("next supervision", f"{edit}#id_next_date_0"),
        ("leave", f"{edit}#id_leave_gap"),
        ("section", f"{edit}#agenda"),
    ]
    return [
        (next((url for key, url in routes if key in message.lower()), edit), message) for message in problems
    ]


def _finalised(request, session: SupervisionSession):
    """The confirmation, for those who may read the whole record; a repeated POST lands here too."""
    if not access.can_see_restricted(request.user, session):
        raise Http404("No such supervision record")
    if request.method == "POST":
        return redirect("session_finalise", spk=session.pk)
    audit_get_record(request, session, "Viewed Record of Supervision finalised page")
    return render(
        request,
        "supervision/session_finalise.html",
        {"session": session, "finalised": True},
    )


def session_finalise(request, spk):
    """Check the answers, then finalise: the case discussions held in it go on the children's files, the
    record is fixed and its PDF produced (000 App. C, 001 App. 5, 004 §7)."""
    session = access.session_get_for_user(user=request.user, pk=spk)
    if session.is_finalised:
        return _finalised(request, session)
    if not access.can_edit_session(request.user, session):
        raise Http404("No such supervision record")
    audit_get_record(request, session, "Viewed Record of Supervision check and finalise page")
    problems = selectors.session_missing(session=session)
    if request.method == "POST" and not problems:
        try:
            services.session_finalise(session=session, user=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, "Record of Supervision finalised")
            return redirect("session_finalise", spk=session.pk)
    drafts, recorded = selectors.session_discussions_for_page(session=session, user=request.user)
    discussions = list(
        CaseDiscussion.objects.filter(pk__in=[d.pk for d in drafts + recorded])
        .select_related("child")
        .prefetch_related("actions__owner")
        .order_by("pk")
    )
    _audit_children(request, discussions, "case discussion in supervision (check and finalise)")
    # Where each draft is changed: its fieldset on the record's page, which lists the drafts in this order.
    for number, discussion in enumerate((d for d in discussions if d.is_draft), start=1):
        discussion.fieldset = f"discussion-{number}"  # type: ignore[attr-defined]
    restricted = access.can_see_restricted(request.user, session)
    return render(
        request,
        "supervision/session_finalise.html",
        {
            "session": session,
            "form": ProblemsForm(_problem_links(session, problems)),
            "drafts": [d for d in discussions if d.is_draft],
            "discussions": discussions,
            "sections": section_rows(
                session,
                restricted=restricted,
                editable=True,
                discussions=len(discussions),
                base=reverse("session_edit", args=[session.pk]),
            ),
            "can_see_restricted": restricted,
            "is_formal": session.method in FORMAL_METHODS,
            "edit_url": reverse("session_edit", args=[session.pk]),
        },
    )


__all__ = ["session_edit", "session_finalise"]
