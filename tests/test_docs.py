"""Declared things are documented: every setting in the README, every command in docs/cli.md."""

from pathlib import Path

from django.core.management import get_commands
from django_typer.management import TyperCommand, get_command

from lokalkompas.conf import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def own_commands() -> dict[str, list[str]]:
    """Our commands and their sub-commands, read from the commands themselves."""
    names = sorted(name for name, app in get_commands().items() if app.startswith("lokalkompas."))
    out = {}
    for name in names:
        command = get_command(name)
        assert isinstance(command, TyperCommand), name
        registered = command.typer_app.registered_commands
        subs = [info.name or getattr(info.callback, "__name__", "") for info in registered]
        out[name] = [] if subs == [name] else subs  # a command without sub-commands registers itself
    return out


def test_every_setting_is_in_the_readme_configuration_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in readme, setting.name


def test_every_own_command_is_documented_in_cli_md():
    cli_doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    commands = own_commands()
    assert {"registry", "catalog", "assets", "indicators", "demo"} <= set(commands)
    assert set(commands["catalog"]) == {"check", "load", "export", "coverage"}
    for command, subcommands in commands.items():
        assert f"`lokalkompas {command}" in cli_doc, command
        for sub in subcommands:
            assert f"`lokalkompas {command} {sub}" in cli_doc, f"{command} {sub}"
