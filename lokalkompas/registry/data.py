"""The registry's package data: 98 municipalities, 5 regions, the country and DST's municipality groups."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
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


@cache
def _by_code() -> dict[str, Municipality]:
    return {m.code: m for m in municipalities()}


def municipality_by_code(code: str) -> Municipality | None:
    return _by_code().get(code)


def municipality_from_input(text: str) -> Municipality | None:
    """A municipality from what a user typed: DST's code ("101") or the four-digit form ("0101")."""
    code = text.strip()
    if len(code) == 4 and code.startswith("0"):
        code = code[1:]
    return municipality_by_code(code)


class UnknownMunicipality(ValueError):
    """What a user typed names no municipality; the message says so in Danish."""

    def __init__(self, text: str) -> None:
        super().__init__(f"Ukendt kommunekode: {text!r}. Brug Danmarks Statistiks kode, fx 101.")


def require_municipality(text: str) -> Municipality:
    """As `municipality_from_input`, but an unknown code raises UnknownMunicipality."""
    found = municipality_from_input(text)
    if found is None:
        raise UnknownMunicipality(text)
    return found


def _name_key(text: str) -> str:
    """Names compared as people type them: case-insensitive, æ/ø/å kept (NFC), ' Kommune' optional."""
    key = unicodedata.normalize("NFC", " ".join(text.split())).casefold()
    return key.removesuffix(" kommune").removesuffix("s") if key.endswith(" kommune") else key


@cache
def _by_name() -> dict[str, Municipality]:
    found: dict[str, Municipality] = {}
    for m in municipalities():
        found[_name_key(m.name)] = m
        found[_name_key(m.official_name)] = m
    return found


@lru_cache(maxsize=4096)  # a file names the same few municipalities on every row
def municipality_from_code_or_name(text: str) -> Municipality | None:
    """A municipality from a spreadsheet cell: a code ("101", "0101", "101.0") or a name in any case
    ("københavn", "Københavns Kommune", "AARHUS")."""
    cleaned = text.strip()
    number = cleaned.removesuffix(".0")
    if number.isdigit():
        return municipality_from_input(number.zfill(3) if len(number) < 3 else number)
    return _by_name().get(_name_key(cleaned))
