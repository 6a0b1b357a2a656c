"""Notification pages (placeholders until built)."""

from django.http import Http404


def notification_list(request):
    """The signed-in user's notifications, newest first, unread marked."""
    raise Http404


def notification_open(request, pk):
    """Mark one notification read and go to where the work is done."""
    raise Http404


def notifications_mark_all_read(request):
    """Mark every notification read (POST)."""
    raise Http404


def notification_settings(request):
    """Choose the daily digest or email only about overdue work."""
    raise Http404
