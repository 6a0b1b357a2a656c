"""Assessment stages and their sign-off (001 §3-§6, App. 1-3): thin views over cases.signoff and services.

Anything a user may not do here (edit someone else's draft, complete a manager's stage) is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from core.audit import child_view_audit, list_view_audit
from core.views import audit_get, service_errors

from .. import signoff
from ..forms.assessments import (
    FRAMEWORKS,
    AssessmentForm,
    CompleteForm,
    RequestSignOffForm,
    ReturnForm,
    framework_suggestion,
)
from ..selectors import assessments as assessment_selectors
from ..selectors import child_get_for_user
from ..services import assessments as assessment_services
from .core import PAGE_SIZE


def _context(child, grant: bool = False, **extra) -> dict:
    """What every page of the child's Assessments tab needs; under the panel AP's grant (001 §6.3) the
    pages show the assessment alone, without the child's tabs."""
    return {
        "child": child,
        "tab": "assessments",
        "panel_grant": grant,
        **extra,
    }


PANEL_AUDIT = " as the OOCD panel AP signing it off (001 §6.3)"


def _get(request, pk, assessment_pk):
    """The child (404 outside the user's scope) and one of their stages (404 if not theirs), and whether
    the user sees them only under the panel AP's grant (an OOCD assessment of another team's child that
    they were named to sign off, 001 §6.3, 000 §3.1: `signoff.panel_grant`)."""
    try:
        child = child_get_for_user(user=request.user, pk=pk)
    except Http404:
        assessment = assessment_selectors.assessment_for_panel_ap(
            user=request.user, child_pk=pk, pk=assessment_pk
        )
        return assessment.child, assessment, True
    assessment = assessment_selectors.assessment_get_for_user(
        user=request.user, child=child, pk=assessment_pk
    )
    return child, assessment, False


def _done(grant: bool, child, assessment):
    """Where to go after returning or completing: the stage, or (the grant having ended with the sign-off
    request) the sign-off queue."""
    if grant:
        return redirect("sign_off_queue")
    return redirect("assessment_detail", pk=child.pk, assessment_pk=assessment.pk)


def child_assessments(request, pk):
    """A child's assessment stages: type, stage, status, levels, who signs off and when."""
    child = child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="assessments", path=request.path)
    rows = assessment_selectors.assessments_for_child(child=child)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/assessments/list.html", _context(child, page=page))


def assessment_add(request, pk):
    """Start a draft stage for a child, with the RoSH and SaW decision frameworks as an aid (App. 2/3)."""
    child = child_get_for_user(user=request.user, pk=pk)
    audit_get(request, child, "new assessment form")
    form = AssessmentForm(request.POST if request.method == "POST" else None, child=child)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_services.assessment_create(
                child=child, author=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Draft saved")
            return redirect("assessment_detail", pk=child.pk, assessment_pk=assessment.pk)
    return render(request, "cases/assessments/form.html", _context(child, form=form))


def assessment_edit(request, pk, assessment_pk):
    """Edit a draft or returned stage: its author only."""
    child, assessment, _ = _get(request, pk, assessment_pk)
    if not signoff.may_edit(request.user, assessment):
        raise Http404("Only the author can edit a draft")
    audit_get(request, child, f"edit form for assessment {assessment.pk}")
    form = AssessmentForm(
        request.POST if request.method == "POST" else None, instance=assessment, child=child
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment_services.assessment_update(
                assessment=assessment, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Draft saved")
            return redirect("assessment_detail", pk=child.pk, assessment_pk=assessment.pk)
    # What the saved framework answers point to (server-side, after save; App. 2/3). A bound form has
    # written the unsaved input onto the instance, so read the saved version back.
    saved = (
        assessment_selectors.assessment_get_for_user(user=request.user, child=child, pk=assessment.pk)
        if form.is_bound
        else assessment
    )
    suggestions = [s for s in (framework_suggestion(framework=f, assessment=saved) for f in FRAMEWORKS) if s]
    return render(
        request,
        "cases/assessments/form.html",
        _context(child, form=form, assessment=assessment, suggestions=suggestions),
    )


def assessment_detail(request, pk, assessment_pk):
    """One stage: everything recorded, who must sign it off and why, its history and what the user can do."""
    child, assessment, grant = _get(request, pk, assessment_pk)
    page = f"assessment {assessment.pk}" + (PANEL_AUDIT if grant else "")
    child_view_audit(user=request.user, child=child, page=page, path=request.path)
    user = request.user
    suggestions = {f: framework_suggestion(framework=f, assessment=assessment) for f in FRAMEWORKS}
    frameworks = []
    for name, framework in FRAMEWORKS.items():
        answers = []
        for column, (label, rows) in framework["columns"].items():
            value = getattr(assessment, f"{name}_{column}")
            answers.append({"label": label, "text": rows.get(value, "") if value else ""})
        frameworks.append({"title": framework["title"], "answers": answers, "suggestion": suggestions[name]})
    return render(
        request,
        "cases/assessments/detail.html",
        _context(
            child,
            grant,
            assessment=assessment,
            frameworks=frameworks,
            actions=assessment_selectors.assessment_actions(assessment=assessment),
            can_edit=signoff.may_edit(user, assessment),
            can_request=signoff.may_request_sign_off(user, assessment),
            can_complete_own=signoff.may_complete_own(user, assessment),
            can_act=signoff.may_act(user, assessment),
            cmm_required=assessment.status != assessment.Status.COMPLETED
            and signoff.assessment_cmm_date_required(assessment),
            agreement_needed=assessment.status != assessment.Status.COMPLETED
            and signoff.apparent_high_by_duty_worker(assessment),
        ),
    )


def assessment_request_sign_off(request, pk, assessment_pk):
    """The author sends a stage for sign-off, to the person App. 1 names or a chosen eligible one."""
    child, assessment, _ = _get(request, pk, assessment_pk)
    if not signoff.may_request_sign_off(request.user, assessment):
        raise Http404("This stage cannot be sent for sign-off by you")
    audit_get(request, child, f"sign-off request for assessment {assessment.pk}")
    rule = assessment_selectors.sign_off_requirement_for(assessment=assessment)
    # Show (and offer people for) what the rule says now; the service decides again when it saves.
    assessment.sign_off_by, assessment.sign_off_basis = rule.sign_off_by, rule.basis
    candidates = assessment_selectors.sign_off_candidates(assessment=assessment, include=rule.assigned_to)
    # Default: the person the rule names, else the manager who returned it (they gatekept it).
    default = rule.assigned_to or (
        assessment.gatekept_by
        if assessment.gatekept_by_id and candidates.filter(pk=assessment.gatekept_by_id).exists()
        else None
    )
    form = RequestSignOffForm(
        request.POST if request.method == "POST" else None,
        candidates=candidates,
        oocd=assessment.kind == assessment.Kind.OOCD,
        initial={"assigned_to": default},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment_services.assessment_request_sign_off(
                assessment=assessment, user=request.user, assigned_to=form.cleaned_data["assigned_to"]
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Sign-off requested")
            return redirect("assessment_detail", pk=child.pk, assessment_pk=assessment.pk)
    return render(
        request,
        "cases/assessments/action.html",
        _context(child, form=form, assessment=assessment, rule=rule, action="request"),
    )


def assessment_return(request, pk, assessment_pk):
    """Someone who can sign a stage off returns it with the changes needed (gatekeeping it if first)."""
    child, assessment, grant = _get(request, pk, assessment_pk)
    if not signoff.may_act(request.user, assessment):
        raise Http404("You cannot sign off this stage")
    audit_get(request, child, f"return form for assessment {assessment.pk}" + (PANEL_AUDIT if grant else ""))
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_services.assessment_return(
                assessment=assessment, user=request.user, comments=form.cleaned_data["comments"]
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Returned to the author for changes")
            return _done(grant, child, assessment)
    return render(
        request,
        "cases/assessments/action.html",
        _context(child, grant, form=form, assessment=assessment, action="return"),
    )


def assessment_complete(request, pk, assessment_pk):
    """Complete a stage: the case holder's own (App. 1 housekeeping, Low/Low) or as the person signing off."""
    child, assessment, grant = _get(request, pk, assessment_pk)
    user = request.user
    own = signoff.may_complete_own(user, assessment)
    if not own and not signoff.may_act(user, assessment):
        raise Http404("You cannot complete this stage")
    audit_get(
        request, child, f"completion form for assessment {assessment.pk}" + (PANEL_AUDIT if grant else "")
    )
    asks_agreement = not own and signoff.apparent_high_by_duty_worker(assessment)
    initial = {}
    if asks_agreement and signoff.is_team_tm_ap(user, child.team_id):
        initial["levels_agreed_with"] = user
    elif assessment.levels_agreed_with_id:
        initial["levels_agreed_with"] = assessment.levels_agreed_with
    form = CompleteForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        ask_levels=not own and assessment_services.has_proposed_levels(assessment),
        ask_cmm=not own and signoff.assessment_cmm_date_required(assessment),
        ask_progress=signoff.progress_required(assessment),
        agreement_candidates=assessment_selectors.levels_agreement_candidates(assessment=assessment)
        if asks_agreement
        else None,
        comments_required=not own,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agreed = data.get("levels_agreed")
        try:
            assessment_services.assessment_complete(
                assessment=assessment,
                user=user,
                comments=data.get("comments", ""),
                levels_agreed=None if not agreed else agreed == "yes",
                agreed_levels={name: data.get(f"agreed_{name}", "") for name in ("rosh", "saw", "lor")},
                levels_agreed_with=data.get("levels_agreed_with"),
                cmm_date=data.get("cmm_date"),
                progress_at_closure=data.get("progress_at_closure", ""),
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Stage completed")
            return _done(grant, child, assessment)
    return render(
        request,
        "cases/assessments/action.html",
        _context(child, grant, form=form, assessment=assessment, action="complete", own=own),
    )


SIGN_OFF_TABS = (("waiting", "Waiting for my sign-off"), ("requests", "My requests"))


def sign_off_queue(request):
    """Stages waiting for my sign-off (with absent colleagues' cover) and my own requests, paginated."""
    user = request.user
    counts = assessment_selectors.sign_off_counts(user=user)
    can_sign = any(user.role in roles for roles in signoff.ROLES_FOR.values())
    tab = request.GET.get("tab") or ("waiting" if can_sign else "requests")
    if tab not in dict(SIGN_OFF_TABS):
        tab = "waiting"
    rows = (
        assessment_selectors.sign_off_waiting(user=user)
        if tab == "waiting"
        else assessment_selectors.sign_off_requests(user=user)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    list_view_audit(
        user=user, page="sign-off queue", shown=len(page.object_list), filters={"tab": tab}, path=request.path
    )
    tabs = [{"key": key, "label": label, "count": counts[key]} for key, label in SIGN_OFF_TABS]
    return render(
        request,
        "cases/assessments/queue.html",
        {
            "page": page,
            "tab": tab,
            "tabs": tabs,
            "can_sign": can_sign,
            "querystring": f"tab={tab}",
        },
    )


urlpatterns = [
    path("children/<int:pk>/assessments/", child_assessments, name="child_assessments"),
    path("children/<int:pk>/assessments/new/", assessment_add, name="assessment_add"),
    path("children/<int:pk>/assessments/<int:assessment_pk>/", assessment_detail, name="assessment_detail"),
    path("children/<int:pk>/assessments/<int:assessment_pk>/edit/", assessment_edit, name="assessment_edit"),
    path(
        "children/<int:pk>/assessments/<int:assessment_pk>/request-sign-off/",
        assessment_request_sign_off,
        name="assessment_request_sign_off",
    ),
    path(
        "children/<int:pk>/assessments/<int:assessment_pk>/return/",
        assessment_return,
        name="assessment_return",
    ),
    path(
        "children/<int:pk>/assessments/<int:assessment_pk>/complete/",
        assessment_complete,
        name="assessment_complete",
    ),
    path("sign-off/", sign_off_queue, name="sign_off_queue"),
]
