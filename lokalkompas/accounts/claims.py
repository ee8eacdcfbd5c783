"""What a login through the municipality's identity provider (OpenID Connect) grants, read from its claims.

Framework-free, so the settings can parse the mapping at start-up and tests can check it without a server.
Entra ID sends app roles as a list claim `roles`; Keycloak sends whatever its mappers put in the token,
also nested (`resource_access.lokalkompas.roles`). Both come down to: one claim holds role values, and
either a claim or the installation itself names the municipality.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lokalkompas.registry.data import Municipality, municipality_by_code, municipality_from_input

# Strongest first: a user with several mapped roles gets the first one found here.
ROLES = ("administrator", "analytiker", "politiker")
MAX_USERNAME_LENGTH = 150  # Django's User.username


@dataclass(frozen=True)
class ClaimMapping:
    username_claim: str
    role_claim: str
    roles: Mapping[str, str]  # claim value -> Lokalkompas role
    municipality_claim: str  # "" when the installation serves one fixed municipality
    municipality_code: str  # that fixed municipality's code, else ""


@dataclass(frozen=True)
class Access:
    """The outcome for one login: a municipality and a role, or a refusal in Danish for the login page."""

    municipality: Municipality | None
    role: str | None
    refusal: str = ""

    @property
    def granted(self) -> bool:
        return not self.refusal


def parse_role_map(text: str) -> dict[str, str]:
    """`Kompas.Administrator=administrator,Kompas.Politiker=politiker` -> {claim value: role}.

    The last `=` splits, so a claim value may itself contain one (some brokers send URIs)."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        value, sep, role = part.rpartition("=")
        value, role = value.strip(), role.strip()
        if not sep or not value:
            raise ValueError(f"{part.strip()!r} mangler formen claimværdi=rolle")
        if role not in ROLES:
            raise ValueError(f"{role!r} er ikke en rolle; brug {', '.join(ROLES)}")
        mapping[value] = role
    if not mapping:
        raise ValueError("der er ingen claimværdi=rolle")
    return mapping


def claim(claims: Mapping[str, object], name: str) -> object:
    """A claim by name; a dotted name that is not itself a claim walks nested objects, as Keycloak nests them."""
    if name in claims:
        return claims[name]
    value: object = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _strings(value: object) -> list[str]:
    """A claim as a list of strings: providers send one value as a string and several as a list."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list | tuple):
        return [str(v) for v in value if isinstance(v, str | int) and not isinstance(v, bool)]
    return []


def username_from_claims(claims: Mapping[str, object], username_claim: str) -> str:
    """The configured claim, else `preferred_username` (Entra's UPN, Keycloak's user name); lower-cased.

    Empty when there is none, or when it is too long to be a username: cutting it could match someone else."""
    for name in (username_claim, "preferred_username"):
        values = _strings(claim(claims, name))
        if values and values[0].strip():
            username = values[0].strip().lower()
            return username if len(username) <= MAX_USERNAME_LENGTH else ""
    return ""


def strongest_role(values: list[str], roles: Mapping[str, str]) -> str | None:
    mapped = {roles[v] for v in values if v in roles}
    return next((role for role in ROLES if role in mapped), None)


def municipality_from_claims(claims: Mapping[str, object], mapping: ClaimMapping) -> Municipality | None:
    if mapping.municipality_code:
        return municipality_by_code(mapping.municipality_code)
    values = _strings(claim(claims, mapping.municipality_claim))
    if len(values) != 1:  # none, or several: a login is for one municipality
        return None
    return municipality_from_input(values[0])


def access_from_claims(claims: Mapping[str, object], mapping: ClaimMapping) -> Access:
    municipality = municipality_from_claims(claims, mapping)
    if municipality is None:
        return Access(
            None,
            None,
            "Dit login fra kommunen oplyser ikke en kommune, som Lokalkompas kender. Kontakt kommunens it-afdeling.",
        )
    role = strongest_role(_strings(claim(claims, mapping.role_claim)), mapping.roles)
    if role is None:
        return Access(
            municipality,
            None,
            f"Du har ikke en rolle i Lokalkompas for {municipality.official_name}. "
            "Kontakt kommunens it-afdeling, hvis du skal have adgang.",
        )
    return Access(municipality, role)
