"""Bringing a service in (issue 22): import its staff, teams and open cases from the case system it is
leaving, and export them in the same format (docs/import-format.md, ADR 0021)."""

from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "onboarding"
    verbose_name = "Service import"

    def ready(self) -> None:
        """Register the named permission and the service manager's header link (core.registry)."""
        from . import plugin

        plugin.register()
