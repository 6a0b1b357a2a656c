"""Dashboards: the team manager's team view and the service manager's compliance dashboard."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboards"

    def ready(self) -> None:
        """Plug the app into core.registry."""
        from . import plugin

        plugin.register()
