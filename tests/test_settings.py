"""Settings come from the environment, work with none, and fail loudly, naming the variable."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lokalkompas.conf import SETTINGS

PRINT = "import lokalkompas.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.ALLOWED_HOSTS)"


def settings_with(tmp_path: Path, show: str = PRINT, **env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter with only `env` set, and run `show` on them."""
    clean = {k: v for k, v in os.environ.items() if k not in {s.name for s in SETTINGS}}
    clean["LOKALKOMPAS_DATA_DIR"] = str(tmp_path)
    return subprocess.run([sys.executable, "-c", show], env=clean | env, capture_output=True, text=True, check=False)


def test_zero_config_gives_sqlite_in_the_data_folder(tmp_path):
    result = settings_with(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql(tmp_path):
    result = settings_with(tmp_path, DATABASE_URL="postgres://u:p@db.example:5432/lokalkompas")
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = settings_with(tmp_path, LOKALKOMPAS_ENV="production", ALLOWED_HOSTS="kompas.example.dk")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "SECRET_KEY_FILE" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = settings_with(tmp_path, LOKALKOMPAS_ENV="production", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_reads_the_secret_from_a_file_and_turns_debug_off(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text("s" * 50 + "\n", encoding="utf-8")
    result = settings_with(
        tmp_path,
        LOKALKOMPAS_ENV="production",
        SECRET_KEY_FILE=str(key_file),
        ALLOWED_HOSTS="a.dk, b.dk",
        DATABASE_URL="postgres://u:p@db.example:5432/lokalkompas",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1:] == ["False", "['a.dk',", "'b.dk']"]


def test_an_unreadable_secret_key_file_is_named(tmp_path):
    result = settings_with(tmp_path, SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "SECRET_KEY_FILE" in result.stderr


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "yes"), ("LOKALKOMPAS_ENV", "prod")])
def test_a_bad_value_is_named(tmp_path, name, value):
    result = settings_with(tmp_path, **{name: value})
    assert result.returncode != 0
    assert f"{name}={value!r}" in result.stderr


def test_a_malformed_database_url_is_named(tmp_path):
    result = settings_with(tmp_path, DATABASE_URL="mysqlx://nope")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


SECURITY = (
    "import json, lokalkompas.settings as s; print(json.dumps({k: getattr(s, k) for k in ("
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
    "'CSRF_COOKIE_SAMESITE', 'SESSION_COOKIE_AGE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', "
    "'SECURE_PROXY_SSL_HEADER', 'SECURE_REFERRER_POLICY', 'CSRF_TRUSTED_ORIGINS')}))"
)
PRODUCTION = {
    "LOKALKOMPAS_ENV": "production",
    "SECRET_KEY": "k" * 50,
    "ALLOWED_HOSTS": "kompas.example.dk",
    "DATABASE_URL": "postgres://u:p@db.example:5432/lokalkompas",
}


def security(tmp_path: Path, **env: str) -> dict[str, object]:
    result = settings_with(tmp_path, SECURITY, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_gets_https_only_cookies_hsts_and_an_eight_hour_session(tmp_path):
    assert security(tmp_path, **PRODUCTION) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 8 * 3600,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_SSL_REDIRECT": False,  # opt-in: the proxy usually redirects
        "SECURE_PROXY_SSL_HEADER": None,  # opt-in: trusting a header is only safe behind a proxy that sets it
        "SECURE_REFERRER_POLICY": "same-origin",
        "CSRF_TRUSTED_ORIGINS": [],
    }


def test_development_stays_usable_over_plain_http(tmp_path):
    found = security(tmp_path)
    assert found["SESSION_COOKIE_SECURE"] is False and found["CSRF_COOKIE_SECURE"] is False
    assert found["SECURE_HSTS_SECONDS"] == 0 and found["SECURE_SSL_REDIRECT"] is False
    assert found["SESSION_COOKIE_HTTPONLY"] is True and found["SECURE_REFERRER_POLICY"] == "same-origin"


def test_an_operator_sets_the_proxy_header_redirect_origins_hsts_and_session_length(tmp_path):
    found = security(
        tmp_path,
        **PRODUCTION,
        LOKALKOMPAS_SSL_REDIRECT="True",
        LOKALKOMPAS_PROXY_SSL_HEADER="X-Forwarded-Proto",
        LOKALKOMPAS_CSRF_TRUSTED_ORIGINS="https://kompas.example.dk, https://www.kompas.example.dk",
        LOKALKOMPAS_HSTS_SECONDS="3600",
        LOKALKOMPAS_SESSION_HOURS="1.5",
    )
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["CSRF_TRUSTED_ORIGINS"] == ["https://kompas.example.dk", "https://www.kompas.example.dk"]
    assert found["SECURE_HSTS_SECONDS"] == 3600 and found["SESSION_COOKIE_AGE"] == 5400


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOKALKOMPAS_PROXY_SSL_HEADER", "X-Forwarded-Proto: https"),
        ("LOKALKOMPAS_CSRF_TRUSTED_ORIGINS", "kompas.example.dk"),
        ("LOKALKOMPAS_HSTS_SECONDS", "-1"),
        ("LOKALKOMPAS_SESSION_HOURS", "otte"),
        ("LOKALKOMPAS_SSL_REDIRECT", "ja"),
    ],
)
def test_a_bad_security_value_is_named(tmp_path, name, value):
    result = settings_with(tmp_path, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_the_activity_forecast_method_is_allowed_for_the_social_area_only():
    from django.core.exceptions import ImproperlyConfigured

    from lokalkompas.conf import parse_methods

    assert parse_methods("social=d, aeldre=a") == {"social": "d", "aeldre": "a"}
    with pytest.raises(
        ImproperlyConfigured, match=re.escape("metode d (sager × enhedspris) findes kun for social, ikke for skole")
    ):
        parse_methods("skole=d")
    with pytest.raises(ImproperlyConfigured, match=re.escape("brug område=a|b|c (social også d)")):
        parse_methods("social=e")


def test_the_default_method_cannot_be_d_and_says_where_d_belongs():
    from django.core.exceptions import ImproperlyConfigured

    from lokalkompas.conf import default_method

    assert default_method("b") == "b"
    with pytest.raises(ImproperlyConfigured, match="LOKALKOMPAS_PROGNOSE_METODER=social=d"):
        default_method("d")
    with pytest.raises(ImproperlyConfigured, match="brug en af a, b, c"):
        default_method("x")


def test_a_wrong_forecast_method_stops_start_up_with_a_danish_message(tmp_path):
    result = settings_with(tmp_path, LOKALKOMPAS_PROGNOSE_METODER="aeldre=d")
    assert result.returncode != 0
    assert "metode d (sager × enhedspris) findes kun for social, ikke for aeldre" in result.stderr
    show = "import lokalkompas.settings as s; print(s.FORECAST_METHODS)"
    assert settings_with(tmp_path, show, LOKALKOMPAS_PROGNOSE_METODER="social=d").stdout.strip() == "{'social': 'd'}"
