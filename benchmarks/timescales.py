"""Benchmark the rules engine on 10,000 realistic timelines (seeded, so every run is the same).

Each timeline is one child on one statutory programme over about a year: the programme start,
risk ratings, AssetPlus assessments (quarterly) and gatekeeping, the intervention plan and its
reviews, CMMs about every 11 weeks (with actions and minutes, half with a time of day), the case
discussed in supervision about every 6 weeks, and sometimes a failure to comply. Run:

    .venv/bin/python benchmarks/timescales.py            # 10,000 timelines
    .venv/bin/python benchmarks/timescales.py --n 20000  # any size

It prints the total seconds, microseconds per timeline, and the time at 1/4, 1/2 and all of
the batch to show the cost is linear in the number of timelines.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cases.rules import compute  # noqa: E402

PROGRAMMES = [
    "yro",
    "yro",
    "yro",
    "referral_order",
    "referral_order",
    "bail_supervision_support",
    "dto_licence",
]
LEVELS = ["low", "medium", "high", "very_high"]


def _d(day: date) -> str:
    """ISO date."""
    return day.isoformat()


def make_timeline(rng: random.Random, n: int) -> dict:
    """One realistic year-long timeline for a child (and their case manager)."""
    start = date(2022, 1, 3) + timedelta(days=rng.randrange(0, 730))
    prog = rng.choice(PROGRAMMES)
    facts: list[dict] = []
    started = {
        "type": "programme_started",
        "programme": prog,
        "date": _d(start),
        "length_months": rng.choice([6, 9, 12, 18]),
    }
    if prog == "yro":
        started["iss"] = rng.random() < 0.1
    if prog == "referral_order":
        started["custody_threshold"] = rng.random() < 0.2
        started["panel_date"] = _d(start + timedelta(days=rng.randrange(10, 20)))
    facts.append(started)
    # risk ratings: at sign-off, then at some CMMs
    day = start + timedelta(days=rng.randrange(5, 20))
    facts.append(
        {"type": "assessment_gatekept", "assessment": "assetplus", "date": _d(day - timedelta(days=1))}
    )
    for _ in range(5):  # assessments roughly quarterly
        facts.append(
            {"type": "assessment_completed", "assessment": "assetplus", "date": _d(day), "stage": "review"}
        )
        facts.append(
            {
                "type": "risk_rated",
                "date": _d(day),
                "rosh": rng.choice(LEVELS),
                "saw": rng.choice(LEVELS[:3]),
                "lor": rng.choice(LEVELS),
            }
        )
        day += timedelta(days=rng.randrange(70, 100))
    day = start + timedelta(days=rng.randrange(8, 22))
    facts.append({"type": "plan_completed", "plan": "intervention", "date": _d(day)})
    for _ in range(4):
        day += timedelta(days=rng.randrange(60, 95))
        facts.append({"type": "plan_completed", "plan": "intervention", "review": True, "date": _d(day)})
    if prog == "referral_order":
        facts.append({"type": "panel_held", "panel": "initial", "date": started["panel_date"]})
    if prog == "dto_licence":
        facts.append(
            {
                "type": "cmm_held",
                "reason": "release",
                "date": _d(start + timedelta(days=rng.randrange(15, 35))),
            }
        )
    day = start + timedelta(days=rng.randrange(30, 80))
    for _ in range(4):  # CMMs every ~11 weeks
        cmm = {"type": "cmm_held", "reason": "risk_review", "date": _d(day)}
        if rng.random() < 0.5:
            cmm["at"] = f"{_d(day)}T{rng.randrange(9, 17):02d}:30"
        facts.append(cmm)
        facts.append({"type": "cmm_actions_recorded", "date": _d(day + timedelta(days=rng.randrange(0, 4)))})
        facts.append({"type": "cmm_minutes_completed", "date": _d(day + timedelta(days=rng.randrange(2, 9)))})
        day += timedelta(days=rng.randrange(70, 85))
    day = start + timedelta(days=rng.randrange(20, 50))
    for _ in range(8):  # the case discussed in supervision, about 6-weekly
        facts.append({"type": "case_discussion_held", "date": _d(day)})
        day += timedelta(days=rng.randrange(35, 50))
    if rng.random() < 0.2:
        facts.append(
            {"type": "failure_to_comply", "date": _d(start + timedelta(days=rng.randrange(30, 200)))}
        )
    rng.shuffle(facts)  # facts come in any order
    return {"policy": "nottinghamshire", "as_of": _d(start + timedelta(days=365)), "facts": facts}


def main(argv: list[str] | None = None) -> int:
    """Generate the batch, time compute() over it, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of timelines (default 10,000)")
    parser.add_argument("--seed", type=int, default=20240603)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    batch = [make_timeline(rng, i) for i in range(args.n)]
    n_facts = sum(len(t["facts"]) for t in batch)
    compute(batch[0])  # load and compile the profile, build the calendar tables: once per process
    checkpoints = sorted({max(1, args.n // 4), max(1, args.n // 2), args.n})
    marks = {}
    n_obligations = 0
    # CPU time of this process (one core), so other load on the machine does not distort it.
    c0 = time.process_time()
    t0 = time.perf_counter()
    for i, timeline in enumerate(batch, 1):
        n_obligations += len(compute(timeline)["obligations"])
        if i in checkpoints:
            marks[i] = time.process_time() - c0
    total = time.process_time() - c0
    wall = time.perf_counter() - t0
    print(f"timelines: {args.n}  facts: {n_facts}  obligations: {n_obligations}")
    print(f"total: {total:.3f} s CPU ({wall:.3f} s wall)  per timeline: {total / args.n * 1e6:.1f} us")
    for i in checkpoints:
        print(f"  after {i:>6} timelines: {marks[i]:.3f} s  ({marks[i] / i * 1e6:.1f} us each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
