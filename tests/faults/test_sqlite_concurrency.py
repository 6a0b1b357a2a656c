"""Issue 16: the embedded default (SQLite, `make demo`) holds a few people at once. A real `manage.py
runserver` (threaded, local settings, no broker) on a temporary SQLite file with the demo service; eight
signed-in people send a request at the same moment, ten rounds: child pages (each writes an audit row inside
the request's transaction, ATOMIC_REQUESTS), the caseload and, each round, one new event. Every request
answers 200 (a write after its redirect), none says "database is locked", and every audit row and event is
stored once.

What makes it hold (config/settings/base.py): WAL (pages read beside the one writer), IMMEDIATE transactions
(a request takes the write lock when its transaction begins, so two never deadlock upgrading a read lock,
which SQLite answers at once with "database is locked" whatever the timeout) and a 20 s wait for the lock.
"""

import http.cookiejar
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .conftest import _free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-only-password"  # demo/seed/people.py
USERS = ["cm.north.1", "cm.north.2", "scm.north.1", "ap.north", "tm.north", "cm.south.1", "tm.south", "sm"]
ROUNDS = 10

pytestmark = pytest.mark.slow


def _env(database: Path) -> dict[str, str]:
    """The embedded default: local settings, a SQLite file, no Redis (tasks run in the web process)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{database}",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.fixture
def server(tmp_path):
    """The demo service (40 children) in a SQLite file, served by `manage.py runserver` on a spare port."""
    database = tmp_path / "db.sqlite3"
    setup = (
        "import django\ndjango.setup()\nfrom django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\ncall_command('seed_demo', children=40, verbosity=0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", setup],
        cwd=ROOT,
        env=_env(database),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    port = _free_port()
    log = tmp_path / "runserver.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=_env(database),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"runserver did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
    yield base, database, log
    process.terminate()
    process.wait(timeout=10)


class Person:
    """One signed-in browser: its own cookies (session, CSRF)."""

    def __init__(self, base: str, username: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.get("/sign-in/")
        status, url, _ = self.post("/sign-in/", {"username": username, "password": PASSWORD})
        assert status == 200 and "/sign-in/" not in url, f"{username} could not sign in"
        status, _, html = self.get("/caseload/?scope=team")
        self.children = sorted(set(re.findall(r'href="/children/(\d+)/"', html)))
        assert status == 200 and self.children, f"{username} sees no children"

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, request.full_url, error.read().decode(errors="replace")

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        headers = {"Referer": self.base + path}
        return self._open(urllib.request.Request(self.base + path, data=body, headers=headers))


def _count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_eight_people_at_once_on_sqlite_all_get_200(server):
    """Ten rounds of eight simultaneous requests (80): all 200, every audit row and event stored once."""
    base, database, log = server
    people = [Person(base, username) for username in USERS]
    audits, events = _count(database, "cases_auditentry"), _count(database, "cases_event")
    pages = ["/children/{}/", "/children/{}/details/", "/children/{}/due/", "/caseload/"]
    results: list[tuple[str, str, int, float, str]] = []
    lock = threading.Lock()

    def request(i: int, person: Person, round_: int, start: threading.Barrier) -> None:
        child = person.children[(round_ + i) % len(person.children)]
        writes = (round_ + i) % len(people) == 0  # one of the eight each round adds an event
        start.wait()
        began = time.monotonic()
        if writes:
            path = f"/children/{child}/events/new/"
            status, url, html = person.post(
                path,
                {
                    "event_type": "contact",
                    "occurred_on_0": "2",
                    "occurred_on_1": "3",
                    "occurred_on_2": "2024",
                    "summary": f"Round {round_}: home visit",
                    "details": "",
                },
            )
            if status == 200 and not url.endswith(f"/children/{child}/"):
                status = -1  # the form came back (an error), not the timeline it redirects to
        else:
            path = pages[(round_ + i) % len(pages)].format(child)
            status, url, html = person.get(path)
        with lock:
            results.append((USERS[i], path, status, time.monotonic() - began, html if status != 200 else ""))

    started = time.monotonic()
    for round_ in range(ROUNDS):
        start = threading.Barrier(len(people))
        threads = [
            threading.Thread(target=request, args=(i, person, round_, start))
            for i, person in enumerate(people)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    elapsed = time.monotonic() - started

    failed = [(user, path, status, body[:300]) for user, path, status, _t, body in results if status != 200]
    assert len(results) == ROUNDS * len(people)
    assert not failed, (failed, log.read_text()[-3000:])
    assert "database is locked" not in log.read_text()
    child_pages = sum(
        1 for _u, path, *_ in results if path.startswith("/children/") and "/events/" not in path
    )
    writes = sum(1 for _u, path, *_ in results if "/events/" in path)
    # Each child page audits its view; each write audits nothing on POST (it audits its form's GET).
    assert _count(database, "cases_auditentry") - audits >= child_pages
    assert _count(database, "cases_event") - events == writes == ROUNDS
    slowest = max(t for _u, _p, _s, t, _b in results)
    print(f"\n{len(results)} requests in {elapsed:.1f} s, slowest {slowest:.2f} s, {writes} writes")
