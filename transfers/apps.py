"""Internal transfers, transfers in and out, caretaking agreements (003 §11-§12)."""

from django.apps import AppConfig


class TransfersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "transfers"

    def ready(self) -> None:
        from . import plugin

        plugin.register()
