"""What every meetings view shares: the child-then-meeting access check, the record writers' check, and
the context of the child's Meetings tab."""

from django.http import Http404

from cases import selectors as case_selectors

from .. import selectors
from ..models import Meeting


def child_and_meeting(request, pk, mpk):
    """The child (404 outside the user's scope) and one of its meetings (404 if not the child's)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    return child, selectors.meeting_get_for_user(user=request.user, child=child, pk=mpk)


def child_and_meeting_for_edit(request, pk, mpk, *, open_only: bool = True):
    """As child_and_meeting, for the record's writers only; 404 for anyone else, for a cancelled
    meeting, and (`open_only`) for a finalised record."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if not selectors.can_edit_record(user=request.user, meeting=meeting):
        raise Http404("No meeting found")
    if meeting.status == Meeting.Status.CANCELLED:
        raise Http404("The meeting was cancelled")
    if open_only and meeting.status == Meeting.Status.FINALISED:
        raise Http404("The record is finalised")
    return child, meeting


def tab_context(child, **extra) -> dict:
    """What every page of the child's Meetings tab shares."""
    return {"child": child, "tab": "meetings", **extra}
