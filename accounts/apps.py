"""Staff sign-in: two-factor sign-in (django-otp), passwords and the address lockout (ADR 0011)."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        """Register the named permissions and the header links (core.registry)."""
        from . import plugin

        plugin.register()
