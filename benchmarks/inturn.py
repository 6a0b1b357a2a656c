"""The dashboards as ratios to the bare view, for comparing two versions of the code in turn (issue 19).

On a shared machine a single run of growth.py moves by ±30 %. Run this from a checkout of the old code
and from one of the new, in turn, against the same seeded database (no rows added, nothing written but
sessions and audit entries), a few rounds each; compare like with like:

    for i in 1 2 3; do (cd ../old && python ../new/benchmarks/inturn.py); (cd ../new && python benchmarks/inturn.py); done

It imports the code of the directory it is run from, so the old checkout needs no copy of this file.

`--cpu` measures the process's CPU time instead of wall time: the Python work of a request, which does
not move with the machine's load (the time spent waiting for PostgreSQL is left out, so compare it with
the wall-time figures, not alone).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))  # the checkout this is run from, whichever holds this file
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "0")

PAGES = (
    ("tm.north", "/dashboards/team/"),
    ("sm", "/dashboards/compliance/"),
    ("sm", "/dashboards/compliance/figures.xlsx"),
    ("cm.north.1", "/my-work/"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", default="2026-11-23", help="the demo's today (seed_demo --today)")
    parser.add_argument("--renders", type=int, default=11, help="measured renders per page")
    parser.add_argument("--cpu", action="store_true", help="CPU time of the process, not wall time")
    args = parser.parse_args(argv)
    import django

    django.setup()
    import time_machine
    from django.test import Client
    from django.urls import reverse

    from cases.models import User
    from cases.rules.calendar import LONDON

    clock = time.process_time if args.cpu else time.perf_counter
    morning = datetime.datetime.combine(
        datetime.date.fromisoformat(args.today), datetime.time(9), tzinfo=LONDON
    )
    out = []
    with time_machine.travel(morning, tick=True):
        bare = Client()
        someone = User.objects.filter(is_active=True, notifications__isnull=True).exclude(username="admin")
        bare.force_login(someone.order_by("pk").first())
        bare_url = reverse("notification_settings")
        for username, url in PAGES:
            client = Client()
            client.force_login(User.objects.get(username=username))
            for _ in range(2):
                client.get(url)
                bare.get(bare_url)
            times, bares = [], []
            for _ in range(args.renders):
                start = clock()
                bare.get(bare_url)
                bares.append(clock() - start)
                start = clock()
                client.get(url)
                times.append(clock() - start)
            page, base = statistics.median(times), statistics.median(bares)
            out.append(f"{url} {page / base:.2f} ({page * 1000:.0f}/{base * 1000:.0f} ms)")
    print(Path.cwd().name, " | ".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
