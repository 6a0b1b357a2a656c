"""Forms for a child's MAPPA record (001 §8): eligibility (criterion, which decides the category), Form H,
a change of management level, and the end of MAPPA management. GOV.UK patterns, no conditional reveals.
"""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from core.forms import GovDateField, GovErrorsMixin, not_in_future

from ..models import CRITERION_CATEGORY, Category, Criterion, Level

MAX_TEXT = 5000
DATE_HINT = "For example, 27 3 2026"

LEVEL_HINTS = {
    Level.ONE: "The YJS manages the risk through CMM procedures; level 1 meetings are chaired by the team "
    "manager and follow the CMM timescales (every 11 weeks)",
    Level.TWO: "Needs 'value added' multi-agency input: meetings are chaired by the MAPPA co-ordinator",
    Level.THREE: "Exceptional: resources above those normally available or a high degree of media attention; "
    "chaired by the MAPPA co-ordinator",
}


def _textarea(
    label: str, *, required: bool = False, hint: str = "", required_message: str = "", max_length=MAX_TEXT
):
    """A GOV.UK textarea with a length limit the user is told about."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required_message or f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


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

    criterion = forms.ChoiceField(
        label="Which MAPPA eligibility criterion does the child meet?",
        widget=forms.RadioSelect,
        help_text="The criterion decides the MAPPA category (001 §8)",
        error_messages={
            "required": "Choose the MAPPA eligibility criterion",
            "invalid_choice": "Choose the MAPPA eligibility criterion",
        },
    )
    offence = forms.CharField(
        label="Index offence",
        max_length=200,
        help_text="As it will appear on Form H",
        error_messages={
            "required": "Enter the index offence",
            "max_length": "Index offence must be 200 characters or fewer",
        },
    )
    identified_on = GovDateField(
        label="Date identified as eligible", noun="Date identified as eligible", help_text=DATE_HINT
    )
    level = _level_field("Initial management level")
    notes = _textarea("Notes (optional)")

    radio_first = {"criterion": 1, "level": 1}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = criterion_choices()
        self.fields["level"].choices = level_choices()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("criterion", legend_size=Size.MEDIUM, small=True),
            Field.text("offence"),
            Field("identified_on"),
            Field.radios("level", legend_size=Size.MEDIUM, small=True),
            Field.textarea("notes", rows=4),
            Submit("submit", "Record MAPPA eligibility"),
        )

    def clean_identified_on(self):
        """Records say what has happened."""
        return not_in_future(self.cleaned_data.get("identified_on"), "Date identified as eligible")

    def service_kwargs(self) -> dict:
        """The answers as mappa_record_create arguments."""
        data = self.cleaned_data
        return {
            "criterion": data["criterion"],
            "offence": data["offence"],
            "identified_on": data["identified_on"],
            "level": data["level"],
            "notes": data.get("notes", ""),
        }


class FormHForm(GovErrorsMixin, forms.Form):
    """The date Form H went to the MAPPA Co-ordination Unit (001 §8)."""

    sent_on = GovDateField(label="Date Form H was sent", noun="Date Form H was sent", help_text=DATE_HINT)

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
    set_on = GovDateField(label="Date of the level", noun="Date of the level", help_text=DATE_HINT)
    reason = _textarea(
        "Reason for the level",
        required=True,
        hint="For example, the outcome of the AssetPlus modules or the MAPPA meeting's decision",
    )

    radio_first = {"level": 1}

    def __init__(self, *args, current: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices(exclude=current)
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

    ended_on = GovDateField(
        label="Date MAPPA management ended", noun="Date MAPPA management ended", help_text=DATE_HINT
    )
    reason = _textarea(
        "Why is the child no longer managed under MAPPA?",
        required=True,
        required_message="Enter why the child is no longer managed under MAPPA",
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
