"""`lokalkompas backup FIL`: write everything that cannot be fetched again into one zip archive.

The rows are read in one transaction (on PostgreSQL a repeatable-read snapshot), so an archive taken
while the site is in use is consistent. The archive is written beside its final name and renamed into
place, so a failed backup never leaves a half-written file under that name.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from lokalkompas.goals.models import Goal
from lokalkompas.ops.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ArchiveError,
    Kind,
    demo_goal_ids,
    demo_user_ids,
    encode,
    file_member,
    kinds,
)

CHUNK = 2_000


@dataclass(frozen=True)
class BackupResult:
    path: Path
    counts: dict[str, int]
    size: int


class _HashingWriter:
    """Counts and hashes what goes into a zip member as it is written (members can be large)."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.target.write(data)
        self.sha256.update(data)
        self.size += len(data)


class _Writer:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.members: dict[str, dict[str, object]] = {}

    @contextmanager
    def member(self, name: str) -> Iterator[_HashingWriter]:
        with self.archive.open(name, "w", force_zip64=True) as raw:
            writer = _HashingWriter(raw)
            yield writer
        self.members[name] = {"sha256": writer.sha256.hexdigest(), "bytes": writer.size}

    def file(self, name: str, data: bytes) -> None:
        with self.member(name) as out:
            out.write(data)


def write_backup(path: Path) -> BackupResult:
    """Write the archive to `path` (replacing a file there only once the new one is complete)."""
    folder = path.parent
    if not folder.is_dir():
        raise ArchiveError(f"{path}: mappen {folder} findes ikke.")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            counts = _write_contents(_Writer(archive))
        os.replace(temporary, path)
    except DatabaseError as exc:
        raise ArchiveError(f"Databasen kan ikke læses ({exc}). Er den migreret ('lokalkompas migrate')?") from exc
    except OSError as exc:
        raise ArchiveError(f"{path}: backuppen kan ikke skrives ({exc.strerror or exc}).") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return BackupResult(path, counts, path.stat().st_size)


def _write_contents(writer: _Writer) -> dict[str, int]:
    with _snapshot():
        counts = {kind.label: _write_kind(writer, kind, _excluded()) for kind in kinds()}
        migrations = _migration_state()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": importlib.metadata.version("lokalkompas"),
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": migrations,
        "counts": counts,
        "members": writer.members,
    }
    writer.archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return counts


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the database for every read of the backup."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _excluded() -> dict[type[models.Model], set[int]]:
    """Demo users and demo goals: `demo load` makes them again, so references to them are not kept."""
    return {get_user_model(): demo_user_ids(), Goal: demo_goal_ids()}


def _write_kind(writer: _Writer, kind: Kind, excluded: dict[type[models.Model], set[int]]) -> int:
    fields = kind.fields()
    binary = [f.attname for f in fields if isinstance(f, models.BinaryField)]
    # Binary columns are not read with the rows (a chunk of PDFs would fill the memory): only whether each
    # is set; the files follow one by one once the rows' member is closed (a zip writes one member at a time).
    flags = {
        f"has_{name}": ExpressionWrapper(Q(**{f"{name}__isnull": False}), output_field=BooleanField())
        for name in binary
    }
    names = [f.attname for f in fields if f.attname not in binary]
    rows = kind.select().order_by("pk").annotate(**flags).values_list(*names, *flags, "pk")
    kept = [f for f in fields if f.attname not in binary]
    files: list[tuple[str, object, str]] = []
    count = 0
    with writer.member(kind.member) as out:
        for values in rows.iterator(chunk_size=CHUNK):
            row = _row(kept, values[: len(kept)], excluded)
            if row is None:
                continue
            pk = values[-1]
            for name, is_set in zip(binary, values[len(kept) : -1], strict=True):
                row[name] = file_member(kind.label, pk, name) if is_set else None
                if is_set:
                    files.append((row[name], pk, name))
            line = {k: encode(v) for k, v in row.items()}
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
            count += 1
    for member, pk, name in files:
        data = kind.model._default_manager.filter(pk=pk).values_list(name, flat=True).get()
        writer.file(member, bytes(data))
    return count


def _row(
    fields: list[models.Field[Any, Any]], values: tuple[Any, ...], excluded: dict[type[models.Model], set[int]]
) -> dict[str, Any] | None:
    """The row as a dict; a reference to a demo row becomes NULL where it may (as `demo clear` would leave
    it: SET_NULL), and a row that cannot live without its demo row is left out (CASCADE)."""
    row: dict[str, Any] = {}
    for field, value in zip(fields, values, strict=True):
        target = field.related_model if field.is_relation else None
        if isinstance(target, type) and value is not None and value in excluded.get(target, ()):
            if not field.null:
                return None
            value = None
        row[field.attname] = value
    return row


def _migration_state() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied
