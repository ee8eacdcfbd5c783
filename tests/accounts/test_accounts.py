"""Accounts: the users command, login and logout, password change, lock-out, and no cached pages for users."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from lokalkompas.accounts.models import Membership

PASSWORD = "Tre-lange-ord-i-rad-2026"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "kode.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return str(path)


def add(password_file, user="ana@aarhus.dk", kommune="751", rolle="analytiker"):
    return run(
        "users",
        "add",
        "--brugernavn",
        user,
        "--kommune",
        kommune,
        "--rolle",
        rolle,
        "--navn",
        "Ana",
        "--adgangskode-fil",
        password_file,
    )


def test_an_operator_adds_lists_and_removes_users(registry, password_file):
    assert add(password_file) == "ana@aarhus.dk er nu analytiker i Aarhus.\n"
    add(password_file, kommune="0101", rolle="politiker")  # a second role, same user
    listed = run("users", "list")
    assert "ana@aarhus.dk\tAna\tAarhus\tAnalytiker" in listed and "København\tPolitiker" in listed
    assert "København" not in run("users", "list", "--kommune", "751")
    run("users", "remove", "--brugernavn", "ana@aarhus.dk", "--kommune", "101")
    assert Membership.objects.count() == 1
    run("users", "remove", "--brugernavn", "ana@aarhus.dk")
    assert not get_user_model().objects.exists() and "Der er ingen brugere." in run("users", "list")


@pytest.mark.parametrize(
    ("kommune", "rolle", "message"),
    [("999", "analytiker", "Ukendt kommunekode"), ("751", "borgmester", "Ukendt rolle")],
)
def test_bad_users_are_refused_in_danish(registry, password_file, kommune, rolle, message):
    with pytest.raises(CommandError, match=message):
        add(password_file, kommune=kommune, rolle=rolle)


def test_a_weak_password_is_refused(registry, tmp_path):
    weak = tmp_path / "svag.txt"
    weak.write_text("1234", encoding="utf-8")
    with pytest.raises(CommandError, match="Adgangskoden er for svag"):
        run(
            "users",
            "add",
            "--brugernavn",
            "b",
            "--kommune",
            "751",
            "--rolle",
            "politiker",
            "--adgangskode-fil",
            str(weak),
        )


def test_the_same_role_twice_is_refused(registry, password_file):
    add(password_file)
    with pytest.raises(CommandError, match="har allerede en rolle i Aarhus"):
        add(password_file)


def test_a_user_logs_in_changes_password_and_logs_out(loaded, password_file):
    add(password_file)
    client = Client()
    response = client.post("/log-ind/", {"username": "ana@aarhus.dk", "password": PASSWORD}, follow=True)
    assert "Logget ind som Ana" in response.content.decode()
    changed = client.post(
        "/adgangskode/",
        {
            "old_password": PASSWORD,
            "new_password1": "Fire-nye-lange-ord-2027",
            "new_password2": "Fire-nye-lange-ord-2027",
        },
        follow=True,
    )
    assert "Adgangskoden er skiftet" in changed.content.decode()
    assert client.get("/log-ud/").status_code == 405  # logging out takes a POST (CSRF-protected)
    assert "Log ind" in client.post("/log-ud/", follow=True).content.decode()


def test_a_wrong_password_gets_a_danish_message_and_five_lock_the_user_out(loaded, password_file):
    add(password_file)
    client = Client()
    first = client.post("/log-ind/", {"username": "ana@aarhus.dk", "password": "forkert"})
    assert "korrekt brugernavn og adgangskode" in first.content.decode()
    for _ in range(4):
        client.post("/log-ind/", {"username": "ana@aarhus.dk", "password": "forkert"})
    locked = client.post("/log-ind/", {"username": "ana@aarhus.dk", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Login er midlertidigt spærret" in locked.content.decode()


def test_pages_are_not_served_from_the_anonymous_cache_to_a_signed_in_user(loaded, password_file):
    add(password_file)
    assert "Log ind" in Client().get("/").content.decode()  # now cached for anonymous visitors
    client = Client()
    client.force_login(get_user_model().objects.get(username="ana@aarhus.dk"))
    assert "Logget ind som Ana" in client.get("/").content.decode()
