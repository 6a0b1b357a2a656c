"""Forms for out-of-court and My Future oversight (001 §6.3, §6.4; 000 §3, §5): who holds oversight, asking
for the AP's closure checks, and the AP's review of them. GOV.UK patterns through crispy-forms-gds."""

import datetime
from functools import partial

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from cases.models import Role
from core.forms import (
    FormMixinBase,
    GovErrorsMixin,
    choice_field,
    gov_date,
    gov_textarea,
    gov_time,
    gov_yes_no,
    not_in_future,
)

from ..selectors import oocd as selectors

MAX_TEXT = 5000


# Notes for the AP are shorter than a record's sections; four rows.
_textarea = partial(gov_textarea, rows=4, max_length=MAX_TEXT)


def _programme_choices(programmes) -> list:
    """Each open OOC / My Future programme as a radio, with its start date as the hint."""
    return [
        Choice(str(p.pk), p.get_kind_display(), hint=f"Started {p.start_date:%-d %B %Y}") for p in programmes
    ]


class _ProgrammeMixin(FormMixinBase):
    """A radio for the child's open OOC / My Future programme, preselected when there is only one."""

    def _setup_programme(self, programmes) -> None:
        """Offer these programmes; preselect the only one."""
        self.programmes = {str(p.pk): p for p in programmes}
        choice_field(self, "programme").choices = _programme_choices(programmes)
        if len(programmes) == 1 and not self.is_bound:
            self.initial.setdefault("programme", str(programmes[0].pk))

    def clean_programme(self):
        """The programme chosen, as the object."""
        return self.programmes[self.cleaned_data["programme"]]


def _programme_field() -> forms.ChoiceField:
    """The programme radios (choices set per form by `_setup_programme`)."""
    return forms.ChoiceField(
        label="Which programme?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the programme", "invalid_choice": "Choose the programme"},
    )


class OversightHolderForm(_ProgrammeMixin, GovErrorsMixin, forms.Form):
    """Who holds management oversight, when it was decided and why (001 §6.3, 000 §3.6)."""

    programme = _programme_field()
    holder = forms.ChoiceField(
        label="Who holds oversight?",
        widget=forms.RadioSelect,
        help_text="Usually the locality advanced practitioner; the team manager where risk, complexity or "
        "concern call for it (001 §6.3)",
        error_messages={
            "required": "Choose who holds oversight",
            "invalid_choice": "Choose a team manager or advanced practitioner of the child's team",
        },
    )
    decided_on = gov_date("Date of the decision")
    decided_time = gov_time("Time of the decision", required=True, noun="time of the decision")
    significant = gov_yes_no(
        "Is this a significant case decision or urgent matter?",
        noun="the decision is significant",
        hint="A significant decision is recorded within 24 hours (002)",
    )
    reason = _textarea(
        "Reason for the decision",
        required=True,
        hint="The level of risk, complexity and concern behind it (001 §6.3)",
        noun="the reason for the decision",
    )

    def __init__(self, *args, child, programmes, current=None, **kwargs):
        """Offer the child's open programmes and the team's TMs and APs; the current holder preselected."""
        super().__init__(*args, **kwargs)
        self._setup_programme(programmes)
        self.candidates = {str(u.pk): u for u in selectors.holder_candidates(child=child)}
        choice_field(self, "holder").choices = [
            Choice(
                pk,
                f"{u.get_full_name() or u.username} ({u.get_role_display()})",
                hint="The default: the locality AP (001 §6.3)"
                if u.role == Role.ADVANCED_PRACTITIONER
                else "",
            )
            for pk, u in self.candidates.items()
        ]
        if not self.is_bound:
            if current is not None and current.holder is not None:
                self.initial.setdefault("holder", str(current.holder.pk))
            now = timezone.localtime()
            self.initial.setdefault("decided_on", now.date())
            self.initial.setdefault("decided_time", now.strftime("%H:%M"))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("programme", legend_size=Size.SMALL, small=True),
            Field.radios("holder", legend_size=Size.SMALL, small=True),
            Field("decided_on"),
            Field.text("decided_time", field_width=5),
            Field.radios("significant", legend_size=Size.SMALL, inline=True),
            Field.textarea("reason", rows=4),
            Submit("submit", "Record the decision"),
        )

    def clean_holder(self):
        """The person chosen, as the user."""
        return self.candidates[self.cleaned_data["holder"]]

    def clean_decided_on(self):
        """A decision that has been made: not in the future."""
        return not_in_future(self.cleaned_data.get("decided_on"), "Date of the decision")

    def clean(self):
        """Date and time make the moment of the decision, which cannot be later than now."""
        super().clean()
        data = self.cleaned_data
        day, time = data.get("decided_on"), data.get("decided_time")
        if day and time:
            at = timezone.make_aware(datetime.datetime.combine(day, time))
            if at > timezone.now():
                self.add_error("decided_time", "The time of the decision must be in the past")
            else:
                data["decided_at"] = at
        return data

    def service_kwargs(self) -> dict:
        """The arguments of services.oocd.oversight_holder_set."""
        data = self.cleaned_data
        return {
            "programme": data["programme"],
            "holder": data["holder"],
            "decided_at": data["decided_at"],
            "reason": data["reason"],
            "significant": data["significant"],
        }


class ClosureRequestForm(_ProgrammeMixin, GovErrorsMixin, forms.Form):
    """The worker asks the AP for the closure checks (001 §6.3 "the YJS worker will email the AP")."""

    programme = _programme_field()
    note = _textarea(
        "Note for the AP",
        hint="For example, the intervention ended on 3 March and the review assessment is attached",
    )

    def __init__(self, *args, programmes, **kwargs):
        """Offer the child's open OOC / My Future programmes."""
        super().__init__(*args, **kwargs)
        self._setup_programme(programmes)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("programme", legend_size=Size.SMALL, small=True),
            Field.textarea("note", rows=4),
            Submit("submit", "Ask for the closure checks"),
        )


class ClosureReviewForm(GovErrorsMixin, forms.Form):
    """The AP's closure checks (000 §3.5, §5.3; 001 §6.3): the checklist, a note, approve or return."""

    checks = forms.MultipleChoiceField(
        label="Which closure checks are done?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Every check must be done before the case can be closed.",
        error_messages={"invalid_choice": "Choose closure checks from the list"},
    )
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Approve: business support may close the case"),
            ("return", "Return to the worker: something is still needed"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to approve the closure or return it",
            "invalid_choice": "Choose whether to approve the closure or return it",
        },
    )
    note = _textarea(
        "Note",
        hint="Needed when you return the checks: say what is still needed",
        noun="a note saying what is still needed",
    )

    def __init__(self, *args, check, **kwargs):
        """The checklist with the model's labels; what is already ticked preselected."""
        super().__init__(*args, **kwargs)
        labels = selectors.closure_check_labels()
        choice_field(self, "checks").choices = [
            (name, label[:1].upper() + label[1:]) for name, label in labels.items()
        ]
        if not self.is_bound:
            self.initial.setdefault("checks", [name for name in labels if getattr(check, name)])
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.checkboxes("checks", legend_size=Size.SMALL, small=True),
            Field.radios("decision", legend_size=Size.SMALL, small=True),
            Field.textarea("note", rows=4),
            Submit("submit", "Save the closure checks"),
        )

    def clean(self):
        """Approving needs every check (named if missing); returning needs a note."""
        super().clean()
        data = self.cleaned_data
        ticked = set(data.get("checks") or [])
        if data.get("decision") == "approve" and "checks" not in self.errors:
            labels = selectors.closure_check_labels()
            missing = [labels[name] for name in selectors.CLOSURE_CHECKS if name not in ticked]
            if missing:
                self.add_error(
                    "checks",
                    "Complete every closure check before approving. Not yet done: " + "; ".join(missing),
                )
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", "Enter a note saying what is still needed")
        return data

    def service_kwargs(self) -> dict:
        """The arguments of services.oocd.closure_check_review."""
        data = self.cleaned_data
        ticked = set(data.get("checks") or [])
        return {
            "decision": data["decision"],
            "note": data.get("note", ""),
            **{name: name in ticked for name in selectors.CLOSURE_CHECKS},
        }
