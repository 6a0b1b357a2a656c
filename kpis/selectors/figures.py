"""The ten KPIs of a quarter: each measure's numerator and denominator, start and end, for all children,
by team and by programme type, each with the children behind it (issue 21).

The one place the arithmetic is done: the KPI page, its exports, the `kpi_report` command and the
return's summary all read a `Report` from `kpi_figures`. Pure and bulk: the facts are read in a fixed
number of queries (facts.py), whatever the number of children, and everything else is Python.

Who counts (docs/adr/0022-kpi-facts-and-return.md, "Figures and the return"):
- the start figures are the start snapshots of the interventions (outcomes.interventions) that started
  in the quarter; the end figures the end snapshots of those that ended in it;
- a child counts once in each line (all children, a team, a programme type): with the first of their
  interventions that started in the quarter (start), or the last that ended in it (end), preferring one
  whose snapshot has been taken; a child whose snapshot is missing, or whose snapshot left a field
  unrecorded, is left out of that field's denominator and is listed on the return's data-quality list;
- the team is the child's locality team; the programme type the intervention's (for offences and
  victims, the programme they were recorded against, or "Not linked to a programme");
- every numerator is a part of its denominator (a victim who took part in restorative justice counts only
  if they were offered it), so no percentage passes 100.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from cases.models import Programme
from outcomes.interventions import OUT_OF_COURT_KINDS

from ..measures import END, MEASURES, PARTNERS, QUARTER, START, Measure, percent
from .calcs import SNAPSHOT_CALCS, Counted, yes
from .facts import UNLINKED, Facts, kpi_facts
from .quarters import Quarter

ALL = "all"
ALL_NAME = "All children"
UNLINKED_NAME = "Not linked to a programme"
DIMENSIONS = {"all": ALL_NAME, "team": "By team", "type": "By programme type"}


def team_key(team_id) -> str:
    return f"team:{team_id}"


def type_key(kind: str | None) -> str:
    return f"type:{kind or UNLINKED}"


@dataclass(frozen=True)
class Group:
    """A line of figures: all children, one team, or one programme type."""

    key: str
    dimension: str  # "all", "team" or "type"
    name: str


@dataclass
class Figure:
    """A numerator over a denominator, and the children behind each."""

    numerator: int | Decimal = 0
    denominator: int | Decimal = 0
    numerator_children: set[int] = field(default_factory=set)
    denominator_children: set[int] = field(default_factory=set)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.numerator, self.denominator)

    def add(self, child_id: int, *, numerator: int | Decimal, denominator: int | Decimal) -> None:
        """Count one child (or victim, or offence) of `child_id` in the denominator, and maybe the numerator."""
        self.denominator += denominator
        self.denominator_children.add(child_id)
        if numerator:
            self.numerator += numerator
            self.numerator_children.add(child_id)

    def children(self, part: str) -> set[int]:
        """The children behind the numerator ("numerator") or the denominator (anything else)."""
        return self.numerator_children if part == "numerator" else self.denominator_children


@dataclass
class Cohort:
    """The children whose interventions started (or ended) in the quarter, in one line."""

    children: set[int] = field(default_factory=set)
    without_snapshot: set[int] = field(default_factory=set)


@dataclass
class Report:
    """A quarter's KPI figures: (measure code, point, group key) -> Figure."""

    quarter: Quarter
    figures: dict[tuple[str, str, str], Figure] = field(default_factory=dict)
    cohorts: dict[tuple[str, str], Cohort] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    meetings_held: int = 0

    def figure(self, code: str, point: str, group: str = ALL) -> Figure:
        """A figure; an empty one (0 of 0) when nothing counted in that line."""
        return self.figures.get((code, point, group)) or Figure()

    def cohort(self, point: str, group: str = ALL) -> Cohort:
        return self.cohorts.get((point, group)) or Cohort()

    def groups_of(self, dimension: str) -> list[Group]:
        """The lines of one dimension, in the page's order (teams by name, types as the programme list)."""
        groups = [g for g in self.groups.values() if g.dimension == dimension]
        if dimension == "team":
            return sorted(groups, key=lambda g: g.name)
        order = {type_key(kind): i for i, kind in enumerate(Programme.Kind.values)}
        return sorted(groups, key=lambda g: order.get(g.key, len(order)))

    def group_keys_for(self, measure: Measure) -> list[Group]:
        """All children, then the teams and programme types with a figure for the measure."""
        keys = {g for (code, _, g) in self.figures if code == measure.code}
        lines = [self.groups[ALL]]
        for dimension in ("team", "type"):
            lines += [g for g in self.groups_of(dimension) if g.key in keys]
        return lines

    def lines(self) -> Iterator[tuple[Measure, str, Group, Figure]]:
        """Every figure, in the table's order: measure, point, then all children, teams, types."""
        for measure in MEASURES:
            for point in measure.points:
                for group in self.group_keys_for(measure):
                    yield measure, point, group, self.figure(measure.code, point, group.key)


class _Builder:
    """Fills a Report: the groups each row belongs to, and the figures."""

    def __init__(self, report: Report, facts: Facts):
        self.report, self.facts = report, facts
        report.groups[ALL] = Group(ALL, "all", ALL_NAME)

    def groups(self, *, team_id, kind) -> list[str]:
        """All children, the child's team, the programme type; registering their names."""
        team, kind_key = team_key(team_id), type_key(kind)
        if team not in self.report.groups:
            self.report.groups[team] = Group(team, "team", self.facts.team_names.get(team_id, "No team"))
        if kind_key not in self.report.groups:
            name = Programme.Kind(kind).label if kind in Programme.Kind.values else UNLINKED_NAME
            self.report.groups[kind_key] = Group(kind_key, "type", name)
        return [ALL, team, kind_key]

    def add(self, code: str, point: str, group: str, child_id: int, counted: Counted) -> None:
        if counted is None:
            return
        numerator, denominator = counted
        key = (code, point, group)
        figure = self.report.figures.get(key)
        if figure is None:
            figure = self.report.figures[key] = Figure()
        figure.add(child_id, numerator=numerator, denominator=denominator)

    def chosen(self, programmes: list[Programme], point: str) -> dict[str, dict[int, tuple]]:
        """Group key -> child id -> (programme, snapshot or None): the child's first intervention that
        started (last that ended) in the quarter, preferring one with its snapshot taken."""
        if point == START:
            ordered = sorted(programmes, key=lambda p: (p.start_date, p.pk))
        else:
            ordered = sorted(programmes, key=lambda p: (p.end_date, p.pk), reverse=True)
        chosen: dict[str, dict[int, tuple]] = defaultdict(dict)
        for programme in ordered:
            snapshot = self.facts.snapshots.get((programme.pk, point))
            for group in self.groups(team_id=programme.child.team_id, kind=programme.kind):
                current = chosen[group].get(programme.child_id)
                if current is None or (current[1] is None and snapshot is not None):
                    chosen[group][programme.child_id] = (programme, snapshot)
        return chosen

    def snapshot_measures(self, quarter: Quarter) -> None:
        """KPI 1-5 and 8, start and end."""
        for point in (START, END):
            date = (lambda p: p.start_date) if point == START else (lambda p: p.end_date)
            cohort = [p for p in self.facts.interventions if quarter.contains(date(p))]
            for group, children in self.chosen(cohort, point).items():
                line = self.report.cohorts.setdefault((point, group), Cohort())
                for child_id, (programme, snapshot) in children.items():
                    line.children.add(child_id)
                    if snapshot is None:
                        line.without_snapshot.add(child_id)
                        continue
                    for code, calc in SNAPSHOT_CALCS.items():
                        self.add(code, point, group, child_id, calc(snapshot.values, programme))

    def out_of_court(self, quarter: Quarter) -> None:
        """KPI 6: the out-of-court interventions that ended in the quarter, completed or not."""
        ended = [
            p
            for p in self.facts.interventions
            if p.kind in OUT_OF_COURT_KINDS and quarter.contains(p.end_date)
        ]
        for group, children in self.chosen(ended, END).items():
            for child_id, (programme, _) in children.items():
                completed = programme.closure_reason == Programme.ClosureReason.COMPLETED
                self.add("6.completed", QUARTER, group, child_id, yes(completed))
                self.add("6.not_completed", QUARTER, group, child_id, yes(not completed))

    def offences(self, quarter: Quarter) -> None:
        """KPI 9: children with a serious violence offence proven in the quarter, and the offences."""
        children: dict[str, dict[int, bool]] = defaultdict(dict)
        for row in self.facts.offences:
            if not quarter.contains(row["proven_on"]):
                continue
            violent = bool(row["serious_violence"])
            for group in self.groups(team_id=row["child__team_id"], kind=row["programme__kind"]):
                self.add("9.offences", QUARTER, group, row["child_id"], yes(violent))
                children[group][row["child_id"]] = children[group].get(row["child_id"], False) or violent
        for group, seen in children.items():
            for child_id, violent in seen.items():
                self.add("9.children", QUARTER, group, child_id, yes(violent))

    def victims(self, quarter: Quarter) -> None:
        """KPI 10: victims identified in the quarter, and what the service did with each."""
        for row in self.facts.victims:
            if not quarter.contains(row["identified_on"]):
                continue
            consented = row["consented"] is True
            offered = consented and row["rj_offered"]
            counted = {
                "10.consented": yes(consented),
                "10.views_sought": yes(row["views_sought"]) if consented else None,
                "10.information_given": yes(row["information_given"]) if consented else None,
                "10.rj_offered": yes(row["rj_offered"]) if consented else None,
                "10.rj_taken_part": yes(row["rj_taken_part"]) if offered else None,
            }
            for group in self.groups(team_id=row["child__team_id"], kind=row["programme__kind"]):
                for code, value in counted.items():
                    self.add(code, QUARTER, group, row["child_id"], value)

    def board(self, quarter: Quarter) -> None:
        """KPI 7: each partner's attendance of the meetings held in the quarter (no record: not there)."""
        held = {m["id"] for m in self.facts.meetings if quarter.contains(m["held_on"])}
        self.report.meetings_held = len(held)
        seen = {(a["meeting_id"], a["partner"]): a for a in self.facts.attendance if a["meeting_id"] in held}
        for partner, _ in PARTNERS:
            attended = [seen.get((m, partner)) or {} for m in held]
            for suffix, test in (("attended", lambda a: a.get("attended")), ("senior", lambda a: a.get("attended") and a.get("senior"))):  # fmt: skip
                count = sum(1 for a in attended if test(a))
                self.report.figures[(f"7.{partner}.{suffix}", QUARTER, ALL)] = Figure(count, len(held))


def kpi_figures(*, quarter: Quarter, facts: Facts | None = None) -> Report:
    """The quarter's ten KPIs. `facts` may span more than the quarter (the trend reads eight quarters'
    facts once); only what falls in the quarter counts."""
    if facts is None:
        facts = kpi_facts(date_from=quarter.start, date_to=quarter.end)
    report = Report(quarter=quarter)
    builder = _Builder(report, facts)
    builder.snapshot_measures(quarter)
    builder.out_of_court(quarter)
    builder.board(quarter)
    builder.offences(quarter)
    builder.victims(quarter)
    return report


TREND_QUARTERS = 8


def trend_quarters(quarter: Quarter, quarters: int = TREND_QUARTERS) -> list[Quarter]:
    """The `quarters` quarters ending with `quarter`, oldest first."""
    return [quarter.shift(-n) for n in range(quarters - 1, -1, -1)]


def kpi_trend(
    *, quarter: Quarter, quarters: int = TREND_QUARTERS, facts: Facts | None = None
) -> list[Report]:
    """The reports of the `quarters` quarters ending with `quarter`, oldest first, from one read of facts
    (`facts`, when given, must span them all)."""
    span = trend_quarters(quarter, quarters)
    if facts is None:
        facts = kpi_facts(date_from=span[0].start, date_to=quarter.end)
    return [kpi_figures(quarter=q, facts=facts) for q in span]
