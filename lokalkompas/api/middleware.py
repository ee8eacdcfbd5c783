"""What every API request passes: size check, token, rate limit, conditional GET (ETag) and gzip.

Rate limits count in Django's cache, a fixed window of one minute per token or per IP address. With
several web processes the cache must be shared (a database or Redis cache; see docs/api.md), or each
process counts on its own.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

from lokalkompas.analysis.service import data_version
from lokalkompas.api.errors import error_response
from lokalkompas.api.models import ApiToken
from lokalkompas.api.tokens import find_token
from lokalkompas.registry import revision

PREFIX = "/api/v1/"
MAX_QUERY_STRING = 4096
WINDOW = 60  # seconds

Handler = Callable[[HttpRequest], HttpResponseBase]


class ApiMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        response = self._answer(request)
        if not response.has_header("Vary") or "Authorization" not in response["Vary"]:
            response["Vary"] = ", ".join(v for v in (response.get("Vary"), "Authorization") if v)
        return self.gzip.process_response(request, response)

    def _answer(self, request: HttpRequest) -> HttpResponseBase:
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            message = f"Forespørgslen er for lang (højst {MAX_QUERY_STRING} tegn efter '?')."
            return error_response(414, "for_lang_forespoergsel", message)
        header = request.headers.get("Authorization", "")
        token = None
        if header:
            token = _token(header)
            if token is None:
                message = "API-nøglen er ukendt, tilbagekaldt eller forkert. Brug 'Authorization: Bearer lk_...'."
                return error_response(401, "ugyldig_noegle", message, {"WWW-Authenticate": "Bearer"})
        request.api_token = token  # type: ignore[attr-defined]
        limited = _rate_limited(request, token)
        if limited is not None:
            return limited
        if request.method not in ("GET", "HEAD"):
            return _json_errors(self.get_response(request))
        etag, modified = _version(request, token)
        if _not_modified(request, etag, modified):
            response: HttpResponseBase = HttpResponseNotModified()
        else:
            response = _json_errors(self.get_response(request))
        if response.status_code in (200, 304):
            response["ETag"] = etag
            if modified:
                response["Last-Modified"] = http_date(modified)
            response["Cache-Control"] = "private, no-cache" if token else "public, no-cache"
        return response


def _token(header: str) -> ApiToken | None:
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return find_token(secret.strip())


def _rate_limited(request: HttpRequest, token: ApiToken | None) -> HttpResponse | None:
    if token is not None:
        who, limit = f"token:{token.pk}", settings.API_RATE_TOKEN
    else:
        who, limit = f"ip:{request.META.get('REMOTE_ADDR', '')}", settings.API_RATE_IP
    if limit <= 0:
        return None
    now = time.time()
    window = int(now // WINDOW)
    key = f"api-rate:{who}:{window}"
    cache = caches[settings.API_RATE_CACHE]
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this request as the first
        cache.set(key, 1, timeout=WINDOW * 2)
        count = 1
    if count <= limit:
        return None
    retry = max(1, int((window + 1) * WINDOW - now + 0.999))
    message = f"For mange forespørgsler: højst {limit} i minuttet. Prøv igen om {retry} sekunder."
    return error_response(429, "for_mange_forespoergsler", message, {"Retry-After": str(retry)})


def _version(request: HttpRequest, token: ApiToken | None) -> tuple[str, float | None]:
    """An ETag from everything the answer depends on, and the time the content last changed.

    The content revision counts every change to goals, decisions and the catalogue; the data version
    counts every load into the store. Both are cheap reads, so a 304 costs no computing at all.
    """
    number, changed_at = revision.current()
    count, last, loaded_at = data_version()
    parts = (number, changed_at, count, last, loaded_at, request.get_full_path(), token.pk if token else None)
    today = timezone.localdate()  # legal results depend on the day they are evaluated
    etag = '"' + hashlib.sha256(repr((*parts, today)).encode()).hexdigest()[:32] + '"'
    times = [t.timestamp() for t in (changed_at, loaded_at) if t is not None]
    return etag, max(times) if times else None


def _not_modified(request: HttpRequest, etag: str, modified: float | None) -> bool:
    match = request.headers.get("If-None-Match")
    if match is not None:
        return etag in [m.strip() for m in match.split(",")] or match.strip() == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and modified is not None and int(modified) <= since


def _json_errors(response: HttpResponseBase) -> HttpResponseBase:
    """Django's own 404 and ninja's 405 come as HTML or text; the API answers every error in JSON."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    if response.status_code == 404:
        return error_response(404, "ukendt_adresse", "Adressen findes ikke i API'et. Se /api/v1/openapi.json.")
    if response.status_code == 405:
        return error_response(405, "metode_ikke_tilladt", "API'et tager kun imod GET-forespørgsler her.")
    return error_response(response.status_code, "fejl", "Forespørgslen kunne ikke besvares.")
