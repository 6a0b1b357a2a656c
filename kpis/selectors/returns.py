"""The quarterly return in the YJB's shape, and the data-quality list of what would make it incomplete.

The return: one row per child per intervention that started or ended in the quarter (case number, date
of birth, gender, ethnicity, team, intervention type, start and end dates, closure reason, and the start
and end value of each KPI field from the snapshots). Its summary is the KPI figures (figures.py).

The data-quality list: each missing field that would leave the return incomplete, with where it is
fixed. Read from the same facts (facts.py), so a fixed number of queries whatever the number of children.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from cases.models import Programme
from core.registry import registry
from outcomes.interventions import OUT_OF_COURT_KINDS

from ..measures import END, START
from .facts import Facts, kpi_facts
from .quarters import Quarter

# The KPI fields of a snapshot as the return's columns: (column, snapshot key, field in it).
SNAPSHOT_COLUMNS = (
    ("accommodation_type", "accommodation", "kind"),
    ("accommodation_suitable", "accommodation", "suitable"),
    ("ete_provision", "ete", "provision"),
    ("ete_hours_offered", "ete", "hours_offered"),
    ("ete_hours_attended", "ete", "hours_attended"),
    ("ete_suitable", "ete", "suitable"),
    ("school_age", "ete", "school_age"),
    ("send_identified", "send", "identified"),
    ("send_plan", "send", "plan"),
    ("send_plan_current", "send", "plan_current"),
    ("mental_health_need", "mental_health", "need_identified"),
    ("mental_health_offered", "mental_health", "offered"),
    ("mental_health_attending", "mental_health", "attending"),
    ("substance_misuse_need", "substance_misuse", "need_identified"),
    ("substance_misuse_offered", "substance_misuse", "offered"),
    ("substance_misuse_attending", "substance_misuse", "attending"),
)
WIDER_COLUMNS = (
    ("early_help", "early_help"),
    ("child_in_need", "child_in_need"),
    ("child_protection", "child_protection"),
    ("looked_after", "looked_after"),
)
CHILD_COLUMNS = [
    "case_number",
    "date_of_birth",
    "gender",
    "ethnicity",
    "team",
    "intervention_type",
    "start_date",
    "end_date",
    "closure_reason",
]
RETURN_COLUMNS = CHILD_COLUMNS + [
    f"{point}_{column}"
    for point in (START, END)
    for column in [c for c, _, _ in SNAPSHOT_COLUMNS] + [c for c, _ in WIDER_COLUMNS]
]

# The kinds of gap, as the list names them (and what the return lacks without them).
PROBLEMS = {
    "no_start_snapshot": "No start snapshot",
    "no_end_snapshot": "No end snapshot",
    "snapshot_missing": "Snapshot incomplete",
    "no_ethnicity": "No ethnicity recorded",
    "no_closure_reason": "Out-of-court intervention ended with no closure reason",
    "offence_no_gravity": "Offence without a gravity score",
    "victim_no_consent": "Victim not asked about consent to contact",
}
FIELD_NAMES = {
    "accommodation": "accommodation",
    "ete": "education, training or employment",
    "send": "SEND",
    "mental_health": "mental health screening",
    "substance_misuse": "substance misuse screening",
    "wider_services": "wider services",
}


def _value(snapshot, key: str, name: str):
    """One field of a snapshot for the return: blank when not taken or not recorded."""
    if snapshot is None or not isinstance(snapshot.values, dict):
        return None
    part = snapshot.values.get(key)
    return part.get(name) if isinstance(part, dict) else None


def _wider(snapshot, kind: str):
    if snapshot is None or not isinstance(snapshot.values, dict):
        return None
    services = snapshot.values.get("wider_services")
    return kind in services if isinstance(services, list) else None


def _in_return(programme: Programme, quarter: Quarter) -> bool:
    return quarter.contains(programme.start_date) or quarter.contains(programme.end_date)


def return_rows(*, quarter: Quarter, facts: Facts | None = None) -> list[list]:
    """The return's rows (RETURN_COLUMNS), by case number then start date."""
    facts = facts or kpi_facts(date_from=quarter.start, date_to=quarter.end)
    rows = []
    programmes = [p for p in facts.interventions if _in_return(p, quarter)]
    for programme in sorted(programmes, key=lambda p: (p.child.case_number, p.start_date, p.pk)):
        child = programme.child
        row = [
            child.case_number,
            child.date_of_birth,
            child.get_gender_identity_display(),
            child.ethnicity,
            facts.team_names.get(child.team_id, ""),
            programme.get_kind_display(),
            programme.start_date,
            programme.end_date,
            programme.get_closure_reason_display() if programme.closure_reason else None,
        ]
        for point in (START, END):
            snapshot = facts.snapshots.get((programme.pk, point))
            row += [_value(snapshot, key, name) for _, key, name in SNAPSHOT_COLUMNS]
            row += [_wider(snapshot, kind) for _, kind in WIDER_COLUMNS]
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Problem:
    """One gap in the return: whose, what, and where it is fixed."""

    child_id: int
    case_number: str
    child_name: str
    kind: str
    detail: str
    link: str

    @property
    def title(self) -> str:
        return PROBLEMS[self.kind]


def data_quality(*, quarter: Quarter, facts: Facts | None = None) -> list[Problem]:
    """Every gap that would make the quarter's return incomplete, by case number, then kind."""
    facts = facts or kpi_facts(date_from=quarter.start, date_to=quarter.end)
    programmes_url = reverse("child_programmes", args=[0]).replace("/0/", "/{}/")
    details_url = reverse("child_details", args=[0]).replace("/0/", "/{}/")
    child_url = reverse(_records_page(), args=[0]).replace("/0/", "/{}/")
    problems: list[Problem] = []
    children = {}
    for programme in facts.interventions:
        if not _in_return(programme, quarter):
            continue
        child = programme.child
        children[child.pk] = child
        where = f"{programme.get_kind_display()} from {programme.start_date:%d/%m/%Y}"
        for point, day in ((START, programme.start_date), (END, programme.end_date)):
            if not quarter.contains(day):
                continue
            snapshot = facts.snapshots.get((programme.pk, point))
            if snapshot is None:
                kind = "no_start_snapshot" if point == START else "no_end_snapshot"
                problems.append(_problem(child, kind, f"{where}: none taken", programmes_url))
            elif snapshot.missing:
                fields = ", ".join(FIELD_NAMES.get(str(f), str(f)) for f in snapshot.missing)
                detail = f"{where}, {point}: {fields} not recorded on {snapshot.as_of:%d/%m/%Y}"
                problems.append(_problem(child, "snapshot_missing", detail, child_url))
        if (
            programme.kind in OUT_OF_COURT_KINDS
            and quarter.contains(programme.end_date)
            and not programme.closure_reason
        ):
            problems.append(_problem(child, "no_closure_reason", where, programmes_url))
    for row in facts.offences:
        if quarter.contains(row["proven_on"]) and not 1 <= (row["gravity"] or 0) <= 8:
            detail = f"{row['description']}, proven {row['proven_on']:%d/%m/%Y}"
            problems.append(_row_problem(row, "offence_no_gravity", detail, child_url))
    for row in facts.victims:
        if quarter.contains(row["identified_on"]) and row["consented"] is None:
            detail = f"Victim {row['reference']}, identified {row['identified_on']:%d/%m/%Y}"
            problems.append(_row_problem(row, "victim_no_consent", detail, child_url))
    for child in children.values():
        if not child.ethnicity.strip():
            problems.append(
                _problem(child, "no_ethnicity", "Needed for every child in the return", details_url)
            )
    return sorted(problems, key=lambda p: (p.case_number, list(PROBLEMS).index(p.kind), p.detail))


# The child's tab where the KPI facts are recorded (outcomes registers it as "circumstances"), found
# through the registry so kpis imports no view; the child's record page until that tab exists.
RECORDS_TAB = "circumstances"


def _records_page() -> str:
    """The url name (taking the child's pk) where a snapshot's missing field, an offence or a victim is fixed."""
    return next((tab.url_name for tab in registry.child_tabs if tab.key == RECORDS_TAB), "child_detail")


def _problem(child, kind: str, detail: str, url: str) -> Problem:
    return Problem(child.pk, child.case_number, child.full_name, kind, detail, url.format(child.pk))


def _row_problem(row: dict, kind: str, detail: str, url: str) -> Problem:
    """A gap in an offence or victim row (read as values, with the child's name and case number)."""
    name = f"{row['child__first_name']} {row['child__last_name']}"
    return Problem(
        row["child_id"], row["child__case_number"], name, kind, detail, url.format(row["child_id"])
    )
