"""Factories for the KPI facts (fictional data only)."""

import datetime

import factory

from outcomes.models import (
    Accommodation,
    Education,
    HealthNeed,
    Offence,
    SpecialNeed,
    VictimContact,
    WiderService,
)


class DatedFactory(factory.django.DjangoModelFactory):
    from_date = datetime.date(2026, 1, 5)
    to_date = None


class AccommodationFactory(DatedFactory):
    class Meta:
        model = Accommodation

    kind = Accommodation.Kind.PARENTS
    suitable = True


class EducationFactory(DatedFactory):
    class Meta:
        model = Education

    provision = Education.Provision.MAINSTREAM_SCHOOL
    hours_offered = 25
    hours_attended = 20
    suitable = True


class SpecialNeedFactory(DatedFactory):
    class Meta:
        model = SpecialNeed

    identified = True
    need = "Speech, language and communication"
    plan = SpecialNeed.Plan.EHCP
    plan_academic_year = "2025/26"


class HealthNeedFactory(DatedFactory):
    class Meta:
        model = HealthNeed

    area = HealthNeed.Area.MENTAL_HEALTH
    need_identified = False


class WiderServiceFactory(DatedFactory):
    class Meta:
        model = WiderService

    kind = WiderService.Kind.EARLY_HELP


class OffenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offence

    committed_on = datetime.date(2025, 12, 1)
    description = "Theft from a shop"
    category = Offence.Category.THEFT
    gravity = 2


class VictimContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VictimContact

    reference = "VR-0001"
    identified_on = datetime.date(2025, 12, 2)


def full_record(*, child, user, day=datetime.date(2026, 1, 5)):
    """Every fact a snapshot needs, held from `day`: accommodation, ETE, SEND and both screenings."""
    common = {"child": child, "recorded_by": user, "from_date": day}
    return [
        AccommodationFactory(**common),
        EducationFactory(**common),
        SpecialNeedFactory(**common),
        HealthNeedFactory(area=HealthNeed.Area.MENTAL_HEALTH, **common),
        HealthNeedFactory(area=HealthNeed.Area.SUBSTANCE_MISUSE, **common),
    ]
