"""The YJB's key performance indicators: the service manager's KPI page, its exports, the `kpi_report`
command and the quarterly return (issue 21). Reads the outcomes app's records; nothing imports it."""

from django.apps import AppConfig


class KpisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kpis"
    verbose_name = "Key performance indicators"

    def ready(self) -> None:
        """Plug the app into core.registry."""
        from . import plugin

        plugin.register()
