"""The compliance figures: stored obligations that fell due in a period, per obligation code and team.

One selector (`compliance_figures`) does the arithmetic for the dashboard, its CSV/XLSX exports and the
`compliance_report` command, so they cannot disagree. Definitions (issue 8, service manager):

- an obligation counts in a period when its stored due date falls in it (from and to inclusive); rows
  with no due date have no timescale and are left out; closed children's stored obligations count;
- its team is the child's team, or for a worker's own obligation (supervision, leave) the worker's team;
- due = all of them; met on time = status met; met late = met_late; still overdue = overdue; not yet
  due = open; % on time = met on time / (met on time + met late + overdue), rounded half up to one
  decimal place, and none ("–") when that denominator is 0.

The figures are read from the monthly roll-up (cases/services/rollup.py, ADR 0020) for the whole
months of a period, and counted from the obligations only for a part-month at either end; the roll-up
is recounted for any month an obligation change marked stale before it is read, so the figures are never
staler than the obligations. The drill-down lists the obligations themselves. A few queries per read,
whatever the number of obligations.
"""

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import QuerySet

from cases.models import Obligation, Team
from cases.rules.calendar import add_months_raw
from cases.services.rollup import Selection, period_rows, period_rows_many, with_team
from cases.services.rollup import first_of_month as month_start

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

MET, MET_LATE = Obligation.Status.MET, Obligation.Status.MET_LATE
OVERDUE, OPEN = Obligation.Status.OVERDUE, Obligation.Status.OPEN

# The figures a drill-down can show, in the dashboard's column order, with the words used for each.
STATUSES = {
    "due": "Due",
    "met": "Met on time",
    "met_late": "Met late",
    "overdue": "Still overdue",
    "open": "Not yet due",
}

ALL = "all"  # the team (or code) filter meaning every team (or code)
NO_TEAM = "none"  # the team key of a worker's obligation when the worker is in no team
NO_TEAM_NAME = "No team"
ALL_TEAMS_NAME = "All teams"
ALL_CODES_TITLE = "All obligation types"
TREND_MONTHS = 12


@dataclass(frozen=True)
class Figures:
    """The counts behind one line of the dashboard, and the percentage on time they give."""

    due: int = 0
    met: int = 0
    met_late: int = 0
    overdue: int = 0
    open: int = 0

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> "Figures":
        """The counts of one GROUP BY row."""
        return cls(row["n_due"], row["n_met"], row["n_met_late"], row["n_overdue"], row["n_open"])

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            self.due + other.due,
            self.met + other.met,
            self.met_late + other.met_late,
            self.overdue + other.overdue,
            self.open + other.open,
        )

    @property
    def judged(self) -> int:
        """The denominator of % on time: everything whose due date has passed or that was met."""
        return self.met + self.met_late + self.overdue

    @property
    def percent_on_time(self) -> Decimal | None:
        """Met on time as a percentage of those judged, half up to one decimal; None when none are."""
        if not self.judged:
            return None
        # Whole tenths of a percent, rounded half up in integers (no float error): 1/16 -> 6.3.
        tenths = (self.met * 2000 + self.judged) // (2 * self.judged)
        return Decimal(tenths).scaleb(-1)  # one decimal place always: 100.0, 66.7

    def count(self, status: str) -> int:
        """The figure a drill-down status names ("due", "met", "met_late", "overdue", "open")."""
        return getattr(self, status)


@dataclass
class Line:
    """One line of figures: a code in a team, a code across teams, a team across codes, or everything."""

    code: str  # "all" across codes
    title: str
    basis: str
    team_key: int | str  # a team's pk, "none" (worker in no team) or "all"
    team_name: str
    figures: Figures
    team_query: str = ""  # the dashboard's link to the team's figures by obligation type (set by the view)


@dataclass
class CodeBlock:
    """An obligation code: its line per team and its total across teams."""

    code: str
    titles: list[str]
    bases: list[str]
    teams: list[Line]
    total: Line


@dataclass
class Report:
    """The figures for a period: per code and team, per code, per team and overall."""

    date_from: datetime.date
    date_to: datetime.date
    codes: list[CodeBlock] = field(default_factory=list)
    teams: list[Line] = field(default_factory=list)
    overall: Line | None = None

    def lines(self) -> list[Line]:
        """Every line in the order the exports list them: each code's teams then its total, each
        team's total, then the overall total."""
        out = []
        for block in self.codes:
            out.extend(block.teams)
            out.append(block.total)
        out.extend(self.teams)
        if self.overall is not None:  # set by compliance_figures, with the rest
            out.append(self.overall)
        return out


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the day's month (29 February in a leap year)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def default_period(*, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last three full calendar months before today's month (today 15 May: 1 February-30 April)."""
    last = month_start(today) - datetime.timedelta(days=1)
    return add_months_raw(month_start(last), -2), last


class TeamKey(TypedDict):
    """What obligations_due_in annotates: the obligation's team (None: a worker in no team)."""

    team_key: int | None


# An obligation as obligations_due_in returns it.
ObligationWithTeam: TypeAlias = "WithAnnotations[Obligation, TeamKey]"


def obligations_due_in(
    *, date_from: datetime.date, date_to: datetime.date, team=ALL, code: str = ALL
) -> QuerySet[ObligationWithTeam]:
    """Stored obligations due from `date_from` to `date_to` inclusive (undated ones have no timescale),
    each with `team_key`: the child's team, or the worker's for a worker's own obligation."""
    qs = with_team(Obligation.objects.filter(due__gte=date_from, due__lte=date_to))
    if code != ALL:
        qs = qs.filter(code=code)
    if team == NO_TEAM:
        qs = qs.filter(team_key__isnull=True)
    elif team != ALL:
        qs = qs.filter(team_key=team)
    return qs


def team_names() -> dict[int, str]:
    """Every team's name by pk (one query)."""
    return dict(Team.objects.values_list("pk", "name"))


def _team_name(key, names: dict[int, str]) -> str:
    """A team's name, or "No team"."""
    return NO_TEAM_NAME if key is None else names.get(key, f"Team {key}")


def _team_sort(key, names: dict[int, str]) -> tuple:
    """Teams by name, "No team" last."""
    return (key is None, _team_name(key, names).lower())


def _ranked(counts: dict[str, int]) -> list[str]:
    """Titles or bases, the most used first, then alphabetically."""
    return sorted(counts, key=lambda text: (-counts[text], text))


COLUMNS = (
    "n_due",
    "n_met",
    "n_met_late",
    "n_overdue",
    "n_open",
)  # a roll-up row's counts, as Figures' fields


def _sum_into(totals: dict, key, row) -> None:
    """Add a row's counts to `totals[key]` (a list of five counts: adding plain integers, not Figures,
    keeps a thousand-row report quick)."""
    counts = totals.get(key)
    if counts is None:
        totals[key] = [row[name] for name in COLUMNS]
    else:
        for i, name in enumerate(COLUMNS):
            counts[i] += row[name]


def _code_entries(rows) -> dict[str, dict]:
    """Rows counted by code, title and basis (and team, if they carry it) summed per code: how many
    obligations carry each title and basis, the code's figures per team (when the rows have teams) and
    its total."""
    sums: dict[str, dict] = {}
    for row in rows:
        entry = sums.setdefault(row["code"], {"titles": {}, "bases": {}, "teams": {}, "total": {}})
        entry["titles"][row["title"]] = entry["titles"].get(row["title"], 0) + row["n_due"]
        entry["bases"][row["basis"]] = entry["bases"].get(row["basis"], 0) + row["n_due"]
        if "team_key" in row:
            _sum_into(entry["teams"], row["team_key"], row)
        _sum_into(entry["total"], None, row)
    return {
        code: {
            "titles": entry["titles"],
            "bases": entry["bases"],
            "teams": {key: Figures(*counts) for key, counts in entry["teams"].items()},
            "total": Figures(*entry["total"][None]),
        }
        for code, entry in sums.items()
    }


def _team_lines(per_team: dict, names: dict[int, str]) -> list[Line]:
    """Each team's line across codes, by name ("No team" last)."""
    return [
        Line(ALL, ALL_CODES_TITLE, "", NO_TEAM if key is None else key, _team_name(key, names), per_team[key])
        for key in sorted(per_team, key=lambda k: _team_sort(k, names))
    ]


def _report(date_from, date_to, per_code: dict[str, dict], per_team: dict, names: dict[int, str]) -> Report:
    """The report's lines from the codes' entries (`_code_entries`) and the teams' figures."""
    report = Report(date_from=date_from, date_to=date_to)
    for code_value in sorted(per_code):
        entry = per_code[code_value]
        titles, bases = _ranked(entry["titles"]), _ranked(entry["bases"])
        title, basis = "; ".join(titles), "; ".join(bases)
        lines = [
            Line(code_value, title, basis, NO_TEAM if key is None else key, _team_name(key, names), figures)
            for key, figures in sorted(entry["teams"].items(), key=lambda kv: _team_sort(kv[0], names))
        ]
        report.codes.append(
            CodeBlock(
                code=code_value,
                titles=titles,
                bases=bases,
                teams=lines,
                total=Line(code_value, title, basis, ALL, ALL_TEAMS_NAME, entry["total"]),
            )
        )
    report.teams = _team_lines(per_team, names)
    overall = sum((block.total.figures for block in report.codes), Figures())
    report.overall = Line(ALL, ALL_CODES_TITLE, "", ALL, ALL_TEAMS_NAME, overall)
    return report


def compliance_figures(
    *, date_from: datetime.date, date_to: datetime.date, names: dict[int, str] | None = None
) -> Report:
    """The figures for a period, every code and team: the counts by code, title, basis and team (a
    policy has a few titles and bases per code; the roll-up's whole months and the part-months at the
    ends), summed here into lines; `names` saves a query."""
    names = team_names() if names is None else names
    rows = period_rows(date_from, date_to)
    per_code = _code_entries(rows)
    per_team: dict = {}
    for entry in per_code.values():
        for key, figures in entry["teams"].items():
            per_team[key] = per_team.get(key, Figures()) + figures
    return _report(date_from, date_to, per_code, per_team, names)


def _team_param(team):
    """A dashboard team choice as the roll-up's team filter: None for every team."""
    return None if team == ALL else team


def dashboard_figures(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    team=ALL,
    trend_team=ALL,
    trend_code: str = ALL,
    names: dict[int, str],
) -> tuple[Report, list["TrendMonth"]]:
    """What the dashboard shows of `compliance_figures` (issue 19), and its trend, in one read of the
    roll-up: each code's total (its titles and bases), each team's total and the overall total, and
    each code's line for `team` when one is chosen (`CodeBlock.teams` holds just that line; none for
    every team); the same sums as `compliance_figures`, from a GROUP BY by code, title and basis and
    one by team (about 80 rows at a 5,000-child service) instead of one by code, title, basis and team
    (about 1,000), the months made fresh once for the period and the trend together."""
    spans = trend_months(end=date_to)
    selections = [
        Selection(date_from, date_to, by=("code", "title", "basis")),
        Selection(date_from, date_to, by=("team_key",)),
        Selection(spans[0][0], spans[-1][1], _team_param(trend_team), _team_param(trend_code), ("month",)),
    ]
    if team != ALL:
        selections.append(Selection(date_from, date_to, team, by=("code",)))
    code_rows, team_rows, trend_rows, *team_code_rows = period_rows_many(selections)
    per_code = _code_entries(code_rows)
    for row in team_code_rows[0] if team_code_rows else []:
        teams, key = per_code[row["code"]]["teams"], None if team == NO_TEAM else team
        teams[key] = teams.get(key, Figures()) + Figures.from_row(row)
    per_team: dict = {}
    for row in team_rows:
        per_team[row["team_key"]] = per_team.get(row["team_key"], Figures()) + Figures.from_row(row)
    return _report(date_from, date_to, per_code, per_team, names), _trend(trend_rows, spans)


@dataclass
class TrendMonth:
    """One month of the trend: the figures for obligations due in it."""

    start: datetime.date
    end: datetime.date
    figures: Figures

    @property
    def label(self) -> str:
        """The month as "Mar 2026"."""
        return f"{self.start:%b %Y}"


def trend_months(
    *, end: datetime.date, months: int = TREND_MONTHS
) -> list[tuple[datetime.date, datetime.date]]:
    """The `months` calendar months ending with the month of `end`, oldest first."""
    last = month_start(end)
    starts = [add_months_raw(last, -n) for n in range(months - 1, -1, -1)]
    return [(start, month_end(start)) for start in starts]


def compliance_trend(
    *, end: datetime.date, team=ALL, code: str = ALL, months: int = TREND_MONTHS
) -> list[TrendMonth]:
    """% on time by due month for the `months` months ending with `end`'s month, from the roll-up (the
    months are whole calendar months), of one team or code if given."""
    spans = trend_months(end=end, months=months)
    rows = period_rows(
        spans[0][0], spans[-1][1], team=_team_param(team), code=_team_param(code), by=("month",)
    )
    return _trend(rows, spans)


def _trend(rows, spans: list[tuple[datetime.date, datetime.date]]) -> list[TrendMonth]:
    """The trend's months from rows counted by month."""
    by_month: dict[datetime.date, Figures] = {}
    for row in rows:
        by_month[row["month"]] = by_month.get(row["month"], Figures()) + Figures.from_row(row)
    return [TrendMonth(start, stop, by_month.get(start, Figures())) for start, stop in spans]


def drilldown_obligations(
    *, date_from: datetime.date, date_to: datetime.date, status: str, team=ALL, code: str = ALL
) -> QuerySet[ObligationWithTeam]:
    """The obligations behind one figure: the same selection as the figures, one status (or all for
    "due"), with the child, case manager, worker and teams joined; by due date."""
    qs = obligations_due_in(date_from=date_from, date_to=date_to, team=team, code=code)
    if status != "due":
        qs = qs.filter(status=status)
    return qs.select_related(
        "child", "child__team", "child__case_manager", "worker", "worker__team", "worker__line_manager"
    ).order_by("due", "code", "pk")
