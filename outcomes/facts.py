"""What the outcomes records state for the rules module (core.registry `add_child_facts`, issue 21).

Each intervention is `kpi_intervention_started` (and, once it has ended, `kpi_intervention_ended`: for
DTO custody the release), and each complete snapshot `kpi_snapshot_completed` with its `point`, all matched
on the intervention's id. These are the service's own fact types (docs/spec/timescales.md lets a service add
codes), which no input the spec describes carries, so its worked results never change. The policy tables
give the timescales (cases/rules/policies: kpi.start_snapshot, kpi.end_snapshot).
"""

import datetime

from cases.models import Programme

from .interventions import INTERVENTION_KINDS
from .models import Snapshot

# The YJB's KPIs were first reported for April 2023: a point before it asks for no snapshot (older
# interventions are not measured, so no record is owed for them).
KPI_FROM = datetime.date(2023, 4, 1)


def kpi_facts(*, child) -> list[dict]:
    """The child's interventions' starts and ends, and the snapshots completed for them (two queries)."""
    facts: list[dict] = []
    rows = Programme.objects.filter(child=child, kind__in=INTERVENTION_KINDS).values_list(
        "pk", "kind", "start_date", "end_date"
    )
    for pk, kind, start, end in rows:
        if start >= KPI_FROM:
            facts.append(
                {
                    "type": "kpi_intervention_started",
                    "intervention": pk,
                    "programme": kind,
                    "date": start.isoformat(),
                }
            )
        if end is not None and end >= KPI_FROM and end >= start:
            facts.append(
                {
                    "type": "kpi_intervention_ended",
                    "intervention": pk,
                    "programme": kind,
                    "date": end.isoformat(),
                }
            )
    completed = Snapshot.objects.filter(child=child, complete=True, completed_on__isnull=False).values_list(
        "programme_id", "point", "completed_on"
    )
    for programme_id, point, completed_on in completed:
        if completed_on is None:  # filtered out above; says so to the type checker
            continue
        facts.append(
            {
                "type": "kpi_snapshot_completed",
                "intervention": programme_id,
                "point": point,
                "date": completed_on.isoformat(),
            }
        )
    return facts
