"""When the demo's KPI snapshots were completed (issue 21): dated as a service would have them, and
their records dated as entered to match, so the demo is one the product itself could have made (a
snapshot's completion is the day its last fact was entered: outcomes/snapshots.py), and it goes through
the import format and back unchanged (issue 22, tests/onboarding/test_round_trip.py)."""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections import defaultdict

from outcomes.models import Accommodation, Education, HealthNeed, Snapshot, SpecialNeed, WiderService
from outcomes.snapshots import CHUNK, snapshots_refresh

from .common import on_time_rate

LONDON = zoneinfo.ZoneInfo("Europe/London")
SNAPSHOT_FACTS = (Accommodation, Education, SpecialNeed, HealthNeed, WiderService)


def _completion_day(rnd: random.Random, snap: Snapshot, team_id: int, today: datetime.date) -> datetime.date:
    """Most on their own day (the facts known at the start), some days later, a few after the
    timescale; by team, improving."""
    roll = rnd.random()
    if roll < 0.6:
        day = snap.as_of
    elif roll < on_time_rate(team_id=team_id, due=snap.as_of, today=today):
        day = snap.as_of + datetime.timedelta(days=rnd.randint(1, 9))  # well inside either timescale
    else:
        day = snap.as_of + datetime.timedelta(days=rnd.randint(25, 55))  # after either timescale
    return min(max(day, snap.as_of), today)


def date_completion(rnd: random.Random, today: datetime.date, teams: dict[int, int]) -> None:
    """Choose each complete snapshot's completion day; date each record it uses as entered on the
    earliest completion of a snapshot it covers; then take the snapshots again from those entries."""
    completions: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for snap in Snapshot.objects.filter(complete=True).order_by("pk"):
        day = _completion_day(rnd, snap, teams.get(snap.child_id, 0), today)
        completions[snap.child_id].append((snap.as_of, day))
    for model in SNAPSHOT_FACTS:
        entered: list = []
        for record in model.objects.filter(child_id__in=list(completions)).iterator(chunk_size=CHUNK):
            days = [day for as_of, day in completions[record.child_id] if record.covers(as_of)]
            if days:
                record.created_at = datetime.datetime.combine(min(days), datetime.time(12), tzinfo=LONDON)
                entered.append(record)
        model.objects.bulk_update(entered, ["created_at"], batch_size=CHUNK)
    Snapshot.objects.all().delete()
    snapshots_refresh(child_ids=sorted(teams), today=today)
