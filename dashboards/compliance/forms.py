"""The compliance dashboard's period and filter form (GET), and the drill-down's parameters.

Dates are typed as 1/8/2026 or 2026-08-01; the links the dashboard makes use the ISO form. A blank
period means the default (the last three full calendar months); an invalid one, or from after to, is
shown in the GOV.UK error summary and never ends in a 500.
"""

import datetime
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from django import forms

from cases.rules import policy_table
from core.forms import EARLIEST_YEAR, LATEST_YEAR, GovErrorsMixin, parse_id

from .figures import ALL, NO_TEAM, STATUSES

CODE_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_date(text: str) -> datetime.date | None:
    """A date typed as YYYY-MM-DD or D/M/YYYY in a plausible year; None if it is not one."""
    text = (text or "").strip()
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4}", text):
        return None
    for fmt in _FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return day if EARLIEST_YEAR <= day.year <= LATEST_YEAR else None
    return None


@lru_cache(maxsize=8)
def code_titles(profile: str) -> dict[str, str]:
    """Each obligation code of the policy with its titles ("; " between them), by code (no database)."""
    titles: dict[str, list[str]] = {}
    for rule in policy_table(profile):
        titles.setdefault(rule["code"], [])
        if rule["title"] not in titles[rule["code"]]:
            titles[rule["code"]].append(rule["title"])
    return {code: "; ".join(titles[code]) for code in sorted(titles)}


def code_choices(profile: str) -> list[tuple[str, str]]:
    """The code filter's choices: "code: titles", cut to 80 characters."""
    out = []
    for code, titles in code_titles(profile).items():
        label = f"{code}: {titles}"
        out.append((code, label if len(label) <= 80 else label[:79] + "…"))
    return out


class DateText(forms.Field):
    """A date typed as text; `noun` names it in the error messages."""

    def __init__(self, *, noun: str, **kwargs):
        super().__init__(required=False, **kwargs)
        self.noun = noun

    def to_python(self, value):
        """A date typed as 1/8/2026 or 2026-08-01, or None when blank."""
        text = str(value or "").strip()
        if not text:
            return None
        day = parse_date(text[:20])
        if day is None:
            raise forms.ValidationError(
                f"{self.noun} must be a real date between {EARLIEST_YEAR} and {LATEST_YEAR}, "
                "for example 1/8/2026",
                code="invalid",
            )
        return day


# The mixin is only ever mixed into a form; for the type checker it is one (at run time a plain mixin).
if TYPE_CHECKING:
    _FormBase = forms.Form
else:
    _FormBase = object


class _PeriodMixin(_FormBase):
    """from and to, in that order; from must not be after to."""

    def _add_period(self, *, required: bool) -> None:
        """The From and To dates of the period."""
        self.fields["from"] = DateText(noun="The start date", label="From", help_text="For example, 1/8/2026")
        self.fields["to"] = DateText(noun="The end date", label="To", help_text="For example, 31/10/2026")
        self.period_required = required

    def _clean_period(self, cleaned: dict) -> None:
        """Both dates when required (or when one is given); the end not before the start."""
        start, end = cleaned.get("from"), cleaned.get("to")
        given = any(self.data.get(name, "").strip() for name in ("from", "to"))
        if self.period_required or given:
            for name, noun in (("from", "start"), ("to", "end")):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, f"Enter the {noun} date")
        if start and end and start > end:
            self.add_error("to", "The end date must be the same as or after the start date")


class PeriodForm(_PeriodMixin, GovErrorsMixin, forms.Form):
    """The dashboard's period (blank: the default), the team whose figures by obligation type are shown,
    and the trend chart's team and obligation type."""

    def __init__(self, data=None, *, teams: dict[int, str], profile: str, default: tuple):
        super().__init__(data)
        self.default = default
        self._add_period(required=False)
        team_choices = [("", "All teams")] + [(str(pk), name) for pk, name in teams.items()]
        # The team whose figures the "by obligation type" table shows (blank: all teams together).
        self.fields["team"] = forms.ChoiceField(label="Team", required=False, choices=team_choices)
        self.fields["trend_team"] = forms.ChoiceField(
            label="Team",
            required=False,
            choices=team_choices,
        )
        self.fields["trend_code"] = forms.ChoiceField(
            label="Obligation type",
            required=False,
            choices=[("", "All obligation types"), *code_choices(profile)],
        )

    def clean(self):
        """An unknown team or type shows everything; the period is checked."""
        super().clean()
        cleaned = self.cleaned_data
        # A team or type not in the lists (an old or edited link) shows everything rather than an error.
        for name in ("team", "trend_team", "trend_code"):
            if self.errors.pop(name, None):  # `errors` is `_errors` here: clean() runs inside full_clean()
                cleaned[name] = ""
        self._clean_period(cleaned)
        return cleaned

    def selection(self) -> dict | None:
        """{date_from, date_to, team, trend_team, trend_code}; None while the form has errors."""
        if not self.is_bound:
            start, end = self.default
            return {"date_from": start, "date_to": end, "team": ALL, "trend_team": ALL, "trend_code": ALL}
        if not self.is_valid():
            return None
        data = self.cleaned_data
        start, end = data.get("from"), data.get("to")
        if start is None and end is None:
            start, end = self.default
        return {
            "date_from": start,
            "date_to": end,
            "team": int(data["team"]) if data.get("team") else ALL,
            "trend_team": int(data["trend_team"]) if data.get("trend_team") else ALL,
            "trend_code": data.get("trend_code") or ALL,
        }


class DrilldownForm(_PeriodMixin, GovErrorsMixin, forms.Form):
    """The drill-down's parameters: period (required), status, team (pk, "none" or all) and code."""

    status = forms.ChoiceField(choices=list(STATUSES.items()), error_messages={"required": "Choose a figure"})

    def __init__(self, data=None, *, teams: dict[int, str]):
        super().__init__(data)
        self.teams = teams
        self._add_period(required=True)
        self.fields["team"] = forms.CharField(required=False, max_length=20)
        self.fields["code"] = forms.CharField(required=False, max_length=60)
        self.fields["status"].error_messages["invalid_choice"] = "Choose one of the dashboard's figures"

    def clean_team(self):
        """A team of the list, "No team" or all."""
        value = (self.cleaned_data.get("team") or "").strip()
        if value in ("", ALL):
            return ALL
        if value == NO_TEAM:
            return NO_TEAM
        team = parse_id(value)  # "²" is a digit to str.isdigit, and int("²") raises
        if team is None or team not in self.teams:
            raise forms.ValidationError("There is no such team")
        return team

    def clean_code(self):
        """An obligation code, or all."""
        value = (self.cleaned_data.get("code") or "").strip()
        if value in ("", ALL):
            return ALL
        if not CODE_RE.match(value):
            raise forms.ValidationError("There is no such obligation type")
        return value

    def clean(self):
        """The period is checked."""
        super().clean()
        cleaned = self.cleaned_data
        self._clean_period(cleaned)
        return cleaned
