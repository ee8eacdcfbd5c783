"""How a user is named in records that outlive the account (uploads, issued briefs)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

COMMAND_LINE = "kommandolinje"


def display_name(user: AbstractBaseUser | None) -> str:
    """The full name, else the user name; work done from the command line has no user."""
    if user is None:
        return COMMAND_LINE
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())
