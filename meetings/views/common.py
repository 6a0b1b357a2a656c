"""What every meetings view shares: the child-then-meeting access check."""

from cases import selectors as case_selectors

from .. import selectors


def child_and_meeting(request, pk, mpk):
    """The child (404 outside the user's scope) and one of its meetings (404 if not the child's)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    return child, selectors.meeting_get_for_user(user=request.user, child=child, pk=mpk)
