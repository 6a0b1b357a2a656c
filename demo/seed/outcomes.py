"""Demo KPI facts for `seed_demo` (issue 21). All names, references and text are fictional.

For every child, over the years of history: where they lived (secure accommodation while remanded or in
custody), their education, training or employment with hours, special educational needs with a learning
plan per academic year, a mental health and a substance misuse screening at each intervention's start
(need, offer, attendance), the wider services they had, an offence behind each court or out-of-court
programme (gravity, some serious violence) and its victims (by reference, with consent, views, information
and restorative justice). The management board meets quarterly with varied attendance.

The figures improve a little year on year (`common.kpi_trend`), as `common.on_time_rate` does for timeliness, so the
KPI page has a believable quarterly trend. Snapshots are then taken by the product's own code
(outcomes/snapshots.py) and their completion dated as a service would have it: most facts known at the
start, some entered days later, a few recent ones still missing (the data-quality list's work).

Rows are bulk-created (fast at 5,000 children); seed_demo recomputes every child's obligations after.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from cases.models import Child, Programme, Role, User
from outcomes.interventions import INTERVENTION_KINDS
from outcomes.models import (
    Accommodation,
    BoardAttendance,
    BoardMeeting,
    Education,
    HealthNeed,
    Offence,
    SpecialNeed,
    VictimContact,
    WiderService,
)
from outcomes.snapshots import academic_year, school_age, snapshots_refresh

from .board import board_build
from .common import RECENT_MISS, kpi_trend
from .completion import date_completion

K = Programme.Kind
CUSTODY = {K.REMAND, K.DTO_CUSTODY}
# Programmes that follow an offence (the others follow a referral or a request).
OFFENCE_KINDS = {
    K.OOCD_NO_INTERVENTION,
    K.OOCD_INTERVENTION,
    K.OOCD_YCC,
    K.REFERRAL_ORDER,
    K.YRO,
    K.DTO_CUSTODY,
    K.REMAND,
    K.BAIL_SUPERVISION_SUPPORT,
}
PROVEN_KINDS = {
    K.OOCD_NO_INTERVENTION,
    K.OOCD_INTERVENTION,
    K.OOCD_YCC,
    K.REFERRAL_ORDER,
    K.YRO,
    K.DTO_CUSTODY,
}
HOMES = [
    (Accommodation.Kind.PARENTS, 60, 0.93),
    (Accommodation.Kind.FAMILY_FRIENDS, 12, 0.85),
    (Accommodation.Kind.FOSTER, 9, 0.85),
    (Accommodation.Kind.CHILDRENS_HOME, 7, 0.72),
    (Accommodation.Kind.SUPPORTED, 7, 0.7),
    (Accommodation.Kind.BED_AND_BREAKFAST, 3, 0.0),
    (Accommodation.Kind.NO_FIXED_ABODE, 2, 0.0),
]
SCHOOL = [
    (Education.Provision.MAINSTREAM_SCHOOL, 55, (25, 25)),
    (Education.Provision.SPECIAL_SCHOOL, 8, (25, 25)),
    (Education.Provision.ALTERNATIVE_PROVISION, 25, (10, 25)),
    (Education.Provision.HOME_EDUCATION, 3, (0, 0)),
    (Education.Provision.NONE, 9, (0, 0)),
]
POST_16 = [
    (Education.Provision.COLLEGE, 40, (12, 18)),
    (Education.Provision.TRAINING, 18, (16, 30)),
    (Education.Provision.APPRENTICESHIP, 8, (30, 37)),
    (Education.Provision.EMPLOYMENT, 9, (16, 37)),
    (Education.Provision.NONE, 25, (0, 0)),
]
# (category, weight, description, gravity range, victim: "person" / "business" / None)
OFFENCES = [
    (Offence.Category.VIOLENCE, 24, "Assault occasioning actual bodily harm", (3, 5), "person"),
    (Offence.Category.ROBBERY, 7, "Robbery", (5, 6), "person"),
    (Offence.Category.WEAPONS, 8, "Possession of a bladed article", (3, 5), None),
    (Offence.Category.DRUGS, 10, "Possession with intent to supply", (3, 6), None),
    (Offence.Category.THEFT, 18, "Theft from a shop", (1, 3), "business"),
    (Offence.Category.BURGLARY, 7, "Burglary of a dwelling", (4, 6), "person"),
    (Offence.Category.CRIMINAL_DAMAGE, 9, "Criminal damage", (2, 3), "person"),
    (Offence.Category.PUBLIC_ORDER, 8, "Using threatening behaviour", (2, 3), None),
    (Offence.Category.MOTORING, 5, "Driving without insurance", (2, 3), None),
    (Offence.Category.SEXUAL, 2, "Sexual assault", (5, 7), "person"),
    (Offence.Category.OTHER, 2, "Breach of a court order", (2, 3), None),
]
SV_CATEGORIES = {Offence.Category.VIOLENCE, Offence.Category.ROBBERY, Offence.Category.WEAPONS}
INTERVENTIONS = {
    HealthNeed.Area.MENTAL_HEALTH: ["CAMHS assessment", "YJS health worker sessions", "Counselling"],
    HealthNeed.Area.SUBSTANCE_MISUSE: ["Substance misuse worker", "Drug and alcohol education sessions"],
}
NEEDS = ["Social, emotional and mental health", "Speech, language and communication", "Moderate learning difficulty",
         "Autism spectrum condition", "Specific learning difficulty (dyslexia)"]  # fmt: skip


def clear() -> None:
    """Remove this module's demo rows (the child's records go with the children; the board does not)."""
    BoardAttendance.objects.all().delete()
    BoardMeeting.objects.all().delete()


def _weighted(rnd: random.Random, table: list):
    return rnd.choices(table, weights=[row[1] for row in table])[0]


class _Builder:
    """One child's records, built in memory."""

    def __init__(self, rnd, today, child, programmes, recorder):
        self.rnd, self.today, self.child, self.recorder = rnd, today, child, recorder
        self.programmes = sorted(programmes, key=lambda p: (p["start_date"], p["pk"]))
        first = self.programmes[0]["start_date"] if self.programmes else today
        origin = max(first - datetime.timedelta(days=rnd.randint(30, 240)), child["date_of_birth"])
        self.origin = min(origin, today)  # a child referred for a programme starting later: known today
        self.rows: dict[type, list] = defaultdict(list)

    def add(self, model, **fields):
        row = model(child_id=self.child["pk"], recorded_by_id=self.recorder, **fields)
        self.rows[model].append(row)
        return row

    def _cuts(self, every: tuple[int, int]) -> list[datetime.date]:
        """Change dates from the origin to today, `every` days apart (a random span)."""
        cuts: list[datetime.date] = []
        day = self.origin
        while True:
            day += datetime.timedelta(days=self.rnd.randint(*every))
            if day >= self.today:
                return cuts
            cuts.append(day)

    def _segments(self, cuts, extra=()):
        bounds = sorted({self.origin, *cuts, *extra})
        return [(b, (bounds[i + 1] - datetime.timedelta(days=1)) if i + 1 < len(bounds) else None)
                for i, b in enumerate(bounds)]  # fmt: skip

    def accommodation(self):
        custody = [(p["start_date"], p["end_date"]) for p in self.programmes if p["kind"] in CUSTODY]
        extra = [d for s, e in custody for d in (s, (e + datetime.timedelta(days=1)) if e else None) if d]
        home, last = None, None
        for start, end in self._segments(self._cuts((200, 700)), [d for d in extra if d < self.today]):
            inside = any(s <= start and (e is None or start <= e) for s, e in custody)
            if inside:
                kind, suitable = Accommodation.Kind.SECURE, True
            else:
                if home is None or self.rnd.random() < 0.45:
                    home = _weighted(self.rnd, HOMES)
                kind = home[0]
                suitable = self.rnd.random() < min(1.0, home[2] + kpi_trend(start, self.today))
            if last is not None and last.kind == kind and last.suitable == suitable:
                last.to_date = end
                continue
            last = self.add(Accommodation, kind=kind, suitable=suitable, from_date=start, to_date=end)

    def education(self):
        born = self.child["date_of_birth"]
        extra = [datetime.date(y, 9, 1) for y in range(self.origin.year, self.today.year + 1)]
        extra = [d for d in extra if self.origin < d < self.today and self.rnd.random() < 0.5]
        for start, end in self._segments(self._cuts((150, 500)), extra):
            provision, _, hours = _weighted(self.rnd, SCHOOL if school_age(born, start) else POST_16)
            offered = Decimal(self.rnd.randint(*hours)) if hours[1] else None
            attended = None
            if offered is not None:
                rate = min(1.0, self.rnd.uniform(0.45, 1.0) + kpi_trend(start, self.today))
                attended = Decimal(round(float(offered) * rate * 2) / 2).quantize(Decimal("0.1"))
            suitable = provision != Education.Provision.NONE and self.rnd.random() < min(
                1.0, 0.72 + 2 * kpi_trend(start, self.today)
            )
            self.add(
                Education, provision=provision, hours_offered=offered, hours_attended=attended, suitable=suitable,
                from_date=start, to_date=end,
            )  # fmt: skip

    def special_needs(self):
        if self.rnd.random() >= 0.3:
            self.add(SpecialNeed, identified=False, plan=SpecialNeed.Plan.NONE, from_date=self.origin)
            return
        need = self.rnd.choice(NEEDS)
        plan = self.rnd.choices(
            [SpecialNeed.Plan.EHCP, SpecialNeed.Plan.SEN_SUPPORT, SpecialNeed.Plan.NONE], weights=[35, 45, 20]
        )[0]
        # One record per academic year: the plan is reviewed for each year, or (less often as the service
        # improves) left on last year's.
        year_starts = [self.origin] + [
            datetime.date(y, 9, 1) for y in range(self.origin.year, self.today.year + 1) if self.origin < datetime.date(y, 9, 1) <= self.today
        ]  # fmt: skip
        for i, start in enumerate(year_starts):
            end = year_starts[i + 1] - datetime.timedelta(days=1) if i + 1 < len(year_starts) else None
            year = academic_year(start)
            if plan != SpecialNeed.Plan.NONE and self.rnd.random() > 0.78 + 1.5 * kpi_trend(
                start, self.today
            ):
                first = int(year[:4]) - 1
                year = f"{first}/{(first + 1) % 100:02d}"
            self.add(
                SpecialNeed, identified=True, need=need, plan=plan,
                plan_academic_year="" if plan == SpecialNeed.Plan.NONE else year, from_date=start, to_date=end,
            )  # fmt: skip

    def screenings(self, skip_recent: set[int]):
        for area, need_rate in (
            (HealthNeed.Area.MENTAL_HEALTH, 0.38),
            (HealthNeed.Area.SUBSTANCE_MISUSE, 0.27),
        ):
            days = [self.origin]
            for p in self.programmes:
                if p["kind"] in INTERVENTION_KINDS and p["pk"] not in skip_recent:
                    day = p["start_date"] - datetime.timedelta(days=self.rnd.randint(0, 25))
                    if day > days[-1] + datetime.timedelta(days=60):
                        days.append(day)
            for i, day in enumerate(days):
                # A programme arranged to start later is screened when it starts: no record is dated
                # after today (the forms refuse one). The draws are made all the same, so the rest of
                # the demo is as it was.
                later = i + 1 < len(days) and days[i + 1] <= self.today
                end = days[i + 1] - datetime.timedelta(days=1) if later else None
                need = self.rnd.random() < need_rate
                fields = {"intervention": "", "offered_on": None, "attending": None}
                if need and self.rnd.random() < 0.78 + 1.5 * kpi_trend(day, self.today):
                    offered = day + datetime.timedelta(days=self.rnd.randint(3, 35))
                    if offered <= self.today:
                        fields["intervention"] = self.rnd.choice(INTERVENTIONS[area])
                        fields["offered_on"] = offered
                        fields["attending"] = self.rnd.random() < 0.62 + 2 * kpi_trend(offered, self.today)
                if day <= self.today:
                    self.add(
                        HealthNeed, area=area, need_identified=need, from_date=day, to_date=end, **fields
                    )

    def leave_gaps(self, skip: set[int]):
        """For an intervention started in the last few weeks, a fact not yet recorded: the education or
        the substance misuse screening that would cover its start ends the day before it."""
        for p in self.programmes:
            if p["pk"] not in skip:
                continue
            start = p["start_date"]
            rows = self.rows[Education] if self.rnd.random() < 0.5 else self.rows[HealthNeed]
            for row in list(rows):
                if getattr(row, "area", HealthNeed.Area.SUBSTANCE_MISUSE) != HealthNeed.Area.SUBSTANCE_MISUSE:
                    continue
                if row.covers(start):
                    if row.from_date < start:
                        row.to_date = start - datetime.timedelta(days=1)
                    else:
                        rows.remove(row)

    def wider_services(self):
        if self.child["looked_after"]:
            self.add(WiderService, kind=WiderService.Kind.LOOKED_AFTER, from_date=self.origin)
        for kind, rate in (
            (WiderService.Kind.EARLY_HELP, 0.16),
            (WiderService.Kind.CHILD_IN_NEED, 0.12),
            (WiderService.Kind.CHILD_PROTECTION, 0.05),
        ):
            if self.rnd.random() < rate:
                start = self.origin + datetime.timedelta(days=self.rnd.randint(0, 200))
                if start >= self.today:
                    continue
                end = start + datetime.timedelta(days=self.rnd.randint(120, 500))
                self.add(WiderService, kind=kind, from_date=start, to_date=end if end < self.today else None)

    def offences(self, counter: list[int]):
        for p in self.programmes:
            if p["kind"] not in OFFENCE_KINDS:
                continue
            category, _, description, gravity, victim = _weighted(self.rnd, OFFENCES)
            gravity = self.rnd.randint(*gravity)
            committed = max(
                self.child["date_of_birth"],
                p["start_date"] - datetime.timedelta(days=self.rnd.randint(14, 120)),
            )
            serious = category == Offence.Category.ROBBERY or (category in SV_CATEGORIES and gravity >= 5)
            offence = self.add(
                Offence, programme_id=p["pk"], committed_on=committed, description=description, category=category,
                gravity=gravity, serious_violence=serious,
                proven_on=p["start_date"] if p["kind"] in PROVEN_KINDS else None,
            )  # fmt: skip
            if victim is None:
                continue
            for _ in range(2 if self.rnd.random() < 0.12 else 1):
                counter[0] += 1
                self._victim(offence, p, victim, counter[0])

    def _victim(self, offence, programme, victim, number):
        identified = programme["start_date"] + datetime.timedelta(days=self.rnd.randint(0, 10))
        if identified > self.today:
            return
        better = kpi_trend(identified, self.today)
        roll = self.rnd.random()
        consented = (
            True
            if roll < 0.55 + 2 * better
            else (None if roll > 0.88 and (self.today - identified).days < 40 else False)
        )
        views = bool(consented) and self.rnd.random() < 0.85 + better
        rj_offered = bool(consented) and self.rnd.random() < 0.6 + 2 * better
        self.rows[VictimContact].append(
            (
                offence,
                VictimContact(
                    child_id=self.child["pk"], programme_id=programme["pk"], recorded_by_id=self.recorder,
                    reference=f"VR-{number:05d}", kind=VictimContact.Kind.BUSINESS if victim == "business" else VictimContact.Kind.PERSON,
                    identified_on=identified, consented=consented, views_sought=views,
                    information_given=consented is not False and self.rnd.random() < 0.75 + better,
                    rj_offered=rj_offered, rj_taken_part=rj_offered and self.rnd.random() < 0.45 + 2 * better,
                ),
            )
        )  # fmt: skip


def _recent_gaps(rnd, today, programmes) -> set[int]:
    """Interventions started in the last few weeks whose screenings are not yet recorded (RECENT_MISS)."""
    return {
        p["pk"]
        for p in programmes
        if p["kind"] in INTERVENTION_KINDS
        and today - RECENT_MISS <= p["start_date"] <= today
        and rnd.random() < 0.35
    }


def build(*, staff, today, rnd) -> None:
    """Every child's KPI facts and snapshots, and the management board's meetings."""
    rnd = random.Random(rnd.getrandbits(64))  # this module's own stream: the others' draws are unchanged
    users = [u.pk for u in staff if u.role in (Role.CASE_MANAGER, Role.SENIOR_CASE_MANAGER)]
    children = list(
        Child.objects.order_by("pk").values(
            "pk", "date_of_birth", "team_id", "case_manager_id", "looked_after"
        )
    )
    by_child: dict[int, list[Any]] = defaultdict(list)
    for p in Programme.objects.order_by("child_id", "start_date", "pk").values(
        "pk", "child_id", "kind", "start_date", "end_date"
    ):
        by_child[p["child_id"]].append(p)
    rows: dict[type, list] = defaultdict(list)
    victims: list[tuple] = []
    counter = [0]
    gaps: set[int] = set()
    for child in children:
        recorder = child["case_manager_id"] or rnd.choice(users)
        builder = _Builder(rnd, today, child, by_child.get(child["pk"], []), recorder)
        skip = _recent_gaps(rnd, today, builder.programmes)
        gaps |= skip
        builder.accommodation()
        builder.education()
        builder.special_needs()
        builder.screenings(skip)
        builder.leave_gaps(skip)
        builder.wider_services()
        builder.offences(counter)
        for model, made in builder.rows.items():
            (victims if model is VictimContact else rows[model]).extend(made)
    for model in (Accommodation, Education, SpecialNeed, HealthNeed, WiderService, Offence):
        model.objects.bulk_create(rows[model], batch_size=1000)
    for offence, victim in victims:
        victim.offence_id = offence.pk
    VictimContact.objects.bulk_create([v for _, v in victims], batch_size=1000)
    sm = next((u.pk for u in staff if u.role == Role.SERVICE_MANAGER), None) or (
        User.objects.order_by("pk").values_list("pk", flat=True).first()
    )
    if sm is not None:  # with no staff at all, no one recorded a board meeting
        board_build(rnd, today, sm, since=today - datetime.timedelta(days=3 * 365 + 1))
    snapshots_refresh(child_ids=[c["pk"] for c in children], today=today)
    date_completion(rnd, today, {c["pk"]: c["team_id"] for c in children})
