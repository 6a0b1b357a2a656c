"""Forms for court tracking (003 §9-§10, App. C), GOV.UK patterns through crispy-forms-gds.

No GOV.UK conditional reveals (axe rejects aria-expanded on radios): every field is shown, and a field
that only applies sometimes says so in its hint.
"""

import datetime
from functools import partial

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from cases.models import Programme, RiskLevel
from core.forms import TIME_FORMATS, GovDateField, GovErrorsMixin, gov_textarea, not_in_future

from ..models import AwaitingHearing, Band, CrownCourtTracking, Seriousness
from ..selectors import tracking as selectors

MAX_TEXT = 5000
YES_NO = [("yes", "Yes"), ("no", "No")]
LEVEL_CHOICES = [("", "Not yet assessed"), *RiskLevel.choices]
SERIOUSNESS_HINTS = {
    Seriousness.LOW: "For example, a less serious offence committed to the Crown Court with a co-accused adult",
    Seriousness.MEDIUM: "An either-way offence the court judged too serious for the youth court",
    Seriousness.HIGH: "A grave crime, serious violence or a sexual offence: the screening proposes Band B",
}
BAND_HINTS = {
    Band.A: "A case manager or YJS officer",
    Band.B: "A senior case manager or advanced practitioner (003 §9.2: high risk of harm or to safety and well-being)",
}
END_REASON_LABELS = {
    Programme.ClosureReason.SENTENCED: "Sentenced",
    Programme.ClosureReason.TRANSFERRED: "Transferred to another YJS",
    Programme.ClosureReason.OTHER: "Other: acquitted, discontinued or no further action",
}
# 003 §10.2: circumstances where a child may be offered an intervention.
CIRCUMSTANCES_HINT = (
    "003 §10.2: a significant wait for the hearing and support needed to avoid offending meanwhile "
    "(including CCE-related offending); difficulties (for example learning, or speech and language) "
    "where support would help them understand and attend hearings; a risk of harm or to safety and "
    "well-being that needs the YJS's intervention or oversight"
)


def _text(label: str, *, required: bool = True, max_length: int = 200, hint: str = "") -> forms.CharField:
    """A GOV.UK text input with errors that name it."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=hint,
        strip=True,
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


_textarea = partial(gov_textarea, rows=4, max_length=MAX_TEXT)


def _radios(label: str, choices, *, noun: str, hint: str = "") -> forms.ChoiceField:
    """GOV.UK radios whose errors say what to choose."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": f"Choose {noun}", "invalid_choice": f"Choose {noun}"},
    )


def _yes_no(label: str, *, noun: str) -> forms.TypedChoiceField:
    """Yes or no as radios, coerced to a bool; required (App. C asks all three)."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": f"Answer whether {noun}", "invalid_choice": f"Answer whether {noun}"},
    )


def _date(label: str, *, required: bool = True) -> GovDateField:
    """A GOV.UK date input."""
    return GovDateField(label=label, noun=label, required=required, help_text="For example, 27 3 2026")


def yes_no_initial(value: bool | None) -> str | None:
    """A stored answer as the radio's value."""
    return None if value is None else ("yes" if value else "no")


# ---------------------------------------------------------------------------------------------------
# Crown Court tracking (003 §9)


class CrownCourtForm(GovErrorsMixin, forms.Form):
    """Start Crown Court tracking: the first appearance, the alleged offence and the screening (003 §9.2)."""

    first_on = _date("Date of first appearance at the Crown Court")
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
    court = _text("Crown Court", max_length=120)
    offence = _text("Alleged offence")
    seriousness = _radios("Seriousness of the alleged offence", Seriousness.choices, noun="the seriousness")
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
    band = _radios("Screening decision", Band.choices, noun="the screening decision")
    screening_notes = _textarea(
        "Screening notes",
        hint="Needed if you decide a band other than the one the screening proposes",
    )
    out_of_area_home_yjs = _text(
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
        self.fields["seriousness"].choices = [
            Choice(v, label, hint=SERIOUSNESS_HINTS.get(v, "")) for v, label in Seriousness.choices
        ]
        self.fields["band"].choices = [Choice(v, label, hint=BAND_HINTS[v]) for v, label in Band.choices]
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
        data = super().clean()
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

    next_hearing_on = _date("Date of the next hearing", required=False)
    principles = forms.MultipleChoiceField(
        label="Case tracking principles done",
        choices=CrownCourtTracking.PRINCIPLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="003 §9 Case Tracking Principles: tick each one done",
        error_messages={"invalid_choice": "Choose the principles from the list"},
    )
    out_of_area_home_yjs = _text(
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

    trial_attendance = _textarea(
        "Decision on trial attendance and welfare support",
        required=True,
        hint="003 §9.5: does the YJS need to attend the trial in person and/or provide welfare support on "
        "the days of the trial? For a long trial, consider a staffing rota",
        rows=5,
    )
    oversight_on = _date("Date of the decision")

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

    closure_reason = _radios(
        "How did the tracking end?",
        list(END_REASON_LABELS.items()),
        noun="how the tracking ended",
    )
    outcome = _text("Outcome at the Crown Court", hint="For example, Referral Order 9 months, or acquitted")
    ended_on = _date("Date the tracking ended")

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


# ---------------------------------------------------------------------------------------------------
# Magistrates' Court tracking (003 §10, App. C)


class AwaitingHearingForm(GovErrorsMixin, forms.Form):
    """Put a child awaiting a Magistrates' Court hearing on the list (from the 'Future Court' report)."""

    case_number = _text("Case number", max_length=20, hint="The child's case number, for example YJ100123")
    hearing_on = _date("Date of the next hearing")
    court = _text("Magistrates' Court", max_length=120)
    offence = _text("Offence")
    listed_on = _date("Date added to the list")

    def __init__(self, *args, user, **kwargs):
        """Remember who is adding, to find only the children they may see."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("case_number", field_width=10),
            Field("hearing_on"),
            Field.text("court"),
            Field.text("offence"),
            Field("listed_on"),
            Submit("submit", "Add to the list"),
        )

    def clean_case_number(self):
        """A child the user may see; the same message otherwise, so nobody learns who exists."""
        number = self.cleaned_data.get("case_number", "")
        child = selectors.child_by_case_number(user=self.user, case_number=number)
        if child is None:
            raise forms.ValidationError("Enter the case number of a child in your teams")
        self.cleaned_data["child"] = child
        return number

    def clean_listed_on(self):
        """Added to the list today or earlier."""
        return not_in_future(self.cleaned_data.get("listed_on"), "Date added to the list")

    def clean(self):
        """The hearing is on or after the day the child was listed."""
        data = super().clean()
        hearing, listed = data.get("hearing_on"), data.get("listed_on")
        if hearing and listed and hearing < listed:
            self.add_error(
                "hearing_on", "Date of the next hearing must be on or after the date added to the list"
            )
        return data


class ScreenForm(GovErrorsMixin, forms.Form):
    """The App. C questions, the §10.2 circumstances and the decision (003 §10.1-§10.2)."""

    adjournment_over_six_weeks = _yes_no(
        "1. Is there an adjournment of more than six weeks?",
        noun="there is an adjournment of more than six weeks",
    )
    risk_to_others = _yes_no(
        "2. Does the offence indicate a risk to others?", noun="the offence indicates a risk to others"
    )
    no_other_agencies = _yes_no(
        "3. Are there no other agencies involved?", noun="there are no other agencies involved"
    )
    circumstances = _textarea("Circumstances", hint=CIRCUMSTANCES_HINT, rows=4)
    decision = _radios(
        "Decision",
        [
            (AwaitingHearing.Decision.OFFER, "Offer My Futures"),
            (AwaitingHearing.Decision.NO_OFFER, "No offer"),
        ],
        noun="whether to offer My Futures",
    )
    decision_notes = _textarea(
        "Notes on the decision", hint="Needed if your decision differs from what the App. C answers suggest"
    )

    radio_first = {
        "adjournment_over_six_weeks": 1,
        "risk_to_others": 1,
        "no_other_agencies": 1,
        "decision": 1,
    }

    def __init__(self, *args, **kwargs):
        """Lay out App. C in its order."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                Field.radios("adjournment_over_six_weeks", legend_size=Size.SMALL, small=True, inline=True),
                Field.radios("risk_to_others", legend_size=Size.SMALL, small=True, inline=True),
                Field.radios("no_other_agencies", legend_size=Size.SMALL, small=True, inline=True),
                legend="Appendix C questions",
                legend_size=Size.MEDIUM,
            ),
            HTML(
                '<div class="govuk-inset-text" id="app-c-rule">App. C: if yes to question 1 or 2, and yes to '
                "question 3, consider offering My Futures before court. The answers are indicators: you "
                "decide. If there are safety and well-being concerns, refer the child to Children's Social "
                "Care, or tell their social worker if the case is open (003 §10.2).</div>"
            ),
            Field.textarea("circumstances", rows=4),
            Field.radios("decision", legend_size=Size.SMALL, small=True),
            Field.textarea("decision_notes", rows=3),
            Submit("submit", "Save the screening"),
        )

    def clean(self):
        """A decision against App. C's suggestion needs a note (the questions are indicators)."""
        data = super().clean()
        answers = [data.get(n) for n in ("adjournment_over_six_weeks", "risk_to_others", "no_other_agencies")]
        decision = data.get("decision")
        if decision and all(a is not None for a in answers) and not data.get("decision_notes"):
            suggests = selectors.app_c_suggests_offer(
                adjournment=answers[0], risk=answers[1], no_agencies=answers[2]
            )
            if (decision == AwaitingHearing.Decision.OFFER) != suggests:
                word = "an offer" if suggests else "no offer"
                self.add_error(
                    "decision_notes",
                    f"The App. C answers suggest {word}: enter a note explaining your decision",
                )
        return data

    def service_kwargs(self) -> dict:
        """The cleaned answers as awaiting_hearing_screen arguments."""
        data = self.cleaned_data
        return {
            "adjournment_over_six_weeks": data["adjournment_over_six_weeks"],
            "risk_to_others": data["risk_to_others"],
            "no_other_agencies": data["no_other_agencies"],
            "circumstances": data.get("circumstances", ""),
            "decision": data["decision"],
            "decision_notes": data.get("decision_notes", ""),
        }


class RespondForm(GovErrorsMixin, forms.Form):
    """The child's answer to the My Futures offer (003 §10.3)."""

    answer = _radios(
        "Did the child accept the offer of My Futures?",
        [("accepted", "Accepted: start My Futures"), ("declined", "Declined")],
        noun="whether the child accepted",
    )
    responded_on = _date("Date of the answer")
    notes = _textarea("Notes", rows=3)

    radio_first = {"answer": 1}

    def __init__(self, *args, **kwargs):
        """Lay out the fields."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("answer", legend_size=Size.SMALL, small=True),
            Field("responded_on"),
            Field.textarea("notes", rows=3),
            Submit("respond", "Record the answer"),
        )

    def clean_responded_on(self):
        """Records say what has happened: not in the future."""
        return not_in_future(self.cleaned_data.get("responded_on"), "Date of the answer")
