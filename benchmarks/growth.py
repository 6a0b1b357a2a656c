"""Benchmark the pages that must cost the same at any age of the service (issue 19), as ratios.

Against a PostgreSQL database already migrated and seeded (`seed_demo`), with the clock pinned to 09:00
on --today, it renders each page --renders times after two warm-up renders (Django's test client,
force_login) and reports the median, the queries one render makes, and the ratio to a **bare signed-in
view** (the notification settings page: the header, the session, one small form, as a member of staff
with no notifications), rendered just before each measured render. Ratios, not times, so figures from a
busy machine still compare:

- the bare view and the notifications page as the service manager with **10** and with **100,000**
  unread notifications (the header's count is on every page; their other notifications marked read);
- the audit log's **first page** and a **deep page** (`?before=` the entry --deep entries from the
  oldest), after topping the log up to --audit entries;
- the compliance dashboard and its XLSX export.

Rows it adds (notifications, audit entries) are added in a transaction that is rolled back at the end,
so the database stays as seeded. Run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/growth .venv/bin/python manage.py migrate
    DATABASE_URL=... DEBUG=1 .venv/bin/python manage.py seed_demo --children 500 --today 2026-11-23
    DATABASE_URL=... .venv/bin/python benchmarks/growth.py [--audit 1000000] [--renders 15]

It prints a markdown table ready for docs/operations.md ("Performance at any age").
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
# Writing a million audit entries takes longer than a request's 30 s statement timeout.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "900000")

from pages import ROLES, ROUTES, child_for  # noqa: E402  (benchmarks/pages.py, beside this script)

BARE = "notification_settings"
USERNAME = "sm"


class _Rollback(Exception):
    """Raised at the end to roll the added rows back."""


def _render(client, url: str, renders: int, *, bare_client, bare_url: str) -> dict:
    """Median wall time of `renders` renders after two warm-ups, each right after a render of the bare
    view (so both medians see the same load on a shared machine), and the queries of one render."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(url)
        bare_client.get(bare_url)
    times, bare = [], []
    for _ in range(renders):
        start = time.perf_counter()
        bare_client.get(bare_url)
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    median, bare_median = statistics.median(times), statistics.median(bare)
    return {
        "status": response.status_code,
        "median": median,
        "ratio": median / bare_median,
        "queries": len(captured),
    }


def _notifications(user, how_many: int) -> None:
    """Top the user's unread notifications up to `how_many` (about nothing: always visible)."""
    from django.db import connection

    from alerts.models import Notification

    have = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    Notification.objects.bulk_create(
        (
            Notification(
                recipient=user,
                kind=Notification.Kind.DUE_SOON,
                code="bench",
                title=f"Benchmark {i}",
                message="Benchmark notification",
                key=f"bench:{i}",
            )
            for i in range(have, how_many)
        ),
        batch_size=5000,
    )
    # As autovacuum would have by the time a user had that many (rows added in this transaction are
    # invisible to it): without statistics the planner takes the table for empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE alerts_notification")


def _audit(user, how_many: int) -> None:
    """Top the audit log up to `how_many` entries (in SQL: a million rows in seconds)."""
    from django.db import connection

    from core.models import AuditEntry

    have = AuditEntry.objects.count()
    if have >= how_many:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_auditentry (at, user_id, user_name, action, object_type, object_id, description,"
            " path, prev_hash, entry_hash) SELECT now() - (n || ' seconds')::interval, %s, 'Benchmark', 'view',"
            " 'child', '0', 'Benchmark entry', '', '', '' FROM generate_series(1, %s) AS n",
            [user.pk, how_many - have],
        )
        cursor.execute("ANALYZE cases_auditentry")


def measure(args) -> list[tuple[str, dict]]:
    import django

    django.setup()
    import time_machine
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from alerts.models import Notification
    from cases.models import User
    from cases.rules.calendar import LONDON
    from core.models import AuditEntry

    today = datetime.date.fromisoformat(args.today)
    morning = datetime.datetime.combine(today, datetime.time(9, 0), tzinfo=LONDON)
    rows: list[tuple[str, dict]] = []
    try:
        with time_machine.travel(morning, tick=True), transaction.atomic():
            user = User.objects.get(username=USERNAME)
            client = Client()
            client.force_login(user)
            # The bare view as someone with no notifications: the header's count costs nothing there.
            bare_user = User.objects.filter(is_active=True, notifications__isnull=True).exclude(
                username="admin"
            )
            bare_client = Client()
            bare_client.force_login(bare_user.order_by("pk").first())
            bare_url = reverse(BARE)

            def page(label, name, query=""):
                measured = _render(
                    client, reverse(name) + query, args.renders, bare_client=bare_client, bare_url=bare_url
                )
                rows.append((label, measured))

            Notification.objects.filter(recipient=user).update(read_at=timezone.now())
            _notifications(user, 10)
            page("Bare view as the service manager, 10 unread", BARE)
            page("Notifications, 10 unread", "notifications")
            _notifications(user, 100_000)
            page("Bare view as the service manager, 100,000 unread", BARE)
            page("Notifications, 100,000 unread", "notifications")
            _audit(user, args.audit)
            total = AuditEntry.objects.count()
            deep = AuditEntry.objects.order_by("at", "pk").values_list("pk", flat=True)[args.deep]
            page(f"Audit log, first page ({total:,} entries)", "audit_log")
            # --paged: the code before issue 19 paged the log by number (Paginator, 50 a page).
            query = f"?page={(total - args.deep) // 50 + 1}" if args.paged else f"?before={deep}"
            page(f"Audit log, {args.deep:,} entries from the oldest", "audit_log", query)
            page("Compliance dashboard", "compliance_dashboard")
            page("Compliance figures XLSX", "compliance_export_xlsx")
            if args.roles:
                # Every role's main pages (benchmarks/pages.py), with the million audit entries and the
                # service manager's 100,000 unread notifications still in place.
                for username, paths in ROUTES.items():
                    member = User.objects.get(username=username)
                    own = Client()
                    own.force_login(member)
                    child = child_for(member)
                    for path in paths:
                        url = path.format(child=child)
                        measured = _render(own, url, args.renders, bare_client=bare_client, bare_url=bare_url)
                        rows.append((f"{url} ({ROLES[username]})", measured))
            raise _Rollback
    except _Rollback:
        pass
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", default="2026-11-23", help="the demo's today (seed_demo --today)")
    parser.add_argument("--renders", type=int, default=15, help="measured renders per page")
    parser.add_argument("--audit", type=int, default=1_000_000, help="audit entries to measure at")
    parser.add_argument(
        "--deep", type=int, default=100, help="the deep page starts this many from the oldest"
    )
    parser.add_argument(
        "--paged", action="store_true", help="reach the deep page by ?page= (code before issue 19)"
    )
    parser.add_argument("--roles", action="store_true", help="also every role's main pages (pages.py)")
    args = parser.parse_args(argv)
    rows = measure(args)
    print("| page | median | × bare view | queries |")
    print("|---|---|---|---|")
    for label, r in rows:
        status = "" if r["status"] == 200 else f" (HTTP {r['status']})"
        print(f"| {label}{status} | {r['median'] * 1000:.0f} ms | {r['ratio']:.1f} | {r['queries']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
