"""Login through the municipality's identity provider: the claim mapping, the memberships it keeps, the
start-up checks, and the whole flow against a local fake provider (tests/accounts/fake_idp.py)."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import clear_url_caches

import lokalkompas.urls
from lokalkompas.accounts.claims import ClaimMapping, access_from_claims, parse_role_map, username_from_claims
from lokalkompas.accounts.models import Membership, OIDCGrant
from lokalkompas.accounts.oidc import LoginRefused, login_from_claims
from lokalkompas.conf import OIDC_DEFAULT_ROLES
from lokalkompas.registry import revision
from tests.accounts.fake_idp import FakeIdentityProvider
from tests.test_settings import settings_with

CLIENT_ID = "lokalkompas-test"
CLIENT_SECRET = "hemmelig-testnøgle"
BACKEND = "lokalkompas.accounts.oidc.MunicipalityOIDCBackend"

# Entra ID: app roles in the `roles` list, and one installation per municipality.
ENTRA = ClaimMapping(
    username_claim="email",
    role_claim="roles",
    roles=parse_role_map(OIDC_DEFAULT_ROLES),
    municipality_claim="",
    municipality_code="101",
)
# A Keycloak that brokers KOMBIT for several municipalities: client roles nested, the municipality in a claim.
KEYCLOAK = ClaimMapping(
    username_claim="email",
    role_claim="resource_access.lokalkompas.roles",
    roles=parse_role_map("kompas-admin=administrator,kompas-analyse=analytiker,kompas-politiker=politiker"),
    municipality_claim="kommunekode",
    municipality_code="",
)


def entra(*roles: str, email: str = "Ana@Kommune.dk") -> dict[str, object]:
    return {"sub": "u-ana", "email": email, "given_name": "Ana", "roles": list(roles)}


def keycloak(kommune: object, *roles: str) -> dict[str, object]:
    return {
        "sub": "u-bo",
        "email": "bo@kommune.dk",
        "kommunekode": kommune,
        "resource_access": {"lokalkompas": {"roles": list(roles)}, "account": {"roles": ["manage-account"]}},
    }


# --- the claim mapping ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "role"),
    [
        ("Kompas.Administrator", "administrator"),
        ("Kompas.Analytiker", "analytiker"),
        ("Kompas.Politiker", "politiker"),
    ],
)
def test_it_maps_each_entra_app_role_to_its_role_in_the_fixed_municipality(value, role):
    access = access_from_claims(entra(value), ENTRA)
    assert access.granted and access.role == role
    assert access.municipality is not None and access.municipality.code == "101"


def test_the_strongest_of_several_mapped_roles_wins():
    assert access_from_claims(entra("Kompas.Politiker", "Kompas.Administrator"), ENTRA).role == "administrator"
    assert access_from_claims(entra("Andet.System", "Kompas.Politiker", "Kompas.Analytiker"), ENTRA).role == (
        "analytiker"
    )


def test_a_login_with_only_unknown_roles_is_refused_naming_the_municipality():
    access = access_from_claims(entra("Kompas.Borgmester"), ENTRA)
    assert not access.granted and access.role is None
    assert access.refusal.startswith("Du har ikke en rolle i Lokalkompas for Københavns Kommune.")


def test_a_fixed_municipality_ignores_any_municipality_claim():
    access = access_from_claims({**entra("Kompas.Politiker"), "kommunekode": "751"}, ENTRA)
    assert access.municipality is not None and access.municipality.code == "101"


@pytest.mark.parametrize(("kommune", "code"), [("751", "751"), ("0751", "751"), (751, "751"), (["0101"], "101")])
def test_a_keycloak_claim_gives_the_municipality_and_a_nested_claim_the_role(kommune, code):
    access = access_from_claims(keycloak(kommune, "kompas-analyse"), KEYCLOAK)
    assert access.granted and access.role == "analytiker"
    assert access.municipality is not None and access.municipality.code == code


@pytest.mark.parametrize("kommune", [None, "999", "", ["101", "751"], True])
def test_an_unknown_missing_or_ambiguous_municipality_is_refused(kommune):
    access = access_from_claims(keycloak(kommune, "kompas-admin"), KEYCLOAK)
    assert not access.granted and access.municipality is None
    assert "oplyser ikke en kommune, som Lokalkompas kender" in access.refusal


def test_a_single_role_sent_as_a_string_counts():
    assert access_from_claims({**entra(), "roles": "Kompas.Analytiker"}, ENTRA).role == "analytiker"


def test_the_username_is_the_lower_cased_email_else_the_preferred_username():
    assert username_from_claims({"email": " Ana@Kommune.DK "}, "email") == "ana@kommune.dk"
    assert username_from_claims({"preferred_username": "ANA@kommune.onmicrosoft.com"}, "email") == (
        "ana@kommune.onmicrosoft.com"
    )
    assert username_from_claims({"upn": "X@k.dk", "email": "y@k.dk"}, "upn") == "x@k.dk"
    assert username_from_claims({"email": "a" * 151}, "email") == ""  # never cut: it could match someone else
    assert username_from_claims({"sub": "u1"}, "email") == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Kompas.Administrator", "claimværdi=rolle"),
        ("Kompas.Chef=borgmester", "'borgmester' er ikke en rolle"),
        (" , ", "ingen claimværdi=rolle"),
    ],
)
def test_a_bad_role_mapping_is_explained(text, message):
    with pytest.raises(ValueError, match=message):
        parse_role_map(text)


def test_a_claim_value_may_itself_contain_an_equals_sign():
    assert parse_role_map("https://x.dk/rolle?navn=admin=administrator") == {
        "https://x.dk/rolle?navn=admin": "administrator"
    }


# --- memberships kept from the claims ---------------------------------------------------------------------------


def roles_of(username: str) -> dict[str, tuple[str, bool]]:
    """{municipality code: (role, from the provider)} for the user."""
    return {
        m.geo_id: (m.role, OIDCGrant.objects.filter(membership=m).exists())
        for m in Membership.objects.filter(user__username=username)
    }


def test_a_first_login_creates_the_user_without_a_password_and_with_the_role(registry):
    user = login_from_claims(entra("Kompas.Analytiker"), ENTRA)
    assert user.get_username() == "ana@kommune.dk" and not user.has_usable_password()
    assert get_user_model().objects.get(username="ana@kommune.dk").first_name == "Ana"
    assert roles_of("ana@kommune.dk") == {"101": ("analytiker", True)}


def test_a_role_change_at_the_provider_updates_the_membership_on_the_next_login(registry):
    login_from_claims(entra("Kompas.Analytiker"), ENTRA)
    before = revision.current()
    login_from_claims(entra("Kompas.Analytiker"), ENTRA)
    assert revision.current() == before  # nothing changed, nothing for the page cache to forget
    login_from_claims(entra("Kompas.Politiker"), ENTRA)
    assert roles_of("ana@kommune.dk") == {"101": ("politiker", True)}
    assert revision.current()[0] == before[0] + 1


def test_a_login_without_a_mapped_role_is_refused_and_removes_the_providers_role(registry):
    login_from_claims(entra("Kompas.Administrator"), ENTRA)
    with pytest.raises(LoginRefused, match="Du har ikke en rolle i Lokalkompas for Københavns Kommune"):
        login_from_claims(entra("Kompas.Borgmester"), ENTRA)
    assert roles_of("ana@kommune.dk") == {}


def test_roles_an_operator_gave_elsewhere_stay_and_the_providers_municipality_is_taken_over(registry):
    users = get_user_model()
    bo = users.objects.create_user("bo@kommune.dk", password="Tre-lange-ord-i-rad-2026")
    Membership.objects.create(user=bo, geo_id="147", role="administrator")  # by an operator (CLI)
    Membership.objects.create(user=bo, geo_id="751", role="politiker")
    login_from_claims(keycloak("751", "kompas-analyse"), KEYCLOAK)
    assert roles_of("bo@kommune.dk") == {"147": ("administrator", False), "751": ("analytiker", True)}
    login_from_claims(keycloak("101", "kompas-politiker"), KEYCLOAK)  # moved: the old grant goes
    assert roles_of("bo@kommune.dk") == {"147": ("administrator", False), "101": ("politiker", True)}
    with pytest.raises(LoginRefused, match="oplyser ikke en kommune"):
        login_from_claims(keycloak("999", "kompas-politiker"), KEYCLOAK)
    assert roles_of("bo@kommune.dk") == {"147": ("administrator", False)}
    assert users.objects.get(username="bo@kommune.dk").has_usable_password()  # a local login still works


def test_a_refused_first_login_creates_no_user(registry):
    with pytest.raises(LoginRefused):
        login_from_claims(entra(), ENTRA)
    assert not get_user_model().objects.exists()


def test_a_login_without_a_username_is_refused(registry):
    with pytest.raises(LoginRefused, match="oplyser ikke et brugernavn"):
        login_from_claims({"sub": "u1", "roles": ["Kompas.Politiker"]}, ENTRA)


def test_an_email_the_provider_has_not_verified_is_refused(registry):
    with pytest.raises(LoginRefused, match="ikke bekræftet din e-mailadresse"):
        login_from_claims({**entra("Kompas.Politiker"), "email_verified": False}, ENTRA)
    assert login_from_claims({**entra("Kompas.Politiker"), "email_verified": True}, ENTRA).is_active


def test_a_deactivated_user_is_refused_and_keeps_their_memberships_as_they_were(registry):
    user = login_from_claims(entra("Kompas.Politiker"), ENTRA)
    user.is_active = False
    user.save()
    with pytest.raises(LoginRefused, match="deaktiveret"):
        login_from_claims(entra("Kompas.Administrator"), ENTRA)
    assert roles_of("ana@kommune.dk") == {"101": ("politiker", True)}


# --- start-up checks --------------------------------------------------------------------------------------------

COMPLETE = {
    "LOKALKOMPAS_OIDC_CLIENT_ID": CLIENT_ID,
    "LOKALKOMPAS_OIDC_CLIENT_SECRET": CLIENT_SECRET,
    "LOKALKOMPAS_OIDC_AUTHORIZATION_ENDPOINT": "https://login.example.dk/authorize",
    "LOKALKOMPAS_OIDC_TOKEN_ENDPOINT": "https://login.example.dk/token",
    "LOKALKOMPAS_OIDC_USERINFO_ENDPOINT": "https://login.example.dk/userinfo",
    "LOKALKOMPAS_OIDC_JWKS_ENDPOINT": "https://login.example.dk/jwks",
    "LOKALKOMPAS_OIDC_MUNICIPALITY": "0101",
}
SHOW = (
    "import json, lokalkompas.settings as s; print(json.dumps({'backends': s.AUTHENTICATION_BACKENDS, "
    "'enabled': s.OIDC_ENABLED, 'secret': getattr(s, 'OIDC_RP_CLIENT_SECRET', None), "
    "'token': getattr(s, 'OIDC_OP_TOKEN_ENDPOINT', None), 'algo': getattr(s, 'OIDC_RP_SIGN_ALGO', None), "
    "'scopes': getattr(s, 'OIDC_RP_SCOPES', None), 'mapping': repr(getattr(s, 'OIDC_CLAIM_MAPPING', None))}))"
)


def started(tmp_path, **env: str) -> dict[str, object]:
    result = settings_with(tmp_path, SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_client_id_there_is_no_oidc_login(tmp_path):
    found = started(tmp_path)
    assert found["enabled"] is False and BACKEND not in str(found["backends"])


def test_a_complete_configuration_adds_the_backend_after_axes(tmp_path):
    found = started(tmp_path, **COMPLETE, LOKALKOMPAS_OIDC_SCOPES="email profile")
    backends = found["backends"]
    assert isinstance(backends, list) and backends[0] == "axes.backends.AxesStandaloneBackend"
    assert backends[-1] == BACKEND and found["enabled"] is True
    assert found["token"] == "https://login.example.dk/token" and found["algo"] == "RS256"
    assert found["scopes"] == "openid email profile"  # openid added: without it there is no ID token
    assert "municipality_code='101'" in str(found["mapping"]) and "role_claim='roles'" in str(found["mapping"])


def test_the_client_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "oidc-secret"
    secret.write_text(CLIENT_SECRET + "\n", encoding="utf-8")
    env = {k: v for k, v in COMPLETE.items() if k != "LOKALKOMPAS_OIDC_CLIENT_SECRET"}
    assert started(tmp_path, **env, LOKALKOMPAS_OIDC_CLIENT_SECRET_FILE=str(secret))["secret"] == CLIENT_SECRET


@pytest.mark.parametrize(
    "missing",
    [
        "LOKALKOMPAS_OIDC_AUTHORIZATION_ENDPOINT",
        "LOKALKOMPAS_OIDC_TOKEN_ENDPOINT",
        "LOKALKOMPAS_OIDC_USERINFO_ENDPOINT",
        "LOKALKOMPAS_OIDC_JWKS_ENDPOINT",
        "LOKALKOMPAS_OIDC_CLIENT_SECRET",
    ],
)
def test_an_incomplete_configuration_stops_start_up_naming_the_variable(tmp_path, missing):
    result = settings_with(tmp_path, SHOW, **{k: v for k, v in COMPLETE.items() if k != missing})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr
    assert "login via kommunen kræver også" in result.stderr


def test_hs256_needs_no_jwks_endpoint(tmp_path):
    env = {k: v for k, v in COMPLETE.items() if k != "LOKALKOMPAS_OIDC_JWKS_ENDPOINT"}
    assert started(tmp_path, **env, LOKALKOMPAS_OIDC_SIGN_ALGO="HS256")["algo"] == "HS256"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"LOKALKOMPAS_OIDC_MUNICIPALITY": "999"}, "LOKALKOMPAS_OIDC_MUNICIPALITY='999'"),
        ({"LOKALKOMPAS_OIDC_MUNICIPALITY": ""}, "LOKALKOMPAS_OIDC_MUNICIPALITY_CLAIM"),
        ({"LOKALKOMPAS_OIDC_MUNICIPALITY_CLAIM": "kommunekode"}, "ikke begge"),
        ({"LOKALKOMPAS_OIDC_ROLES": "Kompas.Chef=borgmester"}, "LOKALKOMPAS_OIDC_ROLES"),
        ({"LOKALKOMPAS_OIDC_SIGN_ALGO": "none"}, "LOKALKOMPAS_OIDC_SIGN_ALGO='none'"),
    ],
)
def test_a_bad_mapping_or_algorithm_stops_start_up(tmp_path, env, named):
    result = settings_with(tmp_path, SHOW, **(COMPLETE | env))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr


# --- the whole flow through a local fake provider ---------------------------------------------------------------


def reload_urls() -> None:
    """lokalkompas.urls includes /oidc/ only when OIDC is on; the settings change, so read them again."""
    importlib.reload(lokalkompas.urls)
    clear_url_caches()


@pytest.fixture
def idp() -> Iterator[FakeIdentityProvider]:
    provider = FakeIdentityProvider(CLIENT_ID, CLIENT_SECRET).start()
    provider.id_token_claims = {"sub": "u-ana", "preferred_username": "ana@kommune.dk", "roles": ["Kompas.Analytiker"]}
    provider.userinfo_claims = {"email": "Ana@Kommune.dk", "given_name": "Ana"}
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def oidc_site(registry, idp, settings) -> Iterator[FakeIdentityProvider]:
    """The site as settings.py configures it for a provider at `idp` (Entra-like: fixed municipality 101)."""
    with override_settings(
        OIDC_ENABLED=True,
        AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, BACKEND],
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_OP_AUTHORIZATION_ENDPOINT=f"{idp.url}/authorize",
        OIDC_OP_TOKEN_ENDPOINT=f"{idp.url}/token",
        OIDC_OP_USER_ENDPOINT=f"{idp.url}/userinfo",
        OIDC_OP_JWKS_ENDPOINT=f"{idp.url}/jwks",
        OIDC_RP_SIGN_ALGO="RS256",
        OIDC_RP_SCOPES="openid email profile",
        OIDC_CLAIM_MAPPING=ENTRA,
    ):
        reload_urls()
        yield idp
    reload_urls()


def log_in(client: Client, idp: FakeIdentityProvider, next_url: str = "") -> tuple[str, object]:
    """Click the button, sign in at the provider, come back: (where the callback sends the browser, response)."""
    start = client.get("/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    callback = idp.sign_in(start["Location"])
    response = client.get(callback)
    assert response.status_code == 302
    return response["Location"], response


def login_page_text(client: Client) -> str:
    return client.get("/log-ind/").content.decode()


def test_a_user_logs_in_through_the_identity_provider_and_gets_the_role(oidc_site):
    idp = oidc_site
    client = Client()
    start = client.get("/oidc/authenticate/?next=/maal/")
    assert start.status_code == 302 and start["Location"].startswith(f"{idp.url}/authorize?")
    params = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    assert params["client_id"] == CLIENT_ID and params["redirect_uri"] == "http://testserver/oidc/callback/"
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32 and params["code_challenge_method"] == "S256"

    callback = idp.sign_in(start["Location"])
    assert parse_qs(urlsplit(callback).query)["state"] == [params["state"]]
    done = client.get(callback)
    assert done.status_code == 302 and done["Location"] == "/maal/"
    assert idp.seen == ["GET /authorize", "POST /token", "GET /jwks", "GET /userinfo"]

    assert "Logget ind som Ana" in login_page_text(client)
    assert roles_of("ana@kommune.dk") == {"101": ("analytiker", True)}
    assert "Skift adgangskode" not in login_page_text(client)  # there is no password to change


def test_a_user_without_a_role_is_sent_to_the_login_page_with_the_reason_in_danish(oidc_site):
    oidc_site.id_token_claims["roles"] = ["Kompas.Borgmester"]
    client = Client()
    location, _ = log_in(client, oidc_site)
    assert location == "/log-ind/"
    page = login_page_text(client)
    assert "Du har ikke en rolle i Lokalkompas for Københavns Kommune." in page
    assert "Logget ind som" not in page and not get_user_model().objects.exists()


def test_refused_logins_at_the_provider_never_lock_anyone_out(oidc_site):
    oidc_site.id_token_claims["roles"] = []
    client = Client()
    for _ in range(6):  # axes locks after five failed password logins from one address
        assert log_in(client, oidc_site)[0] == "/log-ind/"
    oidc_site.id_token_claims["roles"] = ["Kompas.Politiker"]
    assert log_in(client, oidc_site)[0] == "/"
    assert roles_of("ana@kommune.dk") == {"101": ("politiker", True)}


def test_a_reused_callback_link_ends_on_the_login_page_not_an_error_page(oidc_site):
    client = Client()
    start = client.get("/oidc/authenticate/")
    callback = oidc_site.sign_in(start["Location"])
    assert client.get(callback)["Location"] == "/"
    again = client.get(callback)  # the state was used up: the library calls this suspicious
    assert again.status_code == 302 and again["Location"] == "/log-ind/"
    assert "Du blev ikke logget ind med kommunens login" in login_page_text(client)


def test_an_id_token_for_another_client_is_refused(oidc_site):
    oidc_site.audience = "another-client"
    client = Client()
    assert log_in(client, oidc_site)[0] == "/log-ind/"
    assert "Du blev ikke logget ind med kommunens login" in login_page_text(client)
    assert not get_user_model().objects.exists()


def test_userinfo_about_another_subject_is_refused(oidc_site):
    oidc_site.userinfo_claims["sub"] = "u-somebody-else"
    client = Client()
    assert log_in(client, oidc_site)[0] == "/log-ind/"
    assert not get_user_model().objects.exists()


def test_a_provider_that_stops_answering_gets_a_danish_message(oidc_site):
    client = Client()
    start = client.get("/oidc/authenticate/")
    callback = oidc_site.sign_in(start["Location"])
    oidc_site.stop()  # the token request now finds nobody listening
    assert client.get(callback)["Location"] == "/log-ind/"
    assert "Kommunens login svarer ikke lige nu" in login_page_text(client)


def test_the_login_page_shows_the_municipality_login_only_when_configured(registry):
    client = Client()
    assert "Log ind med kommunens login" not in login_page_text(client)
    assert client.get("/oidc/authenticate/").status_code == 404


def test_the_configured_login_page_links_the_municipality_login_keeping_next(oidc_site):
    page = Client().get("/log-ind/?next=/maal/").content.decode()
    assert 'href="/oidc/authenticate/?next=/maal/">Log ind med kommunens login</a>' in page
