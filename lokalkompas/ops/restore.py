"""`lokalkompas restore FIL [--overskriv]`: check an archive in full, then load it in one transaction.

Every check that needs only the archive (a zip, our manifest, a format and migrations this install
knows, every member present with its checksum) runs before the database is touched. The load itself
runs the registry and catalogue loads, refuses a database that already holds archived kinds (or, with
`--overskriv`, deletes them), inserts the rows with their own ids and recomputes the indicators the
uploaded values feed. Any error rolls all of it back.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor

from lokalkompas.catalog.files import load_files
from lokalkompas.catalog.loader import sync_catalog
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.indicators.service import compute_indicators
from lokalkompas.lib.formatting import format_number
from lokalkompas.ops.archive import FORMAT, FORMAT_VERSION, MANIFEST, ArchiveError, Kind, describe_counts, kinds
from lokalkompas.registry import revision
from lokalkompas.registry.loader import load_registry

BATCH = 1_000


@dataclass
class RestoreResult:
    counts: dict[str, int]
    names: dict[str, str]
    replaced: dict[str, int] = field(default_factory=dict)
    # Archived vintage number → the number it got here, for those whose number this database already used.
    renumbered: dict[int, int] = field(default_factory=dict)
    indicator_values: int = 0


class ExistingData(ArchiveError):
    """The database already holds rows of the archived kinds, and --overskriv was not given."""


@dataclass(frozen=True)
class Checked:
    """An archive whose manifest and members have been verified."""

    archive: zipfile.ZipFile
    manifest: dict[str, Any]
    name: str

    def lines(self, member: str) -> Iterator[dict[str, Any]]:
        with self.archive.open(member) as raw:
            for number, line in enumerate(raw, start=1):
                try:
                    row = json.loads(line)
                except ValueError as exc:
                    raise ArchiveError(f"{self.name}: {member}, linje {number} er ikke gyldig JSON.") from exc
                if not isinstance(row, dict):
                    raise ArchiveError(f"{self.name}: {member}, linje {number} er ikke en række.")
                yield row

    def read(self, member: str) -> bytes:
        if member not in self.manifest["members"]:
            raise ArchiveError(f"{self.name}: filen {member} er ikke nævnt i manifest.json.")
        return self.archive.read(member)


def restore(path: Path, replace: bool = False) -> RestoreResult:
    """Check the archive at `path`, then load it into this database (all or nothing)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            checked = check_archive(archive, name)
            return _load(checked, replace)
    except FileNotFoundError as exc:
        raise ArchiveError(f"{path}: filen findes ikke.") from exc
    except DatabaseError as exc:  # the checks read the migration table: the database may be unreachable
        raise ArchiveError(f"Databasen kan ikke læses ({exc}); intet er ændret.") from exc
    except zipfile.BadZipFile as exc:
        raise ArchiveError(f"{name} er ikke en Lokalkompas-backup (ikke en gyldig zip-fil); intet er ændret.") from exc
    except (zlib.error, EOFError) as exc:
        raise ArchiveError(f"{name} er beskadiget (kan ikke pakkes ud); intet er ændret.") from exc
    except OSError as exc:
        raise ArchiveError(f"{path}: filen kan ikke læses ({exc.strerror or exc}).") from exc


def check_archive(archive: zipfile.ZipFile, name: str) -> Checked:
    """The manifest is ours, this install can read it, and every member is there with its checksum."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise ArchiveError(f"{name} er ikke en Lokalkompas-backup (manifest.json mangler).") from exc
    except ValueError as exc:
        raise ArchiveError(f"{name}: manifest.json kan ikke læses (ikke gyldig JSON).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{name} er ikke en Lokalkompas-backup (manifest.json er ikke vores).")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ArchiveError(
            f"{name} har backupformat {version}; denne version af Lokalkompas læser format {FORMAT_VERSION}."
        )
    members = manifest.get("members")
    if not isinstance(members, dict) or not isinstance(manifest.get("migrations"), dict):
        raise ArchiveError(f"{name}: manifest.json mangler listen over filer eller migreringer.")
    _check_migrations(manifest["migrations"], name)
    present = set(archive.namelist())
    for member in [k.member for k in kinds()]:
        if member not in members:
            raise ArchiveError(f"{name}: {member} mangler i manifest.json (backuppen er ufuldstændig).")
    for member, facts in members.items():
        if member not in present:
            raise ArchiveError(f"{name}: {member} mangler i arkivet (backuppen er ufuldstændig).")
        if not isinstance(facts, dict) or _sha256(archive, member) != facts.get("sha256"):
            raise ArchiveError(f"{name}: {member} har en forkert kontrolsum (backuppen er beskadiget).")
    return Checked(archive, manifest, name)


def _sha256(archive: zipfile.ZipFile, member: str) -> str:
    digest = hashlib.sha256()
    with archive.open(member) as raw:
        for block in iter(lambda: raw.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_migrations(archived: dict[str, Any], name: str) -> None:
    """Refuse an archive from a newer Lokalkompas, and a database that is not migrated to this one."""
    executor = MigrationExecutor(connection)
    known = set(executor.loader.disk_migrations)
    for app, migrations in sorted(archived.items()):
        for migration in migrations if isinstance(migrations, list) else [migrations]:
            if (app, migration) not in known:
                raise ArchiveError(
                    f"{name} er lavet af en nyere version af Lokalkompas (migreringen {app}.{migration} findes "
                    "ikke her). Opdatér Lokalkompas, før backuppen gendannes."
                )
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise ArchiveError("Databasen er ikke migreret. Kør 'lokalkompas migrate' først.")


def _load(checked: Checked, replace: bool) -> RestoreResult:
    all_kinds = kinds()
    result = RestoreResult(counts={}, names={k.label: k.danish for k in all_kinds})
    try:
        with transaction.atomic():
            _refuse_demo()
            existing = {k.label: k.select().count() for k in all_kinds}
            if any(existing.values()) and not replace:
                raise ExistingData(
                    f"Databasen indeholder allerede data: {describe_counts(existing, result.names)}. Gendan i en "
                    "tom database, eller brug --overskriv for at erstatte dem med backuppens."
                )
            if any(existing.values()):
                _delete(all_kinds)
                result.replaced = existing
            _load_reference_data()
            # A login session names a user id; after a restore that id may be someone else.
            Session.objects.all().delete()
            vintages: dict[int, int] = {}
            for kind in all_kinds:
                result.counts[kind.label] = _insert(checked, kind, vintages, result)
            _reset_sequences(all_kinds)
            if result.counts["indicators.observation"]:
                series = Observation.objects.filter(vintage__source__in=[Vintage.Source.UPLOAD, Vintage.Source.MANUAL])
                changed = list(series.values_list("series", flat=True).distinct())
                result.indicator_values = compute_indicators(shipped_definitions(), changed=changed).inserted
            revision.bump()
    except (ValidationError, DatabaseError, KeyError, TypeError, ValueError) as exc:
        # The archive passed its checksums, so this is a row this database cannot take (or our bug): say
        # which, and that the transaction left everything as it was.
        detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        raise ArchiveError(f"{checked.name} kan ikke indlæses ({detail}); intet er ændret.") from exc
    return result


def _refuse_demo() -> None:
    """Real values never mix with demo values (as for uploads and refresh)."""
    if Vintage.objects.filter(source=Vintage.Source.DEMO).exists():
        raise ArchiveError(
            "Databasen indeholder demodata. Kør 'lokalkompas demo clear', før en backup gendannes; intet er ændret."
        )


def _load_reference_data() -> None:
    """The registry and the catalogue that the archived rows refer to, from the files shipped with the code."""
    load_registry()
    outcome = load_files()
    if outcome.catalog is None:
        raise ArchiveError("Kataloget kan ikke indlæses: " + "; ".join(str(e) for e in outcome.errors[:3]))
    sync_catalog(outcome.catalog)


def _delete(all_kinds: tuple[Kind, ...]) -> None:
    """--overskriv: remove the archived kinds; the history tables last, as deleting rows writes history."""
    ordered = [k for k in reversed(all_kinds) if not k.is_history] + [k for k in all_kinds if k.is_history]
    for kind in ordered:
        kind.select().delete()


def _insert(checked: Checked, kind: Kind, vintages: dict[int, int], result: RestoreResult) -> int:
    fields = {f.attname: f for f in kind.fields()}
    count = 0
    batch: list[models.Model] = []
    for row in checked.lines(kind.member):
        batch.append(kind.model(**_decode(checked, kind, fields, row, vintages)))
        count += 1
        if len(batch) >= BATCH and kind.model is not Vintage:
            kind.model._default_manager.bulk_create(batch)
            batch = []
    if kind.model is Vintage:
        _place_vintages(batch, vintages, result)
    elif batch:
        kind.model._default_manager.bulk_create(batch)
    expected = checked.manifest.get("counts", {}).get(kind.label)
    if expected != count:
        raise ArchiveError(f"{checked.name}: {kind.member} har {count} rækker, manifestet siger {expected}.")
    return count


def _decode(
    checked: Checked,
    kind: Kind,
    fields: dict[str, models.Field[Any, Any]],
    row: dict[str, Any],
    vintages: dict[int, int],
) -> dict[str, Any]:
    unknown = set(row) - set(fields)
    if unknown:
        raise ArchiveError(
            f"{checked.name}: {kind.member} har kolonnen {sorted(unknown)[0]}, som denne version ikke kender."
        )
    values: dict[str, Any] = {}
    for attname, value in row.items():  # a column this version added but the archive lacks keeps its default
        model_field = fields[attname]
        if value is None:
            values[attname] = None
        elif isinstance(model_field, models.BinaryField):
            values[attname] = checked.read(str(value))
        elif model_field.is_relation and model_field.related_model is Vintage:
            if int(value) not in vintages:
                raise ArchiveError(
                    f"{checked.name}: {kind.member} henviser til udgave {value}, som ikke er i backuppen."
                )
            values[attname] = vintages[int(value)]
        else:
            values[attname] = model_field.to_python(value)
    return values


def _place_vintages(archived: list[Any], vintages: dict[int, int], result: RestoreResult) -> None:
    """Vintages keep their numbers (pages say "udgave 7"), except those this database already uses: those
    get new numbers after the others are in, so a new number never takes one the archive still needs."""
    taken = set(Vintage.objects.filter(pk__in=[v.pk for v in archived]).values_list("pk", flat=True))
    Vintage.objects.bulk_create([v for v in archived if v.pk not in taken])
    _reset_sequences([k for k in kinds() if k.model is Vintage])
    for vintage in archived:
        old = vintage.pk
        if old in taken:
            vintage.pk = None
            vintage.save(force_insert=True)
            result.renumbered[old] = vintage.pk
        vintages[old] = vintage.pk


def _reset_sequences(all_kinds: list[Kind] | tuple[Kind, ...]) -> None:
    """PostgreSQL's id sequences do not see rows inserted with their own ids; set them past the largest."""
    statements = connection.ops.sequence_reset_sql(no_style(), [k.model for k in all_kinds])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def summary(result: RestoreResult) -> list[str]:
    """What the command prints: what was restored, replaced and renumbered, and what comes back by itself."""
    lines = [f"Gendannet: {describe_counts(result.counts, result.names)}."]
    if result.replaced:
        lines.insert(0, f"Erstattet: {describe_counts(result.replaced, result.names)}.")
    for old, new in sorted(result.renumbered.items()):
        lines.append(f"Udgave {old} har fået nummeret {new}, fordi nummeret var brugt i denne database.")
    if result.indicator_values:
        lines.append(f"{format_number(result.indicator_values)} indikatorværdier er beregnet fra de uploadede værdier.")
    lines.append(
        "Registret og kataloget er indlæst fra programmets egne filer. Statbank-data er ikke i backuppen: "
        "kør 'lokalkompas refresh --source statbank'. Alle brugere skal logge ind igen."
    )
    return lines
