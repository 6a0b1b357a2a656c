"""What alerts plugs into the core (core.registry): the Notifications header link with its unread count."""

import rules

from cases.permissions import case_worker
from core.registry import HeaderLink, registry

rules.add_perm("alerts.view_notifications", case_worker)


def register() -> None:
    """The Notifications header link."""
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
