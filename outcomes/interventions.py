"""Which programmes are interventions the YJB's KPIs measure at start and end, and the shape of a snapshot.

The KPIs cover every child the service works with, out-of-court and prevention included (issue 21), so
every programme in which the service works with the child counts, except those with no intervention of
their own: a pre-sentence report, Crown Court tracking, an out-of-court outcome with no intervention, and a
parenting order (the parent's order, recorded with the child's: 003 §12.11).

`Snapshot.values` (outcomes.models.Snapshot), the contract between the snapshots the product takes and
the KPI figures and return that read them (kpis/):

    {
      "accommodation": {"kind": "parents", "suitable": true} | null,
      "ete": {"provision": "mainstream_school", "hours_offered": 25.0 | null,
              "hours_attended": 20.5 | null, "suitable": true, "school_age": true} | null,
      "send": {"identified": true, "plan": "ehcp" | "idp" | "sen_support" | "none",
               "plan_current": true} | {"identified": false} | null,
      "mental_health": {"screened": true, "need_identified": true, "offered": true,
                        "attending": true | false | null} | null,
      "substance_misuse": (as mental_health) | null,
      "wider_services": ["early_help", "child_in_need", "child_protection", "looked_after"],
    }

A key is null (and listed in `Snapshot.missing`) when no record covered the snapshot's date. "plan_current":
the plan is for the academic year containing that date. "school_age": the child was of compulsory school age
on that date (under 16 on the previous 31 August).
"""

from cases.models import Programme

K = Programme.Kind

NOT_INTERVENTIONS = frozenset({K.PSR, K.CROWN_COURT_TRACKING, K.OOCD_NO_INTERVENTION, K.PARENTING_ORDER})
INTERVENTION_KINDS = tuple(kind for kind in K.values if kind not in NOT_INTERVENTIONS)
OUT_OF_COURT_KINDS = (K.OOCD_INTERVENTION, K.OOCD_YCC)
SNAPSHOT_KEYS = ("accommodation", "ete", "send", "mental_health", "substance_misuse", "wider_services")
# The keys whose absence makes a snapshot incomplete: wider services are an empty list when none applies.
REQUIRED_KEYS = ("accommodation", "ete", "send", "mental_health", "substance_misuse")
