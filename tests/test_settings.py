"""Settings come from the environment, work with none, and fail loudly, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lokalkompas.conf import SETTINGS

PRINT = "import lokalkompas.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.ALLOWED_HOSTS)"


def settings_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {s.name for s in SETTINGS}}
    clean["LOKALKOMPAS_DATA_DIR"] = str(tmp_path)
    return subprocess.run([sys.executable, "-c", PRINT], env=clean | env, capture_output=True, text=True, check=False)


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
        tmp_path, LOKALKOMPAS_ENV="production", SECRET_KEY_FILE=str(key_file), ALLOWED_HOSTS="a.dk, b.dk"
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
