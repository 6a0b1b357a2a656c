"""The kinds of KPI fact recorded on a child's Circumstances tab: one entry each, shared by the services,
the forms, the views and the timeline (issue 21).

`slug` names the kind in addresses and in the timeline event's source ("outcome:<slug>:<pk>");
`date_field` is the day the record is about, which is the day its timeline entry shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Accommodation, Education, HealthNeed, Offence, SpecialNeed, VictimContact, WiderService


def _yes(value) -> str:
    return "yes" if value else "no"


def _accommodation(r: Accommodation) -> str:
    return f"Accommodation: {r.get_kind_display().lower()} ({'suitable' if r.suitable else 'not suitable'})"


def _hours(value) -> str:
    """Hours as a person writes them: 20, 14.5 (never 20.0)."""
    return f"{value.normalize():f}"


def _ete(r: Education) -> str:
    hours = ""
    if r.hours_offered is not None:
        hours = f", {_hours(r.hours_offered)} hours a week offered"
        if r.hours_attended is not None:
            hours += f", {_hours(r.hours_attended)} attended"
    return f"Education, training or employment: {r.get_provision_display().lower()}{hours}"


def _send(r: SpecialNeed) -> str:
    if not r.identified:
        return "Special educational needs: none identified"
    year = f" for {r.plan_academic_year}" if r.plan_academic_year else ""
    return f"Special educational needs: {r.need or 'identified'} ({r.get_plan_display()}{year})"


def _health(r: HealthNeed) -> str:
    found = "need for an intervention identified" if r.need_identified else "no need identified"
    return f"{r.get_area_display()} screening: {found}"


def _wider(r: WiderService) -> str:
    return f"Wider services: {r.get_kind_display()}"


def _offence(r: Offence) -> str:
    sv = ", serious violence" if r.serious_violence else ""
    return f"Offence: {r.description} (gravity {r.gravity}{sv})"


def _victim(r: VictimContact) -> str:
    return f"Victim {r.reference}: consented to contact {_yes(r.consented)}"


@dataclass(frozen=True)
class RecordKind:
    slug: str
    model: Any  # one of the outcomes models (a union mypy cannot narrow through a registry)
    label: str  # "accommodation": what one record is, in a sentence
    heading: str  # the tab's section heading
    date_field: str
    summary: Callable[[Any], str]
    dated: bool = True  # from/until dates (a Dated record): the current one is shown first


KINDS: dict[str, RecordKind] = {
    k.slug: k
    for k in (
        RecordKind(
            "accommodation", Accommodation, "accommodation", "Accommodation", "from_date", _accommodation
        ),
        RecordKind(
            "ete",
            Education,
            "education, training or employment",
            "Education, training and employment",
            "from_date",
            _ete,
        ),
        RecordKind(
            "send",
            SpecialNeed,
            "special educational needs",
            "Special educational needs and disabilities",
            "from_date",
            _send,
        ),
        RecordKind("health", HealthNeed, "health screening", "Health screenings", "from_date", _health),
        RecordKind("wider-services", WiderService, "wider service", "Wider services", "from_date", _wider),
        RecordKind("offences", Offence, "offence", "Offences", "committed_on", _offence, dated=False),
        RecordKind("victims", VictimContact, "victim", "Victims", "identified_on", _victim, dated=False),
    )
}


def kind_for(record: Any) -> RecordKind:
    """The kind of a record."""
    return next(k for k in KINDS.values() if isinstance(record, k.model))
