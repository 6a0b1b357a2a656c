"""Court tracking pages (003 §9-§10, App. C): the child's Court tab, Crown Court tracking, and the court
lead's Magistrates' Court list.

Thin views: the child first (`child_get_for_user`, 404 outside the user's scope), then the record (404
if not the child's), a permission check (404 for anyone who may not act, never 403), a form, a service
call. Every GET showing a child is audited against the child; every POST is audited by its service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Role
from cases.selectors.allocation import can_allocate
from core.audit import audit_record, child_view_audit
from core.models import AuditEntry
from core.views import audit_get, service_errors

from ..forms.tracking import (
    AwaitingHearingForm,
    CrownCourtForm,
    EndForm,
    OversightForm,
    ProgressForm,
    RespondForm,
    ScreenForm,
    yes_no_initial,
)
from ..models import AwaitingHearing, Band, CrownCourtTracking
from ..selectors import tracking as selectors
from ..services import tracking as services

PAGE_SIZE = 25
CROWN_LIST_LIMIT = 100
# The roles that hold each band, for the allocation link (brief; 003 §9.2).
BAND_ROLE_LABELS = {
    Band.B: "a senior case manager (Band B) or an advanced practitioner",
    Band.A: "a case manager (Band A) or a YJS officer",
}
UPDATE_PARTS = ("progress", "oversight", "end")


def _context(child, **extra) -> dict:
    """What every page of the child's Court tab shares."""
    return {"child": child, "tab": "court", "nav": "caseload", **extra}


def _tracking_rows(child, trackings) -> list[dict]:
    """Each tracking with whether it runs and how the case manager's band compares (003 §9.2)."""
    return [
        {
            "tracking": t,
            "open": selectors.is_open(t),
            "check": selectors.band_check(tracking=t, worker=child.case_manager),
        }
        for t in trackings
    ]


# ---------------------------------------------------------------------------------------------------
# The child's Court tab


def child_court(request, pk):
    """The child's Crown Court trackings and Magistrates' Court awaiting-hearing entries, with the buttons
    for those allowed (003 §9-§10)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="court", path=request.path)
    trackings = list(selectors.crown_trackings_for_child(child=child))
    return render(
        request,
        "courts/child_court.html",
        _context(
            child,
            trackings=_tracking_rows(child, trackings),
            awaiting=list(selectors.awaiting_for_child(child=child)),
            can_add=selectors.can_add_crown_court(user=request.user, child=child),
            can_screen=selectors.is_court_manager(request.user),
            has_bss=selectors.has_open_bss(child),
            obligations=selectors.court_obligations(child=child),
        ),
    )


# ---------------------------------------------------------------------------------------------------
# Crown Court tracking (003 §9)


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
        _context(child, form=form, refusal=refusal, existing=existing, proposal=proposal),
    )


def crown_court_detail(request, pk, cpk):
    """One Crown Court tracking: the screening, the allocated case manager against the band, the
    oversight decision, the next hearing, the principles, the home YJS, the ending and the timescales."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    tracking = selectors.crown_court_get(child=child, pk=cpk)
    audit_get(request, child, f"Crown Court tracking {tracking.pk}")
    done = set(tracking.principles or [])
    check = selectors.band_check(tracking=tracking, worker=child.case_manager)
    open_ = selectors.is_open(tracking)
    can_update = selectors.can_update_tracking(user=request.user, child=child)
    return render(
        request,
        "courts/crown_court_detail.html",
        _context(
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
    if not allowed or not selectors.is_open(tracking):
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
        _context(child, tracking=tracking, form=form, part=part),
    )


# ---------------------------------------------------------------------------------------------------
# Magistrates' Court tracking (003 §10, App. C)


def court_home(request):
    """The court lists: children awaiting a Magistrates' Court hearing (not yet screened first, then by
    hearing date, filterable by decision) and the Crown Court trackings running, in the user's scope.
    The Court lead TM/AP (or the service manager) adds and screens; others read."""
    user = request.user
    if user.role == Role.ADMINISTRATOR:
        raise Http404("Administrators see no child records")
    audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=user,
        child=None,
        description="Viewed the court tracking lists",
        path=request.path,
    )
    decision = request.GET.get("decision", "")
    if decision not in AwaitingHearing.Decision.values:
        decision = ""
    page = Paginator(selectors.awaiting_list(user=user, decision=decision), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    crown = list(selectors.crown_open_list(user=user)[: CROWN_LIST_LIMIT + 1])
    counts = selectors.awaiting_counts(user=user)
    return render(
        request,
        "courts/home.html",
        {
            "nav": "court",
            "page": page,
            "decision": decision,
            "decisions": [(value, label, counts[value]) for value, label in AwaitingHearing.Decision.choices],
            "total": sum(counts.values()),
            "querystring": f"decision={decision}" if decision else "",
            "crown": [
                {"tracking": t, "check": selectors.band_check(tracking=t, worker=t.child.case_manager)}
                for t in crown[:CROWN_LIST_LIMIT]
            ],
            "crown_more": len(crown) > CROWN_LIST_LIMIT,
            "can_screen": selectors.is_court_manager(user),
            "today": timezone.localdate(),
        },
    )


def awaiting_hearing_new(request):
    """Add a child awaiting a Magistrates' Court hearing to the list (003 §10.1): TM/AP or the service
    manager, for a child they can see."""
    if not selectors.is_court_manager(request.user):
        raise Http404("Only the court lead keeps the Magistrates' Court list")
    form = AwaitingHearingForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"court": "Nottingham Magistrates' Court", "listed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearing = services.awaiting_hearing_add(
                user=request.user,
                child=data["child"],
                hearing_on=data["hearing_on"],
                court=data["court"],
                offence=data["offence"],
                listed_on=data["listed_on"],
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request, f"{hearing.child.full_name} added to the list: screen them now or later"
            )
            return redirect("awaiting_hearing_screen", apk=hearing.pk)
    return render(request, "courts/awaiting_form.html", {"nav": "court", "form": form})


def _screen_initial(hearing: AwaitingHearing) -> dict:
    """The stored screening as the form's starting values."""
    return {
        "adjournment_over_six_weeks": yes_no_initial(hearing.adjournment_over_six_weeks),
        "risk_to_others": yes_no_initial(hearing.risk_to_others),
        "no_other_agencies": yes_no_initial(hearing.no_other_agencies),
        "circumstances": hearing.circumstances,
        "decision": hearing.decision if hearing.decision in services.SCREENABLE[1:] else None,
        "decision_notes": hearing.decision_notes,
    }


def awaiting_hearing_screen(request, apk):
    """Screen a child awaiting a hearing with the App. C questions (003 §10.1-§10.2), then record their
    answer to a My Futures offer (§10.3): the Court lead TM/AP or the service manager."""
    hearing = selectors.awaiting_get_for_user(user=request.user, pk=apk)
    if not selectors.is_court_manager(request.user):
        raise Http404("Only the court lead screens children for My Futures")
    child = hearing.child
    audit_get(request, child, f"Magistrates' Court screening {hearing.pk}")
    responding = request.method == "POST" and "respond" in request.POST
    screen_form = respond_form = None
    if hearing.decision in services.SCREENABLE:
        screen_form = ScreenForm(
            request.POST if request.method == "POST" and not responding else None,
            initial=_screen_initial(hearing),
        )
    if hearing.decision == AwaitingHearing.Decision.OFFER:
        respond_form = RespondForm(
            request.POST if responding else None, initial={"responded_on": timezone.localdate()}
        )
    form = respond_form if responding else screen_form
    if request.method == "POST" and form is None:
        raise Http404("This screening can no longer change")
    if request.method == "POST" and form.is_valid():
        try:
            if responding:
                data = form.cleaned_data
                hearing = services.awaiting_hearing_respond(
                    hearing=hearing,
                    user=request.user,
                    accepted=data["answer"] == "accepted",
                    responded_on=data["responded_on"],
                    notes=data.get("notes", ""),
                )
            else:
                hearing = services.awaiting_hearing_screen(
                    hearing=hearing, user=request.user, **form.service_kwargs()
                )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            if hearing.decision == AwaitingHearing.Decision.ACCEPTED:
                messages.success(
                    request,
                    "My Futures started: allocate a case manager from the child's Allocation tab (003 §10.3)",
                )
            else:
                messages.success(request, f"Saved: {hearing.get_decision_display()}")
            return redirect(reverse("awaiting_hearing_screen", args=[hearing.pk]))
    suggests = None
    if hearing.screened_on:
        suggests = selectors.app_c_suggests_offer(
            adjournment=hearing.adjournment_over_six_weeks,
            risk=hearing.risk_to_others,
            no_agencies=hearing.no_other_agencies,
        )
    return render(
        request,
        "courts/awaiting_screen.html",
        {
            "nav": "court",
            "hearing": hearing,
            "child": child,
            "screen_form": screen_form,
            "respond_form": respond_form,
            "errors_form": form if request.method == "POST" else None,
            "suggests": suggests,
        },
    )
