"""Django settings for Lokalkompas, driven by environment variables (see lokalkompas.conf.SETTINGS)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from lokalkompas.conf import (
    LOG_LEVELS,
    csrf_trusted_origins,
    default_method,
    env,
    env_bool,
    env_choice,
    env_list,
    env_number,
    hsts_seconds,
    oidc_config,
    parse_methods,
    production_database,
    proxy_ssl_header,
    secret_key,
)
from lokalkompas.server.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = env_choice("LOKALKOMPAS_ENV", "development", ("development", "production")) == "production"

DATA_DIR = Path(env("LOKALKOMPAS_DATA_DIR", str(BASE_DIR / "var"))).resolve()
SECRET_KEY = secret_key(PRODUCTION)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

if PRODUCTION and not env("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("LOKALKOMPAS_ENV=production kræver ALLOWED_HOSTS (fx 'kompas.kommune.dk').")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
if PRODUCTION:
    production_database(env("DATABASE_URL"))

INSTALLED_APPS = [
    "lokalkompas.server",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_typer",
    "lokalkompas.registry",
    "lokalkompas.catalog",
    "lokalkompas.indicators",
    "lokalkompas.sources",
    "lokalkompas.legal",
    "lokalkompas.goals",
    "lokalkompas.economy",
    "lokalkompas.accounts",
    "lokalkompas.briefs",
    "lokalkompas.api",
    "axes",
    "simple_history",
    "lokalkompas.front",
]

MIDDLEWARE = [
    # Production operations (docs/decisions/0015): the request id for the logs, then /health before the host
    # check and the https redirect; the Content-Security-Policy header on every answer.
    "lokalkompas.server.middleware.RequestContextMiddleware",
    "lokalkompas.server.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /api/v1/ only: token, rate limit, ETag and gzip (the pages carry CSRF tokens, so no gzip there).
    "lokalkompas.api.middleware.ApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Lets django-simple-history record who made each change to goals, actions, decisions and roles.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it locks out after repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "front:login"
LOGIN_REDIRECT_URL = "front:home"
LOGOUT_REDIRECT_URL = "front:home"
# Five failed attempts for a username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "front/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Axes counts failed logins against password guessing; the identity provider's answers are no guesses,
# and counting them would lock a whole town hall (one address) out after five users without a role.
AXES_WHITELIST_CALLABLE = "lokalkompas.accounts.oidc.is_identity_provider_login"

# Login through the municipality's identity provider (mozilla-django-oidc), only when configured.
OIDC = oidc_config()
OIDC_ENABLED = OIDC is not None
if OIDC is not None:
    AUTHENTICATION_BACKENDS.append("lokalkompas.accounts.oidc.MunicipalityOIDCBackend")
    OIDC_RP_CLIENT_ID = OIDC.client_id
    OIDC_RP_CLIENT_SECRET = OIDC.client_secret
    OIDC_OP_AUTHORIZATION_ENDPOINT = OIDC.authorization_endpoint
    OIDC_OP_TOKEN_ENDPOINT = OIDC.token_endpoint
    OIDC_OP_USER_ENDPOINT = OIDC.userinfo_endpoint
    OIDC_OP_JWKS_ENDPOINT = OIDC.jwks_endpoint or None
    OIDC_RP_SIGN_ALGO = OIDC.sign_algo
    OIDC_RP_SCOPES = OIDC.scopes
    OIDC_CLAIM_MAPPING = OIDC.mapping
OIDC_USE_PKCE = True  # Entra ID and Keycloak support it; it binds the code to this browser's login
OIDC_TIMEOUT = 10  # seconds; the library's default is to wait forever
OIDC_CALLBACK_CLASS = "lokalkompas.accounts.oidc.CallbackView"

ROOT_URLCONF = "lokalkompas.urls"
WSGI_APPLICATION = "lokalkompas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lokalkompas.front.context.municipality",
            ],
        },
    },
]


# SQLite per connection: write-ahead logging lets pages be read while an import writes, and a 64 MB
# page cache (the default is 2 MB) keeps the key index of a big import in memory (bench/uploads_import.py).
SQLITE_PRAGMAS = "PRAGMA cache_size=-65536"


def _database() -> dict[str, object]:
    url = env("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "lokalkompas.sqlite3",
            "OPTIONS": {"init_command": SQLITE_PRAGMAS},
            # Kept between requests, as PostgreSQL's: opening one (with its functions and PRAGMAs) and
            # warming its page cache cost ~3 ms of every request (docs/decisions/0020).
            "CONN_MAX_AGE": 60,
        }
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # dj-database-url raises several types; all mean the same to an operator.
        raise ImproperlyConfigured(f"DATABASE_URL kan ikke læses: {exc}") from exc
    return config


DATABASES = {"default": _database()}
# A kept connection (CONN_MAX_AGE, 60 s for PostgreSQL) is tested before each request reuses it, so a
# database restart costs the requests during the outage and not, with a dead socket, the next minute's
# (docs/decisions/0017).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
# Front-end packages from npm are copied here by `lokalkompas assets`; never committed.
FRONTEND_VENDOR_DIR = DATA_DIR / "vendor"
FRONTEND_VENDOR_DIR.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [("vendor", FRONTEND_VENDOR_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Cookies travel only over https in production; development runs on plain http (docs/decisions/0008).
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
# Lax, not Strict: the identity provider's redirect back to /oidc/callback/ must carry the session.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env_number("LOKALKOMPAS_SESSION_HOURS", "8", 0.1) * 3600)
SECURE_HSTS_SECONDS = hsts_seconds(PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("LOKALKOMPAS_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = proxy_ssl_header()
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = csrf_trusted_origins()
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Production operations (docs/decisions/0015) ---------------------------------------------------------
# The browser runs only our own files: no inline scripts or styles (the templates have none; the server-side
# SVG charts use presentation attributes, not `style`), nothing from another site, no framing. Applied in
# development too, so the browser tests (tests/e2e) fail on a violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Lokalkompas lives on its own host name (kompas.kommune.dk); its subdomains, if any, are https too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SILENCED_SYSTEM_CHECKS = [
    # security.W008 (SECURE_SSL_REDIRECT off): the TLS proxy redirects http to https (docs/drift.md); without
    # one, set LOKALKOMPAS_SSL_REDIRECT=True. On by default, it would loop behind a proxy whose https Django
    # cannot see (LOKALKOMPAS_PROXY_SSL_HEADER unset).
    "security.W008",
    # security.W021 (HSTS preload): the preload list takes registrable domains (kommune.dk), which a
    # municipality's web team decides for all its sites, not one application.
    "security.W021",
]
LOG_FORMAT = env_choice("LOKALKOMPAS_LOG_FORMAT", "json" if PRODUCTION else "text", ("json", "text"))
LOGGING = logging_config(LOG_FORMAT, env_choice("LOKALKOMPAS_LOG_LEVEL", "INFO", LOG_LEVELS))
# --- end of production operations ------------------------------------------------------------------------

# Statistics Denmark's Statbank API (lokalkompas.sources.statbank); tests point it at a local fake.
STATBANK_BASE_URL = env("LOKALKOMPAS_STATBANK_URL", "https://api.statbank.dk").rstrip("/")
STATBANK_TIMEOUT = env_number("LOKALKOMPAS_STATBANK_TIMEOUT", "30", 0.1)
STATBANK_RETRIES = int(env_number("LOKALKOMPAS_STATBANK_RETRIES", "4", 0))
STATBANK_RATE = env_number("LOKALKOMPAS_STATBANK_RATE", "4", 0.1)
ACCESSIBILITY_URL = env("LOKALKOMPAS_ACCESSIBILITY_URL", "")
# Budget follow-up (lokalkompas.economy): the forecast method per area and the early-warning thresholds.
FORECAST_DEFAULT_METHOD = default_method(env("LOKALKOMPAS_PROGNOSE_METODE", "c"))
FORECAST_METHODS = parse_methods(env("LOKALKOMPAS_PROGNOSE_METODER", ""))
BUDGET_ALERT_SHARE = env_number("LOKALKOMPAS_BUDGET_ALARM_PROCENT", "1", 0) / 100
BUDGET_ALERT_AMOUNT = env_number("LOKALKOMPAS_BUDGET_ALARM_KR", "1000000", 0) / 1000  # amounts are in 1.000 kr.
UPLOAD_MAX_MB = env_number("LOKALKOMPAS_UPLOAD_MAX_MB", "20", 0.001)
# Django refuses larger request bodies before our check can explain; leave room for the form around the file.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(UPLOAD_MAX_MB * 1_000_000) + 1_000_000
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
NORMERING_LEADER_WEIGHT = env_number("LOKALKOMPAS_NORMERING_LEDERVAEGT", "1", 0)
NORMERING_TRAINEE_WEIGHT = env_number("LOKALKOMPAS_NORMERING_STUDERENDEVAEGT", "1", 0)
# The API's rate limits per minute (lokalkompas.api.middleware), counted in this cache; several web
# processes need a shared cache for the count to be one (docs/api.md).
API_RATE_IP = int(env_number("LOKALKOMPAS_API_RATE_IP", "120", 0))
API_RATE_TOKEN = int(env_number("LOKALKOMPAS_API_RATE_TOKEN", "600", 0))
API_RATE_CACHE = "default"
# How long a new API token is valid when its maker does not say (days); a token can be made for at most
# two years (docs/decisions/0021).
API_TOKEN_DAYS = int(env_number("LOKALKOMPAS_API_TOKEN_DAYS", "90", 1))
# Whole API answers are kept here under their ETag (lokalkompas.api.middleware).
API_CACHE = "default"
# On PostgreSQL each web process keeps the API's versions current from notifications instead of reading
# them on every request (lokalkompas.api.watch, docs/decisions/0022). Tests switch it off: their
# transactions never commit, so nothing is notified.
API_VERSION_WATCH = env_bool("LOKALKOMPAS_API_VERSION_WATCH", True)

# Background jobs started in the browser (lokalkompas.jobs, docs/decisions/0019): django-tasks keeps the queue
# in the database Lokalkompas already has, and `lokalkompas worker` runs what is queued. Tests use the same
# backend and run the worker in-process.
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "lokalkompas.jobs"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
