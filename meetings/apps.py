"""Case Management Meetings, combined CSC meetings, compliance reports and their records (000 §1, 001 §6.2)."""

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the app's named permissions)
