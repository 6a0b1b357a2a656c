"""The snapshots the product takes of a child's KPI facts at each intervention's start and end (issue 21).

For every intervention (outcomes.interventions.INTERVENTION_KINDS) a `start` snapshot as of its start date
and, once it has ended, an `end` snapshot as of its end date (for DTO custody the end is the release: KPI 1
"being released from custody"). `values` follows the contract in outcomes/interventions.py exactly.

A snapshot is (re)taken whenever a programme is saved (outcomes/signals.py) and whenever an outcomes record
of the child changes (outcomes/services.py), so records entered late fill it in and a correction updates it.
A point not yet reached (a start or end date after today) has no snapshot. Refreshing is bulk-friendly:
`snapshots_refresh(child_ids=...)` costs the same few queries for one child or five thousand.

`completed_on` is the day the snapshot had every required fact: its own date when the facts were on the
record by then, else the day the last of them was entered; once complete it keeps that day through
corrections, and loses it only if a correction leaves a fact missing again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.models import Child, Programme

from .interventions import INTERVENTION_KINDS, REQUIRED_KEYS, SNAPSHOT_KEYS
from .models import Accommodation, Education, HealthNeed, Snapshot, SpecialNeed, WiderService

WIDER_ORDER = [kind for kind, _ in WiderService.Kind.choices]
# Keep each `IN (...)` well below SQLite's limit on a statement's variables.
CHUNK = 500


def academic_year(day: datetime.date) -> str:
    """The academic year (1 September to 31 August) containing `day`, as "2026/27"."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Whole years of age on `day` (a 29 February birthday comes on 1 March in other years)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def school_age(date_of_birth: datetime.date, day: datetime.date) -> bool:
    """Of compulsory school age on `day`: under 16 on the 31 August before the academic year containing it."""
    start = day.year if day.month >= 9 else day.year - 1
    return age_on(date_of_birth, datetime.date(start, 8, 31)) < 16


def _hours(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _covering(records: list, day: datetime.date):
    """The record that held on `day`: the latest to start (records come latest first)."""
    return next((r for r in records if r.covers(day)), None)


def snapshot_values(
    *, date_of_birth: datetime.date, day: datetime.date, records: dict[str, list]
) -> tuple[dict, list, list]:
    """`values` as the contract states it for `day`, the keys missing, and the records used.

    `records` maps "accommodation", "ete", "send", "mental_health", "substance_misuse" and
    "wider_services" to the child's records of that kind, latest first (`from_date`, then pk)."""
    used = []
    values: dict = {}
    acc = _covering(records.get("accommodation", []), day)
    values["accommodation"] = None if acc is None else {"kind": acc.kind, "suitable": acc.suitable}
    ete = _covering(records.get("ete", []), day)
    values["ete"] = (
        None
        if ete is None
        else {
            "provision": ete.provision,
            "hours_offered": _hours(ete.hours_offered),
            "hours_attended": _hours(ete.hours_attended),
            "suitable": ete.suitable,
            "school_age": school_age(date_of_birth, day),
        }
    )
    send = _covering(records.get("send", []), day)
    if send is None:
        values["send"] = None
    elif not send.identified:
        values["send"] = {"identified": False}
    else:
        values["send"] = {
            "identified": True,
            "plan": send.plan,
            "plan_current": send.plan != SpecialNeed.Plan.NONE
            and send.plan_academic_year == academic_year(day),
        }
    for area in ("mental_health", "substance_misuse"):
        screening = _covering(records.get(area, []), day)
        if screening is None:
            values[area] = None
            continue
        used.append(screening)
        # Planned or offered by that day: an offer dated later had not been made yet.
        offered = screening.need_identified and (
            screening.offered_on <= day if screening.offered_on else bool(screening.intervention.strip())
        )
        values[area] = {
            "screened": True,
            "need_identified": screening.need_identified,
            "offered": offered,
            "attending": screening.attending if offered else None,
        }
    used += [r for r in (acc, ete, send) if r is not None]
    held = {r.kind for r in records.get("wider_services", []) if r.covers(day)}
    values["wider_services"] = [kind for kind in WIDER_ORDER if kind in held]
    assert tuple(values) == SNAPSHOT_KEYS
    missing = [key for key in REQUIRED_KEYS if values[key] is None]
    return values, missing, used


def _records_by_child(child_ids: list[int]) -> dict[int, dict[str, list]]:
    """Every snapshot-relevant record of these children, by child then contract key, latest first."""
    found: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    kinds: tuple[tuple[str, Any], ...] = (
        ("accommodation", Accommodation),
        ("ete", Education),
        ("send", SpecialNeed),
        ("wider_services", WiderService),
        ("health", HealthNeed),
    )
    for key, model in kinds:
        for chunk in _chunks(child_ids):
            for record in model.objects.filter(child_id__in=chunk).order_by("-from_date", "-pk"):
                found[record.child_id][record.area if key == "health" else key].append(record)
    return found


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _wanted(programme: dict, today: datetime.date) -> list[tuple[str, datetime.date]]:
    """The points of a programme reached by today: its start, and its end once it has ended."""
    points: list[tuple[str, datetime.date]] = []
    if programme["start_date"] <= today:
        points.append((Snapshot.Point.START, programme["start_date"]))
    end = programme["end_date"]
    if end is not None and end <= today and end >= programme["start_date"]:
        points.append((Snapshot.Point.END, end))
    return points


def _completed_on(*, as_of: datetime.date, used: list, previous: Snapshot | None) -> datetime.date:
    """The day a complete snapshot became complete (see the module's docstring)."""
    if previous is not None and previous.complete and previous.completed_on:
        return previous.completed_on
    entered = [timezone.localdate(r.created_at) for r in used if r.created_at]
    return max([as_of, *entered])


@transaction.atomic
def snapshots_refresh(*, child_ids: Iterable[int], today: datetime.date | None = None) -> int:
    """Take or refresh every snapshot of these children's interventions; returns how many changed.

    A constant number of queries whatever the number of children (chunked only past CHUNK children):
    the children, their programmes, five kinds of record and the snapshots they have, then one insert,
    one update and one delete."""
    ids = sorted(set(child_ids))
    if not ids:
        return 0
    today = today or timezone.localdate()
    births: dict[int, datetime.date] = {}
    programmes: list[Any] = []
    existing: dict[tuple[int, str], Snapshot] = {}
    for chunk in _chunks(ids):
        births.update(Child.objects.filter(pk__in=chunk).values_list("pk", "date_of_birth"))
        programmes += list(
            Programme.objects.filter(child_id__in=chunk, kind__in=INTERVENTION_KINDS).values(
                "pk", "child_id", "start_date", "end_date"
            )
        )
        for snap in Snapshot.objects.filter(child_id__in=chunk):
            existing[(snap.programme_id, snap.point)] = snap
    records = _records_by_child(ids)
    create, update = [], []
    keep: set[int] = set()
    now = timezone.now()
    for programme in programmes:
        child_id = programme["child_id"]
        for point, as_of in _wanted(programme, today):
            values, missing, used = snapshot_values(
                date_of_birth=births[child_id], day=as_of, records=records.get(child_id, {})
            )
            previous = existing.get((programme["pk"], point))
            complete = not missing
            completed_on = _completed_on(as_of=as_of, used=used, previous=previous) if complete else None
            if previous is None:
                create.append(
                    Snapshot(
                        child_id=child_id,
                        programme_id=programme["pk"],
                        point=point,
                        as_of=as_of,
                        values=values,
                        missing=missing,
                        complete=complete,
                        completed_on=completed_on,
                        taken_at=now,
                    )
                )
                continue
            keep.add(previous.pk)
            state = (as_of, values, missing, complete, completed_on)
            if (
                previous.as_of,
                previous.values,
                previous.missing,
                previous.complete,
                previous.completed_on,
            ) != state:
                previous.as_of, previous.values, previous.missing = as_of, values, missing
                previous.complete, previous.completed_on, previous.taken_at = complete, completed_on, now
                update.append(previous)
    # A point no longer reached (an end date removed, a programme no longer an intervention) goes.
    stale = [snap.pk for snap in existing.values() if snap.pk not in keep]
    if create:
        Snapshot.objects.bulk_create(create, batch_size=CHUNK)
    if update:
        Snapshot.objects.bulk_update(
            update, ["as_of", "values", "missing", "complete", "completed_on", "taken_at"], batch_size=CHUNK
        )
    for chunk in _chunks(stale):
        Snapshot.objects.filter(pk__in=chunk).delete()
    return len(create) + len(update) + len(stale)


def child_snapshots_refresh(*, child_id: int, today: datetime.date | None = None) -> int:
    """Take or refresh one child's snapshots (a constant number of queries)."""
    return snapshots_refresh(child_ids=[child_id], today=today)
