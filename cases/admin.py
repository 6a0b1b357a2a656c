"""Django admin, for administrators only: staff and teams. Child records are worked in the product."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.models import AuditEntry

from .models import Role, Team, User
from .services.core import worker_obligations_refresh_on_commit


class AdministratorsOnlyAdminSite(admin.AdminSite):
    """An admin site that only users with the administrator role may enter."""

    site_header = "Youth Justice Case Management administration"
    site_title = "Administration"

    def has_permission(self, request):
        """Only an active administrator with staff status opens the admin."""
        user = request.user
        return user.is_active and user.is_authenticated and user.is_staff and user.role == Role.ADMINISTRATOR


admin_site = AdministratorsOnlyAdminSite(name="admin")


class NeverDeleteMixin:
    """Teams and staff are never deleted from the admin (issue 18): a user is deactivated instead, and
    Django's delete confirmation would list the children protected by the row by name and case number,
    which the administrator must never see (tests/test_access_matrix.py)."""

    def has_delete_permission(self, request, obj=None):
        """Never: deactivate a user, rename or keep a team."""
        return False


@admin.register(Team, site=admin_site)
class TeamAdmin(NeverDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "kind"]


@admin.register(User, site=admin_site)
class UserAdmin(NeverDeleteMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "line_manager", "is_absent"]
    list_filter = ["role", "team", "is_absent"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Role in the service", {"fields": ("role", "team", "line_manager", "gender", "is_absent")}),
    )

    def save_model(self, request, obj, form, change):
        """A new supervisor, start date or leaver changes the worker's supervision timescales (000 §4.1)."""
        super().save_model(request, obj, form, change)
        worker_obligations_refresh_on_commit(worker=obj)


@admin.register(AuditEntry, site=admin_site)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only. The administrator sees who did what to which kind of
    record, never the child or the description (which names the child): the service manager reads those
    at /audit/ (issue 18: an administrator without child data)."""

    list_display = ["at", "user", "action", "object_type", "object_id"]
    fields = ["at", "user", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]

    def has_add_permission(self, request):
        """The audit log is never written by hand."""
        return False

    def has_change_permission(self, request, obj=None):
        """The audit log is never changed."""
        return False

    def has_delete_permission(self, request, obj=None):
        """The audit log is never deleted."""
        return False
