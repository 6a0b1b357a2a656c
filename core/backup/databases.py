"""Dump and restore the database of each vendor we support, and read what a database holds (its
tables' row counts and its migration state) for the manifest and the check after a restore.

PostgreSQL: `pg_dump --format=custom` from a snapshot exported by a REPEATABLE READ transaction, so the
counts in the manifest are those of the dump, even while the service writes; `pg_restore` in one
transaction. SQLite (the embedded default): the `sqlite3` online backup API, a consistent page copy
taken while others may write. Connection settings come from `DATABASES`, the password through the
environment only (never a command-line argument that `ps` shows).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient

VENDORS = ("postgresql", "sqlite")
# pg_dump and pg_restore read these from the environment; the caller's own are dropped so that only
# DATABASES decides where they connect.
PG_ENV = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE", "PGOPTIONS")
TOOL_TIMEOUT = 6 * 60 * 60


class BackupFailed(Exception):
    """A step failed (a tool missing or refusing); the message is one line for the command."""


class RestoreRefused(Exception):
    """The target cannot take this archive (not empty, another vendor, a newer schema); one line."""


@dataclass
class DatabaseState:
    """What a database holds: each table's rows and each app's latest applied migration."""

    tables: dict[str, int] = field(default_factory=dict)
    migrations: dict[str, str] = field(default_factory=dict)
    server_version: str = ""

    @property
    def rows(self) -> int:
        """Rows in every table together."""
        return sum(self.tables.values())


def quote(name: str) -> str:
    """An identifier quoted the same way for PostgreSQL and SQLite."""
    return '"' + name.replace('"', '""') + '"'


def read_state(cursor, tables: list[str]) -> DatabaseState:
    """Count each table's rows and read the migrations applied, through any DB-API cursor (Django's, or
    sqlite3's on a backup file), so the manifest and the check after a restore count the same way."""
    state = DatabaseState()
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        state.tables[table] = int(cursor.fetchone()[0])
    if "django_migrations" in tables:
        # The latest applied per app, in the order they were applied (ids grow).
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            state.migrations[app] = name
    return state


def vendor_of(connection: BaseDatabaseWrapper) -> str:
    """The connection's vendor if we can back it up, else RestoreRefused naming it."""
    if connection.vendor not in VENDORS:
        raise RestoreRefused(f"backups support PostgreSQL and SQLite, not {connection.vendor}")
    return connection.vendor


def tables_present(connection: BaseDatabaseWrapper) -> list[str]:
    """The tables the database holds now (views excluded), by introspection."""
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


# -- PostgreSQL ------------------------------------------------------------------------------------------


def pg_env(settings_dict: dict) -> dict[str, str]:
    """The environment for pg_dump/pg_restore from a DATABASES entry: Django's own mapping for dbshell
    (password, service, SSL files, passfile) plus host, port, user and database name."""
    env = {k: v for k, v in os.environ.items() if k not in PG_ENV}
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env.update(extra or {})
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _tool(name: str) -> str:
    """The path of a PostgreSQL client tool, or BackupFailed saying what to install."""
    path = shutil.which(name)
    if not path:
        raise BackupFailed(
            f"{name} is not on the PATH: install the PostgreSQL client (the server's version or newer)"
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    """Run a PostgreSQL tool; BackupFailed with its last line of error output if it fails."""
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise BackupFailed(f"{Path(command[0]).name} did not finish in {TOOL_TIMEOUT} s") from None
    if done.returncode:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise BackupFailed(
            f"{Path(command[0]).name} failed: {lines[-1] if lines else f'exit {done.returncode}'}"
        )


def dump_postgresql(connection: BaseDatabaseWrapper, dest: Path) -> DatabaseState:
    """pg_dump (custom format) into `dest`, from the snapshot the returned counts were read in."""
    pg_dump = _tool("pg_dump")
    if connection.in_atomic_block:
        # The snapshot must be a transaction of its own, begun by SET TRANSACTION.
        raise BackupFailed("a backup runs outside any transaction (not inside transaction.atomic)")
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # The first statement of the transaction: one snapshot for the counts and for pg_dump.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # Counting a large table may take longer than a web request's statement timeout.
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, version = cursor.fetchone()
        state = read_state(cursor, connection.introspection.table_names(cursor))
        state.server_version = str(version)
        _run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password", f"--file={dest}"],
            pg_env(connection.settings_dict),
        )
    return state


def restore_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """pg_restore into the (empty) database in one transaction: it all arrives or nothing does.

    --no-owner and --no-privileges: the target's roles need not be the source's (a restore onto a
    new server); the objects belong to the user DATABASES names. ANALYZE afterwards, as pg_restore
    brings no planner statistics and the dashboards are slow without them (seed_demo does the same).
    """
    pg_restore = _tool("pg_restore")
    name = connection.settings_dict.get("NAME")
    if not name:
        raise RestoreRefused("DATABASES has no database NAME to restore into")
    connection.close()
    _run(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        + ["--no-password", f"--dbname={name}", str(dump)],
        pg_env(connection.settings_dict),
    )
    with connection.cursor() as cursor:
        # This process's session only: ANALYZE and the counts after it may outlast a web request's
        # statement timeout (DATABASE_STATEMENT_TIMEOUT_MS) on a large service.
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("ANALYZE")


# -- SQLite ----------------------------------------------------------------------------------------------


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    """A SQLite file's tables, without SQLite's own (sqlite_sequence, sqlite_stat1)."""
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    )
    return [row[0] for row in rows]


def dump_sqlite(connection: BaseDatabaseWrapper, dest: Path) -> DatabaseState:
    """Copy the database into `dest` with the online backup API; the counts are read from the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(dest)
    try:
        connection.connection.backup(copy)
        # One self-contained file (no -wal beside it), whatever mode the live database uses.
        copy.execute("PRAGMA journal_mode=DELETE")
        state = read_state(copy.cursor(), _sqlite_tables(copy))
        state.server_version = sqlite3.sqlite_version
    finally:
        copy.close()
    return state


def restore_sqlite(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """Copy the archive's database file into the (empty) target file with the backup API."""
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise RestoreRefused("restore needs a SQLite database file, not an in-memory database")
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise RestoreRefused(f"{dump.name} in the archive is not a sound SQLite database")
        connection.close()
        target = sqlite3.connect(name)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
