"""Production mode refuses to start half-configured, and Django's deployment check finds nothing."""

from __future__ import annotations

import json
import re

import pytest

from tests.server.helpers import ROOT, lokalkompas, production_env, python

# Engine-independent and slow: once, in the PostgreSQL pass of scripts/test.sh.
pytestmark = pytest.mark.once

SHOW = "import lokalkompas.settings as s; print(s.DATABASES['default']['ENGINE'], s.LOG_FORMAT)"


def settings(tmp_path, **env: str):
    return python(tmp_path, SHOW, **env)


def test_production_starts_with_the_three_required_variables_on_postgresql_with_json_logs(tmp_path):
    result = settings(tmp_path, **production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "json"]


def test_development_logs_readable_text_unless_told_otherwise(tmp_path):
    assert settings(tmp_path).stdout.split()[1] == "text"
    assert settings(tmp_path, LOKALKOMPAS_LOG_FORMAT="json").stdout.split()[1] == "json"
    assert settings(tmp_path, **production_env(tmp_path), LOKALKOMPAS_LOG_FORMAT="text").stdout.split()[1] == "text"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_each_required_variable(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]
    result = settings(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"LOKALKOMPAS_ENV=production kræver {missing}" in result.stderr


@pytest.mark.parametrize("url", ["sqlite:////tmp/lokalkompas.sqlite3", "mysql://u:p@db.example/lokalkompas"])
def test_production_refuses_a_database_other_than_postgresql(tmp_path, url):
    result = settings(tmp_path, **production_env(tmp_path, database_url=url))
    assert result.returncode != 0
    assert "LOKALKOMPAS_ENV=production kræver PostgreSQL i DATABASE_URL" in result.stderr
    assert repr(url.split(":")[0]) in result.stderr


@pytest.mark.parametrize(("name", "value"), [("LOKALKOMPAS_LOG_FORMAT", "xml"), ("LOKALKOMPAS_LOG_LEVEL", "LOUD")])
def test_a_bad_log_setting_is_named(tmp_path, name, value):
    result = settings(tmp_path, **{name: value})
    assert result.returncode != 0
    assert f"{name}={value!r}" in result.stderr


def test_the_deployment_check_is_clean_in_production(tmp_path):
    result = lokalkompas(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout


def test_the_deployment_check_still_warns_about_what_is_not_silenced(tmp_path):
    """The silenced checks are the two documented ones, not the whole security family."""
    env = production_env(tmp_path) | {"LOKALKOMPAS_HSTS_SECONDS": "0"}
    result = lokalkompas(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


def test_collectstatic_in_production_writes_hashed_and_compressed_files_for_the_design_system(tmp_path):
    env = production_env(tmp_path)
    assets = lokalkompas(tmp_path, "assets", "--node-modules", str(ROOT / "node_modules"), **env)
    assert assets.returncode == 0, assets.stderr
    result = lokalkompas(tmp_path, "collectstatic", "--no-input", **env)
    assert result.returncode == 0, result.stderr
    static = tmp_path / "static"
    manifest = json.loads((static / "staticfiles.json").read_text(encoding="utf-8"))["paths"]
    for name in ("front/lokalkompas.css", "vendor/dkfds/css/dkfds.min.css"):
        hashed = manifest[name]
        assert hashed != name and (static / hashed).is_file()
        assert (static / f"{hashed}.gz").is_file()
    # The design system's CSS points at its fonts and icons by their hashed names.
    css = (static / manifest["vendor/dkfds/css/dkfds.min.css"]).read_text(encoding="utf-8")
    original = (tmp_path / "vendor" / "dkfds" / "css" / "dkfds.min.css").read_text(encoding="utf-8")
    font = re.search(r"url\(\.\./fonts/([^)?#]+\.woff2)", original)
    assert font is not None
    assert manifest[f"vendor/dkfds/fonts/{font.group(1)}"].rsplit("/", 1)[1] in css
