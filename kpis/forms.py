"""The KPI page's quarter and trend choice, and the drill-down's parameters (GET forms).

A quarter is written one way everywhere (kpis/selectors/quarters.py): `2026Q3`, July to September 2026.
Anything else is shown in the GOV.UK error summary (or, for a drill-down link, a 400 page), never a 500.
"""

import datetime

from django import forms

from core.forms import GovErrorsMixin

from .measures import BY_CODE, MEASURES, POINT_LABELS
from .selectors.quarters import BadQuarter, Quarter

CHOICE_QUARTERS = 12  # the quarters the select offers, the last complete one first
PARTS = {"numerator": "numerator", "denominator": "denominator"}
DEFAULT_TREND = "1.suitable"


def quarter_choices(today: datetime.date) -> list[tuple[str, str]]:
    """The last complete quarter and the eleven before it, then the quarter in progress."""
    latest = Quarter.last_complete(today)
    quarters = [latest.shift(1)] + [latest.shift(-n) for n in range(CHOICE_QUARTERS)]
    return [(q.token, f"{q.label} ({q.token}; YJB {q.yjb_label})") for q in quarters]


class QuarterField(forms.CharField):
    """A quarter as YYYYQn; cleaned to a Quarter."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if len(value) > 10:  # longer than any quarter: said the same way, never stored or echoed whole
            value = value[:10] + "…"
        try:
            return Quarter.parse(value)
        except BadQuarter:
            raise forms.ValidationError(
                "Enter a quarter as a year and quarter number, such as 2026Q3 for July to September 2026",
                code="invalid",
            ) from None


class QuarterForm(GovErrorsMixin, forms.Form):
    """The quarter shown (blank: the last complete quarter) and the measure the trend follows."""

    quarter = QuarterField(label="Quarter", required=False)
    trend = forms.ChoiceField(
        label="Measure",
        required=False,
        choices=[(m.code, f"KPI {m.kpi}: {m.title}") for m in MEASURES],
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.choices = quarter_choices(today)

    def selection(self) -> tuple[Quarter, str] | None:
        """(quarter, trend measure code), or None when the form has errors."""
        if not self.is_bound:
            return Quarter.last_complete(self.today), DEFAULT_TREND
        if not self.is_valid():
            return None
        quarter = self.cleaned_data["quarter"] or Quarter.last_complete(self.today)
        return quarter, self.cleaned_data["trend"] or DEFAULT_TREND


class DrilldownForm(GovErrorsMixin, forms.Form):
    """The figure a drill-down link names: quarter, measure, point, line and numerator or denominator.
    With no parameters: everyone counted in KPI 1 at the start, the last complete quarter."""

    quarter = QuarterField(required=False)
    measure = forms.ChoiceField(required=False, choices=[(m.code, m.code) for m in MEASURES if m.drill])
    point = forms.ChoiceField(required=False, choices=list(POINT_LABELS.items()))
    group = forms.CharField(required=False, max_length=60)
    part = forms.ChoiceField(required=False, choices=list(PARTS.items()))

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        data["quarter"] = data.get("quarter") or Quarter.last_complete(self.today)
        data["measure"] = BY_CODE[data.get("measure") or DEFAULT_TREND]
        data["point"] = data.get("point") or data["measure"].points[0]
        if data["point"] not in data["measure"].points:
            raise forms.ValidationError(
                f"{data['measure'].title} has no {POINT_LABELS[data['point']].lower()} figure"
            )
        data["group"] = data.get("group") or "all"
        data["part"] = data.get("part") or "denominator"
        return data
