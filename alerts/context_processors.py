"""The unread notification count in the header: one query per page, whatever the number of rows."""

from .models import Notification


def unread_notifications(request):
    """How many of the signed-in user's notifications are unread (none for anonymous users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
