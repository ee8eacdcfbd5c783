"""What every API request passes: size check, token, rate limit, conditional GET (ETag) and gzip.

Rate limits count in Django's cache, a fixed window of one minute per token or per IP address. With
several web processes the cache must be shared (a database or Redis cache; see docs/api.md), or each
process counts on its own.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from isal import igzip

from lokalkompas.api.errors import error_response
from lokalkompas.api.models import ApiToken
from lokalkompas.api.tokens import expired_token, find_token
from lokalkompas.api.watch import after_write, request_versions
from lokalkompas.lib.formatting import format_date, format_number

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
        # Every answer passes _finish once; a cached answer is already compressed, and gzip leaves it alone.
        return self._finish(request, self._answer(request))

    def _finish(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if "Authorization" not in response.get("Vary", ""):
            response["Vary"] = ", ".join(v for v in (response.get("Vary"), "Authorization") if v)
        if response.streaming or not isinstance(response, HttpResponse):
            return self.gzip.process_response(request, response)
        return _gzip(request, response)

    def _answer(self, request: HttpRequest) -> HttpResponseBase:
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            message = f"Forespørgslen er for lang (højst {format_number(MAX_QUERY_STRING)} tegn efter '?')."
            return error_response(414, "for_lang_forespoergsel", message)
        header = request.headers.get("Authorization", "")
        token = None
        if header:
            token = _token(header)
            if token is None:
                # Guesses count against the address's quota, so nobody tries tokens faster than the limit.
                limited = _rate_limited(request, None)
                if limited is not None:
                    return limited
                return _refused(header)
        request.api_token = token  # type: ignore[attr-defined]
        limited = _rate_limited(request, token)
        if limited is not None:
            return limited
        if request.method not in ("GET", "HEAD"):
            response = _json_errors(self.get_response(request), str(request.method))
            after_write()  # committed by now; this process's next answers must show it
            return response
        etag, modified = _version(request, token)
        if _not_modified(request, etag, modified):
            # The same ETag the 200 carried: gzip makes that one weak when it compresses the answer.
            shown = f"W/{etag}" if "gzip" in request.headers.get("Accept-Encoding", "") else etag
            return _with_validators(HttpResponseNotModified(), shown, modified, token)
        key = _cache_key(request, etag)
        cached = caches[settings.API_CACHE].get(key)
        if cached is not None:
            return _rebuild(cached)
        response = _json_errors(self.get_response(request))
        if response.status_code == 200:
            response = _with_validators(response, etag, modified, token)
            response = self._finish(request, response)
            _store(key, response)
        return response


# ISA-L's gzip (isal) at level 1 where Django's GZipMiddleware uses zlib at 6: a 1.960-row /data page
# (545 KB of JSON) compresses in about 0,2 ms to 13,6 KB, against 1,6 ms and 14,6 KB with zlib at level 1
# and 11 ms and 11,5 KB at level 6 (docs/decisions/0022). The output is ordinary gzip (RFC 1952).
# Otherwise as Django's: not under 200 bytes, not twice, only if shorter, Vary: Accept-Encoding, the
# ETag made weak, and a random-length file name against BREACH.
GZIP_LEVEL = 1
GZIP_MIN_BYTES = 200
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _gzip(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if len(response.content) < GZIP_MIN_BYTES or response.has_header("Content-Encoding"):
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return response
    compressed = igzip.compress(response.content, compresslevel=GZIP_LEVEL, mtime=0)
    padding = b"a" * secrets.randbelow(GZipMiddleware.max_random_bytes) + b"\x00"
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME  # the flag that says a file name follows the header
    compressed = bytes(header) + padding + compressed[10:]
    if len(compressed) >= len(response.content):
        return response
    response.content = compressed
    response.headers["Content-Length"] = str(len(compressed))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag
    response.headers["Content-Encoding"] = "gzip"
    return response


def _with_validators(
    response: HttpResponseBase, etag: str, modified: float | None, token: ApiToken | None
) -> HttpResponseBase:
    response["ETag"] = etag
    if modified:
        response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = "private, no-cache" if token else "public, no-cache"
    return response


# Answers are kept in the cache under their ETag (which names the path, the token and the data and
# content versions), so a repeated request skips the query, the serialisation and the compression; a
# load or an edit changes the ETag, and the old entries are never asked for again (docs/decisions/0013).
# Django's default cache keeps at most 300 entries per process (shared with the page cache): 1 MB each
# bounds the memory; a bigger answer (a full 5.000-row page without gzip) is computed every time.
MAX_CACHED_BYTES = 1_000_000
CACHE_SECONDS = 3600


def _cache_key(request: HttpRequest, etag: str) -> str:
    gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    return f"api-answer:{etag.strip(chr(34))}:{int(gzip)}:{request.method}"


def _store(key: str, response: HttpResponseBase) -> None:
    if response.status_code != 200 or not isinstance(response, HttpResponse) or response.streaming:
        return
    if len(response.content) > MAX_CACHED_BYTES:
        return
    headers = dict(response.items())
    caches[settings.API_CACHE].set(key, (response.content, headers), timeout=CACHE_SECONDS)


def _rebuild(cached: tuple[bytes, dict[str, str]]) -> HttpResponse:
    content, headers = cached
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


def _secret(header: str) -> str | None:
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def _token(header: str) -> ApiToken | None:
    secret = _secret(header)
    return None if secret is None else find_token(secret)


def _refused(header: str) -> HttpResponse:
    """401 for a token that is not usable; an expired one is named as such, with its date."""
    challenge = {"WWW-Authenticate": "Bearer"}
    secret = _secret(header)
    expired = expired_token(secret) if secret is not None else None
    if expired is not None and expired.expires_at is not None:
        ended = format_date(timezone.localdate(expired.expires_at))
        message = f"API-nøglen udløb {ended}. Opret en ny under Mine API-nøgler (/konto/api-noegler/)."
        return error_response(401, "udloebet_noegle", message, challenge)
    message = "API-nøglen er ukendt, tilbagekaldt eller forkert. Brug 'Authorization: Bearer lk_...'."
    return error_response(401, "ugyldig_noegle", message, challenge)


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
    counts every load into the store. On PostgreSQL each process keeps them from notifications (api.watch),
    elsewhere they are one small read, so a 304 costs no computing at all. They are left on the request,
    where /data keys its per-process look-ups on them (api.data.lookups).
    """
    versions = request_versions()
    request.api_versions = versions  # type: ignore[attr-defined]
    number, changed_at = versions.content
    count, last, loaded_at = versions.data
    parts = (number, changed_at, count, last, loaded_at, request.get_full_path(), token.pk if token else None)
    today = timezone.localdate()  # legal results depend on the day they are evaluated
    etag = '"' + hashlib.sha256(repr((*parts, today)).encode()).hexdigest()[:32] + '"'
    times = [t.timestamp() for t in (changed_at, loaded_at) if t is not None]
    return etag, max(times) if times else None


def _not_modified(request: HttpRequest, etag: str, modified: float | None) -> bool:
    match = request.headers.get("If-None-Match")
    if match is not None:
        # Weak comparison (RFC 9110 13.1.2): gzip marks the ETag of a compressed answer weak (W/"...").
        return match.strip() == "*" or etag in [m.strip().removeprefix("W/") for m in match.split(",")]
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and modified is not None and int(modified) <= since


def _json_errors(response: HttpResponseBase, request_method: str = "GET") -> HttpResponseBase:
    """Django's own 404 and ninja's 405 come as HTML or text; the API answers every error in JSON."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    if response.status_code == 404:
        return error_response(404, "ukendt_adresse", "Adressen findes ikke i API'et. Se /api/v1/openapi.json.")
    if response.status_code == 405:
        allowed = response.get("Allow", "GET")
        message = f"Metoden {request_method} er ikke tilladt her; adressen tager imod {allowed}."
        return error_response(405, "metode_ikke_tilladt", message, {"Allow": allowed})
    return error_response(response.status_code, "fejl", "Forespørgslen kunne ikke besvares.")
