"""Forms to start and close a programme or order, validated per kind (001 §6 timescales table)."""

from typing import cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    Field,
    Fieldset,
    Layout,
    Size,
    Submit,
)
from django import forms

from core.forms import NOTE_TEXT, GovDateField, GovErrorsMixin, gov_radios, gov_textarea, not_in_future

from ..models import Child, Programme
from ..services.programmes import FLAG_FIELDS, KIND_FIELDS, LENGTH_REQUIRED, OPTIONAL_FIELDS, START_MEANS

K = Programme.Kind


def _kind_choices() -> list[Choice]:
    """Each programme with what its start date means, as the radio's hint (001 §6 table)."""
    return [Choice(value, label, hint=f"Start date: {START_MEANS[value]}") for value, label in K.choices]


class ProgrammeForm(GovErrorsMixin, forms.Form):
    """Start a programme: the kind, its start date and the fields that kind's timescales need."""

    kind = gov_radios("Programme or order", [], noun="the programme or order")
    start_date = GovDateField(
        label="Start date",
        noun="Start date",
        help_text=(
            "The date the timescales count from, which depends on the programme: the date of sentence "
            "for a Referral Order, YRO or DTO; the panel date for an out of court disposal; the date of "
            "request for a PSR; the allocation date for My Future or a specific intervention; the remand "
            "date; the release date for a licence; the first appearance for Crown Court tracking. "
            "For example, 27 3 2024"
        ),
    )
    length_months = forms.IntegerField(
        label="Length of the order in months",
        required=False,
        min_value=1,
        max_value=120,
        help_text="Needed for a Referral Order, YRO and DTO or section 91 custody",
        error_messages={
            "invalid": "Length of the order must be a whole number of months, like 12",
            "min_value": "Length of the order must be at least 1 month",
            "max_value": "Length of the order must be 120 months or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    court_date = GovDateField(
        label="Court date",
        noun="Court date",
        required=False,
        help_text="Pre-sentence report only. For example, 27 3 2024",
    )
    panel_date = GovDateField(
        label="Initial panel date",
        noun="Initial panel date",
        required=False,
        help_text="Referral Order only. For example, 27 3 2024",
    )
    custody_threshold = forms.BooleanField(
        label="Referral Order made at the custody threshold", required=False
    )
    iss = forms.BooleanField(
        label="YRO with Intensive Supervision and Surveillance (ISS)",
        required=False,
        help_text="The intervention plan is then reviewed monthly (001 §6 table)",
    )
    assessed_for_court = forms.BooleanField(
        label="Bail support: an AssetPlus was done for the court",
        required=False,
        help_text="Then no new AssetPlus is due for the bail support (001 §6 table)",
    )
    custody_months = forms.IntegerField(
        label="Length of the custodial part in months",
        help_text="DTO or section 91 custody only",
        required=False,
        min_value=1,
        max_value=600,
        error_messages={
            "invalid": "Length of the custodial part must be a whole number of months, like 6",
            "min_value": "Length of the custodial part must be at least 1 month",
            "max_value": "Length of the custodial part must be 600 months or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    release_date = GovDateField(
        label="Expected release date",
        noun="Expected release date",
        required=False,
        help_text="DTO or section 91 custody only: the pre-release review and plan fall in the 10 working days before it",
    )

    radio_first = {"kind": 1}

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        cast(forms.ChoiceField, self.fields["kind"]).choices = _kind_choices()
        self.helper = FormHelper()
        # Every field is shown, each saying which programme it belongs to: GOV.UK Frontend's conditional
        # reveal sets aria-expanded on radio inputs, which WCAG tooling (axe-core) rejects.
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field("start_date"),
            Field.text("length_months", field_width=3),
            Fieldset(
                Field("court_date"),
                Field("panel_date"),
                Field.checkbox("custody_threshold"),
                Field.checkbox("iss"),
                Field.checkbox("assessed_for_court"),
                Field.text("custody_months", field_width=3),
                Field("release_date"),
                legend="Details for particular programmes",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Add programme"),
        )

    def clean_start_date(self):
        """The start is in the past or today, and not before the child was born."""
        value = not_in_future(self.cleaned_data.get("start_date"), "Start date")
        if value and value < self.child.date_of_birth:
            raise forms.ValidationError("Start date must be after the child's date of birth")
        return value

    def clean(self):
        """Per-kind rules: what each programme needs, and dates in order; other fields are cleared."""
        super().clean()
        data = self.cleaned_data
        kind, start = data.get("kind"), data.get("start_date")
        if not kind:
            return data
        applies = KIND_FIELDS.get(kind, ())
        for name in OPTIONAL_FIELDS:
            if name not in applies:
                data[name] = None
                self.drop_errors(name)  # a typo in a field that does not apply is no error
        for name in FLAG_FIELDS:
            if name not in applies:
                data[name] = False
        label = dict(K.choices)[kind]
        if (
            kind in LENGTH_REQUIRED
            and data.get("length_months") is None
            and "length_months" not in self.errors
        ):
            self.add_error("length_months", f"Enter the length of the {label} in months")
        if kind == K.REFERRAL_ORDER and data.get("length_months") and not 3 <= data["length_months"] <= 12:
            self.add_error("length_months", "A Referral Order must be between 3 and 12 months long")
        if kind == K.PSR and data.get("court_date") is None and "court_date" not in self.errors:
            self.add_error("court_date", "Enter the court date for the pre-sentence report")
        if kind == K.PSR and start and data.get("court_date") and data["court_date"] < start:
            self.add_error("court_date", "Court date must be on or after the date the report was requested")
        if kind == K.REFERRAL_ORDER and start and data.get("panel_date") and data["panel_date"] < start:
            self.add_error("panel_date", "Initial panel date must be on or after the date of sentence")
        if kind == K.DTO_CUSTODY:
            custody, length = data.get("custody_months"), data.get("length_months")
            if custody is None and "custody_months" not in self.errors:
                self.add_error("custody_months", "Enter the length of the custodial part in months")
            elif custody and length and custody > length:
                self.add_error("custody_months", "The custodial part cannot be longer than the whole order")
            if start and data.get("release_date") and data["release_date"] <= start:
                self.add_error("release_date", "Expected release date must be after the date of sentence")
        return data


class ProgrammeCloseForm(GovErrorsMixin, forms.Form):
    """Close a programme: the end date, why it ended, and any notes."""

    end_date = GovDateField(label="End date", noun="End date", help_text="For example, 27 3 2024")
    closure_reason = gov_radios(
        "Why did it end?", Programme.ClosureReason.choices, noun="why the programme ended"
    )
    closure_notes = gov_textarea(
        "Notes", rows=4, max_length=NOTE_TEXT, hint="Needed when the reason is Other"
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("end_date"),
            Field.radios("closure_reason", legend_size=Size.SMALL),
            Field.textarea("closure_notes"),
            Submit("submit", "Close programme"),
        )

    def clean_end_date(self):
        """Not in the future, and not before the programme started."""
        value = not_in_future(self.cleaned_data.get("end_date"), "End date")
        if value and value < self.programme.start_date:
            raise forms.ValidationError(
                f"End date must be on or after the start date, {self.programme.start_date:%-d %B %Y}"
            )
        return value

    def clean(self):
        """An "Other" reason needs a note saying what it was."""
        super().clean()
        data = self.cleaned_data
        if (
            data.get("closure_reason") == Programme.ClosureReason.OTHER
            and not data.get("closure_notes", "").strip()
        ):
            self.add_error("closure_notes", "Enter notes saying why the programme ended")
        return data
