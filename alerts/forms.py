"""The notification settings form: the daily digest, or email only about overdue work."""

from typing import cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from cases.models import EmailPreference
from core.forms import GovErrorsMixin, gov_radios

HINTS: dict[str, str] = {
    EmailPreference.DIGEST: "Sent at 7am on days when something is due today, due soon or overdue",
    EmailPreference.OVERDUE_ONLY: "Sent at 7am only on days when something of yours (or your team's) is overdue",
}


class EmailPreferenceForm(GovErrorsMixin, forms.Form):
    """Choose what arrives by email; overdue alerts always arrive in-app and by email."""

    radio_first = {"email_preference": 1}

    email_preference = gov_radios(
        "What do you want by email?", EmailPreference.choices, noun="what you want by email"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["email_preference"]).choices = [
            Choice(value, label, hint=HINTS[value]) for value, label in EmailPreference.choices
        ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("email_preference", legend_size=Size.MEDIUM),
            Submit("submit", "Save settings"),
        )
