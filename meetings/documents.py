"""Invitations (email with a calendar attachment) for meetings (001 §6.2)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Invitation, Meeting


def invitation_ics(*, meeting: Meeting) -> bytes:
    """The meeting as an iCalendar file. It names the child by initials and case number only: calendar
    entries travel further than the case record."""
    cal = Calendar()
    cal.add("prodid", "-//Youth Justice Service case management//EN")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    entry = CalendarEvent()
    entry.add("uid", f"meeting-{meeting.pk}@{settings.CALENDAR_UID_DOMAIN}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", meeting.starts_at)
    entry.add("dtend", meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes))
    entry.add("summary", f"{meeting.title}: {meeting_child_ref(meeting)}")
    entry.add("location", meeting.venue or meeting.online_link)
    if meeting.online_link:
        entry.add("url", meeting.online_link)
    entry.add(
        "description",
        f"Chair: {meeting.chair.get_full_name()}. Please reply to the chair if you cannot attend; a written update can be sent instead.",
    )
    cal.add_component(entry)
    return cal.to_ical()


def meeting_child_ref(meeting: Meeting) -> str:
    """The child as outside correspondence names them: initials and case number."""
    child = meeting.child
    return f"{child.first_name[:1]}{child.last_name[:1]} ({child.case_number})"


def invitation_message(*, meeting: Meeting, invitation: Invitation, ics: bytes) -> EmailMessage:
    """One invitation's email, with the calendar attachment (001 §6.2)."""
    when = f"{timezone.localtime(meeting.starts_at):%A %-d %B %Y at %H:%M}"
    where = meeting.venue or meeting.online_link
    message = EmailMessage(
        subject=f"Invitation: {meeting.title} for {meeting_child_ref(meeting)}, {when}",
        body=(
            f"Dear {invitation.name},\n\nYou are invited to a {meeting.title} for "
            f"{meeting_child_ref(meeting)} on {when} ({where}), chaired by "
            f"{meeting.chair.get_full_name()}.\n\nIf you cannot attend, please send a written update to "
            "the chair before the meeting so it can be presented (001 §6.2).\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach("invitation.ics", ics, "text/calendar; method=REQUEST")
    return message
