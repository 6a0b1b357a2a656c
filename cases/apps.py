"""Children, staff, programmes, events and the audit log."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the app's named permissions)
