"""`/eksport/tabeller.xlsx?side=/oekonomi/`: the tables of any page of the app as an XLSX workbook.

The page is rendered for the same visitor (cookies, login, role) exactly as it would be shown, so the
export holds what that visitor may see and nothing more; only the site's own pages can be named.
"""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.views.decorators.http import require_GET

from lokalkompas.front.table_export import read_tables, workbook
from lokalkompas.lib.formatting import format_date

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_PAGE = 2000  # characters of the `side` parameter


@require_GET
def tables_xlsx(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("side", "")
    target = urlsplit(wanted)
    if not wanted or len(wanted) > MAX_PAGE or target.scheme or target.netloc or not target.path.startswith("/"):
        return _error(request, "Ugyldig side", "Angiv en side i Lokalkompas, fx side=/oekonomi/.", 400)
    try:
        match = resolve(target.path)
    except Resolver404:
        return _error(request, "Siden findes ikke", f"Lokalkompas har ingen side {target.path}.", 404)
    if match.app_name != "front" or match.url_name in ("tables_xlsx", "logout"):
        return _error(request, "Ingen tabeller", "Den side kan ikke hentes som Excel.", 400)
    try:
        page = _render(request, target.path, target.query, match)
    except (Http404, PermissionDenied):
        page = HttpResponse(status=403)
    if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
        return _error(request, "Siden kan ikke vises", "Du har ikke adgang til siden, eller den findes ikke.", 403)
    tables, demo = read_tables(page.content.decode("utf-8"))
    if not tables:
        return _error(request, "Ingen tabeller", "Siden har ingen tabeller at hente.", 404)
    source = f"Kilde: Lokalkompas, {request.build_absolute_uri(wanted)}, hentet {format_date(timezone.localdate())}."
    response = HttpResponse(workbook(tables, source=source, demo=demo), content_type=XLSX)
    name = "-".join(p for p in target.path.split("/") if p) or "forside"
    response["Content-Disposition"] = f'attachment; filename="lokalkompas-{name}.xlsx"'
    return response


def _error(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return render(request, "front/error.html", {"title": title, "message": message}, status=status)


def _render(request: HttpRequest, path: str, query: str, match: object) -> HttpResponse:
    """The named page as this visitor would get it (a GET with the page's own query string)."""
    inner = copy.copy(request)
    inner.path = inner.path_info = path
    inner.GET = QueryDict(query)
    inner.META = {**request.META, "PATH_INFO": path, "QUERY_STRING": query}
    func, args, kwargs = match.func, match.args, match.kwargs  # type: ignore[attr-defined]
    response = func(inner, *args, **kwargs)
    if hasattr(response, "render"):
        response.render()
    return response
