"""Optimistic versions in forms (ADR 0009): the hidden version and what is saved now, beside the user's words."""

import datetime
from collections.abc import Iterable
from typing import cast

from crispy_forms_gds.layout import HTML, Field
from django import forms
from django.http import QueryDict
from django.utils import timezone

from .fields import FormMixinBase, parse_id


class VersionedFormMixin(FormMixinBase):
    """A form editing a record more than one person edits (optimistic versions, ADR 0009).

    `versioned(record)` adds the record's version as a hidden field and returns the layout items to put
    first in the helper's layout: the comparison shown after a stale save and the hidden field. The view
    passes `form.version` to the service, which refuses a stale save (core.services.StaleVersion);
    `core.views.service_errors` then calls `show_stale`, so the form comes back with the user's words,
    the words now saved beside them, and the record's new version (saving again is a choice made
    having seen both).
    """

    # (label, what is saved now) for each field whose saved value differs from the user's.
    stale: list[tuple[str, str]] | None = None

    def versioned(self, record) -> list:
        """The hidden version field (the record's version when the form was loaded) and its layout."""
        self.fields["version"] = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
        self.initial["version"] = record.version
        return [HTML('{% include "includes/stale_record.html" %}'), Field("version")]

    @property
    def version(self) -> int | None:
        """The version the form was loaded with; None when none (or nonsense) was sent."""
        return parse_id(self.cleaned_data.get("version"))

    def stale_values(self, record) -> dict[str, object]:
        """The record's saved values, by form field name: the record's attribute of the same name.
        A form whose fields do not map one to one onto the record's overrides this."""
        return {
            name: getattr(record, name) for name in self.fields if name != "version" and hasattr(record, name)
        }

    def show_stale(self, record) -> None:
        """After a stale save: the new version in the hidden field, and what is saved now wherever it
        differs from what the user sent (their words stay in the form)."""
        data = QueryDict(mutable=True)
        for name in self.data:
            data.setlist(
                name, self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data[name]]
            )
        data[self.add_prefix("version")] = str(record.version)
        self.data = data
        self.stale = []
        for name, saved in self.stale_values(record).items():
            field = self.fields[name]
            mine = self.cleaned_data.get(name)
            if _comparable(field, saved) != _comparable(field, mine):
                # A model choice the form no longer offers (a status) still reads as the record's words.
                display = getattr(record, f"get_{name}_display", None)
                words = display() if display and saved == getattr(record, name) else _display(field, saved)
                self.stale.append((str(field.label or name), words))


def _comparable(field: forms.Field, value) -> object:
    """A value as the form would hold it, to compare what is saved with what was sent."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    if isinstance(field, forms.ModelChoiceField) and hasattr(value, "pk"):
        return value.pk
    return value


def _display(field: forms.Field, value) -> str:
    """A saved value as words: a choice's label, Yes or No, a date, or "Not given"."""
    if value is None or value == "":
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%-d %B %Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    # A model choice is shown by its str() (no query for the field's choices); a plain choice by its label.
    choices: dict = {}
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = dict(cast("Iterable", field.choices))
    if isinstance(value, list | tuple | set):
        return "; ".join(str(choices.get(v, v)) for v in value) or "Not given"
    return str(choices.get(value, value))
