"""Forms for Crown Court tracking (003 §9): starting it with the screening (§9.2), progress (§9, §9.7),
the management oversight decision (§9.5) and its end."""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from cases.models import Programme, RiskLevel
from core.forms import (
    TIME_FORMATS,
    GovErrorsMixin,
    choice_field,
    gov_date,
    gov_radios,
    gov_text,
    not_in_future,
)

from ..models import Band, CrownCourtTracking, Seriousness
from ..selectors import tracking as selectors
from . import court_textarea

LEVEL_CHOICES = [("", "Not yet assessed"), *RiskLevel.choices]
SERIOUSNESS_HINTS: dict[str, str] = {
    Seriousness.LOW: "For example, a less serious offence committed to the Crown Court with a co-accused adult",
    Seriousness.MEDIUM: "An either-way offence the court judged too serious for the youth court",
    Seriousness.HIGH: "A grave crime, serious violence or a sexual offence: the screening proposes Band B",
}
BAND_HINTS: dict[str, str] = {
    Band.A: "A case manager or YJS officer",
    Band.B: "A senior case manager or advanced practitioner (003 §9.2: high risk of harm or to safety and well-being)",
}
END_REASON_LABELS = {
    Programme.ClosureReason.SENTENCED: "Sentenced",
    Programme.ClosureReason.TRANSFERRED: "Transferred to another YJS",
    Programme.ClosureReason.OTHER: "Other: acquitted, discontinued or no further action",
}


class CrownCourtForm(GovErrorsMixin, forms.Form):
    """Start Crown Court tracking: the first appearance, the alleged offence and the screening (003 §9.2)."""

    first_on = gov_date("Date of first appearance at the Crown Court")
    first_time = forms.TimeField(
        label="Time of first appearance",
        input_formats=TIME_FORMATS,
        help_text="Use the 24-hour clock, for example 10:00. Allocation is due within 48 hours (003 §9.2)",
        error_messages={
            "required": "Enter the time of first appearance",
            "invalid": "Enter a real time, like 10:00",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    court = gov_text("Crown Court", max_length=120, noun="the crown Court")
    offence = gov_text("Alleged offence", noun="the alleged offence")
    seriousness = gov_radios(
        "Seriousness of the alleged offence", Seriousness.choices, noun="the seriousness"
    )
    rosh = forms.ChoiceField(
        label="RoSH at screening",
        choices=LEVEL_CHOICES,
        required=False,
        help_text="The child's current level is filled in",
    )
    saw = forms.ChoiceField(
        label="SaW at screening",
        choices=LEVEL_CHOICES,
        required=False,
        help_text="The child's current level is filled in",
    )
    band = gov_radios("Screening decision", Band.choices, noun="the screening decision")
    screening_notes = court_textarea(
        "Screening notes",
        hint="Needed if you decide a band other than the one the screening proposes",
    )
    out_of_area_home_yjs = gov_text(
        "Home YJS, if the child is from out of area",
        required=False,
        max_length=120,
        hint="003 §9.7: the home YJS should contact us to agree roles and responsibilities",
    )

    radio_first = {"seriousness": 1, "band": 1}

    def __init__(self, *args, child, proposal: str, can_override: bool, **kwargs):
        """Offer the bands with their hints and say what the screening proposes now."""
        super().__init__(*args, **kwargs)
        self.child = child
        self.can_override = can_override
        choice_field(self, "seriousness").choices = [
            Choice(v, label, hint=SERIOUSNESS_HINTS.get(v, "")) for v, label in Seriousness.choices
        ]
        choice_field(self, "band").choices = [
            Choice(v, label, hint=BAND_HINTS[v]) for v, label in Band.choices
        ]
        rule = (
            "The screening proposes Band B when the alleged offence is of high seriousness or RoSH or "
            "SaW is High or Very High, and Band A otherwise (003 §9.2). "
        )
        rule += (
            "You confirm the proposal or decide the other band with a note."
            if can_override
            else "Only a team manager or advanced practitioner can decide a band other than the proposal."
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                Field("first_on"),
                Field.text("first_time", field_width=5),
                Field.text("court"),
                legend="First appearance",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("offence"),
                Field.radios("seriousness", legend_size=Size.SMALL, small=True),
                Field.select("rosh"),
                Field.select("saw"),
                HTML(
                    format_html(
                        '<div class="govuk-inset-text" id="band-rule">{} With the child\'s current levels '
                        "it proposes <strong>{}</strong>{}.</div>",
                        rule,
                        Band(proposal).label,
                        "" if proposal == Band.B else " unless the offence is of high seriousness",
                    )
                ),
                Field.radios("band", legend_size=Size.SMALL, small=True),
                Field.textarea("screening_notes", rows=3),
                legend="Screening",
                legend_size=Size.MEDIUM,
            ),
            Field.text("out_of_area_home_yjs"),
            Submit("submit", "Start Crown Court tracking"),
        )

    def clean_first_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("first_on"), "Date of first appearance")

    def clean(self):
        """The time is in the past; a band other than the proposal needs a manager and a note."""
        super().clean()
        data = self.cleaned_data
        day, time = data.get("first_on"), data.get("first_time")
        if day and time:
            at = timezone.make_aware(datetime.datetime.combine(day, time))
            if at > timezone.now():
                self.add_error("first_time", "The time of first appearance must be in the past")
            else:
                data["first_appearance_at"] = at
        seriousness, band = data.get("seriousness"), data.get("band")
        if seriousness and band:
            proposal = selectors.proposed_band(
                seriousness=seriousness, rosh=data.get("rosh", ""), saw=data.get("saw", "")
            )
            if band != proposal:
                if not self.can_override:
                    self.add_error(
                        "band",
                        f"The screening proposes {Band(proposal).label}: choose it, or ask a team manager "
                        "or advanced practitioner to decide otherwise",
                    )
                elif not data.get("screening_notes"):
                    self.add_error(
                        "screening_notes",
                        f"The screening proposes {Band(proposal).label}: enter a note explaining why you "
                        f"decided {Band(band).label}",
                    )
        return data

    def service_kwargs(self) -> dict:
        """The cleaned answers as crown_court_start arguments."""
        data = self.cleaned_data
        return {
            "first_appearance_at": data["first_appearance_at"],
            "court": data["court"],
            "offence": data["offence"],
            "seriousness": data["seriousness"],
            "rosh": data.get("rosh", ""),
            "saw": data.get("saw", ""),
            "band": data["band"],
            "screening_notes": data.get("screening_notes", ""),
            "out_of_area_home_yjs": data.get("out_of_area_home_yjs", ""),
        }


class ProgressForm(GovErrorsMixin, forms.Form):
    """The next hearing, the case tracking principles done (003 §9) and the home YJS (§9.7)."""

    next_hearing_on = gov_date("Date of the next hearing", required=False)
    principles = forms.MultipleChoiceField(
        label="Case tracking principles done",
        choices=CrownCourtTracking.PRINCIPLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="003 §9 Case Tracking Principles: tick each one done",
        error_messages={"invalid_choice": "Choose the principles from the list"},
    )
    out_of_area_home_yjs = gov_text(
        "Home YJS, if the child is from out of area",
        required=False,
        max_length=120,
        hint="003 §9.7: if the home YJS has not been in touch, the AP or team manager contacts them",
    )

    def __init__(self, *args, **kwargs):
        """Lay out the fields."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("next_hearing_on"),
            Field.checkboxes("principles", legend_size=Size.SMALL, small=True),
            Field.text("out_of_area_home_yjs"),
            Submit("submit", "Save"),
        )


class OversightForm(GovErrorsMixin, forms.Form):
    """The management oversight decision after allocation (003 §9.5)."""

    trial_attendance = court_textarea(
        "Decision on trial attendance and welfare support",
        required=True,
        hint="003 §9.5: does the YJS need to attend the trial in person and/or provide welfare support on "
        "the days of the trial? For a long trial, consider a staffing rota",
        rows=5,
    )
    oversight_on = gov_date("Date of the decision")

    def __init__(self, *args, **kwargs):
        """Lay out the fields."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("trial_attendance", rows=5),
            Field("oversight_on"),
            Submit("submit", "Record the oversight decision"),
        )

    def clean_oversight_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("oversight_on"), "Date of the decision")


class EndForm(GovErrorsMixin, forms.Form):
    """End the tracking: the outcome at the Crown Court and the date (closes the programme)."""

    closure_reason = gov_radios(
        "How did the tracking end?",
        list(END_REASON_LABELS.items()),
        noun="how the tracking ended",
    )
    outcome = gov_text(
        "Outcome at the Crown Court",
        noun="the outcome at the Crown Court",
        hint="For example, Referral Order 9 months, or acquitted",
    )
    ended_on = gov_date("Date the tracking ended")

    radio_first = {"closure_reason": 1}

    def __init__(self, *args, **kwargs):
        """Lay out the fields."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("closure_reason", legend_size=Size.SMALL, small=True),
            Field.text("outcome"),
            Field("ended_on"),
            Submit("submit", "End Crown Court tracking", css_class="govuk-button--warning"),
        )

    def clean_ended_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("ended_on"), "Date the tracking ended")
