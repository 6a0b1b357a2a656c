"""Forms for a child's MAPPA record (001 §8): eligibility (criterion, which decides the category), Form H,
a change of management level, and the end of MAPPA management. GOV.UK patterns, no conditional reveals.
"""

from functools import partial
from typing import cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from core.forms import GovErrorsMixin, gov_date, gov_radios, gov_text, gov_textarea, not_in_future

from ..models import (
    CATEGORY_2_CUSTODY_MONTHS,
    CRITERION_CATEGORY,
    CUSTODY_CRITERIA,
    Category,
    Criterion,
    Level,
)
from ..services.records import custody_error

MAX_TEXT = 5000
# The record's free text: four rows, up to MAX_TEXT characters unless a field says otherwise.
textarea = partial(gov_textarea, rows=4, max_length=MAX_TEXT)

LEVEL_HINTS = {
    Level.ONE: "The YJS manages the risk through CMM procedures; level 1 meetings are chaired by the team "
    "manager and follow the CMM timescales (every 11 weeks)",
    Level.TWO: "Needs 'value added' multi-agency input: meetings are chaired by the MAPPA co-ordinator",
    Level.THREE: "Exceptional: resources above those normally available or a high degree of media attention; "
    "chaired by the MAPPA co-ordinator",
}


def criterion_choices() -> list:
    """The 001 §8 criteria as radios, each with its category as the hint."""
    return [
        Choice(value, label, hint=Category(CRITERION_CATEGORY[Criterion(value)]).label)
        for value, label in Criterion.choices
    ]


def level_choices(exclude: int | None = None) -> list:
    """The three management levels as radios, each with what it means (001 §8)."""
    return [
        Choice(str(value), label, hint=LEVEL_HINTS[Level(value)])
        for value, label in Level.choices
        if value != exclude
    ]


def _level_field(label: str) -> forms.TypedChoiceField:
    """The management level as radios."""
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the MAPPA management level",
            "invalid_choice": "Choose the MAPPA management level",
        },
    )


class MappaRecordForm(GovErrorsMixin, forms.Form):
    """A child identified as eligible for MAPPA (001 §8): recorded by the locality TM."""

    criterion = gov_radios(
        "Which MAPPA eligibility criterion does the child meet?",
        [],
        noun="the MAPPA eligibility criterion",
        hint="The criterion decides the MAPPA category (001 §8)",
    )
    custody_months = forms.IntegerField(
        label="Length of the custodial sentence, in months",
        required=False,
        min_value=1,
        max_value=600,
        help_text=f"Needed for the category 2 custody criteria: {CATEGORY_2_CUSTODY_MONTHS} months or more "
        "custody (001 §8). Leave blank for the other criteria",
        error_messages={
            "invalid": "Enter the length of the custodial sentence as a whole number of months, like 24",
            "min_value": "The length of the custodial sentence must be at least 1 month",
            "max_value": "The length of the custodial sentence must be 600 months or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    offence = gov_text("Index offence", hint="As it will appear on Form H", noun="the index offence")
    identified_on = gov_date("Date identified as eligible")
    level = _level_field("Initial management level")
    notes = textarea("Notes (optional)")

    radio_first = {"criterion": 1, "level": 1}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["criterion"]).choices = criterion_choices()
        cast(forms.ChoiceField, self.fields["level"]).choices = level_choices()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("criterion", legend_size=Size.MEDIUM, small=True),
            Field.text("custody_months", field_width=3),
            Field.text("offence"),
            Field("identified_on"),
            Field.radios("level", legend_size=Size.MEDIUM, small=True),
            Field.textarea("notes", rows=4),
            Submit("submit", "Record MAPPA eligibility"),
        )

    def clean_identified_on(self):
        """Records say what has happened."""
        return not_in_future(self.cleaned_data.get("identified_on"), "Date identified as eligible")

    def clean(self):
        """Category 2's custody criteria need 12 months or more custody (001 §8): the service's check, here
        for a field-level error beside the length."""
        data = super().clean() or {}
        criterion = data.get("criterion")
        if criterion in CUSTODY_CRITERIA and "custody_months" not in self.errors:
            if message := custody_error(criterion, data.get("custody_months")):
                self.add_error("custody_months", message)
        return data

    def service_kwargs(self) -> dict:
        """The answers as mappa_record_create arguments."""
        data = self.cleaned_data
        return {
            "custody_months": data.get("custody_months") if data["criterion"] in CUSTODY_CRITERIA else None,
            "criterion": data["criterion"],
            "offence": data["offence"],
            "identified_on": data["identified_on"],
            "level": data["level"],
            "notes": data.get("notes", ""),
        }


class FormHForm(GovErrorsMixin, forms.Form):
    """The date Form H went to the MAPPA Co-ordination Unit (001 §8)."""

    sent_on = gov_date("Date Form H was sent")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("sent_on"), Submit("submit", "Record Form H sent"))

    def clean_sent_on(self):
        """Records say what has happened."""
        return not_in_future(self.cleaned_data.get("sent_on"), "Date Form H was sent")


class LevelForm(GovErrorsMixin, forms.Form):
    """A change of the MAPPA management level, with its reason (001 §8: the lowest defensible level)."""

    level = _level_field("New management level")
    set_on = gov_date("Date of the level")
    reason = textarea(
        "Reason for the level",
        required=True,
        hint="For example, the outcome of the AssetPlus modules or the MAPPA meeting's decision",
    )

    radio_first = {"level": 1}

    def __init__(self, *args, current: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = level_choices(exclude=current)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("level", legend_size=Size.MEDIUM, small=True),
            Field("set_on"),
            Field.textarea("reason", rows=4),
            Submit("submit", "Change the level"),
        )

    def clean_set_on(self):
        """Records say what has happened."""
        return not_in_future(self.cleaned_data.get("set_on"), "Date of the level")


class EndForm(GovErrorsMixin, forms.Form):
    """The end of MAPPA management: the record stays, its timescales stop."""

    ended_on = gov_date("Date MAPPA management ended")
    reason = textarea(
        "Why is the child no longer managed under MAPPA?",
        required=True,
        noun="why the child is no longer managed under MAPPA",
        max_length=200,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("ended_on"),
            Field.textarea("reason", rows=3),
            Submit("submit", "End MAPPA management", css_class="govuk-button--warning"),
        )

    def clean_ended_on(self):
        """Records say what has happened."""
        return not_in_future(self.cleaned_data.get("ended_on"), "Date MAPPA management ended")
