"""The small core every app uses: audit log, tasks, documents, downloads, the GOV.UK form kit, the
registry apps plug into, and template tags (docs/adr/0008-core-and-registry.md)."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Core"
