"""Preparing a meeting: who is invited and their replies (001 §6.2), the child's and parent/carer's
participation (000 §1.2), and the case manager's compliance report (000 App. B, 000 §1.3)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.policy import timescale_text
from cases.selectors.plans_contacts import contact_compliance_default_period, contact_compliance_summary
from core.audit import child_view_audit
from core.views import audit_get, service_errors

from ... import selectors, services
from ...forms.booking.invitations import InvitationAddForm, InvitationResponseForm
from ...forms.booking.preparation import ComplianceReportForm, ParticipationForm, ReportPeriodForm
from ...models import Meeting, MeetingKind
from ..common import child_and_meeting, tab_context


def meeting_invitations(request, pk, mpk):
    """Who is invited and their replies (001 §6.2); the case manager records replies, the chair or a
    manager adds invitees while the meeting is booked."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if not selectors.can_prepare(user=request.user, meeting=meeting):
        raise Http404("Not one of this meeting's preparers")
    can_add = meeting.status == Meeting.Status.BOOKED and selectors.can_edit_record(
        user=request.user, meeting=meeting
    )
    can_respond = meeting.is_open
    audit_get(request, child, f"invitations for meeting {meeting.pk}")
    invitations = list(meeting.invitations.select_related("message"))
    step = request.POST.get("step") if request.method == "POST" else None
    add_form = InvitationAddForm(request.POST if step == "add" and can_add else None)
    failed: InvitationAddForm | InvitationResponseForm | None = None
    if step == "add":
        if not can_add:
            raise Http404("Invitees can only be added to a booked meeting by its chair or a manager")
        if _invitation_added(request, meeting, add_form):
            return redirect("meeting_invitations", pk=child.pk, mpk=meeting.pk)
        failed = add_form
    target = request.POST.get("invitation") if step == "respond" else None
    forms_by_pk = {
        invitation.pk: InvitationResponseForm(
            request.POST if can_respond and target == str(invitation.pk) else None, invitation=invitation
        )
        for invitation in invitations
    }
    if step == "respond":
        form = next((f for pk_, f in forms_by_pk.items() if str(pk_) == target), None)
        if form is None or not can_respond:
            raise Http404("No such invitation on this meeting")
        if _reply_recorded(request, form):
            return redirect("meeting_invitations", pk=child.pk, mpk=meeting.pk)
        failed = form
    elif step is not None and step != "add":
        raise Http404("Unknown step")
    return render(
        request,
        "meetings/invitations.html",
        tab_context(
            child,
            meeting=meeting,
            rows=[(i, forms_by_pk[i.pk]) for i in invitations],
            add_form=add_form,
            form=failed,
            can_add=can_add,
            can_respond=can_respond,
        ),
    )


def _invitation_added(request, meeting: Meeting, form: InvitationAddForm) -> bool:
    """Invite the person on the form and say how the invitation went; False with the form's errors."""
    if not form.is_valid():
        return False
    try:
        invitation = services.invitation_add(meeting=meeting, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        service_errors(form, exc)
        return False
    # Only what is true now: the email is queued (the table below says when the mail server took it).
    sent = "Invitation queued to be emailed" if invitation.email else "Invitation added: give it by hand"
    messages.success(request, f"{sent} to {invitation.name}")
    return True


def _reply_recorded(request, form: InvitationResponseForm) -> bool:
    """Record the invitee's reply from the form; False with the form's errors."""
    if not form.is_valid():
        return False
    try:
        services.invitation_response_record(
            invitation=form.invitation, user=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        service_errors(form, exc)
        return False
    messages.success(request, f"Reply from {form.invitation.name} recorded")
    return True


def meeting_participation(request, pk, mpk):
    """The child's and parent/carer's part (000 §1.2): attending, or their views gathered beforehand."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if not selectors.can_prepare(user=request.user, meeting=meeting):
        raise Http404("Not one of this meeting's preparers")
    audit_get(request, child, f"participation for meeting {meeting.pk}")
    closed = not meeting.is_open
    form = None
    if not closed:
        form = ParticipationForm(request.POST if request.method == "POST" else None, meeting=meeting)
        if request.method == "POST" and form.is_valid():
            try:
                services.participation_record(meeting=meeting, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, "The child's participation is recorded")
                return redirect("meeting_detail", pk=child.pk, mpk=meeting.pk)
    elif request.method == "POST":
        raise Http404("This meeting's record is closed")
    return render(
        request,
        "meetings/participation.html",
        tab_context(
            child,
            meeting=meeting,
            form=form,
            rule=selectors.participation_for(meeting.kind)[1],
        ),
    )


def _frozen(figures: dict) -> dict:
    """The submitted App. B figures with their dates read back, for the template."""
    rows = [
        {**row, "date": datetime.date.fromisoformat(row["date"])} for row in figures.get("non_compliance", [])
    ]
    return {**figures, "non_compliance": rows}


def meeting_compliance_report(request, pk, mpk):
    """The case manager's compliance report for a compliance CMM (000 App. B, 000 §1.3), built live from
    the contact records and frozen when submitted; it can be resubmitted until the record is finalised."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if meeting.kind != MeetingKind.COMPLIANCE or not selectors.can_prepare(
        user=request.user, meeting=meeting
    ):
        raise Http404("No compliance report here")
    audit_get(request, child, f"compliance report for meeting {meeting.pk}")
    closed = not meeting.is_open
    if closed and request.method == "POST":
        raise Http404("This meeting's record is closed")
    data = request.POST if request.method == "POST" else None
    start, end = _report_period(child, meeting, data)
    summary = contact_compliance_summary(child=child, start=start, end=end)
    form = None
    if not closed:
        form = ComplianceReportForm(
            data, rows=summary["non_compliance"], initial=_report_initial(meeting, start, end, summary)
        )
        if data is not None and request.POST.get("step") == "refresh":
            _show_figures(request, child, meeting, form)
        elif data is not None and form.is_valid() and _report_submitted(request, meeting, form):
            return redirect("meeting_compliance_report", pk=child.pk, mpk=meeting.pk)
    return render(
        request,
        "meetings/compliance_report.html",
        tab_context(
            child,
            meeting=meeting,
            form=form,
            summary=summary,
            frozen=_frozen(meeting.compliance_figures) if meeting.compliance_report_submitted_at else None,
            late=selectors.compliance_report_late(meeting=meeting),
            deadline=selectors.compliance_report_deadline(meeting=meeting),
            closed=closed,
        ),
    )


def _report_period(child, meeting: Meeting, data) -> tuple[datetime.date, datetime.date]:
    """The period asked for (when the posted one is valid), else the one saved, else the default one."""
    default_start, default_end, _ = contact_compliance_default_period(
        child=child, today=timezone.localdate(meeting.starts_at)
    )
    start = meeting.compliance_period_start or default_start
    end = meeting.compliance_period_end or default_end
    if data is not None:
        period = ReportPeriodForm(data)
        if period.is_valid():
            start, end = period.cleaned_data["period_start"], period.cleaned_data["period_end"]
    return start, end


def _report_initial(meeting: Meeting, start: datetime.date, end: datetime.date, summary: dict) -> dict:
    """The report as saved, with the action taken after each failure in the period."""
    saved = meeting.compliance_actions_taken or {}
    return {
        "period_start": start,
        "period_end": end,
        "unacceptable_behaviour": meeting.unacceptable_behaviour,
        "plan_progress": meeting.plan_progress,
        **{f"action_{row['pk']}": saved.get(str(row["pk"]), "") for row in summary["non_compliance"]},
    }


def _show_figures(request, child, meeting: Meeting, form: ComplianceReportForm) -> None:
    """The figures for another period ("Show the figures"): nothing is saved, only the period is checked."""
    # Showing another period's contacts is a view of the child's record: audited like a GET.
    child_view_audit(
        user=request.user,
        child=child,
        page=f"compliance figures for meeting {meeting.pk}",
        path=request.path,
    )
    form.full_clean()
    for name in list(form.errors):
        if name in ("period_start", "period_end"):
            continue
        if name in form.fields:
            form.drop_errors(name)
        else:
            form.errors.pop(name)


def _report_submitted(request, meeting: Meeting, form: ComplianceReportForm) -> bool:
    """Submit the report to the chair, saying if it is late (000 §1.3); False with the service's refusal."""
    try:
        meeting = services.compliance_report_submit(
            meeting=meeting,
            user=request.user,
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
            actions_taken=form.actions_taken(),
            unacceptable_behaviour=form.cleaned_data["unacceptable_behaviour"],
            plan_progress=form.cleaned_data["plan_progress"],
        )
    except ValidationError as exc:
        service_errors(form, exc)
        return False
    message = "Compliance report submitted to the chair"
    if selectors.compliance_report_late(meeting=meeting):
        message += timescale_text(
            ". It was submitted less than {cmm.compliance_report} before the meeting: the report should "
            "reach the chair at least {cmm.compliance_report} before (000 §1.3)"
        )
    messages.success(request, message)
    return True
