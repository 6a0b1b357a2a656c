"""Finalising the record (001 §6.2): what it still needs, each linked to where it is put right; then the
actions recorded, the revised levels made the child's, the minutes complete and the PDF produced."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from core.models import Document
from core.views import audit_get

from ... import selectors, services
from ...forms.common import ProblemsForm
from ...forms.record.whole import anchor
from ...models import Meeting
from ..common import child_and_meeting_for_edit, tab_context
from .detail import record_context


def _missing_links(meeting: Meeting, problems: list[str]) -> list[tuple[str, str]]:
    """Each thing the record still needs, linked to the page where it is put right."""
    pk, mpk = meeting.child_id, meeting.pk

    def section(slug: str) -> str:
        """A section's place on the one-page record."""
        return reverse("meeting_record", args=[pk, mpk]) + "#" + anchor(slug)

    routes = [
        ("Record that the meeting was held", reverse("meeting_held", args=[pk, mpk])),
        ("attendees", reverse("meeting_held", args=[pk, mpk])),
        ("reason", section("reason")),
        ("intervention plan", section("intervention_plan")),
        ("views", section("views")),
        ("Risk of Serious Harm assessment", section("risk")),
        ("Safety and Wellbeing assessment", section("risk")),
        ("Likelihood of Re-offending", section("risk")),
        ("risk management plan", section("plan")),
        ("revised", section("levels")),
        ("presumption against breach", section("levels")),
        ("compliance report", reverse("meeting_compliance_report", args=[pk, mpk])),
    ]
    links = []
    for message in problems:
        href = next(
            (url for key, url in routes if key.lower() in message.lower()),
            reverse("meeting_detail", args=[pk, mpk]),
        )
        links.append((href, message))
    return links


def meeting_finalise(request, pk, mpk):
    """Check the whole record and finalise it: actions recorded, revised levels made the child's, minutes
    complete (001 §6.2), the PDF produced. After finalising, the confirmation and what comes next."""
    child, meeting = child_and_meeting_for_edit(request, pk, mpk, open_only=False)
    audit_get(request, child, f"finalise page of meeting {meeting.pk}")
    if meeting.status == Meeting.Status.FINALISED:
        if request.method == "POST":
            return redirect("meeting_finalise", pk=child.pk, mpk=meeting.pk)
        return render(
            request,
            "meetings/finalise.html",
            tab_context(
                child,
                meeting=meeting,
                finalised=True,
                pdf_ready=Document.objects.filter(child=child, source=meeting.source).exists(),
            ),
        )
    problems = selectors.record_missing(meeting=meeting)
    if not meeting.can_move_to(Meeting.Status.FINALISED) and not problems:
        problems = ["Record that the meeting was held, with who attended"]
    if request.method == "POST" and not problems:
        try:
            services.meeting_finalise(meeting=meeting, user=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, "Record finalised")
            return redirect("meeting_finalise", pk=child.pk, mpk=meeting.pk)
    return render(
        request,
        "meetings/finalise.html",
        tab_context(
            child,
            meeting=meeting,
            form=ProblemsForm(_missing_links(meeting, problems)),
            can_edit=True,
            **record_context(meeting),
        ),
    )
