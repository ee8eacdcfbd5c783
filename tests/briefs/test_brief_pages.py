"""Briefs in the browser and on the command line: draft, downloads, issuing by role, the issued list."""

import importlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from lokalkompas.accounts.models import Membership
from lokalkompas.briefs.models import IssuedBrief
from lokalkompas.jobs.models import Job


def member(role: str, geo: str = "751", chosen: str = "751") -> Client:
    user = get_user_model().objects.create_user(f"{role}-{geo}@test.invalid", password="x" * 12)
    Membership.objects.create(user=user, geo_id=geo, role=role)
    client = Client()
    client.force_login(user)
    client.cookies["kommune"] = chosen
    return client


def test_the_draft_page_shows_the_brief_with_its_downloads(demo_db, db):
    client = Client()
    client.cookies["kommune"] = "751"
    page = client.get("/oplaeg/vis/", {"omraade": "dagtilbud"}).content.decode()
    assert "Drøftelsesoplæg: Dagtilbud" in page and "DEMO" in page
    assert "Hent som PDF" in page and "Udsted oplægget" not in page  # the public cannot issue
    pdf = client.get("/oplaeg/vis.pdf", {"omraade": "dagtilbud"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get("/oplaeg/vis.docx", {"omraade": "dagtilbud"})
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert client.get("/oplaeg/vis/", {"omraade": "findes-ikke"}).status_code == 404
    assert client.get("/oplaeg/vis.txt", {"omraade": "dagtilbud"}).status_code == 404


def test_a_visitors_draft_pdf_is_rendered_once_per_data_revision_and_keeps_its_file_name(
    demo_db, db, monkeypatch: pytest.MonkeyPatch
):
    from lokalkompas.registry import revision

    views = importlib.import_module("lokalkompas.front.views.briefs")  # the package exports a view named briefs

    rendered: list[str] = []
    real = views.render_file

    def counting(brief, extension):
        rendered.append(extension)
        return real(brief, extension)

    monkeypatch.setattr(views, "render_file", counting)
    client = Client()
    client.cookies["kommune"] = "751"
    first = client.get("/oplaeg/vis.docx", {"omraade": "dagtilbud"})
    again = client.get("/oplaeg/vis.docx", {"omraade": "dagtilbud"})
    assert again.content == first.content and rendered == ["docx"]
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert "droeftelsesoplaeg-751-dagtilbud-udkast.docx" in again["Content-Disposition"]
    revision.bump()  # new data: a new draft
    client.get("/oplaeg/vis.docx", {"omraade": "dagtilbud"})
    assert rendered == ["docx", "docx"]


def test_only_analysts_of_the_municipality_can_issue_and_everyone_sees_the_issued_list(demo_db, db):
    assert Client().post("/oplaeg/udsted/", {"omraade": "dagtilbud"}).status_code == 302  # to the login page
    assert member(Membership.Role.POLITIKER).post("/oplaeg/udsted/", {"omraade": "dagtilbud"}).status_code == 403
    assert (
        member(Membership.Role.ANALYTIKER, "101", chosen="751")
        .post("/oplaeg/udsted/", {"omraade": "dagtilbud"})
        .status_code
        == 403
    )
    analyst = member(Membership.Role.ANALYTIKER)
    response = analyst.post("/oplaeg/udsted/", {"omraade": "dagtilbud"})
    issued = IssuedBrief.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/oplaeg/{issued.pk}/"
    assert issued.issued_by_name == "analytiker-751@test.invalid"
    queued = Job.objects.get(brief=issued)  # its PDF and Word file are written by the worker straight away
    assert queued.kind == Job.Kind.BRIEF_FILES and queued.state == Job.State.QUEUED
    public = Client()
    public.cookies["kommune"] = "751"
    listing = public.get("/oplaeg/").content.decode()
    assert "Drøftelsesoplæg: Dagtilbud" in listing and "analytiker-751@test.invalid" not in listing
    assert "analytiker-751@test.invalid" in analyst.get("/oplaeg/").content.decode()
    shown = public.get(f"/oplaeg/{issued.pk}/").content.decode()
    assert "Oplægget vises, som det var, da det blev udstedt" in shown
    first = public.get(f"/oplaeg/{issued.pk}.pdf").content
    assert first.startswith(b"%PDF")
    issued.refresh_from_db()
    assert bytes(issued.pdf) == first and issued.docx is None  # rendered once, kept with the brief
    assert public.get(f"/oplaeg/{issued.pk}.pdf").content == first


def test_the_command_writes_each_format_and_refuses_bad_input_in_danish(demo_db, db, tmp_path):
    out = io.StringIO()
    target = tmp_path / "oplaeg.html"
    call_command(
        "brief", "--kommune", "751", "--omraade", "dagtilbud", "--format", "html", "--out", str(target), stdout=out
    )
    assert "Drøftelsesoplæg: Dagtilbud for Aarhus skrevet til" in out.getvalue() and "DEMO" in out.getvalue()
    assert "<html" in target.read_text(encoding="utf-8")
    call_command(
        "brief",
        "--kommune",
        "751",
        "--omraade",
        "dagtilbud",
        "--format",
        "docx",
        "--out",
        str(tmp_path / "o.docx"),
        "--udsted",
        stdout=out,
    )
    assert IssuedBrief.objects.filter(geo_id="751", areas="dagtilbud").count() == 1
    for args, message in (
        (["--kommune", "999"], "Ukendt kommunekode"),
        (["--kommune", "751", "--omraade", "findes-ikke"], "Ukendt område"),
        (["--kommune", "751", "--format", "odt"], "Ukendt format"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("brief", *args, "--out", str(tmp_path / "x"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("brief", "--kommune", "751", "--out", str(tmp_path / "mangler" / "x.pdf"), stdout=io.StringIO())
