"""Login through the municipality's identity provider (OpenID Connect), on top of mozilla-django-oidc.

The library does the protocol (state, nonce, PKCE, the code exchange, the ID token's signature). This
module decides who the user is and what they may do: the provider's claims give the username, the
municipality and the role (lokalkompas.accounts.claims), and every login makes the user's memberships
from the provider exactly what those claims say. A refusal ends on the login page with a Danish reason.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from lokalkompas.accounts.claims import Access, ClaimMapping, access_from_claims, username_from_claims
from lokalkompas.accounts.models import Membership, OIDCGrant
from lokalkompas.registry import revision

log = logging.getLogger(__name__)

CALLBACK_URL_NAME = "oidc_authentication_callback"
REFUSAL_ATTRIBUTE = "lokalkompas_oidc_refusal"  # on the request: the backend's reason, for the callback view
FAILED = "Du blev ikke logget ind med kommunens login. Prøv igen, eller kontakt kommunens it-afdeling."
UNREACHABLE = "Kommunens login svarer ikke lige nu. Prøv igen om lidt."
NO_USERNAME = "Dit login fra kommunen oplyser ikke et brugernavn (e-mailadresse), som Lokalkompas kan bruge."
INACTIVE = "Din bruger i Lokalkompas er deaktiveret. Kontakt kommunens administrator af Lokalkompas."
UNVERIFIED_EMAIL = "Kommunens login har ikke bekræftet din e-mailadresse, så Lokalkompas kan ikke bruge den."


class LoginRefused(Exception):
    """The provider vouched for the user, but its claims give no access; the message is for the user."""


def is_identity_provider_login(request: HttpRequest, credentials: Mapping[str, object] | None = None) -> bool:
    """For django-axes (AXES_WHITELIST_CALLABLE): attempts at the OIDC callback never count as failures."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == CALLBACK_URL_NAME


@transaction.atomic
def apply_access(user: User, access: Access) -> None:
    """Make the user's memberships from the provider what this login's claims give: one, or none.

    Memberships an operator gave in other municipalities stay; one in the granted municipality is taken
    over (the provider is the source of truth for it). Single-object saves and deletes, so the history
    of memberships records each change."""
    changed = False
    code = access.municipality.code if access.municipality and access.role and access.granted else None
    stale = Membership.objects.filter(user=user, oidc_grant__isnull=False)
    for membership in stale.exclude(geo_id=code) if code else stale:
        membership.delete()
        changed = True
    if code is not None and access.role is not None:
        membership, created = Membership.objects.get_or_create(user=user, geo_id=code, defaults={"role": access.role})
        if membership.role != access.role:
            membership.role = access.role
            membership.save()
            changed = True
        changed = changed or created
        grant, _ = OIDCGrant.objects.get_or_create(membership=membership)
        grant.save()  # confirmed_at: when the provider last vouched for this role
    if changed:
        revision.bump()


def _update_user(user: User, claims: Mapping[str, object]) -> None:
    """Name and e-mail from the provider, so the header greets the user by name."""
    email = claims.get("email")
    user.email = email.strip().lower()[:254] if isinstance(email, str) and "@" in email else user.email
    given = claims.get("given_name") or claims.get("name")
    family = claims.get("family_name")
    user.first_name = given.strip()[:150] if isinstance(given, str) else user.first_name
    user.last_name = family.strip()[:150] if isinstance(family, str) else user.last_name
    user.save()


def login_from_claims(claims: Mapping[str, object], mapping: ClaimMapping) -> User:
    """The user these claims describe, with their membership brought up to date; LoginRefused if none."""
    username = username_from_claims(claims, mapping.username_claim)
    if not username:
        raise LoginRefused(NO_USERNAME)
    # Keycloak says whether it checked the address; an unchecked one could name somebody else's account.
    if mapping.username_claim == "email" and claims.get("email") and claims.get("email_verified") is False:
        raise LoginRefused(UNVERIFIED_EMAIL)
    access = access_from_claims(claims, mapping)
    users = get_user_model()
    with transaction.atomic():
        user = users.objects.filter(username=username).first()
        if user is not None and not user.is_active:
            raise LoginRefused(INACTIVE)
        if user is None and not access.granted:
            raise LoginRefused(access.refusal)
        if user is None:
            user = users(username=username)
            user.set_unusable_password()  # the provider checks who they are; there is no password here
        _update_user(user, claims)
        apply_access(user, access)
    if not access.granted:
        raise LoginRefused(access.refusal)  # after the transaction: the removed membership stays removed
    return user


class MunicipalityOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, with users and memberships from the claims (see the module docstring)."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> AbstractBaseUser | None:
        try:
            user: AbstractBaseUser | None = super().authenticate(request, **kwargs)
            return user
        except LoginRefused as refused:
            self._refuse(request, str(refused))
        except requests.RequestException as exc:
            log.warning("OIDC: the identity provider did not answer as expected: %s", exc)
            self._refuse(request, UNREACHABLE)
        except jwt.InvalidTokenError as exc:  # e.g. expired; the library only turns DecodeError into an error
            log.warning("OIDC: rejected ID token: %s", exc)
            self._refuse(request, FAILED)
        return None

    @staticmethod
    def _refuse(request: HttpRequest | None, message: str) -> None:
        if request is not None:
            setattr(request, REFUSAL_ATTRIBUTE, message)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library leaves the audience unchecked; a token must be meant for this installation."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("OIDC: the ID token is meant for another client (aud).")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: Mapping[str, Any]) -> User:
        userinfo: dict[str, Any] = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the userinfo answer must be about the ID token's subject.
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("OIDC: userinfo is about another subject than the ID token.")
        # Entra ID puts app roles only in the ID token, Keycloak often only in userinfo: use both,
        # and the signed ID token wins where they differ.
        return login_from_claims({**userinfo, **payload}, settings.OIDC_CLAIM_MAPPING)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back: a failed login ends on the login page with the reason, not an error page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            response: HttpResponse = super().get(request)
            return response
        except SuspiciousOperation as exc:  # unknown state (an old or reused link), bad nonce or signature
            log.warning("OIDC: login refused: %s", exc)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, getattr(self.request, REFUSAL_ATTRIBUTE, FAILED))
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
