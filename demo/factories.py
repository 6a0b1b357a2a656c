"""factory-boy factories for the cases app's models, used by the tests and by `seed_demo`. All names are
fictional."""

import datetime
from functools import cache

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from cases.models import Child, Event, EventType, Gender, Programme, RiskLevel, Role, Team, User

FACTORY_PASSWORD = "correct-horse-battery"


@cache
def _password_hash(raw: str = FACTORY_PASSWORD) -> str:
    """Hash once per process: PBKDF2 per user would dominate tests and the demo seed."""
    return make_password(raw)


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    kind = Team.Kind.LOCALITY


class UserFactory(DjangoModelFactory[User]):
    """Tests get fixed, distinct names ("Staff00017 Member00017"); the demo passes realistic=True."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        realistic = factory.Trait(
            first_name=factory.Maybe(
                factory.LazyAttribute(lambda u: u.gender == Gender.FEMALE),
                factory.Faker("first_name_female", locale="en_GB"),
                factory.Faker("first_name_male", locale="en_GB"),
            ),
            last_name=factory.Faker("last_name", locale="en_GB"),
        )

    username = factory.Sequence(lambda n: f"worker{n}")
    first_name = factory.Sequence(lambda n: f"Staff{n:05d}")
    last_name = factory.Sequence(lambda n: f"Member{n:05d}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@yjs.invalid")
    role = Role.CASE_MANAGER
    team = factory.SubFactory(TeamFactory)
    gender = factory.Iterator([Gender.FEMALE, Gender.MALE])
    password = factory.LazyFunction(_password_hash)


class ChildFactory(DjangoModelFactory[Child]):
    """Tests get fixed, distinct names ("Young00042 Person00042") and birthdays; the demo passes
    realistic=True."""

    class Meta:
        model = Child
        skip_postgeneration_save = True

    class Params:
        realistic = factory.Trait(
            # A first name that goes with the child's gender (a girl is not called Dennis in the demo).
            first_name=factory.Maybe(
                factory.LazyAttribute(lambda c: c.gender_identity == Gender.FEMALE),
                factory.Faker("first_name_female", locale="en_GB"),
                factory.Faker("first_name_male", locale="en_GB"),
            ),
            last_name=factory.Faker("last_name", locale="en_GB"),
            date_of_birth=factory.Faker(
                "date_between", start_date=datetime.date(2008, 1, 1), end_date=datetime.date(2014, 12, 31)
            ),
        )

    first_name = factory.Sequence(lambda n: f"Young{n:05d}")
    last_name = factory.Sequence(lambda n: f"Person{n:05d}")
    # 1 January 2008 to 31 December 2014, spread by the sequence.
    date_of_birth = factory.Sequence(
        lambda n: datetime.date(2008, 1, 1) + datetime.timedelta(days=n * 37 % 2557)
    )
    gender_identity = factory.Iterator([Gender.MALE, Gender.MALE, Gender.MALE, Gender.FEMALE])
    case_number = factory.Sequence(lambda n: f"YJ{100000 + n}")
    team = factory.SubFactory(TeamFactory)
    rosh = factory.Iterator([RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH])
    saw = factory.Iterator([RiskLevel.MEDIUM, RiskLevel.LOW, RiskLevel.HIGH])
    lor = factory.Iterator([RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.LOW])

    @factory.post_generation
    def co_workers(self, create, extracted, **kwargs):
        """Attach co-allocated workers when given: ChildFactory(co_workers=[user])."""
        if create and extracted:
            self.co_workers.set(extracted)


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    child = factory.SubFactory(ChildFactory)
    kind = Programme.Kind.YRO
    start_date = datetime.date(2024, 1, 8)
    length_months = 12


class EventFactory(DjangoModelFactory[Event]):
    class Meta:
        model = Event

    child = factory.SubFactory(ChildFactory)
    event_type = EventType.CONTACT
    occurred_on = datetime.date(2024, 3, 1)
    summary = factory.Sequence(lambda n: f"Contact summary {n:05d}")
    details = factory.Iterator(
        [
            "Attended on time; worked through the reparation plan and agreed next steps.",
            "Spoke with carer about school attendance; no new concerns raised.",
            "Phone contact to confirm next appointment and transport.",
        ]
    )
    author = factory.SubFactory(UserFactory)
