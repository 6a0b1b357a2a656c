"""The service manager's caseload profile and the supervision chain's overdue supervisions (issue 8).

Open children by active programme, by RoSH, SaW and LoR level, MAPPA numbers, looked-after children,
girls and ethnicity where recorded; and every worker obligation for formal supervision that is overdue
(000 §4.1, 001 §2, 002). A fixed number of aggregate queries, whatever the number of children.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cases.models import Child, Gender, Obligation, Programme, RiskLevel
from mappa.models import Category, Level, MappaRecord

from .figures import ALL, NO_TEAM

NOT_ASSESSED = "Not assessed"
NOT_RECORDED = "Not recorded"
# Blank, "Not stated" and the like all mean the child's ethnicity is not recorded (compared lower-case).
NOT_RECORDED_VALUES = {
    "",
    "not stated",
    "not known",
    "unknown",
    "prefer not to say",
    "not recorded",
    "refused",
}
LEVELS = (("rosh", "RoSH"), ("saw", "SaW"), ("lor", "LoR"))


@dataclass
class LevelCounts:
    """One of RoSH, SaW, LoR: how many open children at each level, and not assessed."""

    name: str
    counts: list[tuple[str, int]]


@dataclass
class MappaCounts:
    """Active MAPPA records of open children: per category, per level (and level not set)."""

    levels: list[str]
    rows: list[tuple[str, list[int], int]]  # (category label, count per level, row total)
    totals: list[int]
    total: int


@dataclass
class CaseloadProfile:
    """The open children of the service (or one team), counted several ways."""

    open_children: int = 0
    looked_after: int = 0
    girls: int = 0
    no_programme: int = 0
    programmes: list[tuple[str, int]] = field(default_factory=list)
    levels: list[LevelCounts] = field(default_factory=list)
    mappa: MappaCounts | None = None
    ethnicity: list[tuple[str, int]] = field(default_factory=list)
    ethnicity_not_recorded: int = 0

    @property
    def level_rows(self) -> list[tuple[str, list[int]]]:
        """The levels as table rows: each level (and not assessed) with its RoSH, SaW and LoR counts."""
        if not self.levels:
            return []
        labels = [label for label, _ in self.levels[0].counts]
        return [(label, [lc.counts[i][1] for lc in self.levels]) for i, label in enumerate(labels)]


def _open_children(team) -> QuerySet[Child]:
    """The open children of a team, of every team, or none."""
    qs = Child.objects.filter(is_open=True)
    if team == NO_TEAM:
        return qs.none()
    return qs if team == ALL else qs.filter(team_id=team)


def caseload_profile(*, team=ALL) -> CaseloadProfile:
    """Open children by active programme kind, level, MAPPA category and level, looked after, girls and
    ethnicity: four queries (the counts and levels, programmes, MAPPA, ethnicity)."""
    children = _open_children(team)
    active = Programme.objects.filter(child=OuterRef("pk"), end_date__isnull=True)
    # The counts and each level's tally in one aggregate (issue 19: a GROUP BY per view was a query more).
    level_values = [value for value, _ in RiskLevel.choices] + [""]
    tally_counts = {
        f"{name}__{value}": Count("pk", filter=Q(**{name: value}))
        for name, _ in LEVELS
        for value in level_values
    }
    head = children.annotate(on_programme=Exists(active)).aggregate(
        open_children=Count("pk"),
        looked_after=Count("pk", filter=Q(looked_after=True)),
        girls=Count("pk", filter=Q(gender_identity=Gender.FEMALE)),
        no_programme=Count("pk", filter=Q(on_programme=False)),
        **tally_counts,
    )
    tallies = {name: {value: head.pop(f"{name}__{value}") for value in level_values} for name, _ in LEVELS}
    profile = CaseloadProfile(**head)

    kinds = dict(
        Programme.objects.filter(end_date__isnull=True, child__in=children)
        .values("kind")
        .annotate(n=Count("child", distinct=True))
        .order_by()
        .values_list("kind", "n")
    )
    profile.programmes = [
        (label, kinds[value]) for value, label in Programme.Kind.choices if kinds.get(value)
    ]

    profile.levels = [
        LevelCounts(
            label,
            [(level_label, tallies[name].get(value, 0)) for value, level_label in RiskLevel.choices]
            + [(NOT_ASSESSED, tallies[name].get("", 0))],
        )
        for name, label in LEVELS
    ]

    mappa = dict(
        (
            (row["category"], row["current_level"]),
            row["n"],
        )
        for row in MappaRecord.objects.filter(ended_on__isnull=True, child__in=children)
        .values("category", "current_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    level_keys = [value for value, _ in Level.choices] + [None]
    rows = []
    for category, label in Category.choices:
        counts = [mappa.get((category, level), 0) for level in level_keys]
        rows.append((label, counts, sum(counts)))
    totals = [sum(row[1][i] for row in rows) for i in range(len(level_keys))]
    profile.mappa = MappaCounts(
        levels=[f"Level {value}" for value, _ in Level.choices] + ["Level not set"],
        rows=rows,
        totals=totals,
        total=sum(totals),
    )

    # Free text: grouped without regard to case or spacing, under the most used spelling.
    recorded: dict[str, int] = {}
    spellings: dict[str, dict[str, int]] = {}
    for value, n in children.values_list("ethnicity").annotate(n=Count("pk")).order_by():
        text = " ".join((value or "").split())
        key = text.lower()
        if key in NOT_RECORDED_VALUES:
            profile.ethnicity_not_recorded += n
        else:
            recorded[key] = recorded.get(key, 0) + n
            spellings.setdefault(key, {})[text] = spellings.get(key, {}).get(text, 0) + n
    named = {key: max(sorted(forms), key=lambda text: forms[text]) for key, forms in spellings.items()}
    profile.ethnicity = sorted(
        ((named[k], n) for k, n in recorded.items()), key=lambda item: (-item[1], item[0])
    )
    return profile


def overdue_supervisions(*, team=ALL) -> QuerySet[Obligation]:
    """Active workers' formal supervision obligations that are overdue, longest overdue first, with the
    worker, their team and their supervisor (line manager) (000 §4.1, 002 "unbroken chain")."""
    qs = Obligation.objects.filter(
        child__isnull=True,
        worker__isnull=False,
        worker__is_active=True,
        code__startswith="supervision.",
        status=Obligation.Status.OVERDUE,
    )
    if team == NO_TEAM:
        qs = qs.filter(worker__team__isnull=True)
    elif team != ALL:
        qs = qs.filter(worker__team_id=team)
    return qs.select_related("worker", "worker__team", "worker__line_manager").order_by(
        "due", "worker__last_name", "worker__first_name", "pk"
    )


def with_days_overdue(obligations, *, today: datetime.date) -> list[Obligation]:
    """Set `days_overdue` (calendar days since the due date) on each of a page of obligations."""
    rows = list(obligations)
    for obligation in rows:
        obligation.days_overdue = (today - obligation.due).days if obligation.due else None
    return rows
