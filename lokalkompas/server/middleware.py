"""The request id on every log line, and `/health` answered before anything else looks at the request."""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

from lokalkompas.server.logs import request_id, request_path

logger = logging.getLogger(__name__)

HEALTH_PATH = "/health"
# A proxy's own request id is kept (so its log and ours can be joined) when it looks like one.
_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestContextMiddleware:
    """Gives each request an id (the proxy's `X-Request-ID`, else a new one), logs it with every line the
    request writes, and returns it in the `X-Request-ID` header (gunicorn's access log reads it there)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        id_token = request_id.set(rid)
        path_token = request_path.set(request.path)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(id_token)
            request_path.reset(path_token)
        response["X-Request-ID"] = rid
        return response


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return False


class HealthCheckMiddleware:
    """`GET /health`: 200 `{"status": "ok", ...}` when the database answers a query, else 503.

    A middleware ahead of the security middleware, not a view: load balancers and container health checks
    call it by the machine's own address over plain http, which ALLOWED_HOSTS and the https redirect would
    otherwise refuse. It reveals nothing beyond up or down.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != HEALTH_PATH or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        ok = database_answers()
        body = {"status": "ok" if ok else "error", "database": "ok" if ok else "unavailable"}
        response = HttpResponse(json.dumps(body), content_type="application/json", status=200 if ok else 503)
        response["Cache-Control"] = "no-store"
        return response
