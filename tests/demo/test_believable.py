"""The demo is believable (issue 20): nobody over capacity, ages that fit the programmes, a DTO half in
custody and half on licence, the girl and the worker off sick the README's allocation walk names, and a
few recent overdue items per worker rather than a backlog from last year.

Seeded once for the module at the default size (as `make demo` seeds it) on a fixed day.

Why 13 weeks and 8 items: the longest routine cycle in the policies is three-monthly (AssetPlus and plan
reviews, 001 §6 table), and a team manager sees every worker's overdue items weekly and in monthly
supervision (000 §4.1, 002); an item overdue for longer than one cycle would have been picked up. The demo
leaves work undone only in the last six weeks (demo/seed/common.py RECENT_MISS); what falls due from
that (a missed review's own follow-ups) stays within the bound. Eight is a handful on a caseload of 5-9
children; the seeded demo's most is six.
"""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from cases.allocation import capacity_for
from cases.models import Child, Gender, Leave, Programme, Role, User
from cases.rules.calendar import get_calendar
from cases.selectors.allocation import CASE_HOLDING_ROLES, workload_for_workers
from cases.selectors.mywork import is_overdue, work_items_for
from demo.seed.common import OLDEST, YOUNGEST, YOUNGEST_DTO
from demo.seed.journeys import GIRL, HOLDERS
from demo.seed.people import NAMED_STAFF, SICK_WORKER

TODAY = datetime.date(2026, 12, 4)
OLDEST_OVERDUE = datetime.timedelta(weeks=13)
MOST_OVERDUE = 8
CAL = get_calendar()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The default demo, seeded once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        with override_settings(ALLOW_DEMO_SEED=True), open("/dev/null", "w") as quiet:
            call_command("seed_demo", "--today", TODAY.isoformat(), stdout=quiet)
        yield
        call_command("flush", "--no-input", verbosity=0)


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@pytest.mark.django_db
def test_no_worker_is_over_capacity(demo):
    """003 §2.1: every case holder's weighted load is within their capacity."""
    workers = list(User.objects.filter(role__in=CASE_HOLDING_ROLES, is_active=True))
    loads = workload_for_workers(workers=workers, today=TODAY)
    over = {w.username: loads[w.pk]["weighted"] for w in workers if loads[w.pk]["weighted"] > capacity_for(w)}
    assert not over, over
    # cm.north.1 holds the README's three fresh cases and still has room.
    cm = User.objects.get(username="cm.north.1")
    assert loads[cm.pk]["weighted"] <= capacity_for(cm) * 0.75


@pytest.mark.django_db
def test_fresh_cases_held_as_the_readme_says(demo):
    """The README's fresh cases, with their fixed names and holders; the High ones with a senior (003 §4.1)."""
    for number, (username, age, first, last) in HOLDERS.items():
        child = Child.objects.select_related("case_manager").get(case_number=number)
        assert (child.first_name, child.last_name, child.case_manager.username) == (first, last, username)
        assert age_on(child.date_of_birth, TODAY) == age
        if child.rosh in ("high", "very_high") or child.saw in ("high", "very_high"):
            assert child.case_manager.role in (Role.SENIOR_CASE_MANAGER, Role.ADVANCED_PRACTITIONER), number


@pytest.mark.django_db
def test_every_childs_age_fits_their_programme(demo):
    """10 to 17 when a programme starts, 12 to 17 for a DTO (GLOSSARY "DTO"), counted from the custody
    start for a licence that follows it; no child younger than 10 today."""
    custody_start = {
        p.child_id: p.start_date for p in Programme.objects.filter(kind=Programme.Kind.DTO_CUSTODY)
    }
    wrong = []
    for programme in Programme.objects.select_related("child"):
        born = programme.child.date_of_birth
        if programme.kind == Programme.Kind.PARENTING_ORDER:
            continue  # the parent's order, not the child's
        started = programme.start_date
        youngest = YOUNGEST
        if programme.kind in (Programme.Kind.DTO_CUSTODY, Programme.Kind.DTO_LICENCE):
            youngest = YOUNGEST_DTO
            started = custody_start.get(programme.child_id, started)
        if not youngest <= age_on(born, started) <= OLDEST:
            wrong.append((programme.child.case_number, programme.kind, started, born))
    assert not wrong, wrong
    assert not [c.case_number for c in Child.objects.all() if age_on(c.date_of_birth, TODAY) < YOUNGEST]


@pytest.mark.django_db
def test_a_dto_is_half_custody_then_licence(demo):
    """A DTO of 4 to 24 months: release half-way (the custodial part) and the licence for the other half,
    from the release day; YJ900003's is the README's 12 months, 6 and 6."""
    custody = list(Programme.objects.filter(kind=Programme.Kind.DTO_CUSTODY))
    assert len(custody) >= 5
    for dto in custody:
        assert dto.length_months in (4, 6, 8, 10, 12, 18, 24), dto.child.case_number
        assert dto.custody_months * 2 == dto.length_months
        assert dto.release_date == CAL.add_months(dto.start_date, dto.custody_months)
        licence = Programme.objects.filter(child=dto.child, kind=Programme.Kind.DTO_LICENCE).first()
        if licence is not None:
            assert licence.start_date == dto.release_date
            assert licence.length_months == dto.length_months - dto.custody_months
            assert dto.end_date == dto.release_date
    for licence in Programme.objects.filter(kind=Programme.Kind.DTO_LICENCE):
        assert licence.length_months in (2, 3, 4, 5, 6, 9, 12), licence.child.case_number
    readme = Programme.objects.get(child__case_number="YJ900003")
    assert (readme.length_months, readme.custody_months) == (12, 6)


@pytest.mark.django_db
def test_the_girl_and_the_worker_off_sick_are_as_the_readme_says(demo):
    """003 §2.1, §2.2: Ruby Thornleigh waits for a case manager in South; Nadia Demo-Absent (cm.south.5) is
    off sick, Owen Demo-Worker (cm.south.4) is male, and both are South's case managers."""
    number, first, last, age = GIRL
    girl = Child.objects.get(case_number=number)
    assert (girl.first_name, girl.last_name, girl.gender_identity) == (first, last, Gender.FEMALE)
    assert girl.case_manager is None and girl.is_open and girl.team.name.startswith("South")
    assert age_on(girl.date_of_birth, TODAY) == age
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"**{number}** {first} {last}, {age}, a girl" in readme.replace("\n", " ")
    for username, (first_name, last_name, gender) in NAMED_STAFF.items():
        worker = User.objects.get(username=username)
        assert (worker.first_name, worker.last_name, worker.gender) == (first_name, last_name, gender)
        assert worker.team == girl.team and worker.role == Role.CASE_MANAGER
        assert f"`{username}` **{first_name} {last_name}**" in readme.replace("\n", " ")
    sick = User.objects.get(username=SICK_WORKER)
    assert sick.is_absent and sick.gender == Gender.FEMALE
    assert Leave.objects.filter(worker=sick, kind=Leave.Kind.UNPLANNED, end_date=None).exists()


@pytest.mark.django_db
def test_overdue_items_are_few_and_recent(demo):
    """Each member of staff's My work: at most MOST_OVERDUE overdue items, none overdue for more than 13
    weeks (see the module docstring)."""
    problems = []
    for user in User.objects.filter(is_active=True).order_by("username"):
        overdue = [
            i for i in work_items_for(user=user) if is_overdue(status=i.status, due=i.due, today=TODAY)
        ]
        old = [(i.title, i.due) for i in overdue if i.due and TODAY - i.due > OLDEST_OVERDUE]
        if len(overdue) > MOST_OVERDUE or old:
            problems.append((user.username, len(overdue), old))
    assert not problems, problems
