"""What the service import plugs into the core (core.registry): the service manager's header link, and the
erasure of a child's import rows."""

from core.registry import HeaderLink, NavSection, registry

from . import (
    erasure,
    permissions,  # noqa: F401  (registers the named permission)
    tasks,  # noqa: F401  (registers the Celery tasks, which the services queue by name)
)


def register() -> None:
    """The Import records link, in the service group, shown exactly to who may open the page."""
    registry.add_header_link(
        HeaderLink(
            "service_import",
            "Import records",
            "service_import",
            148,
            "onboarding.import_service",
            group="service",
        )
    )
    registry.add_nav_section(NavSection("service_import", modules=("onboarding.",)))
    # An erased child's ImportedRecord rows and stored reports' rows naming it (retention/).
    registry.add_erasure(erasure.erase_imported)
