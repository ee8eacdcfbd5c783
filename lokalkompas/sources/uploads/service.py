"""Upload steps with the database: receive a file, preview it against the store, import it atomically.

The browser and `lokalkompas import` share these functions. A file is checked in full before anything
is written; the import itself is one transaction (the values with their vintage, the recomputed
indicators, goal statuses and legal results, the upload's record), so any error leaves the database as
it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import polars as pl
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from lokalkompas.accounts.names import display_name
from lokalkompas.goals.service import record_statuses
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.frames import KEY
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.indicators.service import compute_indicators
from lokalkompas.indicators.store import write_observations
from lokalkompas.legal.service import record_results
from lokalkompas.registry.models import Geography
from lokalkompas.sources.models import Upload
from lokalkompas.sources.uploads.reading import UploadError, read_upload
from lokalkompas.sources.uploads.templates import shipped_templates
from lokalkompas.sources.uploads.validation import Checked, check

PREVIEW_LINES = 200


@dataclass(frozen=True)
class Line:
    series: str
    series_name: str
    geo: str
    geo_name: str
    period: str
    old: float | None
    new: float


@dataclass(frozen=True)
class Preview:
    new: list[Line]
    changed: list[Line]
    new_count: int
    changed_count: int
    unchanged_count: int


def refuse_while_demo(file_name: str) -> None:
    """Real values never mix with demo data (as for `refresh`): demo clear could not separate them again."""
    if Vintage.objects.filter(source=Vintage.Source.DEMO).exists():
        raise UploadError(
            f"{file_name}: databasen indeholder demodata. Kør 'lokalkompas demo clear', før rigtige data indlæses."
        )


def check_file(file_name: str, data: bytes, allowed: set[str] | None, template_id: str | None = None) -> Checked:
    """Read and check a file (no database needed). Raises UploadError when it cannot be read at all."""
    table = read_upload(file_name, data, max_bytes=int(settings.UPLOAD_MAX_MB * 1_000_000))
    return check(table, shipped_templates(), allowed, template_id)


def preview(checked: Checked) -> Preview:
    """New values, changed values (old → new) and how many are unchanged, against the store."""
    frame = checked.frame
    if frame.height == 0:
        return Preview([], [], 0, 0, 0)
    stored = _stored(frame)
    joined = frame.join(stored, on=KEY, how="left")
    is_new = pl.col("old").is_null() & pl.col("had").is_null()
    same = (pl.col("value") - pl.col("old")).abs() <= pl.max_horizontal(pl.col("old").abs() * 1e-9, pl.lit(1e-12))
    new = joined.filter(is_new)
    changed = joined.filter(~is_new & ~same.fill_null(False))
    names = {s.id: s.name for s in shipped_definitions().series.values()}
    geo_names = dict(Geography.objects.values_list("code", "name"))

    def lines(rows: pl.DataFrame) -> list[Line]:
        return [
            Line(
                r["series"],
                names.get(r["series"], r["series"]),
                r["geo"],
                geo_names.get(r["geo"], r["geo"]),
                r["period"],
                r["old"],
                r["value"],
            )
            for r in rows.sort(["geo", "series", "period"]).head(PREVIEW_LINES).iter_rows(named=True)
        ]

    return Preview(lines(new), lines(changed), new.height, changed.height, joined.height - new.height - changed.height)


def _stored(frame: pl.DataFrame) -> pl.DataFrame:
    rows = Observation.objects.filter(
        series__in=frame["series"].unique().to_list(), geo_id__in=frame["geo"].unique().to_list(), breakdown=""
    ).values_list("series", "geo_id", "period", "breakdown", "value")
    schema = {"series": pl.String, "geo": pl.String, "period": pl.String, "breakdown": pl.String, "old": pl.Float64}
    stored = pl.DataFrame(list(rows), schema=schema, orient="row")
    return stored.with_columns(pl.lit(True).alias("had"))


def receive(file_name: str, data: bytes, user: AbstractBaseUser | None, checked: Checked) -> Upload:
    """Keep a checked file until it is confirmed (the preview shows it; nothing is imported yet)."""
    return Upload.objects.create(
        user_id=user.pk if user is not None else None,
        user_name=display_name(user),
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        template=checked.template.id if checked.template else "",
        municipalities="," + ",".join(checked.municipalities) + ",",
        content=data,
        rows=checked.data_rows,
        warnings=len(checked.warnings),
    )


class ImportRefused(ValueError):
    """The file has errors (or changed since it was checked); nothing was written."""


def import_checked(checked: Checked, upload: Upload) -> Upload:
    """Write the checked values as one vintage and recompute everything that depends on them."""
    if not checked.ok:
        raise ImportRefused(f"{upload.file_name} har {len(checked.errors)} fejl; intet er indlæst.")
    refuse_while_demo(upload.file_name)
    with transaction.atomic():
        result = write_observations(
            checked.frame,
            source=Vintage.Source.UPLOAD,
            label=f"Upload: {upload.file_name}"[:200],
            note=f"Indlæst af {upload.user_name}; fil {upload.file_name}; SHA-256 {upload.sha256}; "
            f"skabelon {upload.template}.",
        )
        if result.vintage is not None:
            compute_indicators(shipped_definitions(), changed=checked.frame["series"].unique().to_list())
            record_results(timezone.localdate(), geos=checked.municipalities)
            record_statuses()
        upload.status = Upload.Status.IMPORTED if result.vintage else Upload.Status.NOTHING_NEW
        upload.vintage = result.vintage
        upload.new_values, upload.changed_values = result.inserted, result.revised
        upload.unchanged_values = result.unchanged
        upload.imported_at = timezone.now()
        upload.content = None
        upload.save()
    return upload


def confirm(upload: Upload, allowed: set[str] | None) -> Upload:
    """Check the kept file again (the store may have changed since the preview) and import it."""
    if upload.status != Upload.Status.PENDING or upload.content is None:
        raise ImportRefused(f"{upload.file_name} er allerede {upload.get_status_display().lower()}.")
    data = bytes(upload.content)
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise ImportRefused(f"{upload.file_name} er ændret siden kontrollen; upload den igen.")
    checked = check_file(upload.file_name, data, allowed, upload.template or None)
    return import_checked(checked, upload)


def discard(upload: Upload) -> None:
    upload.status = Upload.Status.DISCARDED
    upload.content = None
    upload.save(update_fields=["status", "content"])


def uploads_for(geo: str) -> list[Upload]:
    """A municipality's uploads, newest first, without the kept files."""
    return list(Upload.objects.filter(municipalities__contains=f",{geo},").defer("content").select_related("vintage"))


__all__ = ["UploadError", "check_file", "confirm", "discard", "import_checked", "preview", "receive", "uploads_for"]
