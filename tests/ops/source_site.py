"""A throw-away Lokalkompas on its own SQLite, filled with one of every kind a backup carries.

Run in a subprocess by tests/ops/test_backup.py (`python -m tests.ops.source_site OUT`, with its own
LOKALKOMPAS_DATA_DIR and no DATABASE_URL): it migrates, fills the site through the same functions the
web pages and commands use, then writes the rendered pages (`pages.json`) and the rows (`rows.json`) to OUT.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

PAGES_AS = {  # user name → pages rendered for that user (filled in once the ids are known)
    "ana@aarhus.dk": ["/maal/{goal}/", "/maal/{goal}/historik/", "/maal/", "/data/", "/data/udgave/{vintage}/"],
    "ada@aarhus.dk": ["/brugere/", "/beslutninger/", "/oplaeg/", "/oplaeg/{brief}/"],
}
PASSWORD = "Lang-nok-kode-2026"
TODAY = dt.date(2026, 11, 27)


def _site() -> dict[str, int]:
    from lokalkompas.accounts.models import Membership
    from lokalkompas.accounts.service import add_user
    from lokalkompas.api.tokens import create_token
    from lokalkompas.briefs.service import issue
    from lokalkompas.catalog.files import load_files
    from lokalkompas.catalog.loader import sync_catalog
    from lokalkompas.front.views.briefs import stored_file
    from lokalkompas.goals.models import Action, Comment, Goal
    from lokalkompas.goals.service import record_statuses
    from lokalkompas.indicators.models import Vintage
    from lokalkompas.legal.models import Decision
    from lokalkompas.registry.loader import load_registry
    from lokalkompas.sources.uploads.service import check_file, import_checked, receive

    load_registry()
    outcome = load_files()
    assert outcome.catalog is not None, outcome.errors
    sync_catalog(outcome.catalog)

    ana = add_user("ana@aarhus.dk", "Ana Lytiker", "751", "analytiker", PASSWORD).user
    add_user("ada@aarhus.dk", "Ada Ministrator", "751", "administrator", PASSWORD)
    pia = add_user("pia@aarhus.dk", "Pia Litiker", "751", "politiker", PASSWORD).user
    moved = Membership.objects.get(user=pia)
    moved.role = "analytiker"
    moved.save()  # a second history row for the membership
    add_user("pia@aarhus.dk", "Pia Litiker", "101", "politiker", PASSWORD)
    create_token("ana@aarhus.dk", "751", "analytiker", "Regneark")

    def upload(name: str, text: str, confirm: bool = True) -> None:
        data = text.encode("utf-8")
        checked = check_file(name, data, allowed={"751"})
        kept = receive(name, data, ana, checked)
        if confirm:
            import_checked(checked, kept)

    upload("tilfredshed-2025.csv", "kommune;periode;andel-tilfredse\n751;2024;88,5\n751;2025;90,1\n")
    upload("tilfredshed-rettet.csv", "kommune;periode;andel-tilfredse\n751;2025;91,3\n")
    upload("tilfredshed-2026.csv", "kommune;periode;andel-tilfredse\n751;2026;92,0\n", confirm=False)

    goal = Goal(
        geo_id="751",
        area_id="dagtilbud",
        text="Flere forældre er tilfredse med dagtilbuddet",
        indicator="foraeldretilfredshed",
        baseline_value=88.5,
        baseline_period="2024",
        target_value=95.0,
        target_period="2028",
        owner="Børn og Unge-udvalget",
        published=True,
        created_by=ana,
    )
    goal._history_user = ana  # type: ignore[attr-defined]  # django-simple-history's way to name the author
    goal.save()
    goal.text = "Flere forældre er tilfredse med deres barns dagtilbud"
    goal.save()
    action = Action.objects.create(goal=goal, title="Tilfredshedsmåling i alle institutioner", deadline=TODAY)
    action.status = Action.Status.IN_PROGRESS
    action.save()
    Decision.objects.create(
        geo_id="751", date=TODAY - dt.timedelta(days=30), body="Børn og Unge-udvalget", text="Målet vedtaget", goal=goal
    )
    Comment.objects.create(goal=goal, author=pia, author_name="Pia Litiker", text="Hvornår kommer 2026-tallet?\nTak.")
    record_statuses()

    brief = issue("751", ["dagtilbud"], TODAY, ana)
    stored_file(brief, "pdf")
    first = Vintage.objects.filter(source="upload").order_by("pk").first()
    assert first is not None
    return {"goal": goal.pk, "vintage": first.pk, "brief": brief.pk}


def render_pages(ids: dict[str, int]) -> dict[str, str]:
    """Every page the round trip compares, as each user sees it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    pages = {}
    for username, urls in PAGES_AS.items():
        client = Client()
        client.cookies["kommune"] = "751"
        client.force_login(get_user_model().objects.get(username=username))
        for url in urls:
            path = url.format(**ids)
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            pages[f"{username} {url}"] = response.content.decode()
    return pages


def main(out: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalkompas.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from tests.ops.rows import dump

    setup_test_environment()  # lets the test client's host name ("testserver") through ALLOWED_HOSTS
    call_command("migrate", verbosity=0)
    ids = _site()
    (out / "ids.json").write_text(json.dumps(ids))
    (out / "pages.json").write_text(json.dumps(render_pages(ids), ensure_ascii=False))
    (out / "rows.json").write_text(json.dumps(dump(), ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
