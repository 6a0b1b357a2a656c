"""The facts behind the YJB's ten key performance indicators (issue 21, docs/adr/0022-kpi-facts-and-return.md).

Accommodation, education, special needs, health screening, wider services, offences, victims and the
management board: each a dated record with history, entered where the work happens, and the snapshots of
them the product takes at the start and end of each intervention. The KPI figures and the YJB's
quarterly return read these records (kpis/)."""

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = "KPI facts"

    def ready(self) -> None:
        """Plug the app into the core registry and listen for programmes (hence the imports here)."""
        from . import plugin, signals  # noqa: F401

        plugin.register()
