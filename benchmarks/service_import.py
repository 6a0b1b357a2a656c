"""How long bringing a service in takes (issue 22): `import_service` of a seeded demo's export into an
empty PostgreSQL database, at several sizes, to show the time is linear in the number of children.

    .venv/bin/python benchmarks/service_import.py [--sizes 500 1000] [--database-url URL] [--keep]

For each size it seeds `wt_import_service_src_{size}` (`seed_demo --children N`), exports it (`export_service`),
migrates an empty `wt_import_service_dst_{size}`, then times the dry run and the import (the import includes working
out every child's obligations) and a second import of the same files (which changes nothing). The
databases are dropped afterwards unless --keep. Figures: benchmarks/README.md.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/{name}"
TODAY = "2026-11-23"


def _admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _manage(url: str, *args: str, check: bool = True) -> tuple[float, str]:
    """Run manage.py on that database; the wall time in seconds and what it printed."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "1"}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=check,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, out.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="With {name} for the database name")
    parser.add_argument("--keep", action="store_true", help="Keep the databases afterwards")
    args = parser.parse_args(argv)
    rows = []
    for size in args.sizes:
        src = args.database_url.format(name=f"wt_import_service_src_{size}")
        dst = args.database_url.format(name=f"wt_import_service_dst_{size}")
        for url in (src, dst):
            _admin(url, f'DROP DATABASE IF EXISTS "{_name(url)}"')
            _admin(url, f'CREATE DATABASE "{_name(url)}"')
        try:
            _manage(src, "migrate", "-v0")
            seeded, _ = _manage(src, "seed_demo", "--children", str(size), "--today", TODAY)
            with tempfile.TemporaryDirectory() as folder:
                exported, out = _manage(src, "export_service", folder)
                lines = sum(int(line.split()[1]) for line in out.splitlines() if line.strip())
                _manage(dst, "migrate", "-v0")
                dry, _ = _manage(dst, "import_service", folder, "--dry-run")
                real, _ = _manage(dst, "import_service", folder)
                again, _ = _manage(dst, "import_service", folder)
            rows.append((size, lines, seeded, exported, dry, real, again))
            print(
                f"{size} children, {lines} rows: seed {seeded:.0f} s, export {exported:.1f} s, dry run {dry:.1f} s, "
                f"import {real:.1f} s, again {again:.1f} s",
                flush=True,
            )
        finally:
            if not args.keep:
                for url in (src, dst):
                    _admin(url, f'DROP DATABASE IF EXISTS "{_name(url)}"')
    print(
        "\n| children | rows in the files | export | dry run | import (with obligations) | per child | re-run |"
    )
    print("|---|---|---|---|---|---|---|")
    for size, lines, _seeded, exported, dry, real, again in rows:
        print(
            f"| {size:,} | {lines:,} | {exported:.1f} s | {dry:.1f} s | {real:.1f} s | {1000 * real / size:.0f} ms "
            f"| {again:.1f} s |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
