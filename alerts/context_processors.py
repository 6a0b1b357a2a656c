"""The unread notification count in the header: one query per page, whatever the number of rows."""

from .selectors import unread_count


def unread_notifications(request):
    """How many of the signed-in user's notifications are unread, as their list shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user=user)}
