"""Benchmark each role's home page and the daily sweep against PostgreSQL at two sizes of demo service.

For each size (default 50 and 5,000 children) it makes sure a PostgreSQL database exists (hd_50,
hd_5000: created if missing), migrates it and seeds it with `seed_demo --children N --today DATE`
(skipped with --reuse when the database already holds a demo), then, with the clock pinned to 09:00 on
that date, measures with Django's test client (force_login):

- the service manager's compliance dashboard (URL name compliance_dashboard, as `sm`),
- a team manager's team dashboard (team_dashboard, as `tm.north`),
- My work (my_work, as `cm.north.1`),

each rendered --renders times (default 15) after two warm-up renders: the median time, and the number
of queries one render makes (CaptureQueriesContext). At the largest size it also times the daily
alerts sweep (cases.services.rejudge.obligations_rejudge_all, then alerts.services.alerts_raise) and
the weekly cases.tasks.obligations_refresh_all, each in a transaction rolled back afterwards so the
database stays as seeded. A page slower than half a second gets its slowest queries listed with the
plan of the slowest (EXPLAIN ANALYZE).

Run (PostgreSQL on 127.0.0.1:5432 as user postgres, as CI has it):

    make benchmark-dashboards
    .venv/bin/python benchmarks/dashboards.py                       # sizes 50 and 5000
    .venv/bin/python benchmarks/dashboards.py --reuse               # measure the databases as seeded
    .venv/bin/python benchmarks/dashboards.py --sizes 50 1000 --database-url postgres://postgres@127.0.0.1:5432/bench_{size}

It prints the seed times and a markdown table ready for the README. Each size is measured in its own
process (one Django database per process).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    # (URL name, username, label)
    ("compliance_dashboard", "sm", "Compliance dashboard (service manager)"),
    ("team_dashboard", "tm.north", "Team dashboard (team manager, North)"),
    ("my_work", "cm.north.1", "My work (case manager)"),
]
TARGET_SECONDS = 0.5
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hd_{size}"


# ---------------------------------------------------------------- the parent: databases, seeding, table


def _url(template: str, size: int) -> str:
    return template.format(size=size)


def _ensure_database(url: str) -> bool:
    """Create the database if it does not exist; True if it was created."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def _env(url: str, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env.update(extra)
    return env


def _manage(url: str, *args: str) -> float:
    """Run manage.py with the benchmark database; returns the wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=_env(url, DEBUG="1"),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _seeded_children(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT to_regclass('cases_child') IS NOT NULL").fetchone()
        if not row[0]:
            return 0
        return conn.execute("SELECT count(*) FROM cases_child").fetchone()[0]


def _prepare(size: int, url: str, *, today: str, reuse: bool) -> dict:
    """Create, migrate and seed one size's database; the seed time, or why it was skipped."""
    created = _ensure_database(url)
    _manage(url, "migrate", "--noinput")
    if reuse and not created and _seeded_children(url):
        return {"seed_seconds": None, "seeded": "reused"}
    seconds = _manage(url, "seed_demo", "--children", str(size), "--today", today)
    return {"seed_seconds": seconds, "seeded": "seeded"}


def _measure(size: int, url: str, args) -> dict:
    """Measure one size in a child process (its own Django set-up and database)."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        "--today",
        args.today,
        "--renders",
        str(args.renders),
    ]
    if args.sweep_all or size == max(args.sizes):
        cmd.append("--sweep")
    out = subprocess.run(cmd, cwd=ROOT, env=_env(url, DEBUG="0"), check=True, capture_output=True, text=True)
    if out.stderr.strip():
        sys.stderr.write(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fmt(seconds) -> str:
    if seconds is None:
        return "not available"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def _table(sizes: list[int], results: dict[int, dict]) -> str:
    """The README table: per page, the median render and queries at each size."""
    head = "| page | " + " | ".join(f"{s:,} children: median | queries" for s in sizes) + " |"
    rule = "|---|" + "---|---|" * len(sizes)
    lines = [head, rule]
    for name, _username, label in PAGES:
        cells = []
        for size in sizes:
            page = results[size]["pages"][name]
            status = "" if page["status"] == 200 else f" (HTTP {page['status']})"
            cells += [_fmt(page["median"]) + status, str(page["queries"])]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 5000], help="children per demo")
    parser.add_argument("--today", default="2026-11-23", help="the demo's today (seed_demo --today)")
    parser.add_argument("--renders", type=int, default=15, help="measured renders per page")
    parser.add_argument(
        "--database-url", default=DEFAULT_URL, help=f"with {{size}} in the name (default {DEFAULT_URL})"
    )
    parser.add_argument("--reuse", action="store_true", help="keep a database that is already seeded")
    parser.add_argument("--sweep-all", action="store_true", help="time the sweeps at every size")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sweep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_work(args)))
        return 0
    results = {}
    for size in args.sizes:
        url = _url(args.database_url, size)
        print(f"size {size:,}: preparing {urlsplit(url).path.lstrip('/')} ...", flush=True)
        prepared = _prepare(size, url, today=args.today, reuse=args.reuse)
        print(
            f"  {prepared['seeded']}"
            + (f" in {_fmt(prepared['seed_seconds'])}" if prepared["seed_seconds"] else "")
        )
        results[size] = {**prepared, **_measure(size, url, args)}
        for name, page in results[size]["pages"].items():
            print(
                f"  {name:<22} HTTP {page['status']}  median {_fmt(page['median'])}  {page['queries']} queries"
            )
    print()
    print("Seed times (seed_demo --children N --today " + args.today + "):")
    for size in args.sizes:
        r = results[size]
        seeded = _fmt(r["seed_seconds"]) if r["seed_seconds"] else "reused (not re-seeded)"
        print(f"- {size:,} children: {seeded}; {r['children']:,} children ({r['open']:,} open), "
              f"{r['teams']} locality teams, {r['obligations']:,} obligations")  # fmt: skip
    print()
    print(_table(args.sizes, results))
    print()
    for size in args.sizes:
        sweep = results[size].get("sweep")
        if not sweep:
            continue
        print(f"At {size:,} children:")
        for key, label in (
            ("rejudge", "re-judge every obligation (obligations_rejudge_all)"),
            ("raise", "raise alerts (alerts_raise)"),
            ("daily_sweep", "daily alerts sweep, both"),
            ("refresh_all", "weekly obligations_refresh_all"),
        ):
            value = sweep.get(key)
            note = sweep.get(f"{key}_note", "")
            print(f"- {label}: {_fmt(value)}" + (f" ({note})" if note else ""))
    slow = [
        (size, name, page)
        for size in args.sizes
        for name, page in results[size]["pages"].items()
        if page.get("slowest")
    ]
    for size, name, page in slow:
        print()
        print(f"{name} at {size:,} children is over {TARGET_SECONDS} s; its slowest queries:")
        for q in page["slowest"]:
            print(f"- {q['time'] * 1000:.0f} ms: {q['sql'][:400]}")
        if page.get("plan"):
            print("EXPLAIN ANALYZE of the slowest:")
            print(page["plan"])
    failed = [
        (size, name)
        for size in args.sizes
        for name, page in results[size]["pages"].items()
        if page["status"] != 200
    ]
    if failed:
        print()
        print("Not rendered (status other than 200): " + ", ".join(f"{n} at {s:,}" for s, n in failed))
    return 0


# ---------------------------------------------------------------- the worker: one database, measured


def _work(args) -> dict:
    """Set up Django on this process's database and measure the pages (and the sweeps)."""
    import django

    django.setup()
    import time_machine
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from cases.models import Child, Obligation, Team, User
    from cases.rules.calendar import LONDON

    today = datetime.date.fromisoformat(args.today)
    morning = datetime.datetime.combine(today, datetime.time(9, 0), tzinfo=LONDON)
    result = {
        "children": Child.objects.count(),
        "open": Child.objects.filter(is_open=True).count(),
        "teams": Team.objects.filter(kind=Team.Kind.LOCALITY).count(),
        "obligations": Obligation.objects.count(),
        "pages": {},
    }
    with time_machine.travel(morning, tick=True):
        for name, username, _label in PAGES:
            client = Client()
            client.force_login(User.objects.get(username=username))
            try:
                url = reverse(name)
            except NoReverseMatch:
                result["pages"][name] = {"status": 404, "median": None, "queries": 0}
                continue
            for _ in range(2):
                client.get(url)  # warm caches, templates and the connection
            times = []
            for _ in range(args.renders):
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            page = {
                "status": response.status_code,
                "median": statistics.median(times),
                "queries": len(captured.captured_queries),
            }
            if page["median"] > TARGET_SECONDS:
                page.update(_slowest(connection, captured.captured_queries))
            result["pages"][name] = page
        if args.sweep:
            result["sweep"] = _sweeps(today=today, now=morning.replace(hour=6))
    return result


def _slowest(connection, queries: list[dict]) -> dict:
    """The three slowest queries of a render, and the plan of the slowest."""
    ranked = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:3]
    slowest = [{"time": float(q["time"]), "sql": q["sql"]} for q in ranked]
    plan = ""
    if ranked and ranked[0]["sql"].lstrip().upper().startswith("SELECT"):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + ranked[0]["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
    return {"slowest": slowest, "plan": plan}


def _timed_rollback(fn) -> float:
    """Run fn in a transaction that is rolled back (the database stays as seeded); its wall time."""
    from django.db import transaction

    start = time.perf_counter()
    with transaction.atomic():
        fn()
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def _sweeps(*, today: datetime.date, now: datetime.datetime) -> dict:
    """The daily alerts sweep (re-judge, then raise) and the weekly refresh of every open child.

    The sweep runs as the next morning's would: the seed left every obligation judged as of `today`,
    so re-judging as of the day after (06:00) is the real daily work, with statuses moving and new
    alerts to raise.
    """
    from django.db import transaction

    today = today + datetime.timedelta(days=1)
    now = now + datetime.timedelta(days=1)

    sweep: dict = {}
    try:
        from alerts.services import alerts_raise
        from cases.services.rejudge import obligations_rejudge_all
    except ImportError as exc:
        sweep["daily_sweep_note"] = f"not available: {exc}"
    else:
        with transaction.atomic():
            start = time.perf_counter()
            obligations_rejudge_all(as_of=today)
            sweep["rejudge"] = time.perf_counter() - start
            start = time.perf_counter()
            alerts_raise(now=now)
            sweep["raise"] = time.perf_counter() - start
            transaction.set_rollback(True)
        sweep["daily_sweep"] = sweep["rejudge"] + sweep["raise"]
    from cases.tasks import obligations_refresh_all

    sweep["refresh_all"] = _timed_rollback(obligations_refresh_all)
    return sweep


if __name__ == "__main__":
    raise SystemExit(main())
