"""`manage.py seed_demo`: a realistic fictional service to explore, of any size. Re-runnable; refuses in
production (and is not installed there: the demo app is in local and test settings only).

`--children N` (default 300) children over `--years` (default 3) of history, about four in ten still
open; locality teams in proportion (about 90 open children each, at least North, South and West), each
with a team manager reporting to the service manager, an AP, senior case managers, case managers, a YJS
officer, a student and business support; the interventions team grows with them. The records are
written in one transaction (a failure leaves the previous demo as it was); every child's and worker's
obligations are then computed in batches, and the morning's alerts raised. What each step builds is in
`demo.seed` (one module per part of the service).
"""

import datetime
import random
import time

import factory.random
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings
from faker import Faker

from cases import services
from cases.models import Child, Role, Team, User
from cases.services.rollup import months_rebuild_all
from core.audit_chain import audit_rechain, audit_verify
from core.models import AuditEntry
from demo.factories import _password_hash
from demo.models import DemoSeed
from demo.seed import alerts, courts, mappa, outcomes, retention, transfers_external, transfers_internal
from demo.seed.cases import CaseWork, build_case_work
from demo.seed.children import OPEN_SHARE, build_children
from demo.seed.clear import clear_demo
from demo.seed.journeys import fresh_load, journey_children, meeting_journey_children, waiting_girl
from demo.seed.meetings import build_history
from demo.seed.people import DEMO_PASSWORD, HOLDING_ROLES, build_leave, build_staff, locality_names, team_slug
from demo.seed.signoff import fill_sign_off_queues
from demo.seed.supervision import build_supervision

MIN_TEAMS = 3
# About this many open children per locality team: with the staff `people` gives each team that is about
# 8-15 each for a case manager or senior case manager, within their capacity in weighted points
# (cases/allocation.py).
OPEN_PER_TEAM = 90


def team_count(children: int) -> int:
    """Locality teams for a service of `children` (about OPEN_PER_TEAM open children each, at least 3)."""
    return max(MIN_TEAMS, round(children * OPEN_SHARE / OPEN_PER_TEAM))


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
            "--force",
            action="store_true",
            help="Replace a database holding records seed_demo did not create (asks you to type a confirmation)",
        )
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
        self._check_database(force=opts["force"])
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
                first_audit = (
                    AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                ) + 1
                clear_demo()
                self._lap("cleared the previous demo")
                staff = build_staff(
                    localities=locality_names(teams),
                    interventions=max(3, teams // 2 + 1),
                    password_hash=self.password_hash,
                )
                self._lap("staff")
                count = self._children(rnd, staff, opts["children"], today)
                retention.build(today=today)  # closed records' closing days (issue 19)
            self._lap("committed the records")
            self._obligations(today)
            # The alerts a morning's sweep would raise, so each role's notifications are real (alerts/).
            with transaction.atomic():
                alerts.build(today=today)
                last_audit = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                DemoSeed.objects.create(
                    children=Child.objects.count(), first_audit_id=first_audit, last_audit_id=last_audit
                )
            self._lap("alerts")
        # The compliance roll-up counted afresh from the obligations just written (the previous demo's
        # were deleted wholesale, past the services that mark months stale).
        months_rebuild_all()
        self._lap("counted the compliance roll-up")
        # The previous demo's audit entries were deleted (this database holds only the demo): the chain
        # starts again, with every entry sealed and verified, so the audit page says "intact".
        audit_rechain()
        audit_verify()
        self._lap("sealed the audit log")
        self._analyze("analysed the tables again, as filled")
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

    def _check_database(self, *, force: bool) -> None:
        """Refuse a database holding records the demo did not create (issue 16): children with no demo
        seeding recorded, or more children than the last seeding made. `--force` asks the user to type
        a confirmation naming the database; anything else stops with nothing changed."""
        children = Child.objects.count()
        seed = DemoSeed.objects.first()
        if children == 0 or (seed is not None and children <= seed.children):
            return
        name = str(connection.settings_dict["NAME"])
        if not force:
            raise CommandError(
                f"seed_demo refuses to replace {name}: it holds {children} children it did not create "
                "(run it with --force to replace them, after a backup)."
            )
        expected = f"replace {name}"
        answer = input(f'This deletes every child record in {name}. Type "{expected}" to go on: ')
        if answer.strip() != expected:
            raise CommandError("Not confirmed: nothing was changed.")

    def _analyze(self, label: str) -> None:
        """PostgreSQL's planner statistics for every table, as they are now (issue 19).

        Without autovacuum (or before it wakes), tables filled since the last ANALYZE are planned as if
        empty: run before the obligations were written only, the team dashboard took 1.1 s at 5,000
        children instead of 92 ms. So it runs once the records are written (for the obligations' own
        reads) and again after the obligations, alerts and audit entries (for the pages)."""
        if connection.vendor != "postgresql":
            return
        # ANALYZE of a 5,000-child demo can take longer than a request's statement timeout on a busy
        # machine: lifted for this transaction only.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            cursor.execute("ANALYZE")
        self._lap(label)

    def _lap(self, label: str) -> None:
        """Note how long the step since the last lap took, wall and this process's CPU (--verbosity 2)."""
        now = (time.perf_counter(), time.process_time())
        self.timings.append((label, now[0] - self._clock[0], now[1] - self._clock[1]))
        self._clock = now

    def _children(self, rnd, staff, how_many, today):
        """Children in varied programmes and risk levels over the years of history, each with the records
        of their programme up to today or its end; about four in ten still open. Returns how many
        children were made, with the journeys' fresh cases."""
        holders: dict[int | None, list[User]] = {}
        for user in staff:
            if user.role in HOLDING_ROLES:
                holders.setdefault(user.team_id, []).append(user)
        by_name = {u.username: u for u in staff}
        teams = list(Team.objects.filter(kind=Team.Kind.LOCALITY).order_by("pk"))
        planned = build_children(
            rnd=rnd,
            teams=teams,
            holders=holders,
            by_name=by_name,
            iworkers=[u for u in staff if u.role == Role.INTERVENTION_WORKER],
            how_many=how_many,
            today=today,
            history_start=self.history_start,
            held=fresh_load(by_name),
        )
        self._lap(f"{how_many} children and their programmes")
        work = CaseWork(rnd, today)
        cases = build_case_work(planned=planned, by_name=by_name, holders=holders, rnd=rnd, work=work)
        journeys = journey_children(by_name, teams[0], today, work)
        work.flush()
        fill_sign_off_queues(planned, by_name, work)
        self._lap("case work (assessments, plans, contacts, events)")
        # 000 §1.3, 001 §6.2: a history of risk reviews, release and compliance CMMs, some missed, and
        # the AssetPlus reviews that follow a risk review.
        chairs = {team_slug(team): by_name[f"tm.{team_slug(team)}"] for team in teams}
        build_history(rnd=rnd, today=today, cases=cases, chairs=chairs, work=work)
        work.flush()
        self._lap("CMM history")
        build_leave(by_name, today)
        journeys += meeting_journey_children(by_name, teams[0], today, work)
        journeys += waiting_girl(by_name, teams[1], today)
        work.flush()
        # 000 §4, 001 §2, §6.3-§6.4, 002, 004 §7: supervision, case discussions and oversight.
        build_supervision(staff=staff, today=today, rnd=rnd, since=self.history_start)
        self._lap("supervision and case discussions")
        # 003 §9-§12, 001 §8: transfers, caretaking, court tracking and the MAPPA register.
        for demo in (transfers_internal, transfers_external, courts, mappa):
            demo.build(staff=staff, today=today, rnd=rnd)
        self._lap("transfers, court tracking, MAPPA")
        # Issue 21: the KPI facts (accommodation, ETE, SEND, screenings, wider services, offences, victims),
        # their snapshots and the management board.
        outcomes.build(staff=staff, today=today, rnd=rnd)
        self._lap("KPI facts and snapshots")
        return how_many + journeys

    def _obligations(self, today: datetime.date, batch: int = 100) -> None:
        """Every child's and every worker's obligations from their facts, as a change would queue them
        (cases.services), which also stores each one's FactSnapshot for the alerts sweep. After the
        records are committed, in batches of children per transaction: one transaction for everything
        would make PostgreSQL check thousands of its own savepoints on every row it reads."""
        # Fresh planner statistics for the records just filled, or each child's reads below are
        # planned as if the tables were empty. The obligations, notifications and audit entries
        # written after this are analysed again at the end (`handle`).
        self._analyze("analysed the records")
        child_ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
        for i in range(0, len(child_ids), batch):
            with transaction.atomic():
                for child_id in child_ids[i : i + batch]:
                    services.child_obligations_refresh(child_id=child_id, as_of=today)
        with transaction.atomic():
            for worker_id in User.objects.order_by("pk").values_list("pk", flat=True):
                services.worker_obligations_refresh(worker_id=worker_id, as_of=today)
        self._lap("obligations of every child and worker")
