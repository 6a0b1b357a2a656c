"""What retention plugs into the core (core.registry): the service manager's "Records due for review"
header link and its named permission, and the listener that starts a record's retention when it closes.
Called once from RetentionConfig.ready()."""

import rules

from cases.permissions import service_manager
from core.registry import HeaderLink, registry

from . import signals  # noqa: F401  (connects the listener)

# Only the service manager reviews, extends or erases closed records (UK GDPR Art. 5(1)(e), Art. 17):
# everyone else gets 404 on every retention page.
rules.add_perm("retention.review_records", service_manager)


def register() -> None:
    """The header link, shown exactly when the permission lets the user open the page."""
    registry.add_header_link(
        HeaderLink(
            "retention",
            "Records due for review",
            "retention_due",
            142,
            "retention.review_records",
            group="service",
        )
    )
