"""Opaque cursors for keyset pagination: the key of the last row given, base64-encoded JSON."""

from __future__ import annotations

import base64
import binascii
import json

from lokalkompas.api.errors import ApiError

MAX_CURSOR = 400


def encode(key: list[str | int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, ensure_ascii=False).encode()).decode().rstrip("=")


def decode(text: str, length: int) -> list[str]:
    """The key in a cursor made by `encode`; a 400 with a Danish message for anything else."""
    bad = ApiError(400, "ugyldig_cursor", "Parameteren 'cursor' er ugyldig. Brug værdien fra next_cursor uændret.")
    if len(text) > MAX_CURSOR:
        raise bad
    try:
        key = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise bad from exc
    if not isinstance(key, list) or len(key) != length or not all(isinstance(k, str) for k in key):
        raise bad
    return key
