"""Time `manage.py backup` and `manage.py restore` on a seeded demo database (PostgreSQL).

The source must already hold a demo (`seed_demo --children 5000`); the benchmark backs it up into a
temporary folder, creates an empty database beside it (`<name>_restored`), restores the archive into it,
and drops it again. Each command runs as an operator runs it (`python manage.py ...`, its own process),
so the figures include Django's start-up (about a second). It prints a markdown table for the README.

    .venv/bin/python benchmarks/backup.py --database-url postgres://postgres@127.0.0.1:5432/bench_5000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def _admin(url: str, sql: str) -> list[tuple]:
    """Run one statement on the server's `postgres` database (CREATE/DROP DATABASE), autocommit."""
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def _manage(url: str, *args: str) -> tuple[float, str]:
    """Run manage.py against `url`; the wall time and its output (fails loudly if the command fails)."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed: {done.stderr.strip()}")
    return seconds, done.stdout.strip()


def main() -> None:
    """Back up, restore into a new database, report, drop the new database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="the seeded PostgreSQL database")
    args = parser.parse_args()
    source = args.database_url
    name = urlsplit(source).path.lstrip("/")
    target_name = f"{name}_restored"
    target = urlunsplit(urlsplit(source)._replace(path=f"/{target_name}"))
    with tempfile.TemporaryDirectory(prefix="yjs-backup-bench-") as folder:
        backup_seconds, backup_line = _manage(source, "backup", "--output", folder)
        (archive,) = Path(folder).glob("yjs-backup-*.tar")
        size = archive.stat().st_size
        _admin(source, f'DROP DATABASE IF EXISTS "{target_name}"')
        _admin(source, f'CREATE DATABASE "{target_name}"')
        try:
            restore_seconds, restore_line = _manage(target, "restore", str(archive))
        finally:
            _admin(source, f'DROP DATABASE IF EXISTS "{target_name}"')
    print(backup_line)
    print(restore_line)
    print()
    print("| step | wall time | archive |")
    print("|---|---|---|")
    print(f"| backup | {backup_seconds:.1f} s | {size / 1024 / 1024:.1f} MB |")
    print(f"| restore (pg_restore, ANALYZE, counts checked) | {restore_seconds:.1f} s | |")


if __name__ == "__main__":
    main()
