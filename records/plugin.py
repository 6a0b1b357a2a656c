"""What subject access exports plug into the core (core.registry): the child's "Subject access" tab,
shown only to the service manager."""

from core.registry import ChildTab, registry

from . import permissions  # noqa: F401  (registers the named permission)


def register() -> None:
    """The child's Subject access tab, last."""
    registry.add_child_tab(
        ChildTab("subject_access", "Subject access", "subject_access", 200, "records.export_subject_access")
    )
