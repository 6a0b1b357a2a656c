"""What alerts plugs into the core (core.registry): the Notifications header link with its unread count;
and what it listens to (cases.signals): a step starting to wait on someone raises its notification."""

import rules

from cases.permissions import case_worker
from cases.signals import work_waiting
from core.registry import HeaderLink, registry

from .services import waiting_notifications_raise

rules.add_perm("alerts.view_notifications", case_worker)


def on_work_waiting(sender, **kwargs) -> None:
    """A step may have begun waiting on someone: raise its "Waiting for you" notification now."""
    waiting_notifications_raise()


def register() -> None:
    """The Notifications header link, and the waiting-work notifications."""
    work_waiting.connect(on_work_waiting, dispatch_uid="alerts.work_waiting")
    registry.add_header_link(
        HeaderLink(
            "notifications",
            "Notifications",
            "notifications",
            40,
            "alerts.view_notifications",
            badge="unread_notifications",
        )
    )
