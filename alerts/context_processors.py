"""The unread notification count in the header: one bounded query per page, whatever the number of rows
("99+" over the cap)."""

from .selectors import unread_count, unread_label


def unread_notifications(request):
    """How many of the signed-in user's notifications are unread, as their list shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = unread_count(user=user)  # capped: 100 means "more than 99" (issue 19)
    return {"unread_notifications": count, "unread_notifications_label": unread_label(count)}
