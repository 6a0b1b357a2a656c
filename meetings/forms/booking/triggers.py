"""What calls a CMM (000 §1.3): a further offence (a re-offending CMM) and a bail application (a bail
strategy CMM held before it)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.utils import timezone

from core.forms import GovDateField, GovErrorsMixin, gov_text, not_in_future

from ..common import note_textarea


class FurtherOffenceForm(GovErrorsMixin, forms.Form):
    """A further offence while the child is open: it calls a re-offending CMM (000 §1.3)."""

    description = note_textarea(
        "Description of the offence", required=True, noun="a description of the offence"
    )
    offence_date = GovDateField(
        label="Date of the offence (optional)", noun="Date of the offence", required=False,
        help_text="For example, 27 3 2026",
    )  # fmt: skip
    psr_court_date = GovDateField(
        label="PSR court date",
        noun="PSR court date",
        required=False,
        help_text="If a pre-sentence report is requested: the CMM is held before this date",
    )
    sentence_date = GovDateField(
        label="Sentence date",
        noun="Sentence date",
        required=False,
        help_text="If sentenced without a PSR: the CMM is held within 15 working days of sentence",
    )

    def __init__(self, *args, **kwargs):
        """The description and the three dates."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("description", rows=4),
            Field("offence_date"),
            Field("psr_court_date"),
            Field("sentence_date"),
            Submit("submit", "Record the further offence"),
        )

    def clean_offence_date(self):
        """An offence is recorded after it happened."""
        return not_in_future(self.cleaned_data.get("offence_date"), "Date of the offence")

    def clean_sentence_date(self):
        """A sentence is recorded after it was given."""
        return not_in_future(self.cleaned_data.get("sentence_date"), "Sentence date")

    def clean(self):
        """The rules need one of the two dates to place the CMM (000 §1.3)."""
        super().clean()
        data = self.cleaned_data
        if (
            not data.get("psr_court_date")
            and not data.get("sentence_date")
            and "psr_court_date" not in self.errors
            and "sentence_date" not in self.errors
        ):
            self.add_error(
                "psr_court_date", "Enter the PSR court date or, if sentenced without a PSR, the sentence date"
            )
        return data


class BailApplicationForm(GovErrorsMixin, forms.Form):
    """A bail application listed for a date: the bail strategy CMM is held before it (000 §1.3)."""

    bail_date = GovDateField(
        label="Date of the bail application", noun="Date of the bail application",
        help_text="For example, 27 3 2027",
    )  # fmt: skip
    court = gov_text("Court (optional)", max_length=120, required=False)
    notes = note_textarea("Notes (optional)")

    def __init__(self, *args, **kwargs):
        """The date, court and notes."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("bail_date"),
            Field.text("court", field_width=20),
            Field.textarea("notes", rows=4),
            Submit("submit", "Record the bail application"),
        )

    def clean_bail_date(self):
        """The application is still to come."""
        value = self.cleaned_data.get("bail_date")
        if value and value < timezone.localdate():
            raise forms.ValidationError("Date of the bail application must be today or in the future")
        return value
