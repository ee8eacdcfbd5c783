"""`lokalkompas statbank inspect FILE`: a saved Statbank answer, normalised as JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from django.core.management import CommandError
from django_typer.management import TyperCommand, command, initialize

from lokalkompas.sources.statbank.parse import (
    StatbankParseError,
    detect_format,
    parse_csv,
    parse_jsonstat,
    parse_tableinfo,
)


class Command(TyperCommand):
    help = "Værktøjer til Danmarks Statistiks Statistikbank."

    @initialize(invoke_without_command=False)
    def init(self) -> None:
        """Makes `statbank` a group, so its tools are sub-commands (`statbank inspect FILE`)."""

    @command(
        help="Læs et gemt svar fra Statistikbanken (tableinfo, CSV, BULK eller JSON-stat) og vis det normaliseret."
    )
    def inspect(
        self,
        file: Annotated[Path, typer.Argument(help="Filen med svaret.")],
        table: Annotated[str, typer.Option("--table", help="Tabellens id, hvis svaret ikke selv nævner det.")] = "",
    ) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {file} kan ikke læses: {exc.strerror}.", returncode=1) from exc
        try:
            kind = detect_format(data)
            if kind == "tableinfo":
                info = parse_tableinfo(data)
                for v in info.variables:
                    line = {"table": info.id, "variable": v.id, "text": v.text, "time": v.time, "map": v.map}
                    line["values"] = {code: text for code, text in v.values}
                    self.stdout.write(json.dumps(line, ensure_ascii=False))
                return
            frame = parse_jsonstat(data) if kind == "jsonstat" else parse_csv(data)
        except StatbankParseError as exc:
            raise CommandError(f"{file}: {exc}", returncode=1) from exc
        name = table or file.stem
        keys = [c for c in frame.columns if c not in ("period", "value", "status", "flag")]
        for row in frame.iter_rows(named=True):
            line = {
                "table": name,
                "variables": {k: row[k] for k in keys},
                "period": row["period"],
                "value": row["value"],
                "status": row["status"],
            }
            self.stdout.write(json.dumps(line, ensure_ascii=False))
