"""Environment variables that configure Lokalkompas, declared once so docs and tests can list them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from lokalkompas.accounts.claims import ClaimMapping, parse_role_map
from lokalkompas.catalog.schema import AREA_IDS
from lokalkompas.registry.data import municipality_from_input


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


OIDC_DEFAULT_ROLES = "Kompas.Administrator=administrator,Kompas.Analytiker=analytiker,Kompas.Politiker=politiker"
OIDC_SIGN_ALGOS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256")

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "LOKALKOMPAS_ENV",
        "development",
        "`development` or `production`. Production refuses insecure defaults.",
    ),
    Setting("DATABASE_URL", "(SQLite in LOKALKOMPAS_DATA_DIR)", "e.g. `postgres://user:pw@host:5432/lokalkompas`."),
    Setting("LOKALKOMPAS_DATA_DIR", "./var", "Folder for the SQLite database and other local data."),
    Setting("SECRET_KEY", "(development key)", "Django's secret key. Required in production (or SECRET_KEY_FILE)."),
    Setting("SECRET_KEY_FILE", "", "Path to a file holding the secret key; used when SECRET_KEY is unset."),
    Setting("ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names. Required in production."),
    Setting("DEBUG", "True in development, False in production", "`True` or `False`."),
    Setting("STATIC_ROOT", "./var/static", "Where `collectstatic` puts files for the web server."),
    Setting("LOKALKOMPAS_LOG_LEVEL", "INFO", "Log level for the `lokalkompas` loggers."),
    Setting(
        "LOKALKOMPAS_LOG_FORMAT",
        "json in production, text in development",
        "`json`: one JSON object per line (time, level, logger, message, request id and path); `text`: readable "
        "lines. Also the format of `lokalkompas serve`'s access log.",
    ),
    Setting("LOKALKOMPAS_STATBANK_URL", "https://api.statbank.dk", "Base address of DST's Statbank API."),
    Setting("LOKALKOMPAS_STATBANK_TIMEOUT", "30", "Seconds before a Statbank request times out."),
    Setting("LOKALKOMPAS_STATBANK_RETRIES", "4", "Attempts after a 5xx answer, a timeout or a broken connection."),
    Setting("LOKALKOMPAS_STATBANK_RATE", "4", "At most this many Statbank requests per second."),
    Setting(
        "LOKALKOMPAS_ACCESSIBILITY_URL",
        "",
        "Address of the municipality's accessibility statement (was.digst.dk); the footer links to it. "
        "Empty: Lokalkompas's own page about the product's accessibility.",
    ),
    Setting(
        "LOKALKOMPAS_PROGNOSE_METODE",
        "c",
        "Default year-end forecast method: `a` straight twelfths, `b` last year's profile, `c` average profile "
        "of up to three years. (`d` is per area, for `social` only.)",
    ),
    Setting(
        "LOKALKOMPAS_PROGNOSE_METODER",
        "",
        "Method per area, e.g. `social=d,aeldre=a`; others use the default. `d` (cases × unit price for 5.28 and "
        "5.38, template Aktivitet specialiseret) only for `social`; without this year's figures it falls back "
        "to the default.",
    ),
    Setting(
        "LOKALKOMPAS_BUDGET_ALARM_PROCENT", "1", "Early warning when the forecast overrun exceeds this % of the budget…"
    ),
    Setting(
        "LOKALKOMPAS_BUDGET_ALARM_KR", "1000000", "…and this many kroner (the larger of the two is the threshold)."
    ),
    Setting("LOKALKOMPAS_UPLOAD_MAX_MB", "20", "Largest file (in MB) an upload or `lokalkompas import` accepts."),
    Setting(
        "LOKALKOMPAS_NORMERING_LEDERVAEGT",
        "1",
        "Weight of daycare leaders in the legal minimumsnormering (bek. nr. 1809/2023); set it from the current text.",
    ),
    Setting(
        "LOKALKOMPAS_NORMERING_STUDERENDEVAEGT",
        "1",
        "Weight of trainees (pædagogstuderende, PAU-elever) in the legal minimumsnormering (bek. nr. 1809/2023).",
    ),
    # Sessions and HTTPS (docs/decisions/0008).
    Setting("LOKALKOMPAS_SESSION_HOURS", "8", "Hours a login lasts; the session cookie expires after that."),
    Setting(
        "LOKALKOMPAS_HSTS_SECONDS",
        "31536000 in production, 0 in development",
        "Strict-Transport-Security max-age: browsers then only use https for the site. 0 sends no header.",
    ),
    Setting(
        "LOKALKOMPAS_SSL_REDIRECT",
        "False",
        "`True`: Lokalkompas redirects http to https itself (leave `False` when the proxy does it).",
    ),
    Setting(
        "LOKALKOMPAS_PROXY_SSL_HEADER",
        "",
        "Behind a TLS-terminating proxy: the header it sets to `https`, e.g. `X-Forwarded-Proto`. "
        "Only if the proxy always sets it (otherwise a client could claim https).",
    ),
    Setting(
        "LOKALKOMPAS_CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins allowed to post forms, e.g. `https://kompas.kommune.dk`, when the proxy "
        "changes the host or scheme.",
    ),
    # Login through the municipality's identity provider (OpenID Connect), docs/decisions/0008.
    Setting(
        "LOKALKOMPAS_OIDC_CLIENT_ID",
        "",
        "Turns on login with the municipality's identity provider (Entra ID, Keycloak) when set; "
        "then the endpoints and the secret are required.",
    ),
    Setting("LOKALKOMPAS_OIDC_CLIENT_SECRET", "", "The client secret from the identity provider."),
    Setting(
        "LOKALKOMPAS_OIDC_CLIENT_SECRET_FILE",
        "",
        "Path to a file holding the client secret; used when LOKALKOMPAS_OIDC_CLIENT_SECRET is unset.",
    ),
    Setting("LOKALKOMPAS_OIDC_AUTHORIZATION_ENDPOINT", "", "The provider's authorization endpoint (https URL)."),
    Setting("LOKALKOMPAS_OIDC_TOKEN_ENDPOINT", "", "The provider's token endpoint."),
    Setting("LOKALKOMPAS_OIDC_USERINFO_ENDPOINT", "", "The provider's userinfo endpoint."),
    Setting("LOKALKOMPAS_OIDC_JWKS_ENDPOINT", "", "The provider's JWKS endpoint (its signing keys); not for HS256."),
    Setting(
        "LOKALKOMPAS_OIDC_SIGN_ALGO",
        "RS256",
        "Algorithm the provider signs ID tokens with: RS256, RS384, RS512, ES256, ES384, ES512 or HS256.",
    ),
    Setting("LOKALKOMPAS_OIDC_SCOPES", "openid email profile", "Space-separated scopes to ask for."),
    Setting(
        "LOKALKOMPAS_OIDC_USERNAME_CLAIM",
        "email",
        "Claim that gives the username (lower-cased); `preferred_username` when it is missing.",
    ),
    Setting(
        "LOKALKOMPAS_OIDC_ROLE_CLAIM",
        "roles",
        "Claim holding the user's roles: a list or one string. A dotted name reaches into nested claims "
        "(`resource_access.lokalkompas.roles`).",
    ),
    Setting(
        "LOKALKOMPAS_OIDC_ROLES",
        OIDC_DEFAULT_ROLES,
        "Comma-separated `claim value=role` pairs; roles are administrator, analytiker, politiker. "
        "Several mapped values: the strongest role wins.",
    ),
    Setting(
        "LOKALKOMPAS_OIDC_MUNICIPALITY",
        "",
        "The municipality code (e.g. `101`) every OIDC user belongs to. Set this or "
        "LOKALKOMPAS_OIDC_MUNICIPALITY_CLAIM.",
    ),
    Setting(
        "LOKALKOMPAS_OIDC_MUNICIPALITY_CLAIM",
        "",
        "Claim holding the user's municipality code, for a provider that serves several municipalities.",
    ),
    # The API's rate limits (lokalkompas.api.middleware; docs/api.md).
    Setting(
        "LOKALKOMPAS_API_RATE_IP",
        "120",
        "API requests per minute from one IP address without a token; more get 429 with Retry-After. 0: no limit.",
    ),
    Setting("LOKALKOMPAS_API_RATE_TOKEN", "600", "API requests per minute with one API token. 0: no limit."),
    Setting(
        "LOKALKOMPAS_API_TOKEN_DAYS",
        "90",
        "Days a new API token is valid when its maker does not choose (1 to 730).",
    ),
    Setting(
        "LOKALKOMPAS_API_VERSION_WATCH",
        "True",
        "On PostgreSQL: each web process learns of loads and edits from database notifications instead of "
        "asking the database on every API request (docs/decisions/0022). `False`: ask every time.",
    ),
)

DECLARED = frozenset(s.name for s in SETTINGS)


def env(name: str, default: str = "") -> str:
    """Read a declared variable; undeclared names are a programming error, so docs never miss one."""
    if name not in DECLARED:
        raise KeyError(f"{name} is not declared in lokalkompas.conf.SETTINGS")
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "True" if default else "False")
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"Ugyldig værdi {name}={value!r}: brug 'True' eller 'False'.")
    return value == "True"


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"Ugyldig værdi {name}={value!r}: brug en af {', '.join(choices)}.")
    return value


def env_number(name: str, default: str, minimum: float) -> float:
    value = env(name, default)
    try:
        number = float(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(f"Ugyldig værdi {name}={value!r}: skal være et tal på mindst {minimum:g}.")
    return number


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


def secret_from(name: str, file_name: str) -> str:
    """The variable `name`, else the contents of the file that `file_name` points to; "" when neither is set."""
    value = env(name)
    path = env(file_name)
    if not value and path:
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{file_name}={path!r} kan ikke læses: {exc.strerror}.") from exc
    return value


def secret_key(production: bool) -> str:
    """SECRET_KEY, else the contents of SECRET_KEY_FILE; production has no fallback."""
    key = secret_from("SECRET_KEY", "SECRET_KEY_FILE")
    if key:
        return key
    if production:
        raise ImproperlyConfigured(
            "LOKALKOMPAS_ENV=production kræver SECRET_KEY eller SECRET_KEY_FILE, men ingen af dem er sat."
        )
    return "development-only-insecure-key-never-use-in-production"


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def production_database(url: str) -> None:
    """Production runs on PostgreSQL only: SQLite has one writer at a time and no server to back up from."""
    if not url:
        raise ImproperlyConfigured(
            "LOKALKOMPAS_ENV=production kræver DATABASE_URL til en PostgreSQL-database "
            "(fx postgres://bruger:kode@vært:5432/lokalkompas)."
        )
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        scheme = url.split(":", 1)[0]
        raise ImproperlyConfigured(
            f"LOKALKOMPAS_ENV=production kræver PostgreSQL i DATABASE_URL, ikke {scheme!r}; "
            "SQLite er kun til udvikling."
        )


def hsts_seconds(production: bool) -> int:
    return int(env_number("LOKALKOMPAS_HSTS_SECONDS", "31536000" if production else "0", 0))


def proxy_ssl_header() -> tuple[str, str] | None:
    """`X-Forwarded-Proto` -> ("HTTP_X_FORWARDED_PROTO", "https"), the form Django's SECURE_PROXY_SSL_HEADER takes."""
    name = env("LOKALKOMPAS_PROXY_SSL_HEADER").strip()
    if not name:
        return None
    if not re.fullmatch(r"[A-Za-z0-9-]+", name):
        raise ImproperlyConfigured(
            f"Ugyldig værdi LOKALKOMPAS_PROXY_SSL_HEADER={name!r}: skriv headerens navn, fx X-Forwarded-Proto."
        )
    return "HTTP_" + name.upper().replace("-", "_"), "https"


def csrf_trusted_origins() -> list[str]:
    origins = env_list("LOKALKOMPAS_CSRF_TRUSTED_ORIGINS", "")
    for origin in origins:
        if not origin.startswith(("https://", "http://")):
            raise ImproperlyConfigured(
                f"Ugyldig værdi i LOKALKOMPAS_CSRF_TRUSTED_ORIGINS: {origin!r} skal begynde med https://."
            )
    return origins


@dataclass(frozen=True)
class OidcConfig:
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_endpoint: str
    sign_algo: str
    scopes: str
    mapping: ClaimMapping


def _required(name: str) -> str:
    value = env(name).strip()
    if not value:
        raise ImproperlyConfigured(f"LOKALKOMPAS_OIDC_CLIENT_ID er sat, så login via kommunen kræver også {name}.")
    return value


def _oidc_mapping() -> ClaimMapping:
    try:
        roles = parse_role_map(env("LOKALKOMPAS_OIDC_ROLES", OIDC_DEFAULT_ROLES))
    except ValueError as exc:
        raise ImproperlyConfigured(f"Ugyldig værdi LOKALKOMPAS_OIDC_ROLES: {exc}.") from exc
    code = env("LOKALKOMPAS_OIDC_MUNICIPALITY").strip()
    municipality_claim = env("LOKALKOMPAS_OIDC_MUNICIPALITY_CLAIM").strip()
    if bool(code) == bool(municipality_claim):
        raise ImproperlyConfigured(
            "Login via kommunen kræver enten LOKALKOMPAS_OIDC_MUNICIPALITY (én fast kommunekode) "
            "eller LOKALKOMPAS_OIDC_MUNICIPALITY_CLAIM (et claim med kommunekoden), ikke begge og ikke ingen."
        )
    municipality = municipality_from_input(code) if code else None
    if code and municipality is None:
        raise ImproperlyConfigured(f"Ugyldig værdi LOKALKOMPAS_OIDC_MUNICIPALITY={code!r}: ukendt kommunekode.")
    return ClaimMapping(
        username_claim=env("LOKALKOMPAS_OIDC_USERNAME_CLAIM", "email").strip() or "email",
        role_claim=env("LOKALKOMPAS_OIDC_ROLE_CLAIM", "roles").strip() or "roles",
        roles=roles,
        municipality_claim=municipality_claim,
        municipality_code=municipality.code if municipality else "",
    )


def _scopes() -> str:
    scopes = env("LOKALKOMPAS_OIDC_SCOPES", "openid email profile").split()
    return " ".join(scopes if "openid" in scopes else ["openid", *scopes])  # without it, it is not OpenID Connect


def oidc_config() -> OidcConfig | None:
    """The OpenID Connect login's configuration; None (no such login) unless LOKALKOMPAS_OIDC_CLIENT_ID is set."""
    client_id = env("LOKALKOMPAS_OIDC_CLIENT_ID").strip()
    if not client_id:
        return None
    algo = env_choice("LOKALKOMPAS_OIDC_SIGN_ALGO", "RS256", OIDC_SIGN_ALGOS)
    secret = secret_from("LOKALKOMPAS_OIDC_CLIENT_SECRET", "LOKALKOMPAS_OIDC_CLIENT_SECRET_FILE")
    if not secret:
        raise ImproperlyConfigured(
            "LOKALKOMPAS_OIDC_CLIENT_ID er sat, så login via kommunen kræver også "
            "LOKALKOMPAS_OIDC_CLIENT_SECRET eller LOKALKOMPAS_OIDC_CLIENT_SECRET_FILE."
        )
    return OidcConfig(
        client_id=client_id,
        client_secret=secret,
        authorization_endpoint=_required("LOKALKOMPAS_OIDC_AUTHORIZATION_ENDPOINT"),
        token_endpoint=_required("LOKALKOMPAS_OIDC_TOKEN_ENDPOINT"),
        userinfo_endpoint=_required("LOKALKOMPAS_OIDC_USERINFO_ENDPOINT"),
        # HS256 is checked with the client secret; every other algorithm needs the provider's public keys.
        jwks_endpoint=env("LOKALKOMPAS_OIDC_JWKS_ENDPOINT").strip()
        if algo == "HS256"
        else _required("LOKALKOMPAS_OIDC_JWKS_ENDPOINT"),
        sign_algo=algo,
        scopes=_scopes(),
        mapping=_oidc_mapping(),
    )


PROFILE_METHODS = ("a", "b", "c")
# Method d (cases × unit price) exists only where the catalogue has activity figures: 5.28 and 5.38.
ACTIVITY_METHOD_AREAS = ("social",)


def default_method(text: str) -> str:
    """LOKALKOMPAS_PROGNOSE_METODE: a, b or c; d is refused with a pointer to the per-area setting."""
    if text == "d":
        raise ImproperlyConfigured(
            "Ugyldig værdi LOKALKOMPAS_PROGNOSE_METODE='d': aktivitetsprognosen (sager × enhedspris) findes kun "
            "for social. Sæt LOKALKOMPAS_PROGNOSE_METODER=social=d, og brug a, b eller c som standard."
        )
    if text not in PROFILE_METHODS:
        raise ImproperlyConfigured(f"Ugyldig værdi LOKALKOMPAS_PROGNOSE_METODE={text!r}: brug en af a, b, c.")
    return text


def parse_methods(text: str) -> dict[str, str]:
    """`social=d,aeldre=a` -> {"social": "d", "aeldre": "a"}; a wrong area or method stops start-up."""
    methods: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        area, _, method = part.partition("=")
        area, method = area.strip(), method.strip()
        if method == "d" and area in AREA_IDS and area not in ACTIVITY_METHOD_AREAS:
            raise ImproperlyConfigured(
                f"Ugyldig værdi LOKALKOMPAS_PROGNOSE_METODER={text!r}: metode d (sager × enhedspris) findes kun "
                f"for {', '.join(ACTIVITY_METHOD_AREAS)}, ikke for {area}; brug a, b eller c for {area}."
            )
        if area not in AREA_IDS or method not in (*PROFILE_METHODS, "d"):
            raise ImproperlyConfigured(
                f"Ugyldig værdi LOKALKOMPAS_PROGNOSE_METODER={text!r}: brug område=a|b|c (social også d), "
                f"fx social=d; områder: {', '.join(AREA_IDS)}."
            )
        methods[area] = method
    return methods
