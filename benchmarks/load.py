"""A 60-second load of 20 concurrent users on gunicorn against a seeded PostgreSQL demo (issue 19).

It signs one session in per user (Django's test client's `force_login`, written to the session table),
starts gunicorn (`config.wsgi`, DEBUG off, --workers processes of --threads threads) on a free port,
then runs --users threads for --seconds: each is one member of staff going round their role's main
pages (a case manager, a team manager or the service manager, in turn), one request after another with
no pause. It reports the throughput, the median and 95th-percentile response times, and every response
that was not a 200 (an error).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/g5000 .venv/bin/python benchmarks/load.py \
        [--seconds 60] [--users 20] [--workers 4] [--threads 2]

The figures go in benchmarks/README.md. Sessions it made are deleted at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from pages import ROUTES, child_for  # noqa: E402  (benchmarks/pages.py, beside this script)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sessions() -> dict[str, tuple[str, str]]:
    """A signed-in session cookie per user, and a child each may open."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from cases.models import User

    out = {}
    for username in ROUTES:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        out[username] = (client.cookies[settings.SESSION_COOKIE_NAME].value, str(child_for(user)))
    return out


def _user_loop(port: int, cookie: str, paths: list[str], stop: float, results: list, lock) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    mine = []
    i = 0
    while time.perf_counter() < stop:
        path = paths[i % len(paths)]
        i += 1
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine.append((path, status, time.perf_counter() - start))
    with lock:
        results.extend(mine)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    args = parser.parse_args(argv)
    sessions = _sessions()
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        names = list(ROUTES)
        results: list = []
        lock = threading.Lock()
        # Warm every worker up (imports, first queries) before the clock starts.
        warm_stop = time.perf_counter() + 5
        warm = [
            threading.Thread(
                target=_user_loop,
                args=(
                    port,
                    sessions[n][0],
                    [p.format(child=sessions[n][1]) for p in ROUTES[n]],
                    warm_stop,
                    [],
                    lock,
                ),
            )
            for n in names * 2
        ]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        stop = time.perf_counter() + args.seconds
        threads = []
        for i in range(args.users):
            name = names[i % len(names)]
            cookie, child = sessions[name]
            paths = [p.format(child=child) for p in ROUTES[name]]
            paths = paths[i % len(paths) :] + paths[: i % len(paths)]  # not all in step
            threads.append(
                threading.Thread(target=_user_loop, args=(port, cookie, paths, stop, results, lock))
            )
        begun = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - begun
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key__in=[c for c, _ in sessions.values()]).delete()
    times = sorted(t for _, _, t in results)
    errors = [(p, s) for p, s, _ in results if s != 200]
    p95 = times[int(0.95 * (len(times) - 1))] if times else 0
    print("| users | seconds | requests | throughput | median | p95 | errors |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {args.users} | {elapsed:.0f} | {len(results):,} | {len(results) / elapsed:.1f} req/s | "
        f"{statistics.median(times) * 1000:.0f} ms | {p95 * 1000:.0f} ms | {len(errors)} |"
    )
    for path, status in sorted(set(errors))[:20]:
        print(f"error: HTTP {status} {path}")
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
