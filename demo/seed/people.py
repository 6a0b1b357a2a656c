"""The demo's teams and staff: each locality team fully staffed (000 §2) with its team manager reporting to
the service manager, the interventions team, the seconded and coordinator staff with the line managers
000 §2.2-§2.7 and 001 §2 name, and the leave the README describes. All names are fictional."""

import datetime

from cases.models import Child, Gender, Leave, LeaveCover, Role, Team, User

from ..factories import TeamFactory, UserFactory

DEMO_PASSWORD = "demo-only-password"  # fictional demo accounts; seed_demo refuses outside DEBUG

# Locality teams in the order a growing service adds them (fictional areas; one word each, since the
# usernames are tm.<area>, cm.<area>.1, ...). North, South and West are always there (README, tests).
LOCALITIES = [
    "North", "South", "West", "East", "Central", "Riverside", "Forest", "Vale", "Castle", "Meadows",
    "Hillside", "Lakeside", "Moorland", "Parkside", "Brookfield", "Oakwood", "Kingsway", "Fairfield",
    "Greenhill", "Millbrook", "Stonebridge", "Highfield", "Langley", "Redhill", "Ashgrove", "Beechwood",
    "Cedarvale", "Elmfield", "Hawthorn", "Willowbank",
]  # fmt: skip
# Per locality team: role, count (000 §2: TM, AP, SCMs, CMs, YJSO, student, business support).
LOCALITY_STAFF = [
    (Role.TEAM_MANAGER, 1),
    (Role.ADVANCED_PRACTITIONER, 1),
    (Role.SENIOR_CASE_MANAGER, 2),
    (Role.CASE_MANAGER, 5),
    (Role.YJS_OFFICER, 1),
    (Role.STUDENT, 1),
    (Role.BUSINESS_SUPPORT, 1),
]
# Seconded and coordinator staff, each with the line manager 000 §2.2-§2.7 and 001 §2 name
# (supervision/chain.py): username, role, team ("North", ..., "Interventions", "Service"), line manager.
EXTRA_STAFF = [
    ("spo.south", Role.SECONDED_PROBATION, "South", "tm.south"),
    ("police.north", Role.SECONDED_POLICE, "North", "tm.north"),
    ("vc.west", Role.VOLUNTEER_COORDINATOR, "West", "tm.west"),
    ("ete.interventions", Role.ETE_COORDINATOR, "Interventions", "tm.interventions"),
    ("mentoring.interventions", Role.MENTORING_COORDINATOR, "Interventions", "tm.interventions"),
    ("yw.interventions", Role.YOUTH_WORKER, "Interventions", "tm.interventions"),
    ("futures.coordinator", Role.FUTURES_ETE_COORDINATOR, "Interventions", "tm.interventions"),
    ("futures.advisor", Role.FUTURES_ETE_ADVISOR, "Interventions", "futures.coordinator"),
    ("mentor.1", Role.MENTOR, "Interventions", "mentoring.interventions"),
    ("devmgr", Role.DEVELOPMENT_MANAGER, "Service", "sm"),
]
HOLDING_ROLES = {Role.CASE_MANAGER, Role.SENIOR_CASE_MANAGER, Role.YJS_OFFICER, Role.ADVANCED_PRACTITIONER}
SHORT = {
    Role.TEAM_MANAGER: "tm",
    Role.ADVANCED_PRACTITIONER: "ap",
    Role.SENIOR_CASE_MANAGER: "scm",
    Role.CASE_MANAGER: "cm",
    Role.YJS_OFFICER: "yjso",
    Role.STUDENT: "student",
    Role.BUSINESS_SUPPORT: "bs",
    Role.INTERVENTION_WORKER: "iw",
}


def locality_names(count: int) -> list[str]:
    """The first `count` locality names (North, South, West, East, ...; Area31 onwards past the list)."""
    return [LOCALITIES[i] if i < len(LOCALITIES) else f"Area{i + 1}" for i in range(count)]


def team_slug(team: Team) -> str:
    """The area in a team's usernames: "north" for North locality team (tm.north, cm.north.1, ...)."""
    return team.name.split()[0].lower()


def _user(username, role, team, password_hash, line_manager=None, **extra):
    """Create or refresh one demo member of staff."""
    gender = {"gender": extra["gender"]} if "gender" in extra else {}  # names go with it (factories)
    user = UserFactory.create(
        username=username, role=role, team=team, password=password_hash, realistic=True, **gender
    )
    user.line_manager = line_manager
    user.role = role
    user.team = team
    for key, value in extra.items():
        setattr(user, key, value)
    user.password = password_hash  # hashed once: hashing every account would dominate the run
    user.save()
    return user


def build_staff(*, localities: list[str], interventions: int, password_hash: str) -> list[User]:
    """Teams and staff with an unbroken line-management chain up to the service manager (002): each
    locality team's manager reports to the service manager, whatever the number of teams."""
    service = TeamFactory.create(name="Service management", kind=Team.Kind.SERVICE)
    sm = _user("sm", Role.SERVICE_MANAGER, service, password_hash, gender=Gender.FEMALE)
    _user("admin", Role.ADMINISTRATOR, service, password_hash, is_staff=True, is_superuser=True)
    staff = [sm]
    by_team = {"Service": service}
    for locality in localities:
        team = TeamFactory.create(name=f"{locality} locality team", kind=Team.Kind.LOCALITY)
        by_team[locality] = team
        tm = None
        for role, count in LOCALITY_STAFF:
            for i in range(1, count + 1):
                short = SHORT[role]
                username = f"{short}.{locality.lower()}" if count == 1 else f"{short}.{locality.lower()}.{i}"
                manager = sm if role == Role.TEAM_MANAGER else tm
                user = _user(
                    username,
                    role,
                    team,
                    password_hash,
                    line_manager=manager,
                    gender=Gender.FEMALE if i % 2 else Gender.MALE,
                )
                if role == Role.TEAM_MANAGER:
                    tm = user
                staff.append(user)
    team = TeamFactory.create(name="Interventions team", kind=Team.Kind.INTERVENTIONS)
    by_team["Interventions"] = team
    itm = _user("tm.interventions", Role.TEAM_MANAGER, team, password_hash, line_manager=sm)
    staff.append(itm)
    for i in range(1, interventions + 1):
        staff.append(
            _user(f"iw.interventions.{i}", Role.INTERVENTION_WORKER, team, password_hash, line_manager=itm)
        )
    by_name = {u.username: u for u in staff}
    for i, (username, role, team_name, manager) in enumerate(EXTRA_STAFF):
        user = _user(
            username,
            role,
            by_team[team_name],
            password_hash,
            line_manager=by_name[manager],
            gender=Gender.FEMALE if i % 2 else Gender.MALE,
        )
        by_name[username] = user
        staff.append(user)
    # A smaller service than last time leaves no demo staff or empty teams behind.
    User.objects.exclude(pk__in=[u.pk for u in staff]).filter(
        is_superuser=False, username__regex=r"^(tm|ap|scm|cm|yjso|student|bs|iw)\.[a-z0-9]+(\.[0-9]+)?$"
    ).delete()
    Team.objects.exclude(pk__in=[t.pk for t in by_team.values()]).filter(
        kind=Team.Kind.LOCALITY, members__isnull=True, children__isnull=True
    ).delete()
    return staff


# The staff the README's allocation walk names (003 §2.1, §2.2): South's case manager off sick and a male
# case manager, with fixed fictional names so the walk can say whom to choose.
NAMED_STAFF = {
    "cm.south.5": ("Nadia", "Demo-Absent", Gender.FEMALE),
    "cm.south.4": ("Owen", "Demo-Worker", Gender.MALE),
}
SICK_WORKER = "cm.south.5"


def build_leave(by_name: dict, today: datetime.date) -> None:
    """cm.south.5 (Nadia Demo-Absent) is off sick (003 §7.2); cm.north.2 has leave booked with cover
    (003 §7.1)."""
    for username, (first, last, gender) in NAMED_STAFF.items():
        User.objects.filter(username=username).update(first_name=first, last_name=last, gender=gender)
    sick, tm_south = by_name[SICK_WORKER], by_name["tm.south"]
    User.objects.filter(pk=sick.pk).update(is_absent=True)
    Leave.objects.create(
        worker=sick,
        kind=Leave.Kind.UNPLANNED,
        start_date=today - datetime.timedelta(days=9),
        notes="Sickness absence; no return date yet.",
        recorded_by=tm_south,
        cases_reviewed_on=today - datetime.timedelta(days=5),
    )
    away, cover = by_name["cm.north.2"], by_name["cm.north.3"]
    leave = Leave.objects.create(
        worker=away,
        kind=Leave.Kind.PLANNED,
        start_date=today + datetime.timedelta(days=14),
        end_date=today + datetime.timedelta(days=25),
        notes="Annual leave.",
        recorded_by=away,
    )
    for child in Child.objects.filter(case_manager=away, is_open=True):
        LeaveCover.objects.create(
            leave=leave, child=child, cover_worker=cover, arrangements="Keep weekly appointments."
        )
