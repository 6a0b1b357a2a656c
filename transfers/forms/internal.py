"""Forms for internal transfers between locality teams (003 §11), GOV.UK patterns through crispy-forms-gds.

No GOV.UK conditional reveals (axe rejects aria-expanded on radios): every field is shown, and a field that
only applies in one case says so in its hint.
"""

from __future__ import annotations

from functools import partial
from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone

from cases.forms.allocation import WorkerChoiceField
from cases.models import Team
from core.forms import GovErrorsMixin, ModelChoiceField, gov_date, gov_radios, gov_textarea, not_in_future

from ..models import MoveTerm

MAX_TEXT = 5000


# The considerations and notes: three rows, up to MAX_TEXT characters.
_textarea = partial(gov_textarea, rows=3, max_length=MAX_TEXT)
# The §11.3 dates may wait until the decision; an error names the date without "(optional)".
HOME_VISIT, REVIEW_ASSESSMENT = "Home visit confirming the new address", "Review assessment completed"


def _helper(*layout, submit: str) -> FormHelper:
    """A crispy helper with the layout and a submit button."""
    helper = FormHelper()
    helper.layout = Layout(*layout, Submit("submit", submit))
    return helper


class TeamChoiceField(ModelChoiceField):
    """A locality team select."""

    def label_from_instance(self, obj):
        """The team's name."""
        return obj.name


class ProposeForm(GovErrorsMixin, forms.Form):
    """Propose an internal transfer with the case-by-case considerations (003 §11.2-§11.3)."""

    to_team = TeamChoiceField(
        label="Locality team to transfer to",
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={
            "required": "Choose the team to transfer to",
            "invalid_choice": "Choose a team from the list",
        },
    )
    new_address = _textarea("New address", hint="Include the post code", required=True)
    move_term = gov_radios(
        "Is the move short or long term?", MoveTerm.choices, noun="whether the move is short or long term"
    )
    time_left = _textarea("Time left on the order or intervention (optional)")
    saw_effect = _textarea(
        "Effect on the child's needs and safety and wellbeing",
        hint="Would they be adversely affected by a change of case manager?",
        required=True,
    )
    rosh_effect = _textarea(
        "Effect on the management of RoSH",
        hint="Would the management of RoSH be undermined by a change of case manager?",
        required=True,
    )
    continuity = _textarea(
        "Continuity and stability (optional)",
        hint="Are other key workers or other parts of the child's life changing too?",
    )
    detriment = _textarea("Would a change of worker be detrimental to progress? (optional)")
    child_views = _textarea(
        "The child's thoughts and feelings about a change of worker",
        hint="What a change would mean for them",
        required=True,
    )
    home_visit_on = gov_date(
        f"{HOME_VISIT} (optional)",
        required=False,
        noun=HOME_VISIT,
        hint="Needed before the manager can endorse the transfer (003 §11.3). For example, 27 3 2026",
    )
    review_assessment_on = gov_date(
        f"{REVIEW_ASSESSMENT} (optional)",
        required=False,
        noun=REVIEW_ASSESSMENT,
        hint="A change of living arrangements is a significant event: needed before endorsement (003 §11.3)",
    )
    enforcement_pending = forms.BooleanField(
        label="Enforcement action is pending",
        required=False,
        help_text="It should be completed before the transfer (003 §11.7)",
    )
    enforcement_notes = _textarea("Enforcement action: details (optional)")

    radio_first = {"move_term": 1}

    def __init__(self, *args, teams, **kwargs):
        """Offer the other locality teams."""
        super().__init__(*args, **kwargs)
        cast(TeamChoiceField, self.fields["to_team"]).queryset = teams
        self.helper = _helper(
            Field.select("to_team"),
            Field.textarea("new_address", rows=3),
            Fieldset(
                Field.radios("move_term", legend_size=Size.SMALL, small=True),
                Field.textarea("time_left", rows=2),
                Field.textarea("saw_effect", rows=3),
                Field.textarea("rosh_effect", rows=3),
                Field.textarea("continuity", rows=3),
                Field.textarea("detriment", rows=3),
                Field.textarea("child_views", rows=4),
                legend="Considerations (003 §11.2)",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("home_visit_on"),
                Field("review_assessment_on"),
                legend="Home visit and review assessment (003 §11.3)",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkbox("enforcement_pending"),
                Field.textarea("enforcement_notes", rows=2),
                legend="Enforcement",
                legend_size=Size.MEDIUM,
            ),
            submit="Propose the transfer",
        )

    def clean_home_visit_on(self):
        """Not in the future."""
        return not_in_future(self.cleaned_data.get("home_visit_on"), HOME_VISIT)

    def clean_review_assessment_on(self):
        """Not in the future."""
        return not_in_future(self.cleaned_data.get("review_assessment_on"), REVIEW_ASSESSMENT)

    def service_kwargs(self) -> dict:
        """The cleaned answers as internal_transfer_propose arguments."""
        return dict(self.cleaned_data)


class DecideForm(GovErrorsMixin, forms.Form):
    """Endorse or decline (003 §11.4), recording the §11.3 dates if they were not given at proposal."""

    DECISIONS = [("endorse", "Endorse the transfer"), ("decline", "Decline the transfer")]

    decision = forms.ChoiceField(
        label="Your decision",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to endorse or decline",
            "invalid_choice": "Choose a decision",
        },
    )
    home_visit_on = gov_date(
        f"{HOME_VISIT} (optional)",
        required=False,
        noun=HOME_VISIT,
        hint="Needed to endorse, unless already recorded (003 §11.3). For example, 27 3 2026",
    )
    review_assessment_on = gov_date(
        f"{REVIEW_ASSESSMENT} (optional)",
        required=False,
        noun=REVIEW_ASSESSMENT,
        hint="Needed to endorse, unless already recorded (003 §11.3)",
    )
    notes = _textarea(
        "Notes", hint="Required when declining: the reasons are recorded on the child's file", rows=4
    )

    radio_first = {"decision": 1}

    def __init__(self, *args, **kwargs):
        """GOV.UK layout."""
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field("home_visit_on"),
            Field("review_assessment_on"),
            Field.textarea("notes", rows=4),
            submit="Record the decision",
        )

    def clean_home_visit_on(self):
        """Not in the future."""
        return not_in_future(self.cleaned_data.get("home_visit_on"), HOME_VISIT)

    def clean_review_assessment_on(self):
        """Not in the future."""
        return not_in_future(self.cleaned_data.get("review_assessment_on"), REVIEW_ASSESSMENT)

    def clean(self):
        """Declining needs reasons."""
        data = super().clean() or {}
        if data.get("decision") == "decline" and not (data.get("notes") or "").strip():
            self.add_error("notes", "Enter the reasons for declining the transfer")
        return data


class ReasonForm(GovErrorsMixin, forms.Form):
    """A reason, for an escalation or a withdrawal."""

    reason = _textarea("Reason", required=True, rows=5)

    def __init__(self, *args, label: str, hint: str = "", submit: str, **kwargs):
        """Name the reason for the page."""
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint
        self.fields["reason"].error_messages["required"] = f"Enter {label[0].lower()}{label[1:]}"
        self.helper = _helper(Field.textarea("reason", rows=5), submit=submit)


class MappaForm(GovErrorsMixin, forms.Form):
    """The MAPPA meeting's endorsement of the transfer (003 §11.5)."""

    endorsed_on = gov_date("Date the MAPPA meeting endorsed the transfer")
    notes = _textarea("Notes (optional)", rows=3)

    def __init__(self, *args, **kwargs):
        """GOV.UK layout."""
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("endorsed_on"), Field.textarea("notes", rows=3), submit="Record the endorsement"
        )

    def clean_endorsed_on(self):
        """Not in the future."""
        return not_in_future(
            self.cleaned_data.get("endorsed_on"), "Date the MAPPA meeting endorsed the transfer"
        )


class AllocateForm(GovErrorsMixin, forms.Form):
    """The receiving team's choice of case manager (003 §11.4), with a rationale for any exception."""

    worker = WorkerChoiceField(
        queryset=None,
        label="New case manager",
        empty_label="Choose a case manager",
        error_messages={
            "required": "Choose the new case manager",
            "invalid_choice": "Choose a case manager from the list",
        },
    )
    reason = _textarea("Reason for the allocation (optional)", rows=3)
    rationale = _textarea(
        "Rationale for any allocation exception (optional)",
        hint="Needed when the worker is over capacity, absent, or the allocation checks otherwise ask for one "
        "(003 §2-§4)",
        rows=3,
    )

    def __init__(self, *args, candidates, workloads, **kwargs):
        """Offer the receiving team's case holders with their workloads (003 §2.1)."""
        super().__init__(*args, **kwargs)
        worker = cast(WorkerChoiceField, self.fields["worker"])
        worker.queryset = candidates
        worker.workloads = workloads
        self.helper = _helper(
            Field.select("worker"),
            Field.textarea("reason", rows=3),
            Field.textarea("rationale", rows=3),
            submit="Allocate",
        )


class MeetingForm(GovErrorsMixin, forms.Form):
    """The three-way meeting (003 §11.7): the formal transfer date, if the child attended."""

    ATTENDED = [
        ("yes", "Yes: the meeting took place with the child"),
        ("no", "No: the child did not attend or the meeting did not take place"),
    ]

    held_on = gov_date("Date of the three-way meeting")
    child_attended = gov_radios(
        "Did the child attend the three-way meeting?",
        ATTENDED,
        noun="whether the child attended the three-way meeting",
        hint="If not, the case has not transferred and the original team stays responsible (003 §11.7)",
    )
    notes = _textarea(
        "Notes (optional)",
        hint="Contact arrangements, work completed to date and outstanding objectives",
        rows=4,
    )
    enforcement_confirmed = forms.BooleanField(
        label="I confirm the pending enforcement action is dealt with",
        required=False,
        help_text="Only when enforcement action was flagged as pending (003 §11.7)",
    )
    enforcement_notes = _textarea(
        "Enforcement action: what was done (optional)",
        hint="Only when enforcement action was flagged as pending",
        rows=2,
    )

    radio_first = {"child_attended": 1}

    def __init__(self, *args, enforcement_pending: bool, **kwargs):
        """Ask about enforcement only when it was flagged."""
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        layout = [
            Field("held_on"),
            Field.radios("child_attended", legend_size=Size.SMALL),
            Field.textarea("notes"),
        ]
        if enforcement_pending:
            layout += [Field.checkbox("enforcement_confirmed"), Field.textarea("enforcement_notes", rows=2)]
        else:
            del self.fields["enforcement_confirmed"]
            del self.fields["enforcement_notes"]
        self.enforcement_pending = enforcement_pending
        self.helper = _helper(*layout, submit="Record the three-way meeting")

    def clean_held_on(self):
        """Not in the future."""
        return not_in_future(self.cleaned_data.get("held_on"), "Date of the three-way meeting")

    def clean(self):
        """With enforcement pending and the child there, the confirmation and a note are needed."""
        data = super().clean() or {}
        if self.enforcement_pending and data.get("child_attended") == "yes":
            if not data.get("enforcement_confirmed"):
                self.add_error(
                    "enforcement_confirmed", "Confirm the pending enforcement action is dealt with"
                )
            if not (data.get("enforcement_notes") or "").strip():
                self.add_error(
                    "enforcement_notes", "Enter what was done about the pending enforcement action"
                )
        return data

    def service_kwargs(self) -> dict:
        """The cleaned answers as internal_transfer_meeting arguments."""
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "child_attended": data["child_attended"] == "yes",
            "notes": data.get("notes", ""),
            "enforcement_confirmed": bool(data.get("enforcement_confirmed")),
            "enforcement_notes": data.get("enforcement_notes", ""),
        }
