"""Whole-page cache for the data pages: the same page for the same content is rendered once.

A page depends on the request (path and query), the chosen municipality (a cookie), the day (deadlines
are counted from today) and the content of the database. Every writer bumps `registry.revision`, so
the key below changes with the content, also when a CLI command in another process loaded the data.
Pages for signed-in users are never cached (the users issue will show them drafts). Entries expire
after CACHE_SECONDS all the same, as a safety net.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from lokalkompas.front.context import COOKIE
from lokalkompas.registry import revision

CACHE_SECONDS = 600
View = Callable[..., HttpResponse]


def page_key(request: HttpRequest, view: str) -> str:
    number, changed_at = revision.current()
    parts = [
        view,
        request.get_full_path(),
        request.COOKIES.get(COOKIE, ""),
        timezone.localdate().isoformat(),
        str(number),
        changed_at.isoformat() if changed_at else "",
        settings.ACCESSIBILITY_URL,
    ]
    return "page:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def cached_page(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = getattr(request, "user", None)
        if request.method != "GET" or (user is not None and user.is_authenticated):
            return view(request, *args, **kwargs)
        key = page_key(request, f"{view.__module__}.{view.__name__}")
        stored = cache.get(key)
        if stored is not None:
            status, content_type, body, *rest = stored  # entries from before `disposition` have three parts
            response = HttpResponse(body, status=status, content_type=content_type)
            if rest and rest[0]:
                response["Content-Disposition"] = rest[0]
            return response
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 400) and not response.streaming:
            # A download (a brief's PDF) keeps its file name.
            disposition = response.get("Content-Disposition", "")
            cache.set(
                key, (response.status_code, response["Content-Type"], response.content, disposition), CACHE_SECONDS
            )
        return response

    return wrapper
