"""The KPI facts of a span of quarters, read in a fixed number of queries whatever the number of children.

Everything the figures, the trend, the return and the data-quality list need is read here, once, as plain
rows; the arithmetic (figures.py) and the return (returns.py) work on these rows in Python. Seven
queries: the interventions, their snapshots, the offences, the victims, the board meetings, their
attendance and the team names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from cases.models import Programme, Team
from outcomes.interventions import INTERVENTION_KINDS
from outcomes.models import BoardAttendance, BoardMeeting, Offence, Snapshot, VictimContact

UNLINKED = "unlinked"  # an offence or victim recorded without a programme: its "programme type" group


@dataclass
class Facts:
    """The rows behind the figures for the days `date_from` to `date_to`."""

    date_from: datetime.date
    date_to: datetime.date
    # Interventions (programmes of INTERVENTION_KINDS) that started or ended in the span, child and team
    # joined in.
    interventions: list[Programme] = field(default_factory=list)
    # (programme id, "start" | "end") -> the snapshot.
    snapshots: dict[tuple[int, str], Snapshot] = field(default_factory=dict)
    offences: list[Any] = field(default_factory=list)  # rows as values() dicts
    victims: list[Any] = field(default_factory=list)  # rows as values() dicts
    meetings: list[Any] = field(default_factory=list)  # rows as values() dicts
    attendance: list[Any] = field(default_factory=list)  # rows as values() dicts
    team_names: dict[int, str] = field(default_factory=dict)


def kpi_facts(*, date_from: datetime.date, date_to: datetime.date) -> Facts:
    """Every KPI fact dated in the span (both days included), in seven queries."""
    span = (date_from, date_to)
    in_span = Q(start_date__range=span) | Q(end_date__range=span)
    interventions = list(
        Programme.objects.filter(in_span, kind__in=INTERVENTION_KINDS)
        .select_related("child", "child__team")
        .order_by("start_date", "pk")
    )
    snapshots = Snapshot.objects.filter(
        Q(programme__start_date__range=span) | Q(programme__end_date__range=span),
        programme__kind__in=INTERVENTION_KINDS,
    ).only("id", "programme_id", "child_id", "point", "as_of", "values", "missing", "complete")
    offences = Offence.objects.filter(proven_on__range=span).values(
        "id",
        "child_id",
        "child__team_id",
        "child__case_number",
        "child__first_name",
        "child__last_name",
        "programme__kind",
        "proven_on",
        "description",
        "gravity",
        "serious_violence",
    )
    victims = VictimContact.objects.filter(identified_on__range=span).values(
        "id",
        "child_id",
        "child__team_id",
        "child__case_number",
        "child__first_name",
        "child__last_name",
        "programme__kind",
        "reference",
        "identified_on",
        "consented",
        "views_sought",
        "information_given",
        "rj_offered",
        "rj_taken_part",
    )
    meetings = BoardMeeting.objects.filter(held_on__range=span).values("id", "held_on")
    attendance = BoardAttendance.objects.filter(meeting__held_on__range=span).values(
        "meeting_id", "partner", "attended", "senior"
    )
    return Facts(
        date_from=date_from,
        date_to=date_to,
        interventions=interventions,
        snapshots={(s.programme_id, s.point): s for s in snapshots},
        offences=list(offences.order_by("proven_on", "id")),
        victims=list(victims.order_by("identified_on", "id")),
        meetings=list(meetings.order_by("held_on")),
        attendance=list(attendance),
        team_names=dict(Team.objects.values_list("pk", "name")),
    )
