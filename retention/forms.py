"""The retention pages' forms: extend a review date, confirm an erasure (GOV.UK error summary)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from core.forms import GovErrorsMixin, gov_date, gov_text, gov_textarea

from .erasure import REASON_MAX


def _helper(*layout) -> FormHelper:
    """A GOV.UK helper without its own <form> tag: templates hold the form and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


class ExtendForm(GovErrorsMixin, forms.Form):
    """A later review date and why the record is still needed."""

    review_on = gov_date("New review date", hint="For example, 27 3 2030", noun="new review date")
    reason = gov_textarea(
        "Why the record is still needed",
        hint="For example, a claim or an inquiry that needs it, or a request from the police.",
        required=True,
        rows=3,
        max_length=1000,
        noun="why the record is still needed",
    )

    def __init__(self, *args, earliest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest = earliest
        self.helper = _helper(Field("review_on"), Field.textarea("reason"))

    def clean_review_on(self):
        """The new date is later than the record's review date and today."""
        value = self.cleaned_data["review_on"]
        if self.earliest is not None and value <= self.earliest:
            raise forms.ValidationError(f"The new review date must be after {self.earliest:%-d %B %Y}")
        return value


class EraseForm(GovErrorsMixin, forms.Form):
    """The case number typed again, and why the record is erased."""

    confirmation = gov_text(
        "Type the case number to confirm",
        max_length=20,
        hint="Erasure cannot be undone.",
        noun="the case number",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = gov_textarea(
        "Reason for erasure",
        hint="For example, the retention period has ended and no reason to keep the record was found.",
        required=True,
        rows=2,
        max_length=REASON_MAX,
        noun="the reason for erasure",
    )

    def __init__(self, *args, case_number: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_number = case_number
        self.helper = _helper(Field.text("confirmation", field_width=10), Field.textarea("reason"))

    def clean_confirmation(self):
        """Exactly the record's case number (spaces and case aside)."""
        value = self.cleaned_data["confirmation"]
        if value.strip().upper() != self.case_number.upper():
            raise forms.ValidationError("Enter the case number exactly as shown above to confirm the erasure")
        return value
