"""Error bodies: a stable code for programs and a Danish sentence for people, never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, JsonResponse

from lokalkompas.lib.formatting import format_number

logger = logging.getLogger("lokalkompas.api")


class ApiError(Exception):
    """Raised anywhere in an endpoint; becomes `{"kode": ..., "besked": ...}` with its status."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}  # more fields beside kode and besked, e.g. a file's list of problems


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> JsonResponse:
    body = {"kode": code, "besked": message, **(details or {})}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# Pydantic's error types, said in Danish. Anything else gets the general sentence.
_MESSAGES = {
    "missing": "mangler",
    "int_parsing": "skal være et helt tal",
    "int_type": "skal være et helt tal",
    "float_parsing": "skal være et tal",
    "date_from_datetime_parsing": "skal være en dato som 2026-11-27",
    "date_parsing": "skal være en dato som 2026-11-27",
    "datetime_from_date_parsing": "skal være en dato som 2026-11-27",
    "date_type": "skal være en dato som 2026-11-27",
    "string_too_long": "er for lang",
    "too_long": "har for mange værdier",
    "literal_error": "har en værdi, der ikke er tilladt",
    "enum": "har en værdi, der ikke er tilladt",
    "greater_than_equal": "er for lille",
    "less_than_equal": "er for stor",
    "string_pattern_mismatch": "har ikke den rette form",
}


def _field(location: Any) -> str:
    parts = [str(p) for p in location if p not in ("query", "path", "body") and not isinstance(p, int)]
    return parts[-1] if parts else "forespørgslen"


def validation_message(errors: list[dict[str, Any]]) -> str:
    """One Danish sentence per invalid parameter: "Parameteren 'limit' skal være et helt tal."."""
    sentences = []
    for error in errors[:5]:
        problem = _MESSAGES.get(str(error.get("type")), "har en ugyldig værdi")
        detail = _limit(error)
        sentences.append(f"Parameteren '{_field(error.get('loc', ()))}' {problem}{detail}.")
    return " ".join(dict.fromkeys(sentences))


def _limit(error: dict[str, Any]) -> str:
    context = error.get("ctx") or {}
    for key, words in (("max_length", "højst {} tegn"), ("le", "højst {}"), ("ge", "mindst {}")):
        if key in context:
            value = context[key]
            shown = format_number(value) if isinstance(value, int | float) else str(value)
            return f" ({words.format(shown)})"
    if "expected" in context:
        return f" (tilladt: {context['expected']})"
    if "pattern" in context:
        return " (se formen i /api/v1/openapi.json; fx 101 for en kommune og 2024, 2024K1 eller 2024M01 for en periode)"
    return ""


def server_error(request: HttpRequest, exc: Exception) -> JsonResponse:
    logger.exception("API-fejl ved %s", request.get_full_path())
    return error_response(500, "intern_fejl", "Der skete en fejl hos os. Prøv igen senere; fejlen er logget.")
