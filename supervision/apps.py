"""Staff supervision, case discussions and management oversight (000 §3-§6, 002, 004)."""

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the app's named permissions)
