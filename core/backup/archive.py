"""The backup archive: one tar file holding the database's dump, the files kept beside it and a manifest
that names each with its SHA-256, itself checked by `manifest.sha256` (ADR 0014).

Why a plain, uncompressed tar: `tar tf` and `sha256sum -c` read it anywhere, the PostgreSQL dump inside
is already compressed, and a copy taken off-site can be checked without this code. Reading refuses,
before anything is written to a database, an archive whose names, files or checksums are not exactly
those its manifest lists.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT = "yjs-case-management-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
# The database's own file in the archive, by vendor.
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class ArchiveRefused(Exception):
    """An archive that cannot be trusted or used; the message is the one line the command prints."""


@dataclass
class Extracted:
    """An archive checked and unpacked into a folder: its manifest and where each file now is."""

    manifest: dict[str, Any]
    folder: Path

    @property
    def vendor(self) -> str:
        """The database vendor the archive was made from ("postgresql" or "sqlite")."""
        return str(self.manifest["database"]["vendor"])

    @property
    def dump(self) -> Path:
        """The database's file inside the unpacked archive."""
        return self.folder / DUMP_NAMES[self.vendor]

    def media(self) -> list[tuple[str, Path]]:
        """The stored files (relative to MEDIA_ROOT) and where they were unpacked."""
        return [
            (name[len(MEDIA_PREFIX) :], self.folder / name)
            for name in sorted(self.manifest["files"])
            if name.startswith(MEDIA_PREFIX)
        ]


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (a dump can be larger than memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def file_entry(path: Path) -> dict[str, Any]:
    """A manifest's record of one file: its checksum and size."""
    return {"sha256": file_sha256(path), "bytes": path.stat().st_size}


def _private_file(path: Path):
    """Open a new file readable by its owner only: a backup holds every child's record."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def archive_write(path: Path, manifest: dict[str, Any], members: Iterable[tuple[str, Path]]) -> str:
    """Write the archive at `path` (owner-only): the manifest, its checksum, then each (name, file).

    Returns the archive's own SHA-256 (for `sidecar_write`).
    """
    manifest_bytes = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    manifest_sum = f"{hashlib.sha256(manifest_bytes).hexdigest()}  {MANIFEST}\n".encode()
    with _private_file(path) as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in ((MANIFEST, manifest_bytes), (MANIFEST_SUM, manifest_sum)):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
            tar.addfile(info, io.BytesIO(data))
        for name, source in members:
            info = tar.gettarinfo(str(source), arcname=name)
            info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
            with open(source, "rb") as fh:
                tar.addfile(info, fh)
    return file_sha256(path)


def sidecar_write(path: Path, digest: str) -> Path:
    """Write `<archive>.sha256` (sha256sum's format) beside the archive, so a copy moved off-site can be
    checked with `sha256sum -c` alone, without this code."""
    sidecar = path.with_name(path.name + ".sha256")
    with _private_file(sidecar) as fh:
        fh.write(f"{digest}  {path.name}\n".encode())
    return sidecar


def _safe_name(name: str) -> bool:
    """A member name we would write: relative, no `..`, only our own names (a crafted tar could
    otherwise write outside the folder it is unpacked into)."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name or not name or name != str(pure):
        return False
    return name in (MANIFEST, MANIFEST_SUM, *DUMP_NAMES.values()) or (
        name.startswith(MEDIA_PREFIX) and len(pure.parts) > 1
    )


def archive_extract(path: Path, folder: Path) -> Extracted:
    """Check and unpack the archive into `folder`; ArchiveRefused (one line) unless every check holds:
    a tar of regular files with our names only, the manifest's checksum, a manifest of this format,
    and exactly the files it lists with the checksums it lists."""
    if not path.is_file():
        raise ArchiveRefused(f"{path}: no such archive file")
    sums: dict[str, str] = {}
    try:
        with tarfile.open(path, mode="r:") as tar:
            for member in tar:
                if not member.isfile() or not _safe_name(member.name):
                    raise ArchiveRefused(
                        f"{path.name}: unexpected entry {member.name!r}; not a backup archive"
                    )
                if member.name in sums:
                    raise ArchiveRefused(f"{path.name}: entry {member.name!r} appears twice")
                target = folder / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has contents
                digest = hashlib.sha256()
                with _private_file(target) as out:
                    while block := source.read(CHUNK):
                        digest.update(block)
                        out.write(block)
                sums[member.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveRefused(f"{path.name}: not a readable backup archive ({exc})") from None
    if MANIFEST not in sums or MANIFEST_SUM not in sums:
        raise ArchiveRefused(f"{path.name}: no manifest; not a backup archive")
    expected = (folder / MANIFEST_SUM).read_text(errors="replace").split()
    if not expected or expected[0] != sums[MANIFEST]:
        raise ArchiveRefused(f"{path.name}: the manifest does not match its checksum; the archive is damaged")
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ArchiveRefused(f"{path.name}: the manifest is not JSON") from None
    _check_manifest(path.name, manifest, sums)
    return Extracted(manifest=manifest, folder=folder)


def _check_manifest(archive: str, manifest: Any, sums: dict[str, str]) -> None:
    """The manifest is ours, of a version we read, and lists exactly the files present, each with the
    checksum computed while unpacking it."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused(f"{archive}: not a backup archive of this service")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused(
            f"{archive}: archive format version {manifest.get('format_version')!r} is not {FORMAT_VERSION}"
        )
    vendor = (manifest.get("database") or {}).get("vendor")
    if vendor not in DUMP_NAMES:
        raise ArchiveRefused(f"{archive}: unknown database vendor {vendor!r}")
    listed = manifest.get("files") or {}
    present = set(sums) - {MANIFEST, MANIFEST_SUM}
    if DUMP_NAMES[vendor] not in listed:
        raise ArchiveRefused(f"{archive}: the manifest lists no database dump")
    if set(listed) != present:
        missing, extra = sorted(set(listed) - present), sorted(present - set(listed))
        raise ArchiveRefused(f"{archive}: files missing {missing or 'none'}, unlisted {extra or 'none'}")
    for name in sorted(listed):
        if listed[name].get("sha256") != sums[name]:
            raise ArchiveRefused(f"{archive}: {name} does not match its checksum; the archive is damaged")
