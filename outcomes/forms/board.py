"""The management board's meeting (KPI 7): each statutory partner's attendance and data."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from core.forms import (
    GovErrorsMixin,
    gov_radios,
    not_in_future,
)

from ..models import (
    BoardAttendance,
)
from .base import (
    date_field,
    notes_field,
)

# ---------------------------------------------------------------------------------------------------
# The management board

PARTNERS = BoardAttendance.Partner.choices
ATTENDANCE = [
    ("absent", "Did not attend"),
    ("attended", "Attended"),
    ("senior", "Attended, by someone senior enough to commit resources"),
]


class BoardMeetingForm(GovErrorsMixin, forms.Form):
    """A management board meeting (KPI 7): the date, each statutory partner's attendance and data, notes."""

    held_on = date_field("Date of the meeting")
    notes = notes_field

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parts: list[Any] = [Field("held_on")]
        for partner, label in PARTNERS:
            self.fields[f"{partner}_attendance"] = gov_radios(
                label, ATTENDANCE, noun=f"whether {label.lower()} attended"
            )
            self.fields[f"{partner}_data"] = forms.BooleanField(
                label=f"{label} brought their agency's data", required=False
            )
            parts.append(
                Fieldset(
                    Field.radios(f"{partner}_attendance", legend_size=Size.SMALL),
                    Field.checkbox(f"{partner}_data"),
                )
            )
        parts += [Field.textarea("notes"), Submit("submit", "Save meeting")]
        self.helper = FormHelper()
        self.helper.layout = Layout(*parts)

    def clean_held_on(self):
        """Not in the future."""
        return not_in_future(self.cleaned_data.get("held_on"), "Date of the meeting")

    def clean(self):
        """Data is brought by a partner who attended."""
        super().clean()
        for partner, label in PARTNERS:
            if (
                self.cleaned_data.get(f"{partner}_data")
                and self.cleaned_data.get(f"{partner}_attendance") == "absent"
            ):
                self.add_error(f"{partner}_data", f"{label} did not attend, so brought no data")
        return self.cleaned_data

    def attendance(self) -> dict[str, dict]:
        """Each partner's attendance for the service."""
        out = {}
        for partner, _ in PARTNERS:
            answer = self.cleaned_data[f"{partner}_attendance"]
            out[partner] = {
                "attended": answer != "absent",
                "senior": answer == "senior",
                "contributed_data": bool(self.cleaned_data.get(f"{partner}_data")),
            }
        return out

    @staticmethod
    def initial_for(meeting) -> dict:
        """A stored meeting as the form's starting values."""
        initial: dict[str, Any] = {"held_on": meeting.held_on, "notes": meeting.notes}
        for row in meeting.attendance.all():
            initial[f"{row.partner}_attendance"] = (
                "senior" if row.attended and row.senior else "attended" if row.attended else "absent"
            )
            initial[f"{row.partner}_data"] = row.contributed_data
        return initial
