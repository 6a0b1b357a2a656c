"""GOV.UK form parts every form shares: the date field, text with a length limit the server checks (the GOV.UK
character count, never a browser `maxlength` that silently cuts a paste), model choices that refuse ids no
database holds, and the error summary's links."""

import datetime
from typing import TYPE_CHECKING, Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.templatetags.crispy_forms_gds import field_errors
from django import forms
from django.core.validators import RegexValidator
from django.db.models import IntegerField
from django.forms.boundfield import BoundField
from django.utils import timezone

# The rules module reads dates in 1900-2199 (timescales.md); a record needs a plausible year.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099


class GovDateField(DateInputField):
    """A GOV.UK date input whose errors name the date ("Start date must be a real date")."""

    def __init__(self, *, label: str, noun: str, required: bool = True, **kwargs):
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        self.set_noun(noun)

    def set_noun(self, noun: str) -> None:
        """Name the date in every message (per form instance: validators are replaced, not changed)."""
        self.noun = noun
        self.error_messages.update(
            {"required": f"Enter the {noun.lower()}", "incomplete": f"Enter the {noun.lower()}"}
        )
        for part, name in zip(self.fields, ("day", "month", "year"), strict=True):
            part.error_messages["incomplete"] = f"{noun} must include a {name}"
            part.validators = [RegexValidator(r"^[0-9]+$", f"{noun} must be a real date")]

    def compress(self, data_list):
        """A real date in a plausible year, or a GOV.UK error naming the date."""
        try:
            value = super().compress(data_list)
        except (forms.ValidationError, OverflowError):  # OverflowError: a year like 99999999999999999999
            raise forms.ValidationError(f"{self.noun} must be a real date", code="invalid") from None
        if value and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise forms.ValidationError(
                f"{self.noun} must be between {EARLIEST_YEAR} and {LATEST_YEAR}", code="invalid"
            )
        return value


if TYPE_CHECKING:
    # A form mixin is always combined with a Django form: the type checker sees it as one (its `fields`,
    # `cleaned_data`, `add_error`...); at runtime it stays a plain mixin.
    FormMixinBase = forms.BaseForm
else:
    FormMixinBase = object


# The largest id a database integer key holds (PostgreSQL bigint, SQLite INTEGER): a larger one is no record.
MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))


def parse_id(value: object) -> int | None:
    """A record's id from text a browser sent: plain ASCII digits within a database integer, else None.

    (`str.isdigit` is not enough: "²" and "١" are digits to it, and `int("²")` raises; a string of 5,000
    nines is beyond any integer column and beyond `int()`'s default limit.)"""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_ID_DIGITS:
        return None
    number = int(text)
    return number if number <= MAX_ID else None


INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


def _integer_key(queryset, to_field_name: str | None) -> bool:
    """Whether the model choice is keyed by an integer column (the id, by default)."""
    model = queryset.model
    field = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
    return isinstance(field, IntegerField)


class ModelChoiceField(forms.ModelChoiceField):
    """A model choice that refuses, as a form error, an id no integer column can hold ("-1" is fine: it
    is simply not a choice; "9223372036854775808", "0x41" or "²" never reach the database).

    Use it, not Django's, for every model choice (tests/test_fuzz.py checks): its message never repeats
    what was sent, so a 100,000-character value does not come back in the error summary."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, **kwargs)
        self.error_messages.setdefault("invalid_choice", INVALID_CHOICE)
        if "%(value)s" in str(self.error_messages["invalid_choice"]):
            self.error_messages["invalid_choice"] = INVALID_CHOICE

    def to_python(self, value):
        """None for nothing; an id that cannot be a record is an invalid choice."""
        if value in self.empty_values:
            return None
        queryset = self.queryset
        if queryset is not None and isinstance(value, queryset.model):
            return value
        if queryset is not None and _integer_key(queryset, self.to_field_name) and parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Model choices (checkboxes) that refuse, as a form error, ids no integer column can hold. Django's
    own passes "9223372036854775808" to the database, which raises OverflowError on SQLite (a 500)."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, **kwargs)
        for key in ("invalid_choice", "invalid_pk_value"):
            message = str(self.error_messages.get(key, ""))
            if not message or "%(value)s" in message or "%(pk)s" in message:
                self.error_messages[key] = INVALID_CHOICE

    def _check_values(self, value):
        """Every id plausible before the query."""
        if self.queryset is not None and _integer_key(self.queryset, self.to_field_name):
            for pk in value:
                if parse_id(pk) is None:
                    raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)  # type: ignore[misc]  # Django's, not in the stubs


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, to set its choices per form (`form.fields` holds plain Fields)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"The field {name!r} is a {type(field).__name__}, not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's model choice field `name`, to set its queryset per form."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"The field {name!r} is a {type(field).__name__}, not a model choice field")
    return field


class GovErrorsMixin(FormMixinBase):
    """Error summary links that reach the input itself: the first radio, or the date part at fault.

    `radio_first` maps a radio field to the index of its first input's id (crispy-forms-gds numbers
    plain radios from 1 and conditional radios from 0).
    """

    radio_first: dict[str, int] = {}

    def error_links(self) -> list[tuple[str, str]]:
        """(href, message) for each error, in the order the fields appear."""
        fields = list(self.visible_fields())
        # An ErrorList yields each error's message (a str, or a lazy translation): str() makes it text.
        links = [(f"#{fields[0].auto_id}" if fields else "#", str(e)) for e in self.non_field_errors()]
        for bound in fields:
            if not bound.errors:
                continue
            if isinstance(bound.field.widget, forms.RadioSelect):
                href = f"#{bound.auto_id}_{self.radio_first.get(bound.name, 1)}"
                links.extend((href, str(e)) for e in bound.errors)
            else:
                # A date's own error ("Enter the date") points at its day input, as GOV.UK asks.
                first = f"{bound.auto_id}_0" if hasattr(bound.field, "fields") else bound.auto_id
                links.extend(
                    (f"#{first if key == bound.auto_id else key}", e)
                    for key, errors in field_errors(bound)
                    for e in errors
                )
        return links

    def drop_errors(self, name: str) -> None:
        """Forget the errors of a field that does not apply (including a date's per-part errors)."""
        self.errors.pop(name, None)
        for part in getattr(self.fields[name], "fields", ()):
            part.widget.errors = []


def not_in_future(value: datetime.date | None, noun: str) -> datetime.date | None:
    """Refuse a date after today (records say what has happened)."""
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{noun} must be today or in the past")
    return value


# Times are typed, not picked: 14:30, 14.30 or 1430.
TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


class CharacterCountBoundField(BoundField):
    """A text field shown with the GOV.UK character count: the input carries the component's class and
    is described by its count message (`<id>-info`, rendered by templates/gds/field.html)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not self.auto_id or widget.is_hidden:
            return attrs
        classes = str(attrs.get("class") or widget.attrs.get("class") or "").split()
        if "govuk-js-character-count" not in classes:
            attrs["class"] = " ".join([*classes, "govuk-js-character-count"])
        described = str(attrs.get("aria-describedby") or widget.attrs.get("aria-describedby") or "").split()
        info = f"{self.auto_id}-info"
        if info not in described:
            attrs["aria-describedby"] = " ".join([*described, info])
        return attrs


class GovCharField(forms.CharField):
    """Text whose length the server checks, with a GOV.UK message ("Summary must be 200 characters or
    fewer"), and which the browser never cuts: no `maxlength` attribute, so a paste over the limit
    arrives whole, is refused, and comes back whole for the user to shorten.

    `character_count` shows the GOV.UK character count (templates/gds/field.html renders the wrapper
    and the count message; govuk-frontend's initAll starts it). A browser sends a new line as CRLF but
    counts it as one character, so new lines are made LF before the length is checked (and stored)."""

    def __init__(self, *, max_length: int, character_count: bool = False, **kwargs):
        self.character_count = max_length if character_count else None
        if character_count:
            kwargs.setdefault("bound_field_class", CharacterCountBoundField)
        super().__init__(max_length=max_length, **kwargs)
        if "max_length" not in (kwargs.get("error_messages") or {}) and self.label:
            label = str(self.label).removesuffix(" (optional)")
            self.error_messages["max_length"] = f"{label} must be {max_length:,} characters or fewer"

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value

    def widget_attrs(self, widget):
        """Django's attributes less `maxlength` (which silently cuts what is pasted)."""
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class UncutMixin:
    """A field whose length the server checks and the browser never cuts (no `maxlength` attribute)."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)  # type: ignore[misc]
        attrs.pop("maxlength", None)
        return attrs


class GovEmailField(UncutMixin, forms.EmailField):
    """An email address whose length the server checks (a browser `maxlength` would cut it)."""


class GovURLField(UncutMixin, forms.URLField):
    """A web address whose length the server checks (a browser `maxlength` would cut it)."""


def length_messages(label: str, max_length: int, noun: str = "") -> dict[str, str]:
    """ "Enter <noun>" and "<Label> must be N characters or fewer" (the GOV.UK wording)."""
    noun = noun or f"{label[0].lower()}{label[1:]}"
    return {"required": f"Enter {noun}", "max_length": f"{label} must be {max_length:,} characters or fewer"}


# Limits for free text: a short answer, a note, a narrative (several pages).
SHORT_TEXT, NOTE_TEXT, LONG_TEXT = 200, 5000, 10000


def gov_textarea(
    label: str,
    *,
    hint: str = "",
    required: bool = False,
    rows: int = 5,
    max_length: int = LONG_TEXT,
    noun: str = "",
    error_label: str = "",
) -> GovCharField:
    """A GOV.UK textarea with the character count: its limit is shown as the user types and checked by
    the server; "Enter <noun>" when it is missing (the noun defaults to the label with a lower-case
    first letter). `error_label` names it in the length error when the label is a question."""
    messages = length_messages(error_label or label, max_length, noun or f"{label[0].lower()}{label[1:]}")
    return GovCharField(
        label=label,
        required=required,
        max_length=max_length,
        character_count=True,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=messages,
    )


def gov_time(label: str, *, required: bool, noun: str) -> forms.TimeField:
    """A 24-hour time typed as HH:MM, beside a GOV.UK date input."""
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=TIME_FORMATS,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": f"Enter the {noun}", "invalid": "Enter a real time, like 14:30"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


DATE_HINT = "For example, 27 3 2026"
YES_NO = [("yes", "Yes"), ("no", "No")]


def gov_text(
    label: str,
    *,
    max_length: int = SHORT_TEXT,
    required: bool = True,
    hint: str = "",
    noun: str = "",
    count: bool = False,
    error_label: str = "",
    **kwargs: Any,
) -> GovCharField:
    """A GOV.UK text input whose errors name it ("Enter <noun>"; the noun defaults to the label with a
    lower-case first letter) and state its length limit, checked by the server (`count`: with the
    GOV.UK character count)."""
    return GovCharField(
        label=label,
        required=required,
        max_length=max_length,
        character_count=count,
        help_text=hint,
        strip=True,
        error_messages=length_messages(error_label or label, max_length, noun),
        **kwargs,
    )


def gov_radios(label: str, choices, *, noun: str, hint: str = "", verb: str = "Choose") -> forms.ChoiceField:
    """GOV.UK radios whose errors say what to choose ("Choose <noun>")."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": f"{verb} {noun}", "invalid_choice": f"{verb} {noun}"},
    )


def gov_yes_no(label: str, *, noun: str, hint: str = "", verb: str = "Choose") -> forms.TypedChoiceField:
    """Yes or No as GOV.UK radios, coerced to a bool ("Choose whether <noun>")."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": f"{verb} whether {noun}", "invalid_choice": f"{verb} whether {noun}"},
    )


def gov_date(label: str, *, required: bool = True, hint: str = DATE_HINT, noun: str = "") -> GovDateField:
    """A GOV.UK date input whose errors name it."""
    return GovDateField(label=label, noun=noun or label, required=required, help_text=hint)


def yes_no_initial(value: bool | None) -> str | None:
    """A stored yes/no answer as the radio's value."""
    return None if value is None else ("yes" if value else "no")
