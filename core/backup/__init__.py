"""Backups that are proven (issue 19, ADR 0014): `backup_create` writes one archive (the database's
dump, the files kept in MEDIA_ROOT, a manifest with every checksum and each table's row count);
`backup_restore` checks an archive completely, restores it only into an empty database, and compares
the row counts with the manifest. The commands `backup` and `restore` are thin wrappers.

The stored documents (PDFs, `core.Document`) are a column of the database, so the dump holds them; any
file an operator keeps under MEDIA_ROOT is archived beside it.
"""

from __future__ import annotations

import datetime
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from core.audit import _append
from core.models import AuditEntry, Document

from .archive import (
    DUMP_NAMES,
    FORMAT,
    FORMAT_VERSION,
    MEDIA_PREFIX,
    ArchiveRefused,
    archive_extract,
    archive_write,
    file_entry,
    sidecar_write,
)
from .databases import (
    BackupFailed,
    DatabaseState,
    RestoreRefused,
    dump_postgresql,
    dump_sqlite,
    read_state,
    restore_postgresql,
    restore_sqlite,
    tables_present,
    vendor_of,
)

__all__ = ["ArchiveRefused", "BackupFailed", "RestoreRefused", "backup_create", "backup_restore"]

logger = logging.getLogger(__name__)

DUMPERS = {"postgresql": dump_postgresql, "sqlite": dump_sqlite}
RESTORERS = {"postgresql": restore_postgresql, "sqlite": restore_sqlite}


@dataclass
class BackupResult:
    """What a backup wrote, for the command's one line and the tests."""

    path: Path
    sha256: str
    manifest: dict
    seconds: float
    # Why the audit entry could not be written (a read-only database user), else empty.
    not_audited: str = ""


@dataclass
class RestoreResult:
    """What a restore found: the counts that differ from the manifest (none when proven), the
    migrations the code has beyond the archive's, and whether the restore was audited."""

    manifest: dict
    state: DatabaseState
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    pending_migrations: int = 0
    audited: bool = False
    seconds: float = 0.0


def _media_files(folder: Path) -> list[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT (archive name, path); none when MEDIA_ROOT is not set. The
    backup folder is left out should it lie inside MEDIA_ROOT (each backup would hold the previous)."""
    root = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None
    if root is None or not root.is_dir():
        return []
    skip = folder.resolve()
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and not p.resolve().is_relative_to(skip)
    )
    return [(MEDIA_PREFIX + p.relative_to(root).as_posix(), p) for p in files]


def _first_line(exc: BaseException) -> str:
    """A database error's first line (psycopg adds detail lines a one-line report does not need)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def output_folder(output: str | Path | None) -> Path:
    """The folder backups go to: --output, else BACKUP_DIR; created (owner-only) if missing.
    ArchiveRefused (bad input for the command) when it cannot be made or written to."""
    folder = Path(output or settings.BACKUP_DIR)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveRefused(f"{folder}: cannot create the backup folder ({exc.strerror or exc})") from None
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise ArchiveRefused(f"{folder}: not a folder this user can write to")
    return folder


def backup_create(output: str | Path | None = None, *, using: str = "default") -> BackupResult:
    """Dump the database and the MEDIA_ROOT files into one timestamped archive in the output folder,
    with the manifest; then append "backup made" to the audit log (after, so only a made backup is
    recorded: the entry is therefore in the next backup, not this one)."""
    started = time.monotonic()
    connection = connections[using]
    vendor = vendor_of(connection)
    folder = output_folder(output)
    now = datetime.datetime.now(datetime.UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"yjs-backup-{vendor}-{stamp}.tar"
    if path.exists():
        raise ArchiveRefused(f"{path}: already exists (one backup a second)")
    with tempfile.TemporaryDirectory(prefix="yjs-backup-", dir=folder) as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        try:
            state = DUMPERS[vendor](connection, dump)
        except DatabaseError as exc:
            # Unreachable, refusing the user, a statement failing: one line for the cron log.
            raise BackupFailed(f"the database failed: {_first_line(exc)}") from None
        members = [(DUMP_NAMES[vendor], dump), *_media_files(folder)]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": now.isoformat(timespec="seconds"),
            "service": settings.SERVICE_NAME,
            "django": django.get_version(),
            "database": {"vendor": vendor, "server_version": state.server_version},
            "migrations": state.migrations,
            "tables": state.tables,
            "rows": state.rows,
            "documents": {
                "stored_in": f"the database ({Document._meta.db_table})",
                "count": state.tables.get(Document._meta.db_table, 0),
            },
            "files": {name: file_entry(source) for name, source in members},
        }
        # Written under another name and renamed when complete: a crash never leaves a file that
        # looks like a finished backup.
        partial = path.with_name(path.name + ".partial")
        try:
            digest = archive_write(partial, manifest, members)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.rename(path)
    sidecar_write(path, digest)
    result = BackupResult(path=path, sha256=digest, manifest=manifest, seconds=time.monotonic() - started)
    try:
        _append(
            user=None,
            action=AuditEntry.Action.CREATE,
            object_type="backup",
            object_id=stamp,
            description=f"Backup made: {path.name}, {len(state.tables)} tables, {state.rows} rows",
        )
    except DatabaseError as exc:
        # A backup taken as a read-only user (or from a replica) is still a good backup: say it was
        # not audited rather than fail it.
        logger.warning("The backup %s was not audited: %s", path.name, exc)
        result.not_audited = " ".join(str(exc).split())[:200]
    return result


def _check_migrations(manifest: dict) -> None:
    """Refuse an archive made by newer code: a migration it records that this code does not have."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app, name in sorted(manifest.get("migrations", {}).items()):
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations:
            raise RestoreRefused(
                f"the archive's {app} is at migration {name}, which this code does not have: "
                "restore with the version of the service that made it"
            )


def backup_restore(archive: str | Path, *, using: str = "default") -> RestoreResult:
    """Check the archive (every checksum), then the target (same vendor, empty, a schema this code
    knows), restore, and compare every table's rows with the manifest. Nothing touches the database
    before every check has passed."""
    started = time.monotonic()
    connection = connections[using]
    vendor = vendor_of(connection)
    with tempfile.TemporaryDirectory(prefix="yjs-restore-") as work:
        extracted = archive_extract(Path(archive), Path(work))
        manifest = extracted.manifest
        if extracted.vendor != vendor:
            raise RestoreRefused(f"the archive is a {extracted.vendor} backup; this database is {vendor}")
        _check_migrations(manifest)
        try:
            present = tables_present(connection)
        except DatabaseError as exc:
            raise RestoreRefused(f"cannot use the target database: {_first_line(exc)}") from None
        if present:
            raise RestoreRefused(
                f"the database is not empty ({len(present)} tables, e.g. {present[0]}): "
                "restore only into a new, empty database"
            )
        media = extracted.media()
        media_root = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None
        if media and media_root is None:
            raise RestoreRefused(f"the archive holds {len(media)} stored files and MEDIA_ROOT is not set")
        clashes = [name for name, _ in media if media_root and (media_root / name).exists()]
        if clashes:
            raise RestoreRefused(f"MEDIA_ROOT already holds {clashes[0]}: restore into an empty MEDIA_ROOT")
        RESTORERS[vendor](connection, extracted.dump)
        for name, source in media:
            assert media_root is not None
            (media_root / name).parent.mkdir(parents=True, exist_ok=True)
            (media_root / name).write_bytes(source.read_bytes())
    return _after_restore(connection, manifest, Path(archive).name, started)


def _after_restore(connection, manifest: dict, archive_name: str, started: float) -> RestoreResult:
    """Count every table the manifest lists and compare; audit the restore when the schema is this
    code's (with migrations still to apply, the audit log's table may not fit the model yet)."""
    expected: dict[str, int] = manifest["tables"]
    present = set(tables_present(connection))
    with connection.cursor() as cursor:
        state = read_state(cursor, [t for t in expected if t in present])
    mismatches: dict[str, tuple[int, int | None]] = {
        table: (rows, state.tables.get(table))
        for table, rows in expected.items()
        if state.tables.get(table) != rows
    }
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    result = RestoreResult(manifest=manifest, state=state, mismatches=mismatches, pending_migrations=pending)
    if not pending and not mismatches:
        _append(
            user=None,
            action=AuditEntry.Action.CREATE,
            object_type="restore",
            object_id=str(manifest.get("created_at", ""))[:40],
            description=f"Restored from {archive_name} (made {manifest.get('created_at')}): {state.rows} rows",
        )
        result.audited = True
    result.seconds = time.monotonic() - started
    return result
