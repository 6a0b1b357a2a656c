"""Forms for the MAPPA register (001 §8): the filters (a GET form) and the quarterly share."""

from typing import cast
from urllib.parse import urlencode

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from core.forms import GovErrorsMixin, gov_date, gov_radios, not_in_future

from ..models import Category, Level
from ..selectors.register import quarter_label


class RegisterFilterForm(forms.Form):
    """Team, category, level and Form H outstanding; a value that is not offered is ignored."""

    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    category = forms.TypedChoiceField(
        label="Category",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "All categories"), *[(str(v), f"Category {v}") for v in Category.values]],
    )
    level = forms.TypedChoiceField(
        label="Level",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "All levels"), *[(str(v), f"Level {v}") for v in Level.values]],
    )
    form_h = forms.BooleanField(label="Form H not yet sent", required=False)

    def __init__(self, *args, teams: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["team"]).choices = [("", "All teams"), *teams]

    def filters(self) -> dict:
        """The valid filters as register_records arguments (invalid ones dropped, never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "team": data.get("team") if "team" not in self.errors else None,
            "category": data.get("category") if "category" not in self.errors else None,
            "level": data.get("level") if "level" not in self.errors else None,
            "form_h_outstanding": bool(data.get("form_h")) if "form_h" not in self.errors else False,
        }

    def querystring(self) -> str:
        """The applied filters as a query string, for the pagination and export links."""
        values = self.filters()
        pairs = [(k, values[k]) for k in ("team", "category", "level") if values[k]]
        if values["form_h_outstanding"]:
            pairs.append(("form_h", "on"))
        return urlencode(pairs)


class ShareForm(GovErrorsMixin, forms.Form):
    """Record that the register was shared with the MAPPA unit for a quarter (001 §8)."""

    quarter = gov_radios("Which quarter was the register shared for?", [], noun="the quarter")
    shared_on = gov_date("Date shared")

    radio_first = {"quarter": 1}

    def __init__(self, *args, quarters: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["quarter"]).choices = [(q, quarter_label(q)) for q in quarters]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("quarter", legend_size=Size.SMALL, small=True),
            Field("shared_on"),
            Submit("submit", "Record the share"),
        )

    def clean_shared_on(self):
        """Records say what has happened."""
        return not_in_future(self.cleaned_data.get("shared_on"), "Date shared")
