"""MAPPA eligibility, levels, Form H and level 1 meetings (001 §8)."""

from django.apps import AppConfig


class MappaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mappa"

    def ready(self) -> None:
        """Plug the app into core.registry."""
        from . import plugin

        plugin.register()
