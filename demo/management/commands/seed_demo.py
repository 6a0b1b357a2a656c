"""`manage.py seed_demo`: a realistic fictional service to explore, of any size. Re-runnable; refuses in
production.

`--children N` (default 300) children over `--years` (default 3) of history, about four in ten still
open; locality teams in proportion (about 90 open children each, at least North, South and West), each
with a team manager reporting to the service manager, an AP, senior case managers, case managers, a YJS
officer, a student and business support; the interventions team grows with them. The records are
written in one transaction (a failure leaves the previous demo as it was); every child's and worker's
obligations are then computed in batches, and the morning's alerts raised.
"""

import contextlib
import datetime
import random
import time

import factory.random
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.signals import post_delete, pre_delete
from django.test import override_settings
from django.utils import timezone
from faker import Faker
from simple_history.models import HistoricalRecords

from alerts import demo as alerts_demo
from cases import allocation as allocation_policy
from cases import services
from cases.demo import CAL, CaseWork
from cases.factories import ChildFactory, TeamFactory, UserFactory, _password_hash
from cases.models import (
    HIGH_LEVELS,
    Allocation,
    Assessment,
    AuditEntry,
    Child,
    Contact,
    Document,
    Event,
    EventType,
    FactSnapshot,
    Gender,
    Leave,
    LeaveCover,
    Obligation,
    Plan,
    Programme,
    RiskLevel,
    Role,
    Task,
    Team,
    User,
)
from courts import demo as court_demo
from mappa import demo as mappa_demo
from meetings.demo import build_history, build_journeys
from meetings.models import Meeting
from supervision.demo import NEW_WORKER, build_supervision, clear_supervision
from supervision.models import ClosureCheck
from supervision.selectors.oocd import OVERSIGHT_KINDS
from transfers import demo_external as transfer_in_out_demo
from transfers import demo_internal as internal_transfer_demo

DEMO_PASSWORD = "demo-only-password"  # fictional demo accounts; seed_demo refuses outside DEBUG

# Locality teams in the order a growing service adds them (fictional areas; one word each, since the
# usernames are tm.<area>, cm.<area>.1, ...). North, South and West are always there (README, tests).
LOCALITIES = [
    "North", "South", "West", "East", "Central", "Riverside", "Forest", "Vale", "Castle", "Meadows",
    "Hillside", "Lakeside", "Moorland", "Parkside", "Brookfield", "Oakwood", "Kingsway", "Fairfield",
    "Greenhill", "Millbrook", "Stonebridge", "Highfield", "Langley", "Redhill", "Ashgrove", "Beechwood",
    "Cedarvale", "Elmfield", "Hawthorn", "Willowbank",
]  # fmt: skip
MIN_TEAMS = 3
# About this many open children per locality team: with the staff below that is about 8-15 each for a
# case manager or senior case manager, within their capacity in weighted points (cases/allocation.py).
OPEN_PER_TEAM = 90
# The share of children whose programme is still running; the rest closed during the years of history.
OPEN_SHARE = 0.42
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
PROGRAMME_MIX = [
    (Programme.Kind.REFERRAL_ORDER, 30, (3, 12)),
    (Programme.Kind.YRO, 20, (6, 24)),
    (Programme.Kind.OOCD_INTERVENTION, 15, None),
    (Programme.Kind.OOCD_YCC, 5, None),
    (Programme.Kind.MY_FUTURE, 10, None),
    (Programme.Kind.BAIL_SUPERVISION_SUPPORT, 5, None),
    (Programme.Kind.DTO_LICENCE, 5, None),
    (Programme.Kind.DTO_CUSTODY, 3, None),
    (Programme.Kind.REMAND, 3, None),
    (Programme.Kind.PSR, 4, None),
]
# How long a programme without a length in months runs, in days (about); a PSR runs to its court date
# and DTO custody to release, then its licence for as long again.
RUNS_FOR = {
    Programme.Kind.OOCD_INTERVENTION: (84, 126),
    Programme.Kind.OOCD_YCC: (56, 112),
    Programme.Kind.MY_FUTURE: (84, 182),
    Programme.Kind.BAIL_SUPERVISION_SUPPORT: (28, 120),
    Programme.Kind.REMAND: (14, 120),
    Programme.Kind.DTO_LICENCE: (90, 270),
}
# Programmes that end early: breach, revocation, or a new sentence superseding them.
EARLY_ENDS = [
    Programme.ClosureReason.BREACHED,
    Programme.ClosureReason.REVOKED,
    Programme.ClosureReason.SENTENCED,
]
# Programmes whose AssetPlus is reviewed 3- or 6-monthly, so a review can be waiting for sign-off.
SIGN_OFF_KINDS = {
    Programme.Kind.YRO,
    Programme.Kind.REFERRAL_ORDER,
    Programme.Kind.BAIL_SUPERVISION_SUPPORT,
    Programme.Kind.DTO_LICENCE,
    Programme.Kind.DTO_CUSTODY,
}
# RoSH, SaW and LoR as drawn: mostly Low or Medium, about one in seven High or Very High.
LEVELS = [RiskLevel.LOW] * 12 + [RiskLevel.MEDIUM] * 7 + [RiskLevel.HIGH] * 2 + [RiskLevel.VERY_HIGH]
# Contacts, assessments and plans are structured records (cases/demo.py); these are the other notes.
# Case discussions are records too (supervision/demo.py), so no generic "Management Oversight -
# Supervision" notes here: they would count as discussions twice.
EVENT_MIX = [
    (EventType.HOME_VISIT, "Home visit to confirm address and living arrangements"),
    (EventType.CMM_ACTIONS, "CMM actions recorded: safety plan refreshed, ETE referral"),
    (EventType.MANAGEMENT_OVERSIGHT_PANEL, "Management Oversight by OOCD panel: intervention agreed"),
    (EventType.SAFEGUARDING, "Safeguarding concern shared with the allocated social worker"),
    (EventType.COURT, "Court update: adjourned for reports"),
    (EventType.NOTE, "Email from school: attendance improving this half term"),
]
ETHNICITIES = [
    "White British",
    "Black Caribbean",
    "Mixed White and Black Caribbean",
    "Asian Pakistani",
    "White Other",
    "Black African",
    "Not stated",
    "",
]


def team_count(children: int) -> int:
    """Locality teams for a service of `children` (about OPEN_PER_TEAM open children each, at least 3)."""
    return max(MIN_TEAMS, round(children * OPEN_SHARE / OPEN_PER_TEAM))


def locality_names(count: int) -> list[str]:
    """The first `count` locality names (North, South, West, East, ...; Area31 onwards past the list)."""
    return [LOCALITIES[i] if i < len(LOCALITIES) else f"Area{i + 1}" for i in range(count)]


@contextlib.contextmanager
def _history_signals_off(models):
    """Delete without django-simple-history's per-row receivers, so Django deletes in bulk (seed_demo
    removes the history rows of everything it replaces itself)."""
    disconnected = []
    for model in models:
        for signal in (pre_delete, post_delete):
            # Django's own list of a sender's receivers (sync ones first); public API has none.
            for receiver in list(signal._live_receivers(model)[0]):
                if isinstance(getattr(receiver, "__self__", None), HistoricalRecords):
                    signal.disconnect(receiver, sender=model)
                    disconnected.append((signal, receiver, model))
    try:
        yield
    finally:
        for signal, receiver, model in disconnected:
            signal.connect(receiver, sender=model, weak=False)


class _Caseloads:
    """Allocates each open child to the team's case holder with the most room, in weighted points
    against their capacity (003 §2.1, cases/allocation.py), within the allocation rules (003 §2.2, §4.1)."""

    def __init__(self, holders: dict[int, list], rnd, new_worker_from: datetime.date):
        self.holders = holders
        self.rnd = rnd
        self.points: dict[int, int] = {}
        self.new_worker_from = new_worker_from

    def _pool(self, team_id, *, high: bool, girl: bool, start: datetime.date) -> list:
        pool = [
            u
            for u in self.holders[team_id]
            if not (u.username == NEW_WORKER and start < self.new_worker_from)
        ]
        if high:  # 003 §4.1: High and Very High go to Band B or above, never to a YJS officer
            pool = [u for u in pool if u.role != Role.YJS_OFFICER] or pool
        if girl:  # 003 §2.2: girls are allocated female case managers
            pool = [u for u in pool if u.gender == Gender.FEMALE] or pool
        return pool

    def pick_open(self, team_id, *, weight: int, high: bool, girl: bool, start: datetime.date):
        """The holder of a running case: the most room left, seniors first for High cases."""
        pool = self._pool(team_id, high=high, girl=girl, start=start)

        def fullness(user):
            load = (self.points.get(user.pk, 0) + weight) / max(1, allocation_policy.capacity_for(user))
            if high and user.role not in allocation_policy.SENIOR_ROLES:
                load += 0.35
            return load + self.rnd.random() * 0.15

        holder = min(pool, key=fullness)
        self.points[holder.pk] = self.points.get(holder.pk, 0) + weight
        return holder

    def pick_closed(self, team_id, *, high: bool, girl: bool, start: datetime.date):
        """The holder of a case that has since closed, in proportion to each holder's capacity."""
        pool = self._pool(team_id, high=high, girl=girl, start=start)
        weights = [allocation_policy.capacity_for(u) or 1 for u in pool]
        return self.rnd.choices(pool, weights=weights)[0]


class Command(BaseCommand):
    help = (
        "Create a fictional service of a given size (--children, default 300) with several years of "
        "history (--years, default 3): locality teams in proportion, staff, children and their records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--children",
            type=int,
            default=300,
            help="How many children over the years of history (default 300; about 42%% still open)",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=3,
            help="Years of history: programmes start over this span (default 3)",
        )
        parser.add_argument("--seed", type=int, default=2024, help="Random seed, for the same data each run")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Date the demo history ends (default today)",
        )

    def handle(self, *args, **opts):
        if not settings.DEBUG and not getattr(settings, "ALLOW_DEMO_SEED", False):
            raise CommandError("seed_demo refuses to run with DEBUG off: it replaces every child record.")
        if opts["children"] < 1:
            raise CommandError("--children must be at least 1")
        if opts["years"] < 1:
            raise CommandError("--years must be at least 1")
        rnd = random.Random(opts["seed"])
        factory.random.reseed_random(opts["seed"])
        Faker.seed(opts["seed"])
        today = opts["today"] or datetime.date.today()
        self.history_start = today - datetime.timedelta(days=round(opts["years"] * 365.25))
        self.password_hash = _password_hash(DEMO_PASSWORD)
        self.timings: list[tuple[str, float, float]] = []
        self._clock = (time.perf_counter(), time.process_time())
        teams = team_count(opts["children"])
        # Fictional invitations are not mailed (they are sent when the transaction commits, so the
        # override spans it).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            with transaction.atomic():
                self._clear()
                self._lap("cleared the previous demo")
                staff = self._staff(teams=teams, interventions=max(3, teams // 2 + 1))
                self._lap("staff")
                count = self._children(rnd, staff, opts["children"], today)
            self._lap("committed the records")
            self._obligations(today)
            # The alerts a morning's sweep would raise, so each role's notifications are real (alerts/).
            with transaction.atomic():
                alerts_demo.build(today=today)
            self._lap("alerts")
        open_count = Child.objects.filter(is_open=True).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo service ready: {teams} locality teams, {len(staff)} staff, {count} children "
                f"({open_count} open) over {opts['years']} years."
            )
        )
        if opts["verbosity"] > 1:
            for label, wall, cpu in self.timings:
                self.stdout.write(f"  {label:<50} {wall:7.1f} s  (CPU {cpu:.1f} s)")
            total = sum(t[1] for t in self.timings), sum(t[2] for t in self.timings)
            self.stdout.write(f"  {'total':<50} {total[0]:7.1f} s  (CPU {total[1]:.1f} s)")
        self.stdout.write(f"Sign in at http://127.0.0.1:8000 with any of these (password: {DEMO_PASSWORD}):")
        for username, label in [
            ("cm.north.1", "case manager, North"),
            ("scm.north.1", "senior case manager, North"),
            ("ap.north", "advanced practitioner, North"),
            ("tm.north", "team manager, North"),
            ("iw.interventions.1", "intervention worker"),
            ("mentoring.interventions", "mentoring coordinator (supervises the part-time mentor)"),
            ("sm", "service manager (sees everything, reads the audit log)"),
            ("admin", "administrator (Django admin only)"),
        ]:
            self.stdout.write(f"  {username:<22} {label}")

    def _lap(self, label: str) -> None:
        """Note how long the step since the last lap took, wall and this process's CPU (--verbosity 2)."""
        now = (time.perf_counter(), time.process_time())
        self.timings.append((label, now[0] - self._clock[0], now[1] - self._clock[1]))
        self._clock = now

    def _user(self, username, role, team, line_manager=None, **extra):
        """Create or refresh one demo member of staff."""
        user = UserFactory(username=username, role=role, team=team, password=self.password_hash)
        user.line_manager = line_manager
        user.role = role
        user.team = team
        for key, value in extra.items():
            setattr(user, key, value)
        user.password = self.password_hash  # hashed once: hashing every account would dominate the run
        user.save()
        return user

    def _staff(self, *, teams: int, interventions: int):
        """Teams and staff with an unbroken line-management chain up to the service manager (002): each
        locality team's manager reports to the service manager, whatever the number of teams."""
        service = TeamFactory(name="Service management", kind=Team.Kind.SERVICE)
        sm = self._user("sm", Role.SERVICE_MANAGER, service, gender=Gender.FEMALE)
        self._user("admin", Role.ADMINISTRATOR, service, is_staff=True, is_superuser=True)
        staff = [sm]
        by_team = {"Service": service}
        for locality in locality_names(teams):
            team = TeamFactory(name=f"{locality} locality team", kind=Team.Kind.LOCALITY)
            by_team[locality] = team
            tm = None
            for role, count in LOCALITY_STAFF:
                for i in range(1, count + 1):
                    short = SHORT[role]
                    username = (
                        f"{short}.{locality.lower()}" if count == 1 else f"{short}.{locality.lower()}.{i}"
                    )
                    manager = sm if role == Role.TEAM_MANAGER else tm
                    user = self._user(
                        username,
                        role,
                        team,
                        line_manager=manager,
                        gender=Gender.FEMALE if i % 2 else Gender.MALE,
                    )
                    if role == Role.TEAM_MANAGER:
                        tm = user
                    staff.append(user)
        team = TeamFactory(name="Interventions team", kind=Team.Kind.INTERVENTIONS)
        by_team["Interventions"] = team
        itm = self._user("tm.interventions", Role.TEAM_MANAGER, team, line_manager=sm)
        staff.append(itm)
        for i in range(1, interventions + 1):
            staff.append(
                self._user(f"iw.interventions.{i}", Role.INTERVENTION_WORKER, team, line_manager=itm)
            )
        by_name = {u.username: u for u in staff}
        for i, (username, role, team_name, manager) in enumerate(EXTRA_STAFF):
            user = self._user(
                username,
                role,
                by_team[team_name],
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

    def _clear(self):
        """Remove the previous demo's records (every child, and what hangs off them), in bulk."""
        history = [Child, Programme, Assessment, Plan, Contact, Meeting]
        with _history_signals_off(history):
            AuditEntry.objects.all().delete()
            alerts_demo.clear()
            Obligation.objects.all().delete()
            FactSnapshot.objects.all().delete()
            clear_supervision()
            for demo in (internal_transfer_demo, transfer_in_out_demo, court_demo, mappa_demo):
                demo.clear()
            for model in (Meeting, Task, Document):
                model.objects.all().delete()
            LeaveCover.objects.all().delete()
            Leave.objects.all().delete()
            for model in (Event, Contact, Allocation):
                model.objects.all().delete()
            Plan.objects.filter(is_review=True).delete()
            for model in (Plan, Assessment, Programme, Child):
                model.objects.all().delete()
            for model in history:
                model.history.all().delete()

    def _programmes(self, rnd, kind, length_range, today, *, open_, waiting):
        """A child's programme(s) as unsaved rows, with the dates their timescales need (timescales.md,
        "Programmes"): one, or DTO custody then its licence. Running ones started within their length
        of today (a child waiting for allocation in the last fortnight); closed ones ended over the
        years of history. Returns the rows and the day the last one ended (None while open)."""
        months = rnd.randint(*length_range) if length_range else None
        programme = Programme(kind=kind, length_months=months)
        if kind == Programme.Kind.PSR:
            lead = total = rnd.randint(15, 28)
        elif kind == Programme.Kind.DTO_CUSTODY:
            programme.custody_months = rnd.choice([4, 6, 8, 12, 18])
            lead = programme.custody_months * 15
            total = lead * 2
        elif months:
            total = round(months * 30.44)
        else:
            total = rnd.randint(*RUNS_FOR[kind])
        span = (today - self.history_start).days
        if span - total < 30:
            open_ = True  # longer than the history: still running
        end, reason = None, ""
        if open_:
            if waiting:
                ago = rnd.randint(1, 12)
            else:
                low = min(20, total // 2)
                ago = rnd.randint(low, max(low + 1, min(total - 3, 540, span)))
            start = today - datetime.timedelta(days=ago)
        else:
            end = today - datetime.timedelta(days=rnd.randint(3, span - total))
            start = end - datetime.timedelta(days=total)
            reason = Programme.ClosureReason.COMPLETED
            if kind == Programme.Kind.PSR:
                reason = Programme.ClosureReason.SENTENCED  # a fine or discharge: the YJS's part ends
            elif kind != Programme.Kind.DTO_CUSTODY and rnd.random() < 0.12:
                end = start + datetime.timedelta(days=round(total * rnd.uniform(0.35, 0.85)))
                reason = rnd.choice(EARLY_ENDS)
        programme.start_date = start
        if kind == Programme.Kind.PSR:
            programme.court_date = start + datetime.timedelta(days=lead)
        elif kind == Programme.Kind.REFERRAL_ORDER:
            programme.panel_date = start + datetime.timedelta(days=rnd.randint(10, 20))
            programme.custody_threshold = rnd.random() < 0.2
        elif kind == Programme.Kind.YRO:
            programme.iss = rnd.random() < 0.15
        elif kind == Programme.Kind.DTO_CUSTODY:
            programme.release_date = start + datetime.timedelta(days=lead)
        rows = [programme]
        if kind == Programme.Kind.DTO_CUSTODY and programme.release_date <= today:
            # Released: custody ends, the licence runs for the second half of the order.
            programme.end_date = programme.release_date
            programme.closure_reason = Programme.ClosureReason.COMPLETED
            programme.closure_notes = "Released on licence."
            licence = Programme(
                kind=Programme.Kind.DTO_LICENCE, start_date=programme.release_date, length_months=None
            )
            rows.append(licence)
            programme = licence
        if end is not None:
            programme.end_date = end
            programme.closure_reason = reason
            programme.closure_notes = "Fictional demonstration record."
        return rows, end

    def _children(self, rnd, staff, how_many, today):
        """Children in varied programmes and risk levels over the years of history, each with the records
        of their programme up to today or its end; about four in ten still open."""
        holders = {}
        for user in staff:
            if user.role in HOLDING_ROLES:
                holders.setdefault(user.team_id, []).append(user)
        by_name = {u.username: u for u in staff}
        iworkers = [u for u in staff if u.role == Role.INTERVENTION_WORKER]
        teams = list(Team.objects.filter(kind=Team.Kind.LOCALITY).order_by("pk"))
        kinds = [k for k, weight, _ in PROGRAMME_MIX for _ in range(weight)]
        lengths = {k: rng for k, _, rng in PROGRAMME_MIX}
        caseloads = _Caseloads(holders, rnd, new_worker_from=today - datetime.timedelta(weeks=10))
        work = CaseWork(rnd, today)
        planned = []
        for n in range(how_many):
            team = teams[n % len(teams)]
            slug = team.name.split()[0].lower()
            open_ = rnd.random() < OPEN_SHARE
            waiting = open_ and rnd.random() < 0.05  # a few children waiting for allocation
            kind = rnd.choice(kinds)
            programmes, closed_on = self._programmes(
                rnd, kind, lengths[kind], today, open_=open_, waiting=waiting
            )
            open_ = closed_on is None
            rosh, saw, lor = rnd.choice(LEVELS), rnd.choice(LEVELS), rnd.choice(LEVELS)
            gender = Gender.FEMALE if rnd.random() < 0.2 else Gender.MALE
            start = programmes[0].start_date
            high = rosh in HIGH_LEVELS or saw in HIGH_LEVELS
            girl = gender == Gender.FEMALE
            if waiting and open_:
                manager = None
            elif open_:
                intensive = kind in (Programme.Kind.DTO_CUSTODY, Programme.Kind.REMAND) or programmes[-1].iss
                weight = allocation_policy.case_weight(rosh, saw, intensive=intensive)
                manager = caseloads.pick_open(team.pk, weight=weight, high=high, girl=girl, start=start)
            else:
                manager = caseloads.pick_closed(team.pk, high=high, girl=girl, start=start)
            if manager and manager.role == Role.YJS_OFFICER and high:
                rosh = saw = RiskLevel.MEDIUM  # 003 §4: High and Very High cases go to Band B or above
            if manager and girl and manager.gender != Gender.FEMALE:
                gender = Gender.MALE  # 003 §2.2: girls are allocated female case managers
            child = ChildFactory.build(
                team=team,
                case_number=f"YJ{240000 + n}",
                rosh=rosh,
                saw=saw,
                lor=lor,
                case_manager=manager,
                looked_after=rnd.random() < 0.15,
                open_to_csc=rnd.random() < 0.3,
                ethnicity=rnd.choice(ETHNICITIES),
                gender_identity=gender,
                is_open=open_,
            )
            # The levels were agreed at the start of the programme, not the day the demo was built.
            child._history_date = timezone.make_aware(datetime.datetime.combine(start, datetime.time(12)))
            child.demo_closed_on = closed_on
            child.demo_co_workers = []
            if open_ and manager and rnd.random() < 0.12:
                child.demo_co_workers.append(rnd.choice(iworkers))
            planned.append((child, programmes, slug, manager))
        children = [child for child, *_ in planned]
        Child.objects.bulk_create(children, batch_size=1000)
        Child.history.bulk_history_create(children, batch_size=1000)
        Child.co_workers.through.objects.bulk_create(
            [
                Child.co_workers.through(child_id=child.pk, user_id=worker.pk)
                for child in children
                for worker in child.demo_co_workers
            ],
            batch_size=1000,
        )
        for child, programmes, *_ in planned:
            for programme in programmes:
                programme.child = child
                programme.created_by = by_name[f"tm.{child.team.name.split()[0].lower()}"]
        Programme.objects.bulk_create([p for _, ps, *_ in planned for p in ps], batch_size=1000)
        self._closure_checks(planned, by_name)
        self._lap(f"{how_many} children and their programmes")
        events, cases = [], []
        for child, programmes, slug, manager in planned:
            signers = {
                "manager": by_name[f"tm.{slug}"] if rnd.random() < 0.5 else by_name[f"ap.{slug}"],
                "duty": by_name[f"scm.{slug}.1"],
            }
            for i, programme in enumerate(programmes):
                work.build(
                    child=child,
                    programme=programme,
                    manager=manager,
                    signers=signers,
                    allocator=by_name[f"tm.{slug}"],
                    allocate=i == 0,
                )
                cases.append((child, programme, slug))
            author = manager or rnd.choice(holders[child.team_id])
            until = child.demo_closed_on or today
            day = programmes[0].start_date
            while True:
                day += datetime.timedelta(days=rnd.randint(10, 40))
                if day > until:
                    break
                event_type, summary = rnd.choice(EVENT_MIX)
                events.append(
                    Event(
                        child=child,
                        author=author,
                        event_type=event_type,
                        occurred_on=day,
                        summary=summary,
                        details="Fictional demonstration record.",
                    )
                )
            if len(work.contacts) > 20000:
                work.flush()  # keep memory flat at large sizes
        journeys = self._journey_children(by_name, teams[0], today, work)
        work.events.extend(events)
        work.flush()
        self._sign_off_queues(planned, by_name, work)
        self._lap("case work (assessments, plans, contacts, events)")
        # 000 §1.3, 001 §6.2: a history of risk reviews, release and compliance CMMs, some missed, and
        # the AssetPlus reviews that follow a risk review.
        chairs = {
            team.name.split()[0].lower(): by_name[f"tm.{team.name.split()[0].lower()}"] for team in teams
        }
        build_history(rnd=rnd, today=today, cases=cases, chairs=chairs, work=work)
        work.flush()
        self._lap("CMM history")
        self._leave(by_name, today)
        journeys += len(self._meeting_journeys(by_name, teams[0], today))
        # 000 §4, 001 §2, §6.3-§6.4, 002, 004 §7: supervision, case discussions and oversight.
        build_supervision(staff=staff, today=today, rnd=rnd, since=self.history_start)
        self._lap("supervision and case discussions")
        # 003 §9-§12, 001 §8: transfers, caretaking, court tracking and the MAPPA register.
        for demo in (internal_transfer_demo, transfer_in_out_demo, court_demo, mappa_demo):
            demo.build(staff=staff, today=today, rnd=rnd)
        self._lap("transfers, court tracking, MAPPA")
        return how_many + journeys

    def _obligations(self, today: datetime.date, batch: int = 100) -> None:
        """Every child's and every worker's obligations from their facts, as a change would queue them
        (cases.services), which also stores each one's FactSnapshot for the alerts sweep. After the
        records are committed, in batches of children per transaction: one transaction for everything
        would make PostgreSQL check thousands of its own savepoints on every row it reads."""
        if connection.vendor == "postgresql":
            # Fresh planner statistics for the tables just filled (PostgreSQL would analyse them later
            # by itself), or each child's reads below are planned as if the tables were empty.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self._lap("analysed the tables")
        child_ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
        for i in range(0, len(child_ids), batch):
            with transaction.atomic():
                for child_id in child_ids[i : i + batch]:
                    services.child_obligations_refresh(child_id=child_id, as_of=today)
        with transaction.atomic():
            for worker_id in User.objects.order_by("pk").values_list("pk", flat=True):
                services.worker_obligations_refresh(worker_id=worker_id, as_of=today)
        self._lap("obligations of every child and worker")

    def _sign_off_queues(self, planned, by_name, work):
        """Every team manager's or AP's sign-off queue has work in it, whatever the size (001 App. 1):
        a team with none waiting gets an AssetPlus review from one of its open children."""
        waiting = set(
            Assessment.objects.filter(status=Assessment.Status.AWAITING_SIGN_OFF).values_list(
                "child__team_id", flat=True
            )
        )
        settled = work.today - datetime.timedelta(days=60)
        # A child on a reviewed order for two months or more where the team has one; else any allocated
        # open child of the team.
        for strict, (child, programmes, slug, manager) in [(s, p) for s in (True, False) for p in planned]:
            programme = programmes[-1]
            if child.team_id in waiting or manager is None or not child.is_open:
                continue
            if strict and (programme.kind not in SIGN_OFF_KINDS or programme.start_date > settled):
                continue
            signer = by_name[f"tm.{slug}"] if child.pk % 2 else by_name[f"ap.{slug}"]
            work._assessment(
                child,
                programme,
                manager,
                Assessment.Kind.ASSETPLUS,
                Assessment.Stage.REVIEW,
                None,
                signer,
                awaiting=True,
            )
            waiting.add(child.team_id)
        work.flush()

    def _closure_checks(self, planned, by_name):
        """001 §6.3-§6.4: a completed out-of-court or My Future case closed after the AP's approved
        closure checks, as the closure gate requires."""
        checks = []
        for child, programmes, slug, manager in planned:
            programme = programmes[-1]
            if (
                programme.kind not in OVERSIGHT_KINDS
                or programme.end_date is None
                or programme.closure_reason != Programme.ClosureReason.COMPLETED
            ):
                continue
            ap = by_name[f"ap.{slug}"]
            checks.append(
                ClosureCheck(
                    child=child,
                    programme=programme,
                    status=ClosureCheck.Status.APPROVED,
                    requested_by=manager or ap,
                    requested_on=CAL.subtract_working_days(programme.end_date, 3),
                    request_note="Intervention delivered; ready to close.",
                    delivered=True,
                    plan_completed=True,
                    review_assessment=True,
                    exit_planning=True,
                    levels_reviewed=True,
                    checked_by=ap,
                    checked_on=CAL.subtract_working_days(programme.end_date, 1),
                    check_note="Checked: business support may close.",
                )
            )
        ClosureCheck.objects.bulk_create(checks, batch_size=1000)

    def _journey_children(self, by_name, team, today, work):
        """Fresh cases for cm.north.1 to run through the demo: a YRO, an OOCD and a custody case."""
        cm, tm = by_name["cm.north.1"], by_name["tm.north"]
        fresh = [
            ("YJ900001", Programme.Kind.YRO, today - datetime.timedelta(days=3), {"length_months": 12}),
            ("YJ900002", Programme.Kind.OOCD_INTERVENTION, today + datetime.timedelta(days=6), {}),
            (
                "YJ900003",
                Programme.Kind.DTO_CUSTODY,
                today - datetime.timedelta(days=2),
                {
                    "custody_months": 12,
                    "length_months": 24,
                    "release_date": today + datetime.timedelta(days=180),
                },
            ),
        ]
        for case_number, kind, start, fields in fresh:
            child = ChildFactory(
                team=team,
                case_number=case_number,
                rosh=RiskLevel.MEDIUM,
                saw=RiskLevel.LOW,
                lor=RiskLevel.MEDIUM,
                case_manager=cm,
                gender_identity=Gender.MALE,
            )
            Programme.objects.create(child=child, kind=kind, start_date=start, created_by=tm, **fields)
            work.allocations.append(
                Allocation(
                    child=child,
                    worker=cm,
                    started_on=min(start, today),
                    allocated_by=tm,
                    reason="Allocated on the day of sentence or referral.",
                    checks=[],
                )
            )
        return len(fresh)

    def _meeting_journeys(self, by_name, team, today):
        """Fresh cases for tm.north to run each CMM type, from booking to PDF (meetings/demo.py)."""
        cm = by_name["cm.north.1"]

        def make_child(case_number, **fields):
            child = ChildFactory(
                team=team, case_number=case_number, case_manager=cm, gender_identity=Gender.MALE, **fields
            )
            Allocation.objects.create(
                child=child,
                worker=cm,
                started_on=today - datetime.timedelta(days=100),
                allocated_by=by_name["tm.north"],
                reason="Allocated on the day of sentence.",
                checks=[],
            )
            return child

        return build_journeys(
            today=today,
            team=team,
            tm=by_name["tm.north"],
            cm=cm,
            panel=by_name["scm.north.1"],
            make_child=make_child,
        )

    def _leave(self, by_name, today):
        """cm.south.5 is off sick (003 §7.2); cm.north.2 has leave booked with cover (003 §7.1)."""
        sick, tm_south = by_name["cm.south.5"], by_name["tm.south"]
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
