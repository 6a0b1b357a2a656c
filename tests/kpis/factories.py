"""Factories for the KPI records (outcomes) as the KPI figures read them, and snapshot values that follow
the contract in outcomes/interventions.py."""

import datetime

import factory
from factory.django import DjangoModelFactory

from demo.factories import ChildFactory, ProgrammeFactory, UserFactory
from outcomes.models import BoardAttendance, BoardMeeting, Offence, Snapshot, VictimContact


def values(**parts) -> dict:
    """A complete snapshot's values (every field recorded, nothing found), with `parts` replacing fields."""
    base = {
        "accommodation": {"kind": "parents", "suitable": True},
        "ete": {
            "provision": "mainstream_school",
            "hours_offered": None,
            "hours_attended": None,
            "suitable": True,
            "school_age": True,
        },
        "send": {"identified": False},
        "mental_health": {"screened": True, "need_identified": False, "offered": False, "attending": None},
        "substance_misuse": {"screened": True, "need_identified": False, "offered": False, "attending": None},
        "wider_services": [],
    }
    base.update(parts)
    return base


def health(*, need: bool, offered: bool = False, attending: bool | None = None) -> dict:
    """A screening's part of a snapshot (mental health or substance misuse)."""
    return {"screened": True, "need_identified": need, "offered": offered, "attending": attending}


def ete(
    provision="mainstream_school", *, suitable=True, school_age=True, offered=None, attended=None
) -> dict:
    """The ETE part of a snapshot."""
    return {
        "provision": provision,
        "hours_offered": offered,
        "hours_attended": attended,
        "suitable": suitable,
        "school_age": school_age,
    }


class SnapshotFactory(DjangoModelFactory[Snapshot]):
    """A snapshot of a programme: complete unless `missing` is given (its fields then set to null)."""

    class Meta:
        model = Snapshot

    programme = factory.SubFactory(ProgrammeFactory)
    child = factory.LazyAttribute(lambda s: s.programme.child)
    point = Snapshot.Point.START
    as_of = factory.LazyAttribute(
        lambda s: s.programme.start_date if s.point == Snapshot.Point.START else s.programme.end_date
    )
    values = factory.LazyFunction(values)
    missing = factory.LazyFunction(list)
    complete = factory.LazyAttribute(lambda s: not s.missing)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """A field listed as missing is null in the values, as the contract says."""
        for key in kwargs.get("missing") or []:
            kwargs["values"] = {**kwargs["values"], key: None}
        return super()._create(model_class, *args, **kwargs)


class OffenceFactory(DjangoModelFactory[Offence]):
    class Meta:
        model = Offence

    child = factory.SubFactory(ChildFactory)
    committed_on = datetime.date(2026, 6, 1)
    proven_on = datetime.date(2026, 8, 1)
    description = factory.Sequence(lambda n: f"Offence {n:04d}")
    category = Offence.Category.THEFT
    gravity = 3
    serious_violence = False
    recorded_by = factory.SubFactory(UserFactory)


class VictimFactory(DjangoModelFactory[VictimContact]):
    class Meta:
        model = VictimContact

    child = factory.SubFactory(ChildFactory)
    reference = factory.Sequence(lambda n: f"VIC-{n:04d}")
    identified_on = datetime.date(2026, 8, 1)
    consented = True
    recorded_by = factory.SubFactory(UserFactory)


class BoardMeetingFactory(DjangoModelFactory[BoardMeeting]):
    class Meta:
        model = BoardMeeting

    held_on = datetime.date(2026, 8, 1)
    recorded_by = factory.SubFactory(UserFactory)


def attendance(meeting, partner: str, *, attended: bool = True, senior: bool = False) -> BoardAttendance:
    """A partner's attendance at a board meeting."""
    return BoardAttendance.objects.create(meeting=meeting, partner=partner, attended=attended, senior=senior)
