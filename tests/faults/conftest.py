"""Real faults for the tests of issue 16: a private redis-server and a private PostgreSQL cluster, each on a
spare port, started and stopped by the tests (never the shared servers)."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, on a spare loopback port, that the test can stop."""

    def __init__(self, tmp_path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp_path = tmp_path
        self.start()

    def start(self) -> None:
        """Start the server (again, after `stop`: the outage is over) on the same port."""
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed for the fault tests (apt-get install redis-server)"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        """The outage: the server is killed, its port refuses connections."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    yield server
    server.stop()


# -- a private PostgreSQL cluster ---------------------------------------------------------------------


def _postgres_bindir() -> Path:
    """The newest PostgreSQL server binaries (Debian's /usr/lib/postgresql/<version>/bin, else the PATH)."""
    candidates = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    pytest.fail("initdb/pg_ctl are needed for the fault tests (apt-get install postgresql)", pytrace=False)


class PrivatePostgres:
    """A PostgreSQL cluster of the tests' own: initdb in a temporary folder, a spare loopback port, its
    socket in that folder, trust authentication, no fsync (a test cluster, thrown away at the end).

    As root the server runs as the `postgres` user (it refuses root). Never the shared server on 5432."""

    def __init__(self):
        bindir = _postgres_bindir()
        # Its own folder straight under /tmp: pytest's tmp folders are private to root, which `postgres`
        # could not enter.
        self.dir = Path(tempfile.mkdtemp(prefix="yjs-faults-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail("a `postgres` user is needed to run PostgreSQL as root", pytrace=False)
            self.as_user = ["runuser", "-u", "postgres", "--"]
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self._run(
            [str(bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
            + ["--locale=C.UTF-8", "--no-sync", "--no-instructions"]
        )
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        self.pg_ctl = str(bindir / "pg_ctl")
        self._run(
            [self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"]
        )

    def _run(self, command: list[str]) -> None:
        result = subprocess.run(self.as_user + command, capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError(f"{' '.join(command[:1])} failed: {result.stderr or result.stdout}")

    def url(self, name: str) -> str:
        """The DATABASE_URL of one database in this cluster."""
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def execute(self, sql: str, *, database: str = "postgres") -> list[tuple]:
        """Run one statement (autocommit) and return its rows, if any."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn, conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """A new database (a copy of `template` when given; nobody may be connected to it); its URL."""
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once and remove the cluster."""
        if self.data.exists():
            subprocess.run(
                self.as_user + [self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def private_postgres():
    """One private PostgreSQL cluster for the session's fault tests, stopped and removed at the end."""
    server = PrivatePostgres()
    yield server
    server.stop()
