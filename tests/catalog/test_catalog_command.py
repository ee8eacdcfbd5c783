import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from lokalkompas.catalog.models import Area, CalendarEntry, LegalDuty, Question, Reform, Theme


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The real console script, so exit codes are what an operator sees."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "LOKALKOMPAS_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "lokalkompas", *args], capture_output=True, text=True, env=env, check=False
    )


def test_check_exits_zero_on_the_shipped_catalogue(tmp_path: Path):
    result = cli("catalog", "check", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Kataloget er i orden: 8 områder, 38 temaer" in result.stdout


def test_check_exits_non_zero_with_a_precise_message_on_a_broken_copy(catalog_copy: Path):
    path = catalog_copy / "skole.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    del doc["themes"][2]["questions"][1]["text"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = cli("catalog", "check", "--data-dir", str(catalog_copy), data_dir=catalog_copy.parent)
    assert result.returncode != 0
    assert "Fejl: skole.yaml: themes[2].questions[1].text: feltet mangler" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_load_is_idempotent():
    first = run("catalog", "load")
    counts = (
        Area.objects.count(),
        Theme.objects.count(),
        Question.objects.count(),
        CalendarEntry.objects.count(),
    )
    second = run("catalog", "load")
    assert first == second
    assert counts == (
        Area.objects.count(),
        Theme.objects.count(),
        Question.objects.count(),
        CalendarEntry.objects.count(),
    )
    assert counts[:2] == (8, 38)


@pytest.mark.django_db
def test_load_updates_changed_items_and_removes_deleted_ones(catalog_copy: Path):
    run("catalog", "load")
    path = catalog_copy / "dagtilbud.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    removed = doc["reforms"].pop()["id"]
    doc["themes"][0]["title"] = "Ny titel på temaet"
    # Swap two theme numbers' titles order by renumbering: themes stay unique per area after reload.
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run("catalog", "load", "--data-dir", str(catalog_copy))
    assert Theme.objects.get(pk=doc["themes"][0]["id"]).title == "Ny titel på temaet"
    assert not Reform.objects.filter(pk=removed).exists()


@pytest.mark.django_db
def test_a_broken_catalogue_leaves_the_database_as_it_was(catalog_copy: Path):
    run("catalog", "load")
    before = list(Question.objects.values_list("id", "text").order_by("id"))
    (catalog_copy / "social.yaml").write_text("id: social\n", encoding="utf-8")
    with pytest.raises(CommandError, match="fejl"):
        run("catalog", "load", "--data-dir", str(catalog_copy))
    assert list(Question.objects.values_list("id", "text").order_by("id")) == before


@pytest.mark.django_db
def test_questions_are_linked_to_their_legal_duties():
    run("catalog", "load")
    linked = Question.objects.filter(legal_duties__isnull=False).distinct().count()
    assert linked > 0
    duty = LegalDuty.objects.get(rule_id="minimumsnormering")
    assert duty.area_id == "dagtilbud"


def test_export_prints_the_whole_catalogue_as_json():
    document = json.loads(run("catalog", "export", "--format", "json"))
    assert [a["id"] for a in document["areas"]][:2] == ["dagtilbud", "skole"]
    assert sum(len(a["themes"]) for a in document["areas"]) == 38
    assert document["calendar"]["entries"]
    assert any(d["id"] == "kl-2026" for d in document["sources"]["documents"])
