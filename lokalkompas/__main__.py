"""The `lokalkompas` console script: every management command is a sub-command."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalkompas.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lokalkompas", *sys.argv[1:]])


if __name__ == "__main__":
    main()
