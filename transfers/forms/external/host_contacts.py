"""The form for a contact the host YJS reports while we keep the case (003 §12.8)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from core.forms import GovErrorsMixin, gov_date, gov_radios, gov_text, not_in_future

from ...models import HostContact
from .common import textarea


class HostContactForm(GovErrorsMixin, forms.Form):
    """A contact the host YJS reports (003 §12.8)."""

    date = gov_date("Date of the contact")
    kind = gov_radios("Kind of contact", HostContact.Kind.choices, noun="the kind of contact")
    host_worker = gov_text("Host YJS worker", max_length=120, noun="the host YJS worker")
    summary = textarea(
        "Summary",
        required=True,
        rows=5,
        noun="a summary of the contact",
        hint="What was done, the young person's response, and any change in RoSH, SaW or LoR",
    )

    radio_first = {"kind": 1}

    def __init__(self, *args, **kwargs):
        """Lay out the contact."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("date"),
            Field.radios("kind", inline=True, small=True, legend_size=Size.SMALL),
            Field.text("host_worker"),
            Field.textarea("summary", rows=5),
            Submit("submit", "Log the host contact"),
        )

    def clean_date(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("date"), "Date of the contact")
