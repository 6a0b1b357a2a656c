"""`manage.py seed_demo`: a realistic fictional service to explore. Re-runnable; refuses in production."""

import datetime
import random

import factory.random
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from faker import Faker

from alerts import demo as alerts_demo
from cases import services
from cases.demo import CaseWork
from cases.factories import ChildFactory, TeamFactory, UserFactory, _password_hash
from cases.models import (
    Allocation,
    Assessment,
    AuditEntry,
    Child,
    Contact,
    Document,
    Event,
    EventType,
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
from supervision.demo import build_supervision, clear_supervision
from transfers import demo_external as transfer_in_out_demo
from transfers import demo_internal as internal_transfer_demo

DEMO_PASSWORD = "demo-only-password"  # fictional demo accounts; seed_demo refuses outside DEBUG

LOCALITIES = ["North", "South", "West"]
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


class Command(BaseCommand):
    help = "Create a fictional service: 4 teams, about 40 staff, about 300 children with a year of events."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=300, help="How many children (default 300)")
        parser.add_argument("--seed", type=int, default=2024, help="Random seed, for the same data each run")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Date the demo year ends (default today)",
        )

    def handle(self, *args, **opts):
        if not settings.DEBUG and not getattr(settings, "ALLOW_DEMO_SEED", False):
            raise CommandError("seed_demo refuses to run with DEBUG off: it replaces every child record.")
        if opts["children"] < 1:
            raise CommandError("--children must be at least 1")
        rnd = random.Random(opts["seed"])
        factory.random.reseed_random(opts["seed"])
        Faker.seed(opts["seed"])
        today = opts["today"] or datetime.date.today()
        self.password_hash = _password_hash(DEMO_PASSWORD)
        # Fictional invitations are not mailed (they are sent when the transaction commits, so the
        # override spans it).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            with transaction.atomic():
                staff = self._staff()
                count = self._children(rnd, staff, opts["children"], today)
        self.stdout.write(self.style.SUCCESS(f"Demo service ready: {len(staff)} staff, {count} children."))
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

    def _user(self, username, role, team, line_manager=None, **extra):
        """Create or refresh one demo member of staff."""
        user = UserFactory(username=username, role=role, team=team, password=self.password_hash)
        user.line_manager = line_manager
        user.role = role
        user.team = team
        for key, value in extra.items():
            setattr(user, key, value)
        user.password = self.password_hash  # hashed once: hashing 40 times would dominate the run
        user.save()
        return user

    def _staff(self):
        """Teams and staff with an unbroken line-management chain up to the service manager (002)."""
        service = TeamFactory(name="Service management", kind=Team.Kind.SERVICE)
        sm = self._user("sm", Role.SERVICE_MANAGER, service, gender=Gender.FEMALE)
        self._user("admin", Role.ADMINISTRATOR, service, is_staff=True, is_superuser=True)
        staff = [sm]
        teams = {"Service": service}
        for locality in LOCALITIES:
            team = TeamFactory(name=f"{locality} locality team", kind=Team.Kind.LOCALITY)
            teams[locality] = team
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
        interventions = TeamFactory(name="Interventions team", kind=Team.Kind.INTERVENTIONS)
        teams["Interventions"] = interventions
        itm = self._user("tm.interventions", Role.TEAM_MANAGER, interventions, line_manager=sm)
        staff.append(itm)
        for i in range(1, 4):
            staff.append(
                self._user(f"iw.interventions.{i}", Role.INTERVENTION_WORKER, interventions, line_manager=itm)
            )
        by_name = {u.username: u for u in staff}
        for i, (username, role, team, manager) in enumerate(EXTRA_STAFF):
            user = self._user(
                username,
                role,
                teams[team],
                line_manager=by_name[manager],
                gender=Gender.FEMALE if i % 2 else Gender.MALE,
            )
            by_name[username] = user
            staff.append(user)
        return staff

    def _children(self, rnd, staff, how_many, today):
        """Children in varied programmes and risk levels, each with a year of events."""
        AuditEntry.objects.all().delete()
        alerts_demo.clear()
        Obligation.objects.all().delete()
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
        holders = {}
        for user in staff:
            if user.role in HOLDING_ROLES:
                holders.setdefault(user.team_id, []).append(user)
        by_name = {u.username: u for u in staff}
        iworkers = [u for u in staff if u.role == Role.INTERVENTION_WORKER]
        teams = list(Team.objects.filter(kind=Team.Kind.LOCALITY))
        kinds = [k for k, weight, _ in PROGRAMME_MIX for _ in range(weight)]
        lengths = {k: rng for k, _, rng in PROGRAMME_MIX}
        levels = [RiskLevel.LOW] * 5 + [RiskLevel.MEDIUM] * 4 + [RiskLevel.HIGH] * 2 + [RiskLevel.VERY_HIGH]
        work = CaseWork(rnd, today)
        events, started, cases = [], {}, []
        for n in range(how_many):
            team = teams[n % len(teams)]
            slug = team.name.split()[0].lower()
            allocated = n % 23 != 0  # a few children waiting for allocation
            rosh, saw = rnd.choice(levels), rnd.choice(levels)
            manager = rnd.choice(holders[team.id]) if allocated else None
            if manager and manager.role == Role.YJS_OFFICER and RiskLevel.HIGH in (rosh, saw):
                rosh = saw = RiskLevel.MEDIUM  # 003 §4: High and Very High cases go to Band B or above
            gender = Gender.FEMALE if rnd.random() < 0.2 else Gender.MALE
            if manager and gender == Gender.FEMALE and manager.gender != Gender.FEMALE:
                gender = Gender.MALE  # 003 §2.2: girls are allocated female case managers
            child = ChildFactory(
                team=team,
                case_number=f"YJ{240000 + n}",
                rosh=rosh,
                saw=saw,
                lor=rnd.choice(levels),
                case_manager=manager,
                looked_after=rnd.random() < 0.15,
                open_to_csc=rnd.random() < 0.3,
                ethnicity=rnd.choice(ETHNICITIES),
                gender_identity=gender,
            )
            child.demo_co_workers = []
            if manager and rnd.random() < 0.12:
                child.demo_co_workers.append(rnd.choice(iworkers))
                child.co_workers.add(*child.demo_co_workers)
            kind = rnd.choice(kinds)
            start = today - datetime.timedelta(days=rnd.randint(20, 360))
            programme = self._programme(rnd, child, kind, start, lengths[kind], today)
            programme.save()
            started[child.pk] = start
            cases.append((child, programme, slug))
            signers = {
                "manager": by_name[f"tm.{slug}"] if rnd.random() < 0.5 else by_name[f"ap.{slug}"],
                "duty": by_name[f"scm.{slug}.1"],
            }
            work.build(
                child=child,
                programme=programme,
                manager=manager,
                signers=signers,
                allocator=by_name[f"tm.{slug}"],
            )
            author = manager or rnd.choice(holders[team.id])
            day = start
            while True:
                day += datetime.timedelta(days=rnd.randint(10, 40))
                if day > today:
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
        journeys = self._journey_children(by_name, teams[0], today, work)
        Assessment.objects.bulk_create(work.assessments, batch_size=1000)
        Plan.objects.bulk_create([p for p in work.plans if p.reviews is None], batch_size=1000)
        for plan in work.plans:
            if plan.reviews is not None:
                plan.reviews_id = plan.reviews.pk
        Plan.objects.bulk_create([p for p in work.plans if p.reviews is not None], batch_size=1000)
        Contact.objects.bulk_create(work.contacts, batch_size=1000)
        Allocation.objects.bulk_create(work.allocations, batch_size=1000)
        Event.objects.bulk_create(events + work.events, batch_size=1000)
        # 000 §1.3, 001 §6.2: a history of risk reviews and compliance CMMs, some missed.
        chairs = {
            team.name.split()[0].lower(): by_name[f"tm.{team.name.split()[0].lower()}"] for team in teams
        }
        build_history(rnd=rnd, today=today, cases=cases, chairs=chairs)
        # The levels were agreed at the start of the programme, not the day the demo was built.
        for child_id, start in started.items():
            Child.history.filter(id=child_id).update(
                history_date=timezone.make_aware(datetime.datetime.combine(start, datetime.time(12)))
            )
        self._leave(by_name, today)
        journeys += len(self._meeting_journeys(by_name, teams[0], today))
        # 000 §4, 001 §2, §6.3-§6.4, 002, 004 §7: a year of supervision, case discussions and oversight.
        build_supervision(staff=staff, today=today, rnd=rnd)
        # 003 §9-§12, 001 §8: transfers, caretaking, court tracking and the MAPPA register.
        for demo in (internal_transfer_demo, transfer_in_out_demo, court_demo, mappa_demo):
            demo.build(staff=staff, today=today, rnd=rnd)
        # Every child's and every worker's obligations from their facts, as a change would queue them.
        for child_id in Child.objects.values_list("pk", flat=True):
            services.child_obligations_refresh(child_id=child_id, as_of=today)
        for worker_id in User.objects.values_list("pk", flat=True):
            services.worker_obligations_refresh(worker_id=worker_id, as_of=today)
        # The alerts a morning's sweep would raise, so each role's notifications are real (alerts/).
        alerts_demo.build(today=today)
        return how_many + journeys

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
        for child in Child.objects.filter(case_manager=away):
            LeaveCover.objects.create(
                leave=leave, child=child, cover_worker=cover, arrangements="Keep weekly appointments."
            )

    def _programme(self, rnd, child, kind, start, length_range, today):
        """A programme with the dates its timescales need (timescales.md, "Programmes")."""
        programme = Programme(
            child=child,
            kind=kind,
            start_date=start,
            length_months=rnd.randint(*length_range) if length_range else None,
        )
        if kind == Programme.Kind.PSR:
            programme.court_date = start + datetime.timedelta(days=rnd.randint(15, 28))
        elif kind == Programme.Kind.REFERRAL_ORDER:
            programme.panel_date = start + datetime.timedelta(days=rnd.randint(10, 20))
            programme.custody_threshold = rnd.random() < 0.2
        elif kind == Programme.Kind.YRO:
            programme.iss = rnd.random() < 0.15
        elif kind == Programme.Kind.DTO_CUSTODY:
            programme.custody_months = rnd.choice([4, 6, 8, 12, 18])
            programme.release_date = start + datetime.timedelta(days=programme.custody_months * 15)
        if rnd.random() < 0.1 and start + datetime.timedelta(days=60) < today:
            programme.end_date = start + datetime.timedelta(days=60)
        return programme
