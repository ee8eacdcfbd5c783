"""Writes the registry's package data into the database; safe to run any number of times."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from lokalkompas.registry import data, revision
from lokalkompas.registry.models import Geography, MunicipalityGroup


@dataclass(frozen=True)
class LoadResult:
    regions: int
    municipalities: int
    groups: int


@transaction.atomic
def load_registry() -> LoadResult:
    for g in data.groups():
        MunicipalityGroup.objects.update_or_create(number=g.number, defaults={"name": g.name})
        Geography.objects.update_or_create(
            code=data.group_code(g.number),
            defaults={"name": g.name, "kind": Geography.Kind.GROUP, "group_id": g.number},
        )
    Geography.objects.update_or_create(
        code=data.COUNTRY_CODE, defaults={"name": data.COUNTRY_NAME, "kind": Geography.Kind.COUNTRY}
    )
    for r in data.regions():
        Geography.objects.update_or_create(code=r.code, defaults={"name": r.name, "kind": Geography.Kind.REGION})
    for m in data.municipalities():
        Geography.objects.update_or_create(
            code=m.code,
            defaults={
                "name": m.name,
                "official_name": m.official_name,
                "kind": Geography.Kind.MUNICIPALITY,
                "region_id": m.region_code,
                "group_id": m.group,
                "latitude": m.latitude,
                "longitude": m.longitude,
            },
        )
    revision.bump()
    return LoadResult(len(data.regions()), len(data.municipalities()), len(data.groups()))
