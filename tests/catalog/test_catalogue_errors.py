"""A broken catalogue file gives a message naming file, path in the document and the problem."""

from pathlib import Path

import yaml

from lokalkompas.catalog.files import format_location, load_files


def edit(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def messages(data_dir: Path) -> list[str]:
    outcome = load_files(data_dir)
    assert outcome.catalog is None
    return [str(e) for e in outcome.errors]


def test_the_shipped_copy_is_valid(catalog_copy):
    assert load_files(catalog_copy).errors == []


def test_it_names_an_unknown_key_with_its_path(catalog_copy):
    edit(catalog_copy / "skole.yaml", lambda d: d["themes"][1]["questions"][0].update(tekst="x"))
    assert messages(catalog_copy) == ["skole.yaml: themes[1].questions[0].tekst: ukendt felt (stavefejl?)"]


def test_it_names_a_missing_field(catalog_copy):
    edit(catalog_copy / "social.yaml", lambda d: d["themes"][0].pop("title"))
    assert messages(catalog_copy) == ["social.yaml: themes[0].title: feltet mangler"]


def test_it_rejects_an_id_with_danish_letters_or_capitals(catalog_copy):
    edit(catalog_copy / "aeldre.yaml", lambda d: d["themes"][0].update(id="ældre.Tema"))
    assert messages(catalog_copy)[0].startswith("aeldre.yaml: themes[0].id: ugyldigt format")


def test_it_reports_a_duplicate_id_across_files(catalog_copy):
    duplicate = yaml.safe_load((catalog_copy / "skole.yaml").read_text(encoding="utf-8"))["themes"][0]["id"]
    edit(catalog_copy / "social.yaml", lambda d: d["themes"][0].update(id=duplicate))
    assert any("brugt to gange" in m and duplicate in m for m in messages(catalog_copy))


def test_it_reports_a_question_that_points_to_an_unknown_legal_duty(catalog_copy):
    edit(
        catalog_copy / "beredskab.yaml",
        lambda d: d["themes"][0]["questions"][0].update(legal_duties=["findes.ikke"]),
    )
    assert messages(catalog_copy) == [
        "beredskab.yaml: themes[0].questions[0].legal_duties: ukendt lovkrav 'findes.ikke'"
    ]


def test_it_reports_an_unknown_indicator(catalog_copy):
    edit(
        catalog_copy / "skole.yaml",
        lambda d: d["themes"][0]["questions"][0].update(indicators=["skole.fravaer"]),
    )
    assert messages(catalog_copy) == ["skole.yaml: themes[0].questions[0].indicators: ukendt indikator 'skole.fravaer'"]


def test_it_reports_an_unknown_source_document_and_theme(catalog_copy):
    def change(d):
        d["themes"][0]["source"]["document"] = "ukendt-kilde"
        d["themes"][1]["source"]["theme"] = 9

    edit(catalog_copy / "sundhed.yaml", change)
    assert messages(catalog_copy) == [
        "sundhed.yaml: themes[0].source.document: ukendt kilde 'ukendt-kilde'",
        "sundhed.yaml: themes[1].source.theme: området har intet tema nr. 9",
    ]


def test_it_reports_an_unknown_rule(catalog_copy):
    edit(catalog_copy / "dagtilbud.yaml", lambda d: d["legal_duties"][0].update(rule="ingen-regel"))
    assert messages(catalog_copy) == ["dagtilbud.yaml: legal_duties[0].rule: ukendt regel 'ingen-regel'"]


def test_it_reports_themes_out_of_order(catalog_copy):
    edit(catalog_copy / "skole.yaml", lambda d: d["themes"][0].update(number=7))
    found = messages(catalog_copy)
    assert any(m.startswith("skole.yaml: themes: temaerne skal være nummereret") for m in found)


def test_it_reports_invalid_yaml_with_line_and_column(catalog_copy):
    path = catalog_copy / "social.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  forkert: [\n", encoding="utf-8")
    (message,) = messages(catalog_copy)
    assert message.startswith("social.yaml: linje ") and "ugyldig YAML" in message


def test_it_reports_a_missing_area_file(catalog_copy):
    (catalog_copy / "beredskab.yaml").unlink()
    assert messages(catalog_copy) == ["beredskab.yaml: filen findes ikke"]


def test_it_reports_a_file_that_is_not_utf8(catalog_copy):
    (catalog_copy / "skole.yaml").write_bytes("id: skole\nname: Sk\xf8le\n".encode("latin-1"))
    assert messages(catalog_copy) == ["skole.yaml: filen er ikke gemt som UTF-8"]


def test_it_reports_an_unknown_extra_file(catalog_copy):
    (catalog_copy / "kultur.yaml").write_text("id: kultur\n", encoding="utf-8")
    assert messages(catalog_copy) == ["kultur.yaml: ukendt katalogfil: navnet er ikke et af de otte områder"]


def test_it_reports_a_calendar_entry_with_both_date_and_period(catalog_copy):
    edit(catalog_copy / "calendar.yaml", lambda d: d["entries"][0].update(period="2026"))
    assert messages(catalog_copy) == ["calendar.yaml: entries[0]: angiv enten date eller period (præcis én af dem)"]


def test_it_reports_a_malformed_date(catalog_copy):
    edit(catalog_copy / "calendar.yaml", lambda d: d["entries"][0].update(date="15. september"))
    assert messages(catalog_copy) == ["calendar.yaml: entries[0].date: skal være en dato (ÅÅÅÅ-MM-DD): '15. september'"]


def test_locations_read_like_paths():
    assert format_location(("themes", 2, "questions", 0, "text")) == "themes[2].questions[0].text"
