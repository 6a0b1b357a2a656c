"""Backups that are proven (issue 19, ADR 0014): `manage.py backup` and `manage.py restore`.

The demo service is backed up and restored into a new, empty database of the same vendor, and every
table is compared with the source: its row count and a SHA-256 over its rows' text (computed by the
database itself, so the two sides compare the same way whatever the client). Both vendors are proven on
every run: the one the tests' database uses is seeded in-process (`seed_demo`); the other is migrated
and seeded in a subprocess into a database of its own (a SQLite file, or a private PostgreSQL cluster
started by the test; never the shared server). Refusals: a database that is not empty, a damaged or
tampered archive, bad arguments (exit 2, one line, nothing changed).
"""

import datetime
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from core.backup.archive import DUMP_NAMES, FORMAT, FORMAT_VERSION, archive_write, file_entry
from core.models import AuditEntry, Document
from tests.faults.conftest import PrivatePostgres

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-23"
NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
CHILDREN = "10"
# A stored PDF (core.Document keeps its bytes in the database): NULs and high bytes must survive.
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n\x00\xff fictional record\n%%EOF\n"
# The entries backup and restore append: the only rows allowed to differ between source and restore.
OURS = ("backup", "restore")

# The refusals run in a test transaction; the round trips commit (pg_dump and the subprocesses read the
# database from outside this connection).
pytestmark = pytest.mark.django_db


# -- comparing two databases table by table ------------------------------------------------------------


def _row_texts(cursor, vendor: str, table: str) -> list[str]:
    """Each row of the table as text made by the database (PostgreSQL's row-to-text, SQLite's quote()),
    so a Django cursor and a raw one give the same strings. The audit log leaves out our own entries."""
    where = " WHERE object_type NOT IN ('backup', 'restore')" if table == AuditEntry._meta.db_table else ""
    if vendor == "postgresql":
        # Timestamps render in the session's time zone: the same one on both sides.
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute(f'SELECT t::text FROM "{table}" t{where}')
    else:
        cursor.execute(f'PRAGMA table_info("{table}")')
        columns = [row[1] for row in cursor.fetchall()]
        text = " || '|' || ".join(f'quote("{c}")' for c in columns)
        cursor.execute(f'SELECT {text} FROM "{table}"{where}')
    return sorted(row[0] for row in cursor.fetchall())


def table_digests(cursor, vendor: str, tables) -> dict[str, tuple[int, str]]:
    """Every table's (rows, SHA-256 of its rows in order)."""
    digests = {}
    for table in sorted(tables):
        rows = _row_texts(cursor, vendor, table)
        digests[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digests


def our_entries(cursor) -> list[str]:
    """The backup and restore entries in a database's audit log, oldest first."""
    cursor.execute(f"SELECT object_type FROM cases_auditentry WHERE object_type IN {OURS!r} ORDER BY id")
    return [row[0] for row in cursor.fetchall()]


def digests_of(url: str, tables) -> tuple[dict, list[str]]:
    """Table digests and our audit entries of a database outside this process, by URL."""
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return table_digests(db.cursor(), "sqlite", tables), our_entries(db.cursor())
        finally:
            db.close()
    with psycopg.connect(url) as db, db.cursor() as cursor:
        return table_digests(cursor, "postgresql", tables), our_entries(cursor)


def stored_pdfs(url: str) -> list[bytes]:
    """The stored documents' bytes in a database outside this process."""
    sql = "SELECT content FROM cases_document ORDER BY id"
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return [bytes(row[0]) for row in db.execute(sql)]
        finally:
            db.close()
    with psycopg.connect(url) as db:
        return [bytes(row[0]) for row in db.execute(sql)]


# -- running the commands as an operator would ----------------------------------------------------------


def manage(*args: str, url: str, **env: str) -> subprocess.CompletedProcess:
    """`python manage.py ...` in a subprocess against the database at `url` (never the shared ones)."""
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=url, **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


SEED_AND_BACK_UP = f"""
import io, datetime, sys, time_machine
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from tests.core.test_backup import store_a_document
settings.ALLOW_DEMO_SEED = True
call_command("migrate", verbosity=0)
with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False):
    call_command("seed_demo", "--children", "{CHILDREN}", "--today", "{TODAY}", stdout=io.StringIO())
store_a_document()
call_command("backup", "--output", sys.argv[1])
"""


def store_a_document() -> None:
    """A stored PDF against the first child (the demo renders none: PDFs are made by the outbox)."""
    child = apps.get_model("cases", "Child").objects.order_by("pk").first()
    Document.objects.create(
        child=child, title="Fictional record", filename="record.pdf", content=PDF, source="test:1"
    )


def archive_in(folder: Path) -> Path:
    """The one archive a backup wrote into the folder."""
    (archive,) = folder.glob("yjs-backup-*.tar")
    return archive


def check_manifest(archive: Path, vendor: str) -> dict:
    """The manifest lists every model's table with its rows, the migration state and a checksum for
    every file, and the sidecar holds the archive's own checksum."""
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["database"]["vendor"] == vendor and manifest["created_at"]
    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    assert tables <= set(manifest["tables"]), tables - set(manifest["tables"])
    assert manifest["tables"]["cases_child"] >= int(CHILDREN) and manifest["rows"] > 1000
    assert manifest["migrations"]["cases"] and manifest["migrations"]["core"]
    assert manifest["documents"]["count"] == manifest["tables"]["cases_document"] == 1
    assert set(manifest["files"]) == set(names) - {"manifest.json", "manifest.sha256"}
    sidecar = archive.with_name(archive.name + ".sha256").read_text().split()
    assert sidecar == [hashlib.sha256(archive.read_bytes()).hexdigest(), archive.name]
    return manifest


def assert_restored(manifest: dict, source: tuple[dict, list[str]], restored: tuple[dict, list[str]]) -> None:
    """Every table has the source's rows, byte for byte (the audit log apart from our own entries, which
    are one backup in the source and one restore in the restored database)."""
    source_digests, source_ours = source
    restored_digests, restored_ours = restored
    assert source_ours == ["backup"] and restored_ours == ["restore"]
    assert set(source_digests) == set(manifest["tables"])
    differ = [t for t in source_digests if source_digests[t] != restored_digests[t]]
    assert not differ, differ
    # The manifest counted the rows before the backup's own entry was written.
    assert sum(rows for rows, _ in source_digests.values()) == manifest["rows"]


# -- the round trips -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    """A private PostgreSQL cluster (tests/faults/conftest.py) for this module, removed at the end."""
    server = PrivatePostgres()
    yield server
    server.stop()


def seed_here(settings):
    """The demo service in the tests' own database (as the fuzz tests seed it)."""
    settings.ALLOW_DEMO_SEED = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--children", CHILDREN, "--today", TODAY, stdout=io.StringIO())
    store_a_document()


def round_trip_here(settings, tmp_path: Path, target_url: str) -> None:
    """Seed here, back up here (with a file under MEDIA_ROOT), restore into `target_url` in a subprocess
    as an operator would, and compare every table and the file."""
    seed_here(settings)
    media = tmp_path / "media"
    (media / "letters").mkdir(parents=True)
    (media / "letters" / "fictional-letter.pdf").write_bytes(b"%PDF-1.4 fictional\n")
    settings.MEDIA_ROOT = str(media)
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        before = table_digests(cursor, connection.vendor, tables)
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "out"), stdout=out)
    archive = archive_in(tmp_path / "out")
    assert out.getvalue().startswith(f"Backup written: {archive} (") and "\n" not in out.getvalue().strip()
    manifest = check_manifest(archive, connection.vendor)
    assert manifest["files"]["media/letters/fictional-letter.pdf"]["bytes"] == 19
    with connection.cursor() as cursor:
        source = (table_digests(cursor, connection.vendor, tables), our_entries(cursor))
    assert source[0] == before  # a backup changes nothing but its own audit entry

    restored_media = tmp_path / "restored-media"
    done = manage("restore", str(archive), url=target_url, MEDIA_ROOT=str(restored_media))
    assert done.returncode == 0, done.stderr
    assert "every count matches the manifest" in done.stdout and done.stderr == ""
    assert (restored_media / "letters" / "fictional-letter.pdf").read_bytes() == b"%PDF-1.4 fictional\n"
    assert_restored(manifest, source, digests_of(target_url, tables))
    assert stored_pdfs(target_url) == [PDF]
    verified = manage("audit_verify", url=target_url)
    assert verified.returncode == 0 and "The audit chain holds" in verified.stdout, (
        verified.stdout + verified.stderr
    )


def round_trip_there(tmp_path: Path, source_url: str, target_url: str, vendor: str) -> None:
    """Migrate, seed and back up a database of the other vendor in a subprocess, restore it into a new
    one, compare every table."""
    seeded = subprocess.run(
        [sys.executable, "-c", SEED_AND_BACK_UP, str(tmp_path / "out")],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"}},
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": source_url,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    archive = archive_in(tmp_path / "out")
    manifest = check_manifest(archive, vendor)
    done = manage("restore", str(archive), url=target_url)
    assert done.returncode == 0, done.stderr
    assert "every count matches the manifest" in done.stdout
    assert_restored(
        manifest, digests_of(source_url, manifest["tables"]), digests_of(target_url, manifest["tables"])
    )
    assert stored_pdfs(target_url) == [PDF]


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_every_row(settings, tmp_path):
    """SQLite (the embedded default): the online backup API into the archive, then into a new file."""
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    if connection.vendor == "sqlite":
        round_trip_here(settings, tmp_path, target)
    else:
        round_trip_there(tmp_path, f"sqlite:///{tmp_path / 'source.sqlite3'}", target, "sqlite")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_every_row(settings, tmp_path, cluster):
    """PostgreSQL: pg_dump's custom format into the archive, pg_restore into a new database of a
    private cluster."""
    name = f"restored_{tmp_path.name[-12:].replace('-', '_')}".lower()
    target = cluster.create_database(name)
    if connection.vendor == "postgresql":
        round_trip_here(settings, tmp_path, target)
    else:
        round_trip_there(tmp_path, cluster.create_database(name + "_source"), target, "postgresql")


# -- refusals ---------------------------------------------------------------------------------------------


def _archive_of(tmp_path: Path, vendor: str, **manifest) -> Path:
    """A well-formed archive (every checksum right) whose manifest says what the test needs."""
    dump = tmp_path / "dump"
    dump.write_bytes(b"fictional database")
    content = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "database": {"vendor": vendor},
        "migrations": {},
        "tables": {},
        "rows": 0,
        "files": {DUMP_NAMES[vendor]: file_entry(dump)},
        **manifest,
    }
    path = tmp_path / "crafted.tar"
    archive_write(path, content, [(DUMP_NAMES[vendor], dump)])
    return path


@pytest.fixture
def archive(tmp_path) -> Path:
    """A sound archive of this database's vendor (every checksum right; the round trips above prove
    real ones), for the refusals: they must come before anything would read the dump."""
    return _archive_of(tmp_path, connection.vendor)


def _everything() -> dict:
    """Every table's digest in the tests' database, to show a refusal changed nothing."""
    with connection.cursor() as cursor:
        return table_digests(cursor, connection.vendor, connection.introspection.table_names())


def _refused(*args: str) -> CommandError:
    """Run a command that must refuse: exit 2 with one line."""
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=io.StringIO())
    assert refused.value.returncode == 2 and "\n" not in str(refused.value), refused.value
    return refused.value


def test_restore_refuses_a_database_that_is_not_empty(archive):
    """The tests' database has tables: nothing is restored over them."""
    before = _everything()
    error = _refused("restore", str(archive))
    assert "the database is not empty" in str(error)
    assert _everything() == before


def _rewrite(archive: Path, change) -> None:
    """Rewrite the archive with `change(name, data) -> data` applied to each member."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(archive, "w") as tar:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def _flip_dump_byte(name: str, data: bytes) -> bytes:
    if name.startswith("database."):
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
    return data


def _edit_manifest(name: str, data: bytes) -> bytes:
    if name == "manifest.json":
        manifest = json.loads(data)
        manifest["tables"]["cases_child"] = 0
        return json.dumps(manifest).encode()
    return data


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda a: _rewrite(a, _flip_dump_byte), "does not match its checksum"),
        (lambda a: _rewrite(a, _edit_manifest), "the manifest does not match its checksum"),
        (lambda a: a.write_bytes(a.read_bytes()[: a.stat().st_size // 3]), "not a readable backup archive"),
        (lambda a: a.write_bytes(b"not a tar file at all"), "not a readable backup archive"),
    ],
    ids=["dump-byte-flipped", "manifest-edited", "truncated", "not-a-tar"],
)
def test_restore_refuses_a_damaged_or_tampered_archive(archive, tmp_path, tamper, reason):
    """The checksums are verified before the database is looked at: the refusal names the damage (the
    tests' database is not empty, but that is never reached), and an empty target stays empty."""
    tamper(archive)
    before = _everything()
    assert reason in str(_refused("restore", str(archive)))
    assert _everything() == before
    if reason == "does not match its checksum" and connection.vendor == "sqlite":
        # The same refusal from the shell, into an empty database file: it stays empty.
        target = tmp_path / "empty.sqlite3"
        done = manage("restore", str(archive), url=f"sqlite:///{target}")
        assert done.returncode == 2 and reason in done.stderr and len(done.stderr.splitlines()) == 1
        assert not target.exists() or sqlite3.connect(target).execute(
            "SELECT count(*) FROM sqlite_master"
        ).fetchone() == (0,)


def test_bad_arguments_exit_2_with_one_line(tmp_path):
    """No archive, an archive that is not there, an unknown option, an output folder that cannot be
    made: one line and exit 2, from code and from the shell."""
    assert "required: archive" in str(_refused("restore"))
    assert "no such archive file" in str(_refused("restore", str(tmp_path / "missing.tar")))
    assert "unrecognized arguments" in str(_refused("backup", "--bogus"))
    (tmp_path / "a-file").write_text("")
    assert "cannot create the backup folder" in str(
        _refused("backup", "--output", str(tmp_path / "a-file" / "x"))
    )
    url = f"sqlite:///{tmp_path / 'shell.sqlite3'}"
    for args in (["restore"], ["backup", "--output"]):
        done = manage(*args, url=url)
        assert (done.returncode, done.stdout, len(done.stderr.splitlines())) == (2, "", 1), (
            args,
            done.stderr,
        )


@pytest.mark.parametrize(
    ("other_vendor", "manifest", "reason"),
    [
        (True, {}, "backup; this database is"),
        (False, {"migrations": {"cases": "9999_from_a_newer_version"}}, "which this code does not have"),
        (False, {"format_version": FORMAT_VERSION + 1}, "archive format version"),
    ],
    ids=["another-vendor", "newer-schema", "newer-format"],
)
def test_restore_refuses_an_archive_this_database_cannot_take(tmp_path, other_vendor, manifest, reason):
    """Sound archives that still cannot be restored here: another vendor's, one made by code with
    migrations this code lacks, a newer archive format. Refused before the database is looked at."""
    vendor = connection.vendor
    if other_vendor:
        vendor = "postgresql" if vendor == "sqlite" else "sqlite"
    before = _everything()
    assert reason in str(_refused("restore", str(_archive_of(tmp_path, vendor, **manifest))))
    assert _everything() == before


def test_a_restore_whose_counts_differ_is_not_success(tmp_path):
    """A sound archive whose manifest counts a row more than its dump holds: the restore says which
    table differs and exits 1, never "every count matches"."""
    dump = tmp_path / "database.sqlite3"
    db = sqlite3.connect(dump)
    db.execute("CREATE TABLE fictional (id INTEGER PRIMARY KEY)")
    db.execute("INSERT INTO fictional (id) VALUES (1), (2)")
    db.commit()
    db.close()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "database": {"vendor": "sqlite"},
        "migrations": {},
        "tables": {"fictional": 3},
        "rows": 3,
        "files": {"database.sqlite3": file_entry(dump)},
    }
    archive_write(tmp_path / "counted.tar", manifest, [("database.sqlite3", dump)])
    done = manage("restore", str(tmp_path / "counted.tar"), url=f"sqlite:///{tmp_path / 'target.sqlite3'}")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == (
        "CommandError: Restored, but 1 table differs from the manifest: fictional (archive 3, restored 2)"
    )
