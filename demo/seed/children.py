"""The demo's children and their programmes over the years of history: varied programmes and risk levels,
about four in ten still open (the rest closed when their programmes ended), each open child allocated
within the allocation rules to the case holder of their team with the most room. All names are
fictional (factories)."""

import datetime
from typing import NamedTuple

from django.utils import timezone

from cases import allocation as allocation_policy
from cases.models import HIGH_LEVELS, Child, Gender, Programme, RiskLevel, Role, User
from supervision.models import ClosureCheck
from supervision.selectors.oocd import OVERSIGHT_KINDS

from ..factories import ChildFactory
from .common import CAL, OLDEST, YOUNGEST, YOUNGEST_DTO, birthday
from .people import team_slug
from .supervision import NEW_WORKER

# simple_history dates a bulk-created history row from this attribute of the instance (a library hook,
# not a Child field, so it is set by name).
HISTORY_DATE = "_history_date"


class PlannedChild(NamedTuple):
    """A demo child as `build_children` plans it: its programmes, team slug and case manager (or None),
    and for the case work the day its record closed (None while open) and its co-allocated workers."""

    child: Child
    programmes: list[Programme]
    slug: str
    manager: User | None
    closed_on: datetime.date | None
    co_workers: list[User]


# The share of children whose programme is still running; the rest closed during the years of history.
OPEN_SHARE = 0.42
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
# A Detention and Training Order's lengths in months (4 to 24); half in custody, half on licence
# (GLOSSARY "DTO"). A child drawn straight onto a licence was released from one of these.
DTO_MONTHS = [4, 6, 8, 10, 12, 18, 24]
# How long a programme without a length in months runs, in days (about); a PSR runs to its court date
# and DTO custody to release, then its licence for as long again.
RUNS_FOR = {
    Programme.Kind.OOCD_INTERVENTION: (84, 126),
    Programme.Kind.OOCD_YCC: (56, 112),
    Programme.Kind.MY_FUTURE: (84, 182),
    Programme.Kind.BAIL_SUPERVISION_SUPPORT: (28, 120),
    Programme.Kind.REMAND: (14, 120),
}
# Programmes that end early: breach, revocation, or a new sentence superseding them.
EARLY_ENDS = [
    Programme.ClosureReason.BREACHED,
    Programme.ClosureReason.REVOKED,
    Programme.ClosureReason.SENTENCED,
]
# RoSH, SaW and LoR as drawn: mostly Low or Medium, about one in seven High or Very High.
LEVELS = [RiskLevel.LOW] * 12 + [RiskLevel.MEDIUM] * 7 + [RiskLevel.HIGH] * 2 + [RiskLevel.VERY_HIGH]
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


class Caseloads:
    """Allocates each open child to the team's case holder with the most room, in weighted points
    against their capacity (003 §2.1, cases/allocation.py), within the allocation rules (003 §2.2, §4.1)."""

    def __init__(self, holders: dict[int, list], rnd, new_worker_from: datetime.date, held: dict[int, int]):
        self.holders = holders
        self.rnd = rnd
        self.points: dict[int, int] = dict(held)  # the README's fresh cases, already held
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


def programmes_for(rnd, kind, length_range, today, history_start, *, open_, waiting):
    """A child's programme(s) as unsaved rows, with the dates their timescales need (timescales.md,
    "Programmes"): one, or DTO custody then its licence. Running ones started within their length
    of today (a child waiting for allocation in the last fortnight); closed ones ended over the
    years of history. Returns the rows and the day the last one ended (None while open)."""
    months = rnd.randint(*length_range) if length_range else None
    order = custody = 0  # a DTO's length and custodial part, in months
    programme = Programme(kind=kind, length_months=months)
    if kind == Programme.Kind.PSR:
        lead = total = rnd.randint(15, 28)
    elif kind == Programme.Kind.DTO_CUSTODY:
        order = rnd.choice(DTO_MONTHS)
        custody = order // 2
        programme.length_months, programme.custody_months = order, custody
        total = round(order * 30.44)
    elif kind == Programme.Kind.DTO_LICENCE:
        programme.length_months = rnd.choice(DTO_MONTHS) // 2  # the licence half of the order
        total = round(programme.length_months * 30.44)
    elif months:
        total = round(months * 30.44)
    else:
        total = rnd.randint(*RUNS_FOR[kind])
    span = (today - history_start).days
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
    release = None  # DTO custody's release day
    if kind == Programme.Kind.PSR:
        programme.court_date = start + datetime.timedelta(days=lead)
    elif kind == Programme.Kind.REFERRAL_ORDER:
        programme.panel_date = start + datetime.timedelta(days=rnd.randint(10, 20))
        programme.custody_threshold = rnd.random() < 0.2
    elif kind == Programme.Kind.YRO:
        programme.iss = rnd.random() < 0.15
    elif kind == Programme.Kind.DTO_CUSTODY:
        release = CAL.add_months(start, custody)
        programme.release_date = release
    rows = [programme]
    if release is not None and release <= today:
        # Released: custody ends, the licence runs for the second half of the order.
        programme.end_date = release
        programme.closure_reason = Programme.ClosureReason.COMPLETED
        programme.closure_notes = "Released on licence."
        licence = Programme(
            kind=Programme.Kind.DTO_LICENCE,
            start_date=release,
            length_months=order - custody,
        )
        rows.append(licence)
        programme = licence
    if end is not None:
        programme.end_date = end
        programme.closure_reason = reason
        programme.closure_notes = "Fictional demonstration record."
    return rows, end


def build_children(
    *, rnd, teams, holders, by_name, iworkers, how_many, today, history_start, held
) -> list[PlannedChild]:
    """`how_many` children spread over the locality `teams`, with their programmes, saved in bulk (with
    their history, dated when the programme started). Returns a PlannedChild for each: the child, its
    programmes, team slug, case manager or None, the day it closed and its co-allocated workers. `held` is
    the weighted points each worker already holds in the README's fresh cases (journeys.py)."""
    kinds = [k for k, weight, _ in PROGRAMME_MIX for _ in range(weight)]
    lengths = {k: rng for k, _, rng in PROGRAMME_MIX}
    caseloads = Caseloads(holders, rnd, new_worker_from=today - datetime.timedelta(weeks=10), held=held)
    planned: list[PlannedChild] = []
    for n in range(how_many):
        team = teams[n % len(teams)]
        slug = team_slug(team)
        open_ = rnd.random() < OPEN_SHARE
        waiting = open_ and rnd.random() < 0.05  # a few children waiting for allocation
        kind = rnd.choice(kinds)
        programmes, closed_on = programmes_for(
            rnd, kind, lengths[kind], today, history_start, open_=open_, waiting=waiting
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
        youngest = {Programme.Kind.DTO_CUSTODY: YOUNGEST_DTO, Programme.Kind.DTO_LICENCE: YOUNGEST_DTO + 1}
        age = rnd.randint(youngest.get(kind, YOUNGEST), OLDEST)  # a licence follows custody (GLOSSARY "DTO")
        child = ChildFactory.build(
            realistic=True,
            date_of_birth=birthday(start, age, rnd.randint(0, 359)),
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
        setattr(child, HISTORY_DATE, timezone.make_aware(datetime.datetime.combine(start, datetime.time(12))))
        co_workers = []
        if open_ and manager and rnd.random() < 0.12:
            co_workers.append(rnd.choice(iworkers))
        planned.append(PlannedChild(child, programmes, slug, manager, closed_on, co_workers))
    children = [child for child, *_ in planned]
    Child.objects.bulk_create(children, batch_size=1000)
    Child.history.bulk_history_create(children, batch_size=1000)
    Child.co_workers.through.objects.bulk_create(
        [
            Child.co_workers.through(child_id=plan.child.pk, user_id=worker.pk)
            for plan in planned
            for worker in plan.co_workers
        ],
        batch_size=1000,
    )
    for child, programmes, *_ in planned:
        for programme in programmes:
            programme.child = child
            programme.created_by = by_name[f"tm.{team_slug(child.team)}"]
    Programme.objects.bulk_create([p for _, ps, *_ in planned for p in ps], batch_size=1000)
    closure_checks(planned, by_name)
    return planned


def closure_checks(planned: list[PlannedChild], by_name):
    """001 §6.3-§6.4: a completed out-of-court or My Future case closed after the AP's approved
    closure checks, as the closure gate requires."""
    checks = []
    for child, programmes, slug, manager, *_ in planned:
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
