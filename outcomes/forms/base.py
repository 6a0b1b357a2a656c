"""The KPI fact forms' shared parts (issue 21): the field helpers, a record's form and a dated record's."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.db import models

from cases.models import Child
from core.forms import (
    NOTE_TEXT,
    GovDateField,
    GovErrorsMixin,
    ModelChoiceField,
    gov_textarea,
    not_in_future,
    yes_no_initial,
)

from ..models import (
    Offence,
)

UNKNOWN = "unknown"


def date_field(label: str, *, required: bool = True, hint: str = "For example, 27 3 2026") -> GovDateField:
    return GovDateField(
        label=label, noun=label.removesuffix(" (optional)"), required=required, help_text=hint
    )


def hours_field(label: str) -> forms.DecimalField:
    noun = label.removesuffix(" (optional)")
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=60,
        max_digits=4,
        decimal_places=1,
        help_text="In hours a week, for example 25 or 12.5",
        error_messages={
            "invalid": f"{noun} must be a number, like 25 or 12.5",
            "min_value": f"{noun} must be 0 or more",
            "max_value": f"{noun} must be 60 or fewer",
            "max_digits": f"{noun} must be 60 or fewer",
            "max_decimal_places": f"{noun} must have at most one decimal place, like 12.5",
            "max_whole_digits": f"{noun} must be 60 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


def yes_no_unknown_field(label: str, *, noun: str, unknown: str, hint: str = "") -> forms.TypedChoiceField:
    """Yes, No or not known yet (stored as None)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No"), (UNKNOWN, unknown)],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": f"Choose whether {noun}", "invalid_choice": f"Choose whether {noun}"},
    )


def initial_yes_no_unknown(value: bool | None) -> str:
    return UNKNOWN if value is None else ("yes" if value else "no")


notes_field = gov_textarea("Notes (optional)", max_length=NOTE_TEXT, error_label="Notes")


class RecordForm(GovErrorsMixin, forms.Form):
    """What every KPI fact's form shares: the layout, the values for the service and the initial values."""

    model: type[models.Model]
    yes_no: tuple[str, ...] = ()  # boolean fields shown as Yes/No radios
    yes_no_unknown: tuple[str, ...] = ()  # nullable boolean fields with "not known yet"
    submit_label = "Save"

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        for name in ("programme", "offence"):
            if name in self.fields:
                field = cast(ModelChoiceField, self.fields[name])
                field.queryset = (
                    child.programmes.order_by("-start_date", "-pk")
                    if name == "programme"
                    else Offence.objects.filter(child=child).order_by("-committed_on", "-pk")
                )
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.layout(), Submit("submit", self.submit_label))

    def layout(self) -> list:
        """Each field as its GOV.UK component."""
        parts: list[Any] = []
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect):
                inline = name in self.yes_no or name in self.yes_no_unknown
                parts.append(Field.radios(name, legend_size=Size.SMALL, inline=inline))
            elif isinstance(field.widget, forms.Textarea):
                parts.append(Field.textarea(name))
            elif isinstance(field.widget, forms.Select):
                parts.append(Field.select(name))
            elif isinstance(field, forms.DecimalField):
                parts.append(Field.text(name, field_width=4))
            else:
                parts.append(Field(name))
        return parts

    @classmethod
    def initial_for(cls, record: models.Model) -> dict:
        """The stored record as the form's starting values."""
        initial: dict[str, Any] = {}
        for name in cls.base_fields:
            value = getattr(record, f"{name}_id" if name in ("programme", "offence") else name)
            if name in cls.yes_no:
                value = yes_no_initial(value)
            elif name in cls.yes_no_unknown:
                value = initial_yes_no_unknown(value)
            initial[name] = value
        return initial

    def values(self) -> dict:
        """The cleaned values as the model's fields."""
        data = dict(self.cleaned_data)
        for name in ("programme", "offence"):
            if name in data:
                data[f"{name}_id"] = data.pop(name).pk if data[name] is not None else None
        for name in self.fields:
            if isinstance(self.fields[name], forms.CharField) and data.get(name) is None:
                data[name] = ""
        return data

    def _not_future(self, name: str):
        value = self.cleaned_data.get(name)
        return not_in_future(value, cast(GovDateField, self.fields[name]).noun)


class DatedForm(RecordForm):
    """From and until dates: a record that holds from one day (until another, once it stops)."""

    def clean_from_date(self):
        """Not in the future (records say what has happened)."""
        return self._not_future("from_date")
