"""Court tracking: Crown Court tracking and Magistrates' Court screening (003 §9-§10, App. C)."""

from django.apps import AppConfig


class CourtsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courts"

    def ready(self) -> None:
        """Plug the app into the core registry once the models are loaded (hence the import here)."""
        from . import plugin

        plugin.register()
