"""Django admin, for administrators only: staff and teams. It never shows a child (issue 18).

Child records are worked in the product, and the admin pages that could name children are gone: no
delete pages (teams and staff are kept for ever; staff are deactivated through Staff access), and the
audit log is read by the service manager in the product. Nobody changes a role, team, line manager or
sign-in here: those are asked for and approved by a second person under Staff access (cases/views/staff.py),
and audited. Superuser status, groups and permissions are not used by the product and are not editable.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.audit import audit_record
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
# Deleting would list what hangs off a team or a person (children among it) and lose who did what.
admin_site.disable_action("delete_selected")


class NeverDeleteMixin:
    """Teams and staff are never deleted from the admin (issue 18): a user is deactivated instead, and
    Django's delete confirmation would list the children protected by the row by name and case number,
    which the administrator must never see (tests/test_access_matrix.py)."""

    def has_delete_permission(self, request, obj=None):
        """Never: deactivate a user (Staff access), keep a team."""
        return False


@admin.register(Team, site=admin_site)
class TeamAdmin(NeverDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "kind"]


ACCESS_FIELDS = ("role", "team", "line_manager", "is_active", "is_staff", "is_superuser")


@admin.register(User, site=admin_site)
class UserAdmin(NeverDeleteMixin, BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "team",
        "line_manager",
        "is_active",
        "is_absent",
    ]
    list_filter = ["role", "team", "is_active", "is_absent"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email", "gender")}),
        (
            "Access (changed under Staff access, with a second person's approval)",
            {"fields": ACCESS_FIELDS},
        ),
        ("Work", {"fields": ("is_absent", "capacity")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = (*ACCESS_FIELDS, "last_login", "date_joined")

    def user_change_password(self, request, id, form_url=""):
        """The admin's own "change password" form: the change is audited (the reset link under Staff
        sign-in is the better way: the person sets their own password)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit_record(
                user=request.user,
                action=AuditEntry.Action.UPDATE,
                obj=user,
                description=f"Set the password of {user} in the administration",
            )
        return response

    def save_model(self, request, obj, form, change):
        """A new supervisor, start date or leaver changes the worker's supervision timescales (000 §4.1);
        a new account is a case manager without a team, with no access to anything beyond that role
        until a second person approves a change."""
        if not change:
            obj.role, obj.team, obj.line_manager, obj.is_staff, obj.is_superuser = (
                Role.CASE_MANAGER,
                None,
                None,
                False,
                False,
            )
        super().save_model(request, obj, form, change)
        audit_record(
            user=request.user,
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            obj=obj,
            description=f"{'Changed' if change else 'Added'} the staff account of {obj} in the administration"
            + (f" ({', '.join(form.changed_data)})" if change and form.changed_data else ""),
        )
        worker_obligations_refresh_on_commit(worker=obj)
