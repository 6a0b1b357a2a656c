"""Retention and erasure of closed children's records (issue 19, docs/adr/0017-retention-and-erasure.md)."""

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retention"
    verbose_name = "Retention and erasure"

    def ready(self) -> None:
        """Plug the app into core.registry and listen for records closing."""
        from . import plugin

        plugin.register()
