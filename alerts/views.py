"""Notification pages: the list, opening one, marking all read, and what arrives by email.

Thin views: a notification is only ever its recipient's (anyone else gets a 404), and one about a child
the recipient can no longer see is hidden, the same as the child's pages (cases/selectors/core.py).
"""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import outbox
from core.audit import list_view_audit
from core.keyset import keyset_page
from core.views import is_local_path, next_path

from . import selectors, services
from .forms import EmailPreferenceForm

PAGE_SIZE = 25
FILTERS = ("all", "unread")


def notification_list(request):
    """The signed-in user's notifications, newest first, unread ones tagged; filter all or unread."""
    if not rules.has_perm("alerts.view_notifications", request.user):  # the header link's permission too
        raise Http404("No such page")
    shown = request.GET.get("show")
    shown = shown if shown in FILTERS else "all"
    qs = selectors.notifications_for_user(user=request.user, unread_only=shown == "unread")
    # Newer/Older links, never a count of the whole list (issue 19, core/keyset.py).
    page = keyset_page(
        qs,
        field_name="created_at",
        size=PAGE_SIZE,
        before=request.GET.get("before"),
        after=request.GET.get("after"),
    )
    items = page.items
    states = selectors.notification_states(notifications=items)
    for item in items:
        # Annotated for the template only (the list's "Now" column); not a model field.
        item.state = states.get(item.pk)
    list_view_audit(user=request.user, page="notifications", path=request.path)  # issue 18
    return render(
        request,
        "alerts/notification_list.html",
        {
            "keyset": page,
            "items": items,
            "shown": shown,
            "querystring": "show=unread" if shown == "unread" else "",
            "last_sweep": selectors.last_sweep(),
        },
    )


def notification_open(request, pk):
    """Mark one of the user's notifications read and go to where the work is done."""
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_open(notification=notification, now=timezone.now())
    link = selectors.notification_target(notification=notification, user=request.user)
    return HttpResponseRedirect(link if is_local_path(link) else reverse("notifications"))


@require_POST
def notifications_mark_all_read(request):
    """Mark every notification of the user read (POST) and go back to the list."""
    count = services.notifications_mark_all_read(user=request.user, now=timezone.now())
    messages.success(
        request,
        f"{count} notification{'s' if count != 1 else ''} marked as read"
        if count
        else "No unread notifications",
    )
    return HttpResponseRedirect(next_path(request, reverse("notifications")))


def notification_settings(request):
    """Choose the daily digest or email only about overdue work (overdue alerts always arrive)."""
    user = request.user
    form = EmailPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"email_preference": user.email_preference},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.email_preference_set(user=user, preference=form.cleaned_data["email_preference"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("email_preference", message)
        else:
            messages.success(request, "Your notification settings are saved")
            return redirect("notifications")
    return render(
        request,
        "alerts/notification_settings.html",
        {"form": form, "has_email": bool(user.email)},
    )


def email_list(request):
    """Emails the user has sent from the service (invitations, minutes, their digest): what is still
    waiting, with why it failed, and what went lately. The service manager sees everything waiting."""
    if not rules.has_perm("alerts.view_notifications", request.user):
        raise Http404("No such page")
    everyone = rules.has_perm("cases.view_service_wide", request.user)
    return render(
        request,
        "alerts/email_list.html",
        {
            "everyone": everyone,
            **outbox.messages_for_user(user=request.user, everyone=everyone),
        },
    )


@require_POST
def email_retry(request, pk):
    """Try a failed email again now (its sender, or the service manager)."""
    if not rules.has_perm("alerts.view_notifications", request.user):
        raise Http404("No such page")
    everyone = rules.has_perm("cases.view_service_wide", request.user)
    message = outbox.message_get_for_user(user=request.user, pk=pk, everyone=everyone)
    if message is None:
        raise Http404("No such email")
    if message.status == message.Status.FAILED:
        outbox.retry(message=message)
        messages.success(request, f"Trying again: {message.description}")
    else:
        messages.info(request, f"Already {message.get_status_display().lower()}: {message.description}")
    return redirect("emails")
