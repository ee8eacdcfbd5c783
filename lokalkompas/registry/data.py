"""The registry's package data: 98 municipalities, 5 regions, the country and DST's municipality groups."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

COUNTRY_CODE = "000"
COUNTRY_NAME = "Hele landet"
GROUP_CODE_PREFIX = "KG"


def group_code(number: int) -> str:
    """Our geography code for DST's municipality group `number` (KOMGRP): KG1–KG5. DST publishes no
    values by group, so Lokalkompas computes them from the members and needs a code to store them under."""
    return f"{GROUP_CODE_PREFIX}{number}"


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class MunicipalityGroup:
    number: int
    name: str


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    official_name: str
    region_code: str
    group: int
    latitude: float
    longitude: float


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("lokalkompas.registry").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


@cache
def regions() -> tuple[Region, ...]:
    return tuple(Region(r["code"], r["name"]) for r in _rows("regions.csv"))


@cache
def groups() -> tuple[MunicipalityGroup, ...]:
    return tuple(MunicipalityGroup(int(r["number"]), r["name"]) for r in _rows("groups.csv"))


@cache
def municipalities() -> tuple[Municipality, ...]:
    return tuple(
        Municipality(
            code=r["code"],
            name=r["name"],
            official_name=r["official_name"],
            region_code=r["region_code"],
            group=int(r["group"]),
            latitude=float(r["latitude"]),
            longitude=float(r["longitude"]),
        )
        for r in _rows("municipalities.csv")
    )


def municipality_by_code(code: str) -> Municipality | None:
    return next((m for m in municipalities() if m.code == code), None)


def municipality_from_input(text: str) -> Municipality | None:
    """A municipality from what a user typed: DST's code ("101") or the four-digit form ("0101")."""
    code = text.strip()
    if len(code) == 4 and code.startswith("0"):
        code = code[1:]
    return municipality_by_code(code)
