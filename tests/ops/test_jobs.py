"""Jobs started in the browser and run by `lokalkompas worker`: an issued brief's PDF and Word file, and a
refresh from Statistics Denmark (a local fake Statbank) started by an administrator."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lokalkompas.accounts.models import Membership
from lokalkompas.briefs.models import IssuedBrief
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.jobs import service
from lokalkompas.jobs.models import Job
from tests.sources.test_statbank_refresh import DEFINITIONS

Role = Membership.Role


def member(role: str, geo: str = "751", chosen: str = "751") -> Client:
    user = get_user_model().objects.create_user(f"{role}-{geo}@test.invalid", password="x" * 12)
    Membership.objects.create(user=user, geo_id=geo, role=role)
    client = Client()
    client.force_login(user)
    client.cookies["kommune"] = chosen
    return client


def issue_sample(content: str) -> IssuedBrief:
    return IssuedBrief.objects.create(
        geo_id="751", title="Drøftelsesoplæg: Dagtilbud", issued_by_name="Analytikeren", content=content
    )


@pytest.fixture
def issued(registry: None, brief_json: str) -> IssuedBrief:
    return issue_sample(brief_json)


@pytest.fixture
def statbank(settings, fake_statbank):
    """The refresh job's client points at the local fake; the fake serves every table of the small test
    definitions (FOLK1A, BOERN8, REGK31), so a refresh can succeed completely."""
    settings.STATBANK_BASE_URL = fake_statbank.url
    settings.STATBANK_RETRIES = 1
    settings.STATBANK_TIMEOUT = 1.0
    settings.STATBANK_RATE = 1000
    return fake_statbank


@pytest.fixture
def small_definitions(monkeypatch):
    monkeypatch.setattr(service, "shipped_definitions", lambda: DEFINITIONS)


def page(client: Client, job: Job) -> str:
    response = client.get(f"/opgaver/{job.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# --- an issued brief's files --------------------------------------------------------------------------------------


def test_an_analyst_queues_the_brief_files_and_after_the_worker_the_download_is_the_stored_file(issued, run_worker):
    analyst = member(Role.ANALYTIKER)
    before = analyst.get(f"/oplaeg/{issued.pk}/").content.decode()
    assert "Skriv PDF og Word i baggrunden" in before

    response = analyst.post(f"/oplaeg/{issued.pk}/filer/")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/opgaver/{job.pk}/"
    assert (job.kind, job.state, job.brief_id, job.started_by_name) == (
        "oplaeg-filer",
        "i-koe",
        issued.pk,
        "analytiker-751@test.invalid",
    )
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    queued = page(analyst, job)
    assert "I kø" in queued and "Opdater status" in queued and "Hent som PDF" not in queued
    assert f"opgave nr. {job.pk} er i kø" in analyst.get(f"/oplaeg/{issued.pk}/").content.decode()

    out = run_worker()
    assert "1 opgaver i kø" in out
    job.refresh_from_db()
    issued.refresh_from_db()
    assert job.state == "faerdig" and job.started_at and job.finished_at and job.started_at <= job.finished_at
    assert "PDF og Word er gemt med oplægget" in job.message
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    assert bytes(issued.pdf).startswith(b"%PDF") and bytes(issued.docx).startswith(b"PK")
    done = page(analyst, job)
    assert "Færdig" in done and "Opdater status" not in done
    assert f'href="/oplaeg/{issued.pk}.pdf"' in done and f'href="/oplaeg/{issued.pk}.docx"' in done
    assert analyst.get(f"/oplaeg/{issued.pk}.pdf").content == bytes(issued.pdf)  # the stored file, not a new one
    assert analyst.get(f"/oplaeg/{issued.pk}.docx").content == bytes(issued.docx)
    assert "Skriv PDF og Word i baggrunden" not in analyst.get(f"/oplaeg/{issued.pk}/").content.decode()


def test_the_job_is_in_progress_while_it_runs(issued, run_worker, monkeypatch):
    analyst = member(Role.ANALYTIKER)
    analyst.post(f"/oplaeg/{issued.pk}/filer/")
    job = Job.objects.get()
    seen: list[str] = []
    real = service.BODIES[Job.Kind.BRIEF_FILES]

    def observed(running: Job) -> str:
        seen.append(page(analyst, running))
        return real(running)

    monkeypatch.setitem(service.BODIES, Job.Kind.BRIEF_FILES, observed)
    run_worker()
    assert "I gang" in seen[0] and "Opdater status" in seen[0]
    job.refresh_from_db()
    assert job.state == "faerdig"


def test_asking_twice_gives_the_same_queued_job_and_outsiders_can_neither_start_nor_see_it(issued):
    politician = member(Role.POLITIKER)
    first = politician.post(f"/oplaeg/{issued.pk}/filer/")
    second = politician.post(f"/oplaeg/{issued.pk}/filer/")
    job = Job.objects.get()
    assert first["Location"] == second["Location"] == f"/opgaver/{job.pk}/"
    assert Client().post(f"/oplaeg/{issued.pk}/filer/").status_code == 302  # to the login page
    other = member(Role.ADMINISTRATOR, "101", chosen="751")
    assert other.post(f"/oplaeg/{issued.pk}/filer/").status_code == 403
    assert other.get(f"/opgaver/{job.pk}/").status_code == 403
    assert Client().get(f"/opgaver/{job.pk}/").status_code == 302
    assert politician.get(f"/oplaeg/{issued.pk}/filer/").status_code == 405
    assert Job.objects.count() == 1


def test_an_unexpected_error_shows_a_danish_message_and_logs_the_traceback(issued, run_worker, monkeypatch, caplog):
    def broken(brief, extension):
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr("lokalkompas.briefs.service.render_file", broken)
    analyst = member(Role.ANALYTIKER)
    analyst.post(f"/oplaeg/{issued.pk}/filer/")
    job = Job.objects.get()
    with caplog.at_level(logging.ERROR, logger="lokalkompas.jobs"):
        run_worker()
    job.refresh_from_db()
    assert job.state == "fejlet"
    assert job.message == service.unexpected_failure(job)
    shown = page(analyst, job)
    assert "Fejlet" in shown and "uventet fejl" in shown and f"opgave nr. {job.pk}" in shown
    assert "RuntimeError" not in shown and "Traceback" not in shown and "Pango" not in shown
    logged = [r for r in caplog.records if r.name == "lokalkompas.jobs.service"]
    assert logged and logged[0].exc_info is not None and "Pango is missing" in str(logged[0].exc_info[1])
    queued = DBTaskResult.objects.get(id=job.task_id)
    assert queued.status == "FAILED" and "RuntimeError: Pango is missing" in queued.traceback  # for the operator
    issued.refresh_from_db()
    assert issued.pdf is None and issued.docx is None


# --- a refresh from Statistics Denmark ----------------------------------------------------------------------------


def test_only_an_administrator_may_start_a_refresh(loaded, statbank, small_definitions):
    for role in (Role.POLITIKER, Role.ANALYTIKER):
        client = member(role)
        assert client.post("/data/opdater/").status_code == 403
        assert "Hent nye tal" not in client.get("/data/").content.decode()
    assert member(Role.ADMINISTRATOR, "101", chosen="751").post("/data/opdater/").status_code == 403
    assert Client().post("/data/opdater/").status_code == 302  # to the login page
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()
    assert "Hent nye tal" in member(Role.ADMINISTRATOR).get("/data/").content.decode()


def test_an_administrator_refreshes_from_the_data_page_and_the_worker_loads_the_tables(
    loaded, statbank, small_definitions, run_worker
):
    admin = member(Role.ADMINISTRATOR)
    response = admin.post("/data/opdater/", {"omraade": ""})
    job = Job.objects.get()
    assert response["Location"] == f"/opgaver/{job.pk}/" and job.kind == "opdatering" and job.state == "i-koe"
    assert "I kø" in page(admin, job)
    assert f"Nr. {job.pk}" in admin.get("/data/").content.decode()

    run_worker()
    job.refresh_from_db()
    assert job.state == "faerdig", job.message
    assert "Statistikbanken: 3 tabeller tjekket, 3 indlæst, 0 uændrede" in job.message
    assert "Indikatorerne er beregnet igen" in job.message
    assert set(Vintage.objects.filter(source="statbank").values_list("label", flat=True)) == {
        "FOLK1A",
        "BOERN8",
        "REGK31",
    }
    assert Observation.objects.filter(series="normering-0-2", geo_id="751").exists()
    assert "Færdig" in page(admin, job)

    admin.post("/data/opdater/", {"omraade": "dagtilbud"})
    run_worker()
    again = Job.objects.first()
    assert again is not None and again.area == "dagtilbud" and again.state == "faerdig"
    assert "0 indlæst, 3 uændrede" in again.message
    assert "<dt>Område</dt><dd>Dagtilbud</dd>" in page(admin, again)


def test_a_refresh_against_a_failing_statbank_fails_in_danish_and_changes_nothing(
    loaded, statbank, small_definitions, run_worker
):
    statbank.fail_next(100, "500")  # every data request answers 500, after every retry
    values, vintages = Observation.objects.count(), Vintage.objects.count()
    admin = member(Role.ADMINISTRATOR)
    admin.post("/data/opdater/")
    run_worker()
    job = Job.objects.get()
    assert job.state == "fejlet"
    assert job.message.startswith("3 tabeller kunne ikke hentes; databasen er uændret for dem.")
    assert "Danmarks Statistik svarede ikke brugbart" in job.message and "serverfejl HTTP 500" in job.message
    shown = page(admin, job)
    assert "Fejlet" in shown and "Opgaven fejlede" in shown and "Traceback" not in shown
    assert (Observation.objects.count(), Vintage.objects.count()) == (values, vintages)
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"


def test_a_refresh_that_loads_some_tables_names_the_ones_that_failed(loaded, statbank, run_worker):
    admin = member(Role.ADMINISTRATOR)
    admin.post("/data/opdater/", {"omraade": "beredskab"})  # the fake lacks one of the area's tables
    run_worker()
    job = Job.objects.get()
    assert job.state == "fejlet"
    assert "1 tabeller kunne ikke hentes" in job.message and "FAM55N" in job.message
    assert "Statistikbanken: 3 tabeller tjekket, 2 indlæst" in job.message
    assert Vintage.objects.filter(source="statbank").count() == 2  # what loaded stays, each table on its own


def test_a_second_refresh_waits_for_the_first_and_unknown_areas_are_refused(loaded, statbank, small_definitions):
    admin = member(Role.ADMINISTRATOR)
    admin.post("/data/opdater/")
    first = Job.objects.get()
    response = admin.post("/data/opdater/", follow=True)
    assert f"Der er allerede en opdatering fra Danmarks Statistik i kø (opgave nr. {first.pk})" in (
        response.content.decode()
    )
    refused = admin.post("/data/opdater/", {"omraade": "findes-ikke"}, follow=True).content.decode()
    assert "&#x27;findes-ikke&#x27; har ingen serier fra Statistikbanken" in refused
    assert Job.objects.count() == 1


def test_a_refresh_whose_worker_died_long_ago_no_longer_blocks_a_new_one(loaded, statbank, small_definitions):
    admin = member(Role.ADMINISTRATOR)
    admin.post("/data/opdater/")
    lost = Job.objects.get()
    Job.objects.filter(pk=lost.pk).update(state="i-gang", started_at=timezone.now() - dt.timedelta(minutes=90))
    admin.post("/data/opdater/")
    assert Job.objects.count() == 1  # an hour and a half may still be a slow refresh
    Job.objects.filter(pk=lost.pk).update(started_at=timezone.now() - dt.timedelta(hours=3))
    admin.post("/data/opdater/")
    lost.refresh_from_db()
    assert Job.objects.count() == 2 and lost.state == "fejlet" and lost.message == service.ABANDONED


def test_a_refresh_is_refused_while_demo_data_are_loaded(loaded, statbank, small_definitions, run_worker):
    Vintage.objects.create(source=Vintage.Source.DEMO, label="demo")
    admin = member(Role.ADMINISTRATOR)
    admin.post("/data/opdater/")
    run_worker()
    job = Job.objects.get()
    assert job.state == "fejlet" and "Databasen indeholder demodata" in job.message


# --- the command --------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_a_queued_job_in_its_own_transactions(registry, brief_json):
    """Without the in-process shortcut: the loop as an operator runs it, recycling connections between tasks."""
    issued = issue_sample(brief_json)
    job = service.start_brief_files(issued, None)
    out = io.StringIO()
    call_command("worker", "--en-gang", stdout=out)
    job.refresh_from_db()
    assert job.state == "faerdig" and job.started_by_name == "kommandolinje"
    assert "Lokalkompas' baggrundsproces kører" in out.getvalue() and "SUCCESSFUL" in out.getvalue()
    assert IssuedBrief.objects.filter(pk=issued.pk, pdf__isnull=False, docx__isnull=False).exists()


def test_the_worker_refuses_bad_options_in_danish(db):
    with pytest.raises(CommandError, match="--interval skal være mellem 0 og 3600 sekunder"):
        call_command("worker", "--en-gang", "--interval", "-1")
    with pytest.raises(CommandError, match="--max-opgaver skal være mindst 1"):
        call_command("worker", "--en-gang", "--max-opgaver", "0")
