"""Crown Court tracking pages (003 §9): start it with the screening, see it, and change one part of it
(progress, the §9.5 oversight decision, its end).

Thin views: the child first (`child_get_for_user`, 404 outside the user's scope), then the record (404
if not the child's), a permission check (404 for anyone who may not act, never 403), a form, a service
call. Every GET is audited against the child; every POST is audited by its service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import selectors as case_selectors
from cases.selectors.allocation import can_allocate
from core.views import audit_get, service_errors

from ..forms.crown_court import CrownCourtForm, EndForm, OversightForm, ProgressForm
from ..models import Band, CrownCourtTracking
from ..selectors import tracking as selectors
from ..services import crown_court as services
from .overview import tab_context

# The roles that hold each band, for the allocation link (brief; 003 §9.2).
BAND_ROLE_LABELS: dict[str, str] = {
    Band.B: "a senior case manager (Band B) or an advanced practitioner",
    Band.A: "a case manager (Band A) or a YJS officer",
}
UPDATE_PARTS = ("progress", "oversight", "end")


def crown_court_new(request, pk):
    """Start Crown Court tracking with the screening decision (003 §9.1-§9.6): TM/AP or business support
    of the child's team, or the service manager; refused for a child on bail supervision and support."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not selectors.can_add_crown_court(user=request.user, child=child):
        raise Http404("You cannot start Crown Court tracking for this child")
    audit_get(request, child, "Crown Court tracking form")
    refusal = ""
    if selectors.has_open_bss(child):
        refusal = services.BSS_MESSAGE.format(name=child.full_name)
    existing = selectors.open_tracking_for(child)
    if existing is not None:
        refusal = f"{child.full_name} is already on Crown Court tracking: end it before starting another."
    proposal = selectors.proposed_band(seriousness="", rosh=child.rosh, saw=child.saw)
    form = CrownCourtForm(
        request.POST if request.method == "POST" else None,
        child=child,
        proposal=proposal,
        can_override=selectors.can_override_band(user=request.user, child=child),
        initial={
            "court": "Nottingham Crown Court",
            "rosh": child.rosh,
            "saw": child.saw,
            "band": proposal,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            tracking = services.crown_court_start(child=child, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Crown Court tracking started. Allocate {BAND_ROLE_LABELS[tracking.band]} within 48 hours "
                "of the first appearance (003 §9.2).",
            )
            return redirect("crown_court_detail", pk=child.pk, cpk=tracking.pk)
    return render(
        request,
        "courts/crown_court_form.html",
        tab_context(child, form=form, refusal=refusal, existing=existing, proposal=proposal),
    )


def crown_court_detail(request, pk, cpk):
    """One Crown Court tracking: the screening, the allocated case manager against the band, the
    oversight decision, the next hearing, the principles, the home YJS, the ending and the timescales."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    tracking = selectors.crown_court_get(child=child, pk=cpk)
    audit_get(request, child, f"Crown Court tracking {tracking.pk}")
    done = set(tracking.principles or [])
    check = selectors.band_check(tracking=tracking, worker=child.case_manager)
    open_ = tracking.is_open
    can_update = selectors.can_update_tracking(user=request.user, child=child)
    return render(
        request,
        "courts/crown_court_detail.html",
        tab_context(
            child,
            tracking=tracking,
            is_open=open_,
            check=check,
            band_roles=BAND_ROLE_LABELS[tracking.band],
            reasons=selectors.band_reasons(
                seriousness=tracking.seriousness, rosh=tracking.rosh, saw=tracking.saw
            ),
            proposal=selectors.proposed_band(
                seriousness=tracking.seriousness, rosh=tracking.rosh, saw=tracking.saw
            ),
            principles=[(label, code in done) for code, label in CrownCourtTracking.PRINCIPLES],
            principles_done=len(done),
            obligations=selectors.court_obligations(child=child),
            can_update=can_update and open_,
            can_oversee=selectors.manages_child(user=request.user, child=child) and open_,
            can_allocate=can_allocate(user=request.user, child=child),
        ),
    )


def _part_form(part: str, tracking: CrownCourtTracking, data):
    """The form for one part of the update page, filled from the tracking."""
    today = timezone.localdate()
    if part == "oversight":
        return OversightForm(
            data,
            initial={
                "trial_attendance": tracking.trial_attendance,
                "oversight_on": tracking.oversight_on or today,
            },
        )
    if part == "end":
        return EndForm(data, initial={"ended_on": today})
    return ProgressForm(
        data,
        initial={
            "next_hearing_on": tracking.next_hearing_on,
            "principles": list(tracking.principles or []),
            "out_of_area_home_yjs": tracking.out_of_area_home_yjs,
        },
    )


def _save_part(part: str, tracking, user, data: dict):
    """Call the service for one part of the update page."""
    if part == "oversight":
        return services.crown_court_oversight(
            tracking=tracking,
            user=user,
            trial_attendance=data["trial_attendance"],
            oversight_on=data["oversight_on"],
        )
    if part == "end":
        return services.crown_court_end(
            tracking=tracking,
            user=user,
            ended_on=data["ended_on"],
            outcome=data["outcome"],
            closure_reason=data["closure_reason"],
        )
    return services.crown_court_progress(
        tracking=tracking,
        user=user,
        next_hearing_on=data.get("next_hearing_on"),
        principles=data.get("principles", []),
        out_of_area_home_yjs=data.get("out_of_area_home_yjs", ""),
    )


PART_MESSAGES = {
    "progress": "Crown Court tracking updated",
    "oversight": "Management oversight decision recorded (003 §9.5)",
    "end": "Crown Court tracking ended and its programme closed",
}


def crown_court_update(request, pk, cpk):
    """Change one part of a running tracking (`?part=`): the next hearing, principles and home YJS
    (whoever tracks the case), the §9.5 oversight decision (TM/AP only), or its end."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    tracking = selectors.crown_court_get(child=child, pk=cpk)
    part = request.GET.get("part", "progress")
    if part not in UPDATE_PARTS:
        raise Http404("No such part")
    allowed = (
        selectors.manages_child(user=request.user, child=child)
        if part == "oversight"
        else selectors.can_update_tracking(user=request.user, child=child)
    )
    if not allowed or not tracking.is_open:
        raise Http404("You cannot change this Crown Court tracking")
    audit_get(request, child, f"update Crown Court tracking {tracking.pk} ({part})")
    form = _part_form(part, tracking, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _save_part(part, tracking, request.user, form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, PART_MESSAGES[part])
            return redirect("crown_court_detail", pk=child.pk, cpk=tracking.pk)
    return render(
        request,
        "courts/crown_court_update.html",
        tab_context(child, tracking=tracking, form=form, part=part),
    )
