"""Forms for the TM/AP's side of a transfer in (003 §12.4-§12.5, App. A): the decision on the Transfer In
Summary and the supervision requirements agreed with the home YJS. The summary itself is in
transfer_in.py."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from core.forms import GovErrorsMixin, gov_date, gov_radios, not_in_future

from .common import textarea


class TransferInDecisionForm(GovErrorsMixin, forms.Form):
    """The TM/AP's review of the request (003 §12.4-§12.5)."""

    decision = gov_radios(
        "Decision",
        [
            ("accept", "Accept on a caretaking basis"),
            ("stay", "Stay: information is missing or not of sufficient quality"),
            ("reject", "Reject"),
        ],
        noun="accept, stay or reject",
    )
    reasons = textarea(
        "Reasons",
        hint="Required to stay or reject: what is missing or not of sufficient quality, so the home YJS can "
        "address it and re-request the transfer (003 §12.4)",
        rows=5,
    )
    communicated_on = gov_date(
        "Date the reasons were communicated to the home YJS",
        required=False,
        hint="Required to stay or reject (by AssetPlus, or secure email). For example, 27 3 2026",
    )

    radio_first = {"decision": 1}

    def __init__(self, *args, **kwargs):
        """Lay out the decision."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.SMALL, small=True),
            Field.textarea("reasons", rows=5),
            Field("communicated_on"),
            Submit("submit", "Record the decision"),
        )

    def clean_communicated_on(self):
        """The reasons have been communicated: not in the future."""
        return not_in_future(self.cleaned_data.get("communicated_on"), "Date the reasons were communicated")

    def clean(self):
        """A stay or rejection needs reasons and the date they were communicated (003 §12.4)."""
        data = super().clean() or {}
        if data.get("decision") in ("stay", "reject"):
            if not data.get("reasons"):
                self.add_error(
                    "reasons",
                    "Give the reasons for the stay or rejection, so the home YJS can address them (003 §12.4)",
                )
            if not data.get("communicated_on") and "communicated_on" not in self.errors:
                self.add_error(
                    "communicated_on", "Enter the date the reasons were communicated to the home YJS"
                )
        return data


class RequirementsForm(GovErrorsMixin, forms.Form):
    """App. A: the supervision requirements agreed with and communicated to the home YJS."""

    requirements = textarea(
        "Supervision requirements agreed with the home YJS",
        required=True,
        hint="How often the young person will be seen, by whom, and what each area will do",
        rows=6,
        noun="the supervision requirements",
    )
    confirmed_on = gov_date("Date the requirements were confirmed to the home YJS")

    def __init__(self, *args, **kwargs):
        """Lay out the requirements."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("requirements", rows=6),
            Field("confirmed_on"),
            Submit("submit", "Record the supervision requirements"),
        )

    def clean_confirmed_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("confirmed_on"), "Date the requirements were confirmed")
