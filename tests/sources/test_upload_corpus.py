"""A corpus of malformed uploads, generated here: each is refused with its Danish reason, and nothing changes.

Every file goes through `lokalkompas import` (which must end in CommandError) and through the upload
service as the Data page calls it (`check_file`, then `import_checked` must refuse). Before and after,
the database holds the same observations, vintages and uploads, with the same values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from lokalkompas.indicators.frames import FRAME_SCHEMA
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.indicators.store import write_observations
from lokalkompas.sources.models import Upload
from lokalkompas.sources.uploads.reading import UploadError
from lokalkompas.sources.uploads.service import ImportRefused, check_file, import_checked
from lokalkompas.sources.uploads.templates import shipped_templates, template_csv, template_xlsx

TILFREDSHED = "kommune;periode;andel-tilfredse\r\n"
GOOD = TILFREDSHED + "København;2025;80\r\n"


@dataclass(frozen=True)
class Bad:
    """A malformed file and what the refusal must say. `row`/`column`: where the problem is, when it has a place."""

    id: str
    name: str
    data: bytes
    expected: str
    row: int | None = None
    column: str | None = None
    allowed: frozenset[str] | None = None  # the municipalities the uploader may load (None: the command line)
    template: str | None = None  # --skabelon
    max_mb: float | None = None  # UPLOAD_MAX_MB for this file


def text(body: str, encoding: str = "utf-8") -> bytes:
    return body.encode(encoding)


def xlsx(rows: Sequence[Sequence[object]], change: Callable[[Worksheet], None] | None = None) -> bytes:
    workbook = Workbook()
    sheet: Worksheet = workbook.active  # type: ignore[assignment]
    sheet.title = "Data"
    for row in rows:
        sheet.append(list(row))
    if change is not None:
        change(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zipped(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, content)
    return out.getvalue()


def merge(sheet: Worksheet) -> None:
    sheet.merge_cells("C2:C3")


def formula(sheet: Worksheet) -> None:
    sheet["C2"] = "=40+40"  # openpyxl keeps no computed value, as a file never opened in Excel


TEMPLATES = shipped_templates()
HEADERS = ["kommune", "periode", "andel-tilfredse"]
VALID_XLSX = xlsx([HEADERS, [101, 2025, 80]])

CORPUS = [
    # --- the file as a whole ------------------------------------------------------------------------
    Bad("empty-file", "tom.csv", b"", "filen er tom"),
    Bad("only-blank-lines", "blank.csv", b"\r\n   \r\n\t\r\n", "filen er tom"),
    Bad("only-separators", "semikolon.csv", b";;;\r\n;;\r\n", "filen er tom"),
    Bad("only-empty-quotes", "citat.csv", b'""\r\n', "filen er tom"),
    Bad(
        "over-the-size-limit",
        "stor.csv",
        text(TILFREDSHED + "København;2025;80\r\n" * 100),
        "grænsen er 0,001 MB",
        max_mb=0.001,
    ),
    Bad("xlsx-that-is-csv", "tal.xlsx", text(GOOD), "filen hedder .xlsx, men er ikke en Excel-fil"),
    Bad(
        "csv-that-is-xlsx", "tal.csv", VALID_XLSX, "filen hedder .csv, men indeholder ikke tekst. Er det en Excel-fil?"
    ),
    Bad("csv-that-is-a-zip", "tal.csv", zipped("tal.csv", text(GOOD)), "indeholder ikke tekst"),
    Bad(
        "txt-with-nul-bytes", "tal.txt", b"kommune\x00;periode\x00\r\n", "filen hedder .txt, men indeholder ikke tekst"
    ),
    Bad("utf16-without-byte-order-mark", "tal.csv", text(GOOD, "utf-16-le"), "indeholder ikke tekst"),
    Bad("old-excel-xls", "tal.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), ".xls-filer kan ikke læses"),
    Bad("libreoffice-ods", "tal.ods", zipped("content.xml", b"<office/>"), ".ods-filer kan ikke læses"),
    Bad("unknown-extension", "tal.pdf", b"%PDF-1.4\n", "ukendt filtype"),
    Bad("no-extension", "tal", text(GOOD), "ukendt filtype"),
    Bad("corrupt-zip", "tal.xlsx", VALID_XLSX[: len(VALID_XLSX) // 2], "kan ikke læses som Excel-fil"),
    Bad("zip-that-is-no-workbook", "tal.xlsx", zipped("tal.csv", text(GOOD)), "kan ikke læses som Excel-fil"),
    Bad("binary-garbage", "tal.csv", bytes(range(256)) * 8, "indeholder ikke tekst"),
    Bad(
        "garbage-in-no-known-encoding", "tal.csv", bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 20, "tegnsættet kendes ikke"
    ),
    Bad(
        "invalid-utf8-not-cp1252",
        "tal.csv",
        text(TILFREDSHED) + b"K\x81benhavn;2025;8\x8d\r\n",
        "tegnsættet kendes ikke",
    ),
    Bad("utf16-with-a-lone-surrogate", "tal.csv", b"\xff\xfe" + text("kommune;", "utf-16-le") + b"\x00\xd8", "UTF-16"),
    Bad(
        "unclosed-quote",
        "tal.csv",
        text(GOOD + '"Aarhus;2025;70\r\nAalborg;2025;60\r\n'),
        "række 3 kan ikke læses som CSV",
    ),
    Bad(
        "text-after-a-closing-quote",
        "tal.csv",
        text(TILFREDSHED + '101;"2025"x;80\r\n'),
        "række 2 kan ikke læses som CSV",
    ),
    Bad("empty-data-sheet", "tal.xlsx", xlsx([]), "arket 'Data' er tomt"),
    # --- the header row --------------------------------------------------------------------------------
    Bad(
        "unknown-column",
        "tal.csv",
        text("kommune;periode;andel-glade\r\n101;2025;80\r\n"),
        "ukendt kolonne",
        1,
        "andel-glade",
    ),
    Bad("unknown-template", "tal.csv", text(GOOD), "ukendt skabelon", None, "skabelon", template="findes-ikke"),
    Bad(
        "columns-of-another-template",
        "tal.csv",
        text(GOOD),
        "ukendt kolonne",
        1,
        "andel-tilfredse",
        template="maanedsforbrug",
    ),
    Bad(
        "mixed-columns-from-two-templates",
        "tal.csv",
        text("kommune;periode;andel-tilfredse;dagtilbud\r\n101;2025;80;1000\r\n"),
        "kolonnerne kommer fra flere skabeloner",
        1,
        "(overskrifter)",
    ),
    Bad(
        "missing-kommune-column",
        "tal.csv",
        text("periode;andel-tilfredse\r\n2025;80\r\n"),
        "kolonnen 'kommune' mangler",
        1,
        "kommune",
    ),
    Bad(
        "missing-periode-column",
        "tal.csv",
        text("kommune;andel-tilfredse\r\n101;80\r\n"),
        "kolonnen 'periode' mangler",
        1,
        "periode",
    ),
    Bad(
        "duplicate-header",
        "tal.csv",
        text("kommune;periode;andel-tilfredse;Andel-tilfredse\r\n101;2025;80;81\r\n"),
        "kolonnen står mere end én gang",
        1,
        "andel-tilfredse",
    ),
    Bad(
        "no-value-columns",
        "tal.csv",
        text("kommune;periode\r\n101;2025\r\n"),
        "filen har ingen kolonner med tal",
        1,
        "(overskrifter)",
    ),
    Bad(
        "a-title-above-the-headers",
        "tal.csv",
        text("Forældretilfredshed 2025\r\n" + GOOD),
        "kolonnen 'kommune' mangler",
        1,
        "kommune",
    ),
    Bad("header-only", "tal.csv", text(TILFREDSHED), "filen har ingen rækker med data", None, "kommune"),
    Bad(
        "only-the-example-row-csv",
        "skabelon.csv",
        template_csv(TEMPLATES["foraeldretilfredshed"]),
        "ingen rækker med data",
        None,
        "kommune",
    ),
    Bad(
        "only-the-example-row-xlsx",
        "skabelon.xlsx",
        template_xlsx(TEMPLATES["normeringsgrundlag"]),
        "ingen rækker med data",
        None,
        "kommune",
    ),
    # --- municipalities ---------------------------------------------------------------------------------
    Bad("unknown-municipality", "tal.csv", text(TILFREDSHED + "Atlantis;2025;80\r\n"), "ukendt kommune", 2, "kommune"),
    Bad("unknown-municipality-code", "tal.csv", text(TILFREDSHED + "999;2025;80\r\n"), "ukendt kommune", 2, "kommune"),
    Bad(
        "region-instead-of-municipality",
        "tal.csv",
        text(TILFREDSHED + "Region Hovedstaden;2025;80\r\n"),
        "ukendt kommune",
        2,
        "kommune",
    ),
    Bad("missing-municipality", "tal.csv", text(GOOD + ";2025;80\r\n"), "kommunen mangler", 3, "kommune"),
    Bad(
        "another-municipality-than-ones-own",
        "tal.csv",
        text(GOOD),
        "du kan kun indlæse tal for Aarhus, ikke København",
        2,
        "kommune",
        allowed=frozenset({"751"}),
    ),
    # --- periods ----------------------------------------------------------------------------------------------
    Bad(
        "bad-period", "tal.csv", text(TILFREDSHED + "101;sidste år;80\r\n"), "perioden er ikke en periode", 2, "periode"
    ),
    Bad("missing-period", "tal.csv", text(TILFREDSHED + "101;;80\r\n"), "perioden mangler", 2, "periode"),
    Bad(
        "quarter-in-a-yearly-template",
        "tal.csv",
        text(TILFREDSHED + "101;2025K1;80\r\n"),
        "perioden er et kvartal, men skabelonen har årstal",
        2,
        "periode",
    ),
    Bad(
        "year-in-a-monthly-template",
        "tal.csv",
        text("kommune;periode;dagtilbud\r\n101;2025;1234,5\r\n"),
        "perioden er et årstal, men skabelonen har måneder",
        2,
        "periode",
    ),
    Bad(
        "month-13",
        "tal.csv",
        text("kommune;periode;dagtilbud\r\n101;2025-13;1\r\n"),
        "har en måned uden for 1–12",
        2,
        "periode",
    ),
    Bad(
        "date-in-a-yearly-template",
        "tal.xlsx",
        xlsx([HEADERS, [101, dt.datetime(2025, 1, 1), 80]]),
        "perioden er en dato, men skabelonen har årstal",
        2,
        "periode",
    ),
    Bad(
        "date-text-in-a-yearly-template",
        "tal.csv",
        text(TILFREDSHED + "101;31-12-2025;80\r\n"),
        "er ikke en periode",
        2,
        "periode",
    ),
    Bad(
        "non-ascii-digits-as-period",
        "tal.csv",
        text(TILFREDSHED + "101;٢٠٢٥;80\r\n"),
        "er ikke en periode",
        2,
        "periode",
    ),
    # --- values ------------------------------------------------------------------------------------------------
    Bad(
        "text-where-a-number-belongs",
        "tal.csv",
        text(TILFREDSHED + "101;2025;mange\r\n"),
        "værdien er tekst",
        2,
        "andel-tilfredse",
    ),
    Bad(
        "excel-error-text",
        "tal.csv",
        text(TILFREDSHED + "101;2025;#DIV/0!\r\n"),
        "er tekst, hvor der skal stå et tal (værdi: '#DIV/0!')",
        2,
        "andel-tilfredse",
    ),
    Bad(
        "excel-error-cell",
        "tal.xlsx",
        xlsx([HEADERS, [101, 2025, "#DIV/0!"]]),
        "(værdi: '#DIV/0!')",
        2,
        "andel-tilfredse",
    ),
    Bad("boolean-cell", "tal.xlsx", xlsx([HEADERS, [101, 2025, True]]), "værdien er tekst", 2, "andel-tilfredse"),
    Bad(
        "negative-count",
        "tal.csv",
        text("kommune;periode;barneaar-0-2\r\n101;2025;-5\r\n"),
        "kan ikke være negativ",
        2,
        "barneaar-0-2",
    ),
    Bad(
        "share-above-100",
        "tal.csv",
        text(TILFREDSHED + "101;2025;112,5\r\n"),
        "kan ikke være over 100 %",
        2,
        "andel-tilfredse",
    ),
    Bad(
        "negative-share",
        "tal.csv",
        text(TILFREDSHED + "101;2025;-1\r\n"),
        "kan ikke være negativ",
        2,
        "andel-tilfredse",
    ),
    Bad(
        "grade-off-the-scale",
        "tal.csv",
        text("kommune;periode;gennemsnit-bundne-proever\r\n101;2025;13\r\n"),
        "kan ikke være over 12",
        2,
        "gennemsnit-bundne-proever",
    ),
    Bad(
        "ambiguous-number",
        "tal.csv",
        text("kommune;periode;fjernvarme-standardhus\r\n101;2025;1.234\r\n"),
        "kan læses både som tusinder og som decimaler",
        2,
        "fjernvarme-standardhus",
    ),
    Bad(
        "several-decimal-separators",
        "tal.csv",
        text("kommune;periode;dagtilbud\r\n101;2025M01;1.234,5,6\r\n"),
        "har flere decimaltegn",
        2,
        "dagtilbud",
    ),
    Bad(
        "misplaced-thousands",
        "tal.csv",
        text("kommune;periode;dagtilbud\r\n101;2025M01;12.34.5\r\n"),
        "tusindtalsskilletegn de forkerte steder",
        2,
        "dagtilbud",
    ),
    Bad(
        "a-number-too-big-for-a-float",
        "tal.csv",
        text("kommune;periode;dagtilbud\r\n101;2025M01;" + "9" * 400 + "\r\n"),
        "er for stort et tal",
        2,
        "dagtilbud",
    ),
    Bad(
        "duplicate-rows",
        "tal.csv",
        text(GOOD + "101;2025;81\r\n"),
        "gentager række 2 (samme kommune og periode)",
        3,
        "kommune",
    ),
    Bad(
        "value-beyond-the-headers",
        "tal.csv",
        text(GOOD + "Aarhus;2025;70;99\r\n"),
        "værdi i en kolonne uden overskrift",
        3,
        "D",
    ),
    Bad(
        "value-under-an-empty-header",
        "tal.csv",
        text("kommune;periode;andel-tilfredse;\r\nKøbenhavn;2025;80;\r\nAarhus;2025;70;99\r\n"),
        "værdi i en kolonne uden overskrift",
        3,
        "D",
    ),
    Bad(
        "xlsx-value-between-headers",
        "tal.xlsx",
        xlsx([["kommune", "periode", None, "andel-tilfredse"], [101, 2025, 75, 80]]),
        "værdi i en kolonne uden overskrift",
        2,
        "C",
    ),
    Bad(
        "formula-without-a-value",
        "tal.xlsx",
        xlsx([HEADERS, [101, 2025, None]], formula),
        "formlen har ingen beregnet værdi",
        2,
        "C",
    ),
    Bad(
        "merged-cells",
        "tal.xlsx",
        xlsx([HEADERS, [101, 2025, 80], [751, 2025]], merge),
        "flettede celler (C2:C3)",
        2,
        "C",
    ),
]


def snapshot() -> tuple[int, int, int, str]:
    """Counts of observations, vintages and uploads, and a checksum of every stored value."""
    rows = Observation.objects.order_by("series", "geo_id", "period", "breakdown").values_list(
        "series", "geo_id", "period", "breakdown", "value", "status", "vintage_id"
    )
    checksum = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return Observation.objects.count(), Vintage.objects.count(), Upload.objects.count(), checksum


@pytest.fixture
def stored(catalogued: None) -> tuple[int, int, int, str]:
    """Values already in the store, under the same series the corpus aims at; the snapshot before."""
    frame = pl.DataFrame(
        [
            ("upload-foraeldretilfredshed", "101", "2025", "", 75.0, "ok"),
            ("upload-foraeldretilfredshed", "751", "2025", "", 70.0, "ok"),
            ("forbrug-dagtilbud", "101", "2025M01", "", 1000.0, "ok"),
        ],
        schema=FRAME_SCHEMA,
        orient="row",
    )
    assert write_observations(frame, source=Vintage.Source.UPLOAD, label="Før").vintage is not None
    before = snapshot()
    assert before[0] == 3
    return before


def run_import(path: Path, *options: str) -> str:
    """Run the import command, which must refuse; all it said (its error and the problems it listed)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import", str(path), *options, stdout=io.StringIO(), stderr=err)
    return f"{refused.value}\n{err.getvalue()}"


def test_the_corpus_is_large_and_its_cases_distinct():
    assert len(CORPUS) >= 40
    assert len({c.id for c in CORPUS}) == len(CORPUS)
    assert len({(c.name, c.data, c.allowed, c.template, c.max_mb) for c in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", [c for c in CORPUS if c.allowed is None], ids=lambda c: c.id)
def test_the_import_command_refuses_a_malformed_file_with_its_reason_and_changes_nothing(
    case, stored, tmp_path, settings
):
    if case.max_mb is not None:
        settings.UPLOAD_MAX_MB = case.max_mb
    path = tmp_path / case.name
    path.write_bytes(case.data)
    said = run_import(path, *(["--skabelon", case.template] if case.template else []))
    lines = [line for line in said.splitlines() if case.expected in line]
    assert lines, said
    if case.row is not None:
        assert any(f"{case.name}, række {case.row}, kolonne {case.column}: " in line for line in lines), said
    elif case.column is not None:
        assert any(f"{case.name}, kolonne {case.column}: " in line for line in lines), said
    assert snapshot() == stored


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.id)
def test_the_upload_service_refuses_a_malformed_file_where_the_problem_is(case, stored, settings):
    if case.max_mb is not None:
        settings.UPLOAD_MAX_MB = case.max_mb
    allowed = set(case.allowed) if case.allowed is not None else None
    try:
        checked = check_file(case.name, case.data, allowed, case.template)
    except UploadError as exc:
        assert case.expected in str(exc)
        assert str(exc).startswith(f"{case.name}: ")
        assert case.row is None and case.column is None, "a problem with a place must come out as a Problem"
    else:
        assert not checked.ok
        found = [p for p in checked.errors if case.expected in p.describe(case.name)]
        assert found, [p.describe(case.name) for p in checked.errors]
        assert (found[0].row, found[0].column) == (case.row, case.column)
        assert all(p.severity == "fejl" for p in checked.errors)
        with pytest.raises(ImportRefused, match="intet er indlæst"):
            import_checked(checked, Upload(file_name=case.name))
    assert snapshot() == stored


def test_every_problem_with_a_place_names_its_row_and_column():
    """Across the corpus, only file-level problems (no data rows, an unknown template) lack a row."""
    for case in CORPUS:
        try:
            checked = check_file(case.name, case.data, set(case.allowed) if case.allowed else None, case.template)
        except UploadError:
            continue
        for problem in checked.errors:
            assert problem.column, (case.id, problem)
            if problem.row is None:
                assert problem.message.startswith(("filen har ingen rækker", "ukendt skabelon")), (case.id, problem)
            else:
                assert f"række {problem.row}, kolonne {problem.column}: " in problem.describe(case.name)


MANY_ERRORS = (
    TILFREDSHED
    + "Atlantis;2025;80\r\n"  # 2: unknown municipality
    + "101;2025K3;80\r\n"  # 3: a quarter in a yearly template
    + "147;2025;mange\r\n"  # 4: text for a number
    + "751;2025;101\r\n"  # 5: a share above 100 %
    + "Aarhus;2025;70\r\n"  # 6: repeats row 5
    + "Aalborg;2025;60;x\r\n"  # 7: a value without a header
    + "Odense;2025;1.234\r\n"  # 8: an ambiguous number
    + "Vejle;2025;90\r\n"  # 9: fine
)


def test_a_file_with_many_errors_reports_every_one_of_them(stored, tmp_path):
    checked = check_file("fejl.csv", text(MANY_ERRORS), None)
    assert [(p.row, p.column) for p in checked.errors] == [
        (2, "kommune"),
        (3, "periode"),
        (4, "andel-tilfredse"),
        (5, "andel-tilfredse"),
        (6, "kommune"),
        (7, "D"),
        (8, "andel-tilfredse"),
    ]
    path = tmp_path / "fejl.csv"
    path.write_bytes(text(MANY_ERRORS))
    said = run_import(path)
    assert "fejl.csv: 7 fejl; intet er indlæst." in said
    for row in range(2, 9):
        assert f"Fejl: fejl.csv, række {row}, kolonne " in said
    assert snapshot() == stored


def test_the_command_lists_the_first_fifty_problems_and_counts_the_rest(stored, tmp_path):
    path = tmp_path / "mange.csv"
    path.write_bytes(text(TILFREDSHED + "".join(f"Atlantis {n};2025;80\r\n" for n in range(60))))
    said = run_import(path)
    assert said.count("ukendt kommune") == 50
    assert "… og 10 problemer mere." in said
    assert "mange.csv: 60 fejl; intet er indlæst." in said
    assert snapshot() == stored


def test_the_snapshot_sees_an_import_so_an_unchanged_one_means_nothing_was_written(stored, tmp_path):
    path = tmp_path / "god.csv"
    path.write_bytes(text(TILFREDSHED + "København;2025;81\r\nAalborg;2025;79\r\n"))
    call_command("import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    after = snapshot()
    assert after[0] > stored[0] and after[1] > stored[1] and after[2] == stored[2] + 1
    assert after[3] != stored[3]
    assert Observation.objects.get(series="upload-foraeldretilfredshed", geo_id="101", period="2025").value == 81.0
