"""Subject access requests: a child's whole record exported for release (UK GDPR Art. 15, DPA 2018)."""

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = "Subject access requests"

    def ready(self) -> None:
        """Register the named permission and the child's tab (core.registry)."""
        from . import plugin

        plugin.register()
