"""The form to ask for a change to a member of staff's access (issue 18): a second person approves it."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from core.forms import GovErrorsMixin, ModelChoiceField

from ..models import Role, Team, User

KEEP = ""
ACTIVE_CHOICES = [
    (KEEP, "No change"),
    ("yes", "Reactivate"),
    ("no", "Deactivate (they can no longer sign in)"),
]


class StaffChoiceField(ModelChoiceField):
    """A member of staff, named with their role."""

    def label_from_instance(self, obj):
        return f"{obj} – {obj.get_role_display()}"


class StaffChangeForm(GovErrorsMixin, forms.Form):
    """Whose access, and what to change; a blank choice changes nothing."""

    user = StaffChoiceField(
        queryset=User.objects.order_by("last_name", "first_name"),
        label="Whose access is changing?",
        empty_label="Choose a member of staff",
        error_messages={
            "required": "Choose whose access is changing",
            "invalid_choice": "Choose a member of staff",
        },
    )
    role = forms.ChoiceField(
        label="New role", required=False, choices=[(KEEP, "No change"), *Role.choices],
        error_messages={"invalid_choice": "Choose a role from the list"},
    )  # fmt: skip
    team = forms.ChoiceField(
        label="New team",
        required=False,
        help_text="Choose “No team” for someone who works across the service",
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    line_manager = forms.ChoiceField(
        label="New line manager",
        required=False,
        error_messages={"invalid_choice": "Choose a line manager from the list"},
    )
    active = forms.ChoiceField(label="Signing in", required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        teams = [(str(t.pk), t.name) for t in Team.objects.order_by("name")]
        self.fields["team"].choices = [(KEEP, "No change"), ("none", "No team"), *teams]  # type: ignore[attr-defined]
        managers = [(str(u.pk), f"{u} – {u.get_role_display()}") for u in User.objects.filter(is_active=True)]
        self.fields["line_manager"].choices = [(KEEP, "No change"), ("none", "No line manager"), *managers]  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("user"),
            Field.select("role"),
            Field.select("team"),
            Field.select("line_manager"),
            Field.radios("active", legend_size=Size.SMALL),
            Submit("submit", "Ask for the change"),
        )

    def service_kwargs(self) -> dict:
        """The cleaned choices as the service takes them."""
        data = self.cleaned_data
        team, manager, active = data.get("team"), data.get("line_manager"), data.get("active")
        return {
            "user": data["user"],
            "role": data.get("role") or "",
            "change_team": bool(team),
            "team": Team.objects.filter(pk=team).first() if team and team != "none" else None,
            "change_line_manager": bool(manager),
            "line_manager": User.objects.filter(pk=manager).first()
            if manager and manager != "none"
            else None,
            "is_active": {"yes": True, "no": False}.get(active or ""),
        }
