"""Children, staff, programmes, allocation, assessments, plans, contacts, events and obligations."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        """Plug the app into core.registry."""
        from . import plugin

        plugin.register()
