"""Environment variables that configure Lokalkompas, declared once so docs and tests can list them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "LOKALKOMPAS_ENV",
        "development",
        "`development` or `production`. Production refuses insecure defaults.",
    ),
    Setting("DATABASE_URL", "(SQLite in LOKALKOMPAS_DATA_DIR)", "e.g. `postgres://user:pw@host:5432/lokalkompas`."),
    Setting("LOKALKOMPAS_DATA_DIR", "./var", "Folder for the SQLite database and other local data."),
    Setting("SECRET_KEY", "(development key)", "Django's secret key. Required in production (or SECRET_KEY_FILE)."),
    Setting("SECRET_KEY_FILE", "", "Path to a file holding the secret key; used when SECRET_KEY is unset."),
    Setting("ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names. Required in production."),
    Setting("DEBUG", "True in development, False in production", "`True` or `False`."),
    Setting("STATIC_ROOT", "./var/static", "Where `collectstatic` puts files for the web server."),
    Setting("LOKALKOMPAS_LOG_LEVEL", "INFO", "Log level for the `lokalkompas` loggers."),
    Setting("LOKALKOMPAS_STATBANK_URL", "https://api.statbank.dk", "Base address of DST's Statbank API."),
    Setting("LOKALKOMPAS_STATBANK_TIMEOUT", "30", "Seconds before a Statbank request times out."),
    Setting("LOKALKOMPAS_STATBANK_RETRIES", "4", "Attempts after a 5xx answer, a timeout or a broken connection."),
    Setting("LOKALKOMPAS_STATBANK_RATE", "4", "At most this many Statbank requests per second."),
    Setting(
        "LOKALKOMPAS_ACCESSIBILITY_URL",
        "",
        "Address of the municipality's accessibility statement (was.digst.dk); the footer links to it. "
        "Empty: Lokalkompas's own page about the product's accessibility.",
    ),
    Setting(
        "LOKALKOMPAS_NORMERING_LEDERVAEGT",
        "1",
        "Weight of daycare leaders in the legal minimumsnormering (bek. nr. 1809/2023); set it from the current text.",
    ),
    Setting(
        "LOKALKOMPAS_NORMERING_STUDERENDEVAEGT",
        "1",
        "Weight of trainees (pædagogstuderende, PAU-elever) in the legal minimumsnormering (bek. nr. 1809/2023).",
    ),
)

DECLARED = frozenset(s.name for s in SETTINGS)


def env(name: str, default: str = "") -> str:
    """Read a declared variable; undeclared names are a programming error, so docs never miss one."""
    if name not in DECLARED:
        raise KeyError(f"{name} is not declared in lokalkompas.conf.SETTINGS")
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "True" if default else "False")
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"Ugyldig værdi {name}={value!r}: brug 'True' eller 'False'.")
    return value == "True"


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"Ugyldig værdi {name}={value!r}: brug en af {', '.join(choices)}.")
    return value


def env_number(name: str, default: str, minimum: float) -> float:
    value = env(name, default)
    try:
        number = float(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(f"Ugyldig værdi {name}={value!r}: skal være et tal på mindst {minimum:g}.")
    return number


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


def secret_key(production: bool) -> str:
    """SECRET_KEY, else the contents of SECRET_KEY_FILE; production has no fallback."""
    key = env("SECRET_KEY")
    key_file = env("SECRET_KEY_FILE")
    if not key and key_file:
        try:
            key = Path(key_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"SECRET_KEY_FILE={key_file!r} kan ikke læses: {exc.strerror}.") from exc
    if key:
        return key
    if production:
        raise ImproperlyConfigured(
            "LOKALKOMPAS_ENV=production kræver SECRET_KEY eller SECRET_KEY_FILE, men ingen af dem er sat."
        )
    return "development-only-insecure-key-never-use-in-production"
