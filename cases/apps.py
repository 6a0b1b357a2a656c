"""Children, staff, programmes, allocation, assessments, plans, contacts, events and obligations."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        """Plug the app into core.registry; keep the compliance roll-up told of obligations saved one
        by one (the services write them in bulk and mark the months themselves: ADR 0020)."""
        from django.db.models.signals import post_save

        from . import plugin
        from .models import Obligation
        from .services.rollup import obligation_saved

        plugin.register()
        post_save.connect(obligation_saved, sender=Obligation, dispatch_uid="cases.rollup.obligation_saved")
