"""Issue 16, "nothing lost, nothing doubled": the daily alerts sweep run by a real Celery worker (`celery -A
config worker`, prefork) against a private Redis and a private PostgreSQL cluster, on the demo service
(`seed_demo`, 300 children), killed with SIGKILL mid-sweep, and two sweeps at once.

Each faulted run must end with exactly the (recipient, key) notifications and the obligations of a clean run
as of the same moment, none twice, and a finished `SweepRun`. Where the sweep stops to be killed is set by a
test-only hook (`tests/faults/sweep_hook.py`, imported by the worker through `tests/faults/worker_settings.py`):
after the first chunk of children is re-judged and committed ("rejudge"), and inside the raise's transaction
with the children's notifications inserted ("raise").
"""

import collections
import datetime
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
# The demo history ends on Tuesday 3 June 2025; the sweep runs a week later, at 06:00 London (05:00 UTC), so
# the re-judge changes about a third of the children and the raise has over 200 notifications to make.
SEED_TODAY = "2025-06-03"
SWEEP_NOW = "2025-06-10T05:00:00+00:00"
SWEEP_DAY = datetime.date(2025, 6, 10)
# Short enough that Redis re-delivers a dead worker's task while the test waits; longer than a sweep.
VISIBILITY_TIMEOUT = 5

pytestmark = pytest.mark.slow

NOTIFICATIONS = "SELECT recipient_id, key FROM alerts_notification"
# Children whose obligations are judged as of the sweep's day (the open ones, and closed ones left overdue).
JUDGED = f"SELECT count(DISTINCT child_id) FROM cases_obligation WHERE as_of = '{SWEEP_DAY}'"
OBLIGATIONS = "SELECT child_id, worker_id, code, due, due_at, status, met_on FROM cases_obligation"


def _env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess: the worker's settings and the tests' clock, never the shared
    servers (DATABASE_URL and REDIS_URL are set per process)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.faults.worker_settings",
        PYTHONPATH=str(ROOT),
        FAULTS_NOW=SWEEP_NOW,
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def _python(code: str, **env: str) -> str:
    """Run Python with Django set up in a subprocess; its output (fails the test with its stderr)."""
    script = f"import django\ndjango.setup()\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=_env(**env), capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


SWEEP_ONCE = """
import tests.faults.sweep_hook
from alerts.tasks import alerts_sweep_daily
print(alerts_sweep_daily.apply().get())
"""


class Seeded:
    """The seeded template database and what a clean sweep of a copy of it gives."""

    def __init__(self, postgres):
        self.postgres = postgres
        self.template = "faults_seeded"
        url = postgres.create_database(self.template)
        _python(
            "import datetime\n"
            "from django.core.management import call_command\n"
            "from alerts.models import Notification, SweepRun\n"
            "call_command('migrate', verbosity=0)\n"
            f"call_command('seed_demo', children=300, today=datetime.date.fromisoformat('{SEED_TODAY}'),"
            " verbosity=0)\n"
            # seed_demo raises the morning's alerts itself: the sweeps under test start from none.
            "Notification.objects.all().delete()\n"
            "SweepRun.objects.all().delete()\n",
            DATABASE_URL=url,
        )
        _python(SWEEP_ONCE, DATABASE_URL=self.url(self.copy("faults_clean")))
        self.notifications = self.rows("faults_clean", NOTIFICATIONS)
        self.obligations = collections.Counter(self.rows("faults_clean", OBLIGATIONS))
        self.judged = self.rows("faults_clean", JUDGED)[0][0]
        assert len(self.notifications) > 200, "the demo data should raise a good number of notifications"

    def copy(self, name: str) -> str:
        """A fresh copy of the seeded database, by name."""
        self.postgres.create_database(name, template=self.template)
        return name

    def url(self, name: str) -> str:
        return self.postgres.url(name)

    def rows(self, database: str, sql: str) -> list[tuple]:
        return self.postgres.execute(sql, database=database)

    def assert_same_as_clean(self, database: str) -> dict:
        """Every notification of the clean run, none twice, none extra; the same obligations; a finished
        run for the day. Returns the figures for the report."""
        notifications = self.rows(database, NOTIFICATIONS)
        doubled = [pair for pair, n in collections.Counter(notifications).items() if n > 1]
        lost = set(self.notifications) - set(notifications)
        extra = set(notifications) - set(self.notifications)
        assert not doubled and not lost and not extra, (len(doubled), len(lost), len(extra))
        assert collections.Counter(self.rows(database, OBLIGATIONS)) == self.obligations
        runs = self.rows(database, "SELECT date, finished_at, error FROM alerts_sweeprun")
        assert any(date == SWEEP_DAY and finished for date, finished, _error in runs), runs
        return {
            "notifications": len(notifications),
            "runs": len(runs),
            "lost": len(lost),
            "doubled": len(doubled),
        }


@pytest.fixture(scope="module")
def seeded(private_postgres) -> Seeded:
    """The demo service in the private cluster (migrated, seeded, no alerts yet) and a clean run's result."""
    return Seeded(private_postgres)


class Worker:
    """A real `celery -A config worker` (prefork) in its own process group, logging to a file."""

    def __init__(self, *, database: str, redis: str, marks: Path, concurrency: int = 1, **env: str):
        self.log = marks / f"worker-{time.monotonic_ns()}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info", "-P", "prefork"]
            + ["-c", str(concurrency), "-Q", "celery", "--without-heartbeat", "--without-gossip"]
            + ["--without-mingle", "-n", f"faults-{time.monotonic_ns()}@%h", "-f", str(self.log)],
            cwd=ROOT,
            env=_env(DATABASE_URL=database, REDIS_URL=redis, FAULTS_DIR=str(marks), **env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_for(lambda: "ready." in self.text(), "the worker to be ready", timeout=60)

    def text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def wait_for(self, condition, what: str, *, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited before {what}:\n{self.text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; worker log:\n{self.text()[-3000:]}")
            time.sleep(0.05)

    def kill(self) -> None:
        """kill -9 of the whole worker: its main process and its pool, at once."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """A warm shutdown (SIGTERM), then SIGKILL if it lingers."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(private_redis) -> Iterator[list[Worker]]:
    """The test's workers, stopped at the end whatever happened."""
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


@pytest.fixture
def marks() -> Iterator[Path]:
    """The folder the hook marks its pause points in (and the workers' logs)."""
    with tempfile.TemporaryDirectory(prefix="yjs-faults-") as folder:
        yield Path(folder)


def _enqueue(redis_url: str, count: int = 1) -> None:
    """What beat does at 06:00: send `alerts.tasks.alerts_sweep_daily` through the broker."""
    # Not made the current app: the tasks this process sends later must stay on the project's app.
    producer = Celery("faults-producer", broker=redis_url, set_as_current=False)
    for _ in range(count):
        producer.send_task("alerts.tasks.alerts_sweep_daily")
    producer.close()


def _paused(marks: Path, point: str) -> int | None:
    """The pid of the process stopped at a pause point, once it is there."""
    mark = marks / f"{point}.paused"
    text = mark.read_text() if mark.exists() else ""
    return int(text) if text else None


def _finished(seeded: Seeded, database: str, runs: int = 1) -> bool:
    done = seeded.rows(database, "SELECT count(*) FROM alerts_sweeprun WHERE finished_at IS NOT NULL")
    return done[0][0] >= runs


def _assert_stopped_mid_sweep(seeded: Seeded, database: str, point: str) -> None:
    """Where the sweep is when it is killed. At "rejudge": its run recorded and unfinished, the first chunk
    of children judged as of the sweep's day (committed) and the rest not yet, no notification. At "raise":
    every child judged, the children's notifications inserted but not committed, so none is seen."""
    unfinished = seeded.rows(database, "SELECT count(*) FROM alerts_sweeprun WHERE finished_at IS NULL")
    assert unfinished[0][0] >= 1
    judged = seeded.rows(database, JUDGED)[0][0]
    expected = seeded.judged
    assert (0 < judged < expected) if point == "rejudge" else judged == expected, (point, judged, expected)
    assert seeded.rows(database, "SELECT count(*) FROM alerts_notification") == [(0,)]


def _assert_one_run_raised_everything(seeded: Seeded, database: str, figures: dict) -> None:
    """The killed runs are left unfinished and committed no notification: the finished run raised them all."""
    raised = seeded.rows(
        database, "SELECT counts FROM alerts_sweeprun WHERE finished_at IS NOT NULL AND error = ''"
    )
    assert [c["raised"]["raised"] for (c,) in raised] == [figures["notifications"]], raised


def test_killing_the_pool_process_mid_sweep_loses_and_doubles_nothing(seeded, private_redis, workers, marks):
    """SIGKILL of the pool process running the sweep, twice: after the first chunk of children is
    committed, then (on the re-queued task) inside the raise's transaction. Each time the worker's main
    process re-queues the task (acks late, reject on worker lost), a new pool process takes it, and the
    third attempt completes the day."""
    database = seeded.copy("faults_pool_kill")
    workers.append(
        worker := Worker(
            database=seeded.url(database), redis=private_redis.url, marks=marks, FAULTS_PAUSE="rejudge,raise"
        )
    )
    _enqueue(private_redis.url)
    for point in ("rejudge", "raise"):
        worker.wait_for(lambda p=point: _paused(marks, p), f"the sweep to reach {point!r}")
        _assert_stopped_mid_sweep(seeded, database, point)
        pid = _paused(marks, point)
        assert pid and pid != worker.process.pid  # the pool process, not the worker's main process
        os.kill(pid, signal.SIGKILL)
    worker.wait_for(lambda: _finished(seeded, database), "the sweep to finish after the kills")
    figures = seeded.assert_same_as_clean(database)
    assert figures["runs"] == 3, figures  # two killed runs (left unfinished) and the one that finished
    _assert_one_run_raised_everything(seeded, database, figures)
    assert worker.text().count("exited with 'signal 9 (SIGKILL)'") == 2
    assert worker.process.poll() is None  # the worker itself lived on


def test_killing_the_whole_worker_mid_sweep_loses_and_doubles_nothing(seeded, private_redis, workers, marks):
    """SIGKILL of the whole worker (main process and pool at once) mid-sweep, twice, each time a new worker
    started: the unacknowledged task stays in Redis and is re-delivered to the next worker once the
    visibility timeout has passed; the third worker completes the day."""
    database = seeded.copy("faults_worker_kill")
    options = {"FAULTS_PAUSE": "rejudge,raise", "FAULTS_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    _enqueue(private_redis.url)
    for point in ("rejudge", "raise"):
        workers.append(
            worker := Worker(database=seeded.url(database), redis=private_redis.url, marks=marks, **options)
        )
        worker.wait_for(lambda p=point: _paused(marks, p), f"the sweep to reach {point!r}")
        _assert_stopped_mid_sweep(seeded, database, point)
        worker.kill()
    workers.append(
        worker := Worker(database=seeded.url(database), redis=private_redis.url, marks=marks, **options)
    )
    worker.wait_for(lambda: _finished(seeded, database), "the re-delivered sweep to finish")
    figures = seeded.assert_same_as_clean(database)
    assert figures["runs"] == 3, figures
    _assert_one_run_raised_everything(seeded, database, figures)


def test_two_sweeps_at_once_raise_nothing_twice(seeded, private_redis, workers, marks):
    """Two daily sweeps in two pool processes at once (beat's and a re-delivered copy, say), re-judging
    side by side and made to start their raise at the same moment: no error, no double, the clean run's set;
    one raise waits for the other and then finds everything raised."""
    database = seeded.copy("faults_two_sweeps")
    workers.append(
        worker := Worker(
            database=seeded.url(database),
            redis=private_redis.url,
            marks=marks,
            concurrency=2,
            FAULTS_BARRIER="2",
        )
    )
    _enqueue(private_redis.url, count=2)
    worker.wait_for(lambda: _finished(seeded, database, runs=2), "both sweeps to finish")
    assert len(list(marks.glob("barrier.*"))) == 2, "both sweeps reached their raise together"
    figures = seeded.assert_same_as_clean(database)
    assert figures["runs"] == 2, figures
    errors = seeded.rows(database, "SELECT error FROM alerts_sweeprun WHERE error <> ''")
    raised = sorted(
        c["raised"]["raised"] for (c,) in seeded.rows(database, "SELECT counts FROM alerts_sweeprun")
    )
    assert raised == [0, figures["notifications"]], raised  # one raised them all; the other found them raised
    assert not errors and "ERROR" not in worker.text(), worker.text()[-3000:]
