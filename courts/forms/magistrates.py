"""Forms for Magistrates' Court tracking (003 §10, App. C): adding a child to the court lead's list, the
App. C screening (§10.1-§10.2) and the child's answer to the My Futures offer (§10.3)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms

from core.forms import GovErrorsMixin, gov_date, gov_radios, gov_text, gov_yes_no, not_in_future

from ..models import AwaitingHearing
from ..selectors import tracking as selectors
from . import court_textarea

# 003 §10.2: circumstances where a child may be offered an intervention.
CIRCUMSTANCES_HINT = (
    "003 §10.2: a significant wait for the hearing and support needed to avoid offending meanwhile "
    "(including CCE-related offending); difficulties (for example learning, or speech and language) "
    "where support would help them understand and attend hearings; a risk of harm or to safety and "
    "well-being that needs the YJS's intervention or oversight"
)


class AwaitingHearingForm(GovErrorsMixin, forms.Form):
    """Put a child awaiting a Magistrates' Court hearing on the list (from the 'Future Court' report)."""

    case_number = gov_text(
        "Case number",
        max_length=20,
        noun="the case number",
        hint="The child's case number, for example YJ100123",
    )
    hearing_on = gov_date("Date of the next hearing")
    court = gov_text("Magistrates' Court", max_length=120, noun="the magistrates' Court")
    offence = gov_text("Offence", noun="the offence")
    listed_on = gov_date("Date added to the list")

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
        super().clean()
        data = self.cleaned_data
        hearing, listed = data.get("hearing_on"), data.get("listed_on")
        if hearing and listed and hearing < listed:
            self.add_error(
                "hearing_on", "Date of the next hearing must be on or after the date added to the list"
            )
        return data


class ScreenForm(GovErrorsMixin, forms.Form):
    """The App. C questions, the §10.2 circumstances and the decision (003 §10.1-§10.2)."""

    adjournment_over_six_weeks = gov_yes_no(
        "1. Is there an adjournment of more than six weeks?",
        noun="there is an adjournment of more than six weeks",
        verb="Answer",
    )
    risk_to_others = gov_yes_no(
        "2. Does the offence indicate a risk to others?",
        noun="the offence indicates a risk to others",
        verb="Answer",
    )
    no_other_agencies = gov_yes_no(
        "3. Are there no other agencies involved?", noun="there are no other agencies involved", verb="Answer"
    )
    circumstances = court_textarea("Circumstances", hint=CIRCUMSTANCES_HINT, rows=4)
    decision = gov_radios(
        "Decision",
        [
            (AwaitingHearing.Decision.OFFER, "Offer My Futures"),
            (AwaitingHearing.Decision.NO_OFFER, "No offer"),
        ],
        noun="whether to offer My Futures",
    )
    decision_notes = court_textarea(
        "Notes on the decision", hint="Needed if your decision differs from what the App. C answers suggest"
    )

    radio_first = {
        "adjournment_over_six_weeks": 1,
        "risk_to_others": 1,
        "no_other_agencies": 1,
        "decision": 1,
    }

    def __init__(self, *args, on_programme: str = "", **kwargs):
        """Lay out App. C in its order. `on_programme`: why My Futures is not offered to a child already on
        a programme (the selectors' message), or blank."""
        super().__init__(*args, **kwargs)
        self.on_programme = on_programme
        if on_programme:
            self.fields[
                "decision"
            ].help_text = (
                "Already on a programme: My Futures is not offered (it would be a second, parallel programme)"
            )
            self.fields["decision_notes"].help_text = "Optional"
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
        super().clean()
        data = self.cleaned_data
        answers = [data.get(n) for n in ("adjournment_over_six_weeks", "risk_to_others", "no_other_agencies")]
        decision = data.get("decision")
        if self.on_programme:
            if decision == AwaitingHearing.Decision.OFFER:
                self.add_error("decision", self.on_programme)
            return data
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

    answer = gov_radios(
        "Did the child accept the offer of My Futures?",
        [("accepted", "Accepted: start My Futures"), ("declined", "Declined")],
        noun="whether the child accepted",
    )
    responded_on = gov_date("Date of the answer")
    notes = court_textarea("Notes", rows=3)

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
