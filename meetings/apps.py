"""Case Management Meetings, combined CSC meetings, compliance reports and their records (000 §1, 001 §6.2)."""

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"

    def ready(self) -> None:
        """Plug meetings into the core registry once the apps are loaded."""
        from . import plugin

        plugin.register()
