"""The child's Meetings tab, booking a meeting (001 §6.2), cancelling one, and "Meetings" in the top
navigation."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypedDict, cast

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Obligation
from cases.services.requests import with_requests
from cases.views.core import PAGE_SIZE
from cases.worklinks import action_url
from core.audit import child_view_audit, list_view_audit
from core.models import Task
from core.views import audit_get, service_errors

from ... import booking_rules, selectors, services
from ...forms.booking.book import MeetingBookForm, MeetingCancelForm
from ...models import Meeting, MeetingKind
from ...worklinks import BOOK_MEETING
from ..common import child_and_meeting, tab_context

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

OUTSTANDING = [Obligation.Status.OPEN, Obligation.Status.OVERDUE]


class DueMeetingLinks(TypedDict):
    """What the Meetings tab sets on each CMM or MAPPA obligation it lists as due (the template reads the
    obligation's own fields too, so the row is the obligation itself)."""

    booked: Meeting | None  # the booked meeting for it, if any
    bookable: bool  # booked from a due item (BOOK_MEETING)
    action_url: str  # where it is booked ("" when it is not bookable)
    record: Meeting | None  # for the actions and minutes rules: the held meeting's record
    requested: Task | None  # someone's open request that a manager book it (with_requests)
    can_ask: bool  # the user may ask a manager to book it (with_requests)


if TYPE_CHECKING:
    DueMeeting = WithAnnotations[Obligation, DueMeetingLinks]


def _cmm_due(child) -> list[Obligation]:
    """The child's outstanding CMM and MAPPA meeting obligations, in the rules module's order."""
    return list(
        child.obligations.filter(Q(code__startswith="cmm.") | Q(code__startswith="mappa."))
        .filter(status__in=OUTSTANDING)
        .order_by("position")
    )


def meeting_list(request, pk):
    """The child's meetings, latest first, and the CMMs due (000 §1.3), each with a link to book it."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="meetings", path=request.path)
    page = Paginator(selectors.meetings_for_child(child=child), PAGE_SIZE).get_page(request.GET.get("page"))
    booked: dict[str, Meeting] = {}
    for meeting in (
        child.meetings.filter(status=Meeting.Status.BOOKED).exclude(for_obligation="").order_by("starts_at")
    ):
        booked.setdefault(meeting.for_obligation, meeting)
    held = child.meetings.filter(status=Meeting.Status.HELD).order_by("-held_at", "-pk").first()
    due = []
    for outstanding in _cmm_due(child):
        obligation = cast("DueMeeting", outstanding)  # the same instance, given its links here
        obligation.booked = booked.get(obligation.code)
        obligation.bookable = obligation.code in BOOK_MEETING
        obligation.action_url = action_url(obligation.code, child.pk) if obligation.bookable else ""
        # The actions and minutes rules are met on the held meeting's record (001 §6.2).
        obligation.record = None if obligation.bookable else held
        due.append(obligation)
    return render(
        request,
        "meetings/list.html",
        tab_context(
            child,
            page=page,
            due=with_requests(due, user=request.user, child=child),
            can_manage=selectors.can_manage_meetings(user=request.user, child=child),
            can_book=booking_rules.can_open_booking(user=request.user, child=child),
        ),
    )


def obligation_for(child, code: str) -> Obligation | None:
    """The child's outstanding obligation with this code (the soonest), if there is one."""
    if not code:
        return None
    return child.obligations.filter(code=code, status__in=OUTSTANDING).order_by("position").first()


def _booking_initial(request, child, kind: str, previous: Meeting | None) -> dict:
    """The booking form's starting values: the type, the user as chair if they may chair, the case
    manager, and the date, time and venue the last record set for the next meeting if still to come."""
    candidates = {u.pk for u in selectors.chair_candidates(child=child)}
    initial = {
        "kind": kind or None,
        "chair": request.user.pk if request.user.pk in candidates else None,
        "case_manager": child.case_manager_id,
        "duration_minutes": 60,
    }
    if previous is not None and previous.next_meeting_at and previous.next_meeting_at > timezone.now():
        local = timezone.localtime(previous.next_meeting_at)
        initial.update(date=local.date(), time=local.strftime("%H:%M"), venue=previous.next_meeting_venue)
    return initial


def _late_for(obligation: Obligation | None, day: datetime.date | None) -> bool:
    """Whether a meeting on `day` is later than the due item's date (a warning, not a refusal: an
    overdue review must still be booked)."""
    return bool(obligation and obligation.due and day and day > obligation.due)


def meeting_book(request, pk):
    """Book a meeting (001 §6.2): the gatekeeper (initial CMM) or the chair (later ones), or a manager of
    the child's team; from a due item when `obligation` is given, with the type preselected by `kind`;
    `csc=1` offers the combined CSC meeting (000 §1.4). A date later than the due item's, or a last
    record's next meeting set later than it, is warned about."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not booking_rules.can_open_booking(user=request.user, child=child):
        raise Http404("Only the gatekeeper, the chair or a manager of the child's team can book meetings")
    audit_get(request, child, "book-meeting form")
    obligation = obligation_for(child, request.GET.get("obligation", "")[:60])
    kind = request.GET.get("kind", "")
    if kind not in MeetingKind.values:
        kind = BOOK_MEETING.get(obligation.code, "") if obligation else ""
    show_csc = child.open_to_csc and (request.GET.get("csc") == "1" or kind == MeetingKind.RISK_REVIEW)
    previous = selectors.last_next_meeting(child=child)
    form = MeetingBookForm(
        request.POST if request.method == "POST" else None,
        child=child,
        user=request.user,
        show_csc=show_csc,
        initial=_booking_initial(request, child, kind, previous),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_book(
                child=child,
                user=request.user,
                for_obligation=obligation.code if obligation else "",
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            emailed = sum(1 for i in meeting.invitations.all() if i.email)
            by_hand = meeting.invitations.count() - emailed
            if meeting.is_csc_combined:
                message = "Combined CSC meeting recorded: CSC sends its invitations"
                if meeting.starts_at < timezone.now():
                    message += ". It has happened: record that it was held"
            else:
                message = (
                    f"Meeting booked; {emailed} invitation{'s' if emailed != 1 else ''} queued to be emailed "
                    "(Invitations says when each is sent)"
                )
                if by_hand:
                    message += f" ({by_hand} without an email address to give by hand)"
            messages.success(request, message)
            day = timezone.localdate(meeting.starts_at)
            if obligation is not None and _late_for(obligation, day):
                messages.warning(
                    request,
                    f"The meeting is on {day:%-d %B %Y}, later than “{obligation.title}” is due, "
                    f"{obligation.due:%-d %B %Y} ({obligation.basis})",
                )
            return redirect("meeting_detail", pk=child.pk, mpk=meeting.pk)
    chosen = form.data.get("kind") if form.is_bound else kind
    participation = selectors.participation_for(chosen)[1] if chosen in MeetingKind.values else ""
    chosen_day = form.cleaned_data.get("date") if form.is_bound and hasattr(form, "cleaned_data") else None
    previous_day = (
        timezone.localdate(previous.next_meeting_at) if previous and previous.next_meeting_at else None
    )
    return render(
        request,
        "meetings/book.html",
        tab_context(
            child,
            form=form,
            obligation=obligation,
            chosen_kind=MeetingKind(chosen).label if chosen in MeetingKind.values else "",
            participation=participation,
            who_books=booking_rules.who_books(child=child),
            horizon=booking_rules.horizon(timezone.localdate()),
            late=_late_for(obligation, chosen_day),
            chosen_day=chosen_day,
            previous=previous if _late_for(obligation, previous_day) else None,
        ),
    )


def meeting_cancel(request, pk, mpk):
    """Cancel a booked meeting with the reason (managers of the child's team); what it was booked for
    stays due."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if not meeting.can_move_to(Meeting.Status.CANCELLED) or not selectors.can_manage_meetings(
        user=request.user, child=child
    ):
        raise Http404("Only a booked meeting can be cancelled, by a manager of the child's team")
    audit_get(request, child, f"cancel form for meeting {meeting.pk}")
    form = MeetingCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request, f"{meeting.title} on {timezone.localtime(meeting.starts_at):%-d %B %Y} cancelled"
            )
            return redirect("meeting_list", pk=child.pk)
    return render(request, "meetings/cancel.html", tab_context(child, meeting=meeting, form=form))


def meetings_mine(request):
    """The meetings the user chairs or is case manager for in the next two weeks, the records they still
    owe, and for managers the team's booked meetings."""
    if not rules.has_perm("meetings.view_meetings", request.user):  # the header link's permission too
        raise Http404("No such page")
    today, now = timezone.localdate(), timezone.now()
    days = (selectors.notice_from(today) - today).days  # the notice window (001 §6.2: two weeks)
    mine = selectors.meetings_for_user_upcoming(user=request.user, today=today, days=days)
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    upcoming = [m for m in mine if m.status == Meeting.Status.BOOKED and m.starts_at >= start_of_today]
    owed = [m for m in mine if m not in upcoming]
    list_view_audit(user=request.user, page="my meetings", path=request.path)  # issue 18
    return render(
        request,
        "meetings/mine.html",
        {
            "upcoming": upcoming,
            "owed": owed,
            "team": selectors.meetings_for_team_upcoming(user=request.user, today=today, days=days),
            "is_manager": rules.has_perm("meetings.view_team_meetings", request.user),
            "today": today,
            "until": today + datetime.timedelta(days=days),
            "now": now,
        },
    )
