"""Alerts: the beat sweep that raises due-soon and overdue notifications, the daily digest, PDF retries."""

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"

    def ready(self) -> None:
        """Plug the app into core.registry."""
        from . import plugin

        plugin.register()
