"""What subject access exports plug into the core (core.registry): the child's "Subject access" tab,
shown only to the service manager; and the export's render on the outbox's bulk queue (ADR 0010)."""

from core import outbox
from core.registry import ChildTab, registry

from . import permissions  # noqa: F401  (registers the named permission)
from .services import EXPORT_RENDER, subject_access_render


def register() -> None:
    """The child's Subject access tab, last."""
    registry.add_child_tab(
        ChildTab("subject_access", "Subject access", "subject_access", 200, "records.export_subject_access")
    )
    outbox.register(
        EXPORT_RENDER, lambda payload: subject_access_render(export_id=payload["export_id"]), queue="bulk"
    )
