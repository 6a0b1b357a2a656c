"""Forms for leave and cover (003 §7)."""

from __future__ import annotations

from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout
from django import forms

from core.forms import ModelChoiceField, gov_textarea, not_in_future

from .allocation import date_field


def _helper(*layout) -> FormHelper:
    """A GOV.UK helper without its own <form> tag: templates hold the form and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


class WorkerField(ModelChoiceField):
    """A staff select showing name and role."""

    def label_from_instance(self, obj):
        """The worker with their role."""
        return f"{obj} – {obj.get_role_display()}"


class PlannedLeaveForm(forms.Form):
    """Step 1 of planned leave: whose, and the dates (003 §7.1)."""

    worker = WorkerField(
        queryset=None,
        label="Whose leave is it?",
        empty_label="Choose a member of staff",
        error_messages={
            "required": "Choose whose leave it is",
            "invalid_choice": "Choose someone from the list",
        },
    )
    start_date = date_field("First day of leave")
    end_date = date_field("Last day of leave")
    notes = gov_textarea("Notes (optional)", rows=2, max_length=2000, error_label="Notes")

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        cast(WorkerField, self.fields["worker"]).queryset = workers
        self.helper = _helper(
            Field.select("worker"), Field("start_date"), Field("end_date"), Field.textarea("notes")
        )

    def clean(self):
        """The leave ends on or after its first day."""
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day of leave must be on or after the first day")
        return data


class CoverForm(forms.Form):
    """Step 2 of planned leave: for each case the worker holds, who leads on it and what is expected."""

    def __init__(self, *args, children, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        # The candidates are read once and shared by every case's select (one query, not one per case).
        self.people = {str(u.pk): u for u in candidates}
        choices = [("", "Choose a cover worker")] + [
            (pk, f"{u} – {u.get_role_display()}") for pk, u in self.people.items()
        ]
        layout = []
        for child in self.children:
            name = f"{child.initials} ({child.case_number})"
            self.fields[f"cover_{child.pk}"] = forms.TypedChoiceField(
                choices=choices,
                coerce=self.people.get,
                label="Cover worker",
                error_messages={
                    "required": f"Choose who will lead on {name} during the leave",
                    "invalid_choice": f"Choose a cover worker for {name} from the list",
                },
            )
            self.fields[f"arrangements_{child.pk}"] = gov_textarea(
                "Cover arrangements and anticipated interventions",
                hint="Planned contacts and work to be done during the leave, and how the child or "
                "family will be told who is covering.",
                required=True,
                rows=3,
                max_length=2000,
                noun=f"the cover arrangements and anticipated interventions for {name}",
                error_label=f"Arrangements for {name}",
            )
            layout.append(
                Fieldset(
                    Field.select(f"cover_{child.pk}"),
                    Field.textarea(f"arrangements_{child.pk}"),
                    legend=f"{child.full_name} ({child.case_number})",
                    legend_size="m",
                )
            )
        self.helper = _helper(*layout)

    def covers(self):
        """[(child, cover worker, arrangements)] from the cleaned data."""
        return [
            (c, self.cleaned_data[f"cover_{c.pk}"], self.cleaned_data[f"arrangements_{c.pk}"])
            for c in self.children
        ]


class UnplannedLeaveForm(forms.Form):
    """Unplanned leave (for example sickness), recorded by the worker's manager (003 §7.2)."""

    worker = WorkerField(
        queryset=None,
        label="Who is absent?",
        empty_label="Choose a member of staff",
        error_messages={"required": "Choose who is absent", "invalid_choice": "Choose someone from the list"},
    )
    start_date = date_field("First day of absence")
    notes = gov_textarea("Notes (optional)", rows=3, max_length=2000, error_label="Notes")

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        cast(WorkerField, self.fields["worker"]).queryset = workers
        self.helper = _helper(Field.select("worker"), Field("start_date"), Field.textarea("notes"))

    def clean_start_date(self):
        """Unplanned leave has already started."""
        return not_in_future(self.cleaned_data["start_date"], "First day of absence")


class CasesReviewedForm(forms.Form):
    """The manager's first-week review of the absent worker's cases (003 §7.2)."""

    reviewed_on = date_field("Date the cases were reviewed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("reviewed_on"))

    def clean_reviewed_on(self):
        """Records say what has happened."""
        return not_in_future(self.cleaned_data["reviewed_on"], "Date the cases were reviewed")


class ReallocationConsideredForm(forms.Form):
    """The two-week decision whether to reallocate the absent worker's caseload (003 §7.2)."""

    considered_on = date_field("Date reallocation was considered")
    decision = gov_textarea(
        "Decision",
        hint="Whether the cases will be reallocated and why, and the timescales set for updating or "
        "reviewing plans and assessments.",
        required=True,
        rows=4,
        max_length=4000,
        noun="the decision about reallocation",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("considered_on"), Field.textarea("decision"))

    def clean_considered_on(self):
        """Records say what has happened."""
        return not_in_future(self.cleaned_data["considered_on"], "Date reallocation was considered")


class ReturnForm(forms.Form):
    """The absent worker is back at work."""

    returned_on = date_field("Date the worker returned")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("returned_on"))

    def clean_returned_on(self):
        """Records say what has happened."""
        return not_in_future(self.cleaned_data["returned_on"], "Date the worker returned")
