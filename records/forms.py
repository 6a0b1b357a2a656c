"""The subject access request form: who asked, their reference, when it was received and why the
record is exported (a request must be answered within one month of receipt, UK GDPR Art. 12(3))."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from core.forms import NOTE_TEXT, GovErrorsMixin, gov_date, gov_text, gov_textarea, not_in_future


class SubjectAccessForm(GovErrorsMixin, forms.Form):
    requester = gov_text(
        "Who made the request",
        max_length=200,
        noun="who made the request",
        hint="For example, the child, or a solicitor acting for them. Do not give contact details here",
        count=True,
    )
    reference = gov_text(
        "Request reference (optional)",
        max_length=60,
        required=False,
        count=True,
        error_label="Request reference",
    )
    received_on = gov_date("Date the request was received")
    reason = gov_textarea(
        "Reason and notes",
        hint="What was asked for, and how the requester's identity was checked",
        required=True,
        max_length=NOTE_TEXT,
        noun="the reason and notes",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("requester"),
            Field.text("reference", field_width=20),
            Field("received_on"),
            Field.textarea("reason", rows=4),
            Submit("submit", "Export the record"),
        )
        self.helper.label_size = Size.SMALL

    def clean_received_on(self):
        """A request already received."""
        return not_in_future(self.cleaned_data.get("received_on"), "Date the request was received")
