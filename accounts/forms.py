"""GOV.UK forms of staff sign-in: a code, the password forms under the service's validators, and how a
manager hands over a reset link."""

from __future__ import annotations

from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from core.forms import GovErrorsMixin, gov_radios

from .passwords import EMAIL, SHOW

PASSWORD_HINT = (
    "At least 12 characters. Not a common password, not only numbers and not like your name or username."
)


def _helper(*layout) -> FormHelper:
    """A GOV.UK helper without its own <form> tag: templates hold the form and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


class CodeForm(GovErrorsMixin, forms.Form):
    """A code from the authenticator app (or, when signing in, a backup code)."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        strip=True,
        error_messages={"required": "Enter the code", "max_length": "Enter the code: it is 6 numbers"},
    )

    def __init__(self, *args, backup_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.help_text = (
            "The 6 numbers your authenticator app shows now, or one of your backup codes"
            if backup_allowed
            else "The 6 numbers your authenticator app shows now"
        )
        field.widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
                **({} if backup_allowed else {"inputmode": "numeric"}),
            }
        )
        self.helper = _helper(Field.text("code", field_width=10, label_size=Size.SMALL))


def _password_field(form: forms.BaseForm, name: str, label: str, required: str, hint: str = "") -> None:
    """A GOV.UK password input: our label, hint and "Enter …" message."""
    field = cast(forms.CharField, form.fields[name])
    field.label = label
    field.help_text = hint
    field.error_messages["required"] = required


class NewPasswordErrorsMixin:
    """The validators' errors against "New password" (Django puts them on the confirmation)."""

    def validate_password_for_user(self, user, password_field_name="new_password1"):
        super().validate_password_for_user(user, "new_password1")  # type: ignore[misc]


class GovPasswordChangeForm(NewPasswordErrorsMixin, GovErrorsMixin, PasswordChangeForm):
    """Django's password change (current password, then the new one twice) in GOV.UK words."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right",
        "password_mismatch": "The new passwords do not match",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _password_field(self, "old_password", "Current password", "Enter your current password")
        _password_field(self, "new_password1", "New password", "Enter a new password", PASSWORD_HINT)
        _password_field(self, "new_password2", "Confirm the new password", "Enter the new password again")
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.helper = _helper(
            Field.text("old_password", field_width=20),
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
        )


class GovSetPasswordForm(NewPasswordErrorsMixin, GovErrorsMixin, SetPasswordForm):
    """A new password set through a manager's reset link, in GOV.UK words."""

    error_messages = {**SetPasswordForm.error_messages, "password_mismatch": "The passwords do not match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _password_field(self, "new_password1", "New password", "Enter a new password", PASSWORD_HINT)
        _password_field(self, "new_password2", "Confirm the new password", "Enter the new password again")
        self.helper = _helper(
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
        )


class ResetLinkForm(GovErrorsMixin, forms.Form):
    """How the manager hands over the reset link: emailed to the person, or shown once here."""

    delivery = gov_radios("How should they get the link?", [], noun="how they get the link")
    radio_first = {"delivery": 1}

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(SHOW, "Show me the link once, to give them myself")]
        if email:
            choices.insert(0, (EMAIL, f"Email it to them at {email}"))
        cast(forms.ChoiceField, self.fields["delivery"]).choices = choices
        self.helper = _helper(Field.radios("delivery", legend_size=Size.MEDIUM))
