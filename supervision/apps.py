"""Staff supervision, case discussions and management oversight (000 §3-§6, 002, 004)."""

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"

    def ready(self) -> None:
        """Plug the app into the core registry once the models are loaded (hence the import here)."""
        from . import plugin

        plugin.register()
