"""Kexie settings: one module, driven by the environment.

Development (the default) needs nothing installed: SQLite in var/. Production is
selected with KEXIE_ENV=production and then requires a real SECRET_KEY, HTTPS and
ALLOWED_HOSTS from the environment. DATABASE_URL selects PostgreSQL in either mode.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KEXIE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


KEXIE_ENV = os.environ.get("KEXIE_ENV", "development")
PRODUCTION = KEXIE_ENV == "production"
TESTING = env_bool("KEXIE_TESTING")

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]  # a missing key must stop production from starting
    DEBUG = False
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-key-never-used-in-production-kexie")
    DEBUG = env_bool("DEBUG", default=not TESTING)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# Keys for personal data at rest (ID numbers, mobiles): never stored in the database.
# KEXIE_PERSONAL_DATA_KEYS is a comma-separated list of Fernet keys, newest first; older
# keys still decrypt until `manage.py rotate_personal_keys` has re-encrypted everything.
# KEXIE_BLIND_INDEX_KEY keys the HMAC that makes exact-match lookups possible.
# Production refuses to start without them; development derives fixed keys from SECRET_KEY.
if PRODUCTION:
    PERSONAL_DATA_KEYS = env_list("KEXIE_PERSONAL_DATA_KEYS")
    BLIND_INDEX_KEY = os.environ["KEXIE_BLIND_INDEX_KEY"]
    if not PERSONAL_DATA_KEYS:
        raise KeyError("KEXIE_PERSONAL_DATA_KEYS")
else:
    PERSONAL_DATA_KEYS = env_list("KEXIE_PERSONAL_DATA_KEYS")
    BLIND_INDEX_KEY = os.environ.get("KEXIE_BLIND_INDEX_KEY", f"blind-index:{SECRET_KEY}")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "import_export",
    "kexie.core",
    "kexie.audit",
    "kexie.accounts",
    "kexie.orgs",
    "kexie.people",
    "kexie.activities",
    "kexie.statistics",
    "kexie.reports",
    "kexie.volunteers",
    "kexie.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "kexie.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kexie.accounts.middleware.SessionLifetimeMiddleware",
    "kexie.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kexie.core.scoping.ScopeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kexie.core.context_processors.scope",
            ],
        },
    },
]

# --- Databases -------------------------------------------------------------------
SQLITE_PATH = Path(os.environ.get("KEXIE_SQLITE_PATH", VAR_DIR / "kexie.sqlite3"))
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
    # A 64 MiB page cache per connection (SQLite's default is 2 MiB): the people indexes of
    # a city are hundreds of MB, and a bulk import updates them all.
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=30000;"
        "PRAGMA cache_size=-65536"
    ),
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Our backend only adds a UTF-8 LC_CTYPE to CREATE DATABASE (trigram search needs it).
        DATABASES["default"]["ENGINE"] = "kexie.core.db.postgresql"
        DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
        # Short interactive queries only: PostgreSQL's JIT compiles a plan whose estimated
        # cost is high (a page of a large list) for seconds before running it in milliseconds,
        # and starting a parallel worker costs 10-15 ms, more than the page it would share.
        # random_page_cost 1.1, not 4 (a spinning disk's): on SSD or from memory an index
        # probe is cheap; at 4 the planner read a whole tag's 200,000 rows to check 5,000.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            "-c jit=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": SQLITE_OPTIONS,
            # Kept open between requests, as PostgreSQL's are: a new SQLite connection reads
            # the schema again and starts with an empty page cache.
            "CONN_MAX_AGE": 60,
            # A file, not :memory:, so concurrency tests can open several connections; one
            # per process, so parallel runs never share it (Django deletes it afterwards).
            "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"kexie-test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: the public sign-up's rate limits and short-lived caches ---------------------
# With REDIS_URL (redis://host:6379/0) every process shares one cache, so a client's
# sign-ups are counted together however many web workers serve them; without it each
# process keeps its own (development, tests, a single-process server). `check --deploy`
# warns when production runs without it (kexie.core.checks).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kexie",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# --- Notifications: e-mail and the site's address in messages ----------------------------
# In development without an SMTP server configured, e-mails are written to the worker's
# console; in production they go to EMAIL_HOST (the local mail relay by default).
if os.environ.get("EMAIL_HOST") or PRODUCTION:
    _SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "465" if _SSL else "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_ssl": _SSL,
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
if TESTING:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kexie@localhost")
# Links in e-mails and SMS (sent by the worker, outside any request).
KEXIE_SITE_URL = os.environ.get("KEXIE_SITE_URL", "http://127.0.0.1:8000")

# --- Accounts and login security (网络安全等级保护 2.0) --------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# "mlps" follows 等保 2.0; "asvs" follows OWASP ASVS (length over composition).
KEXIE_PASSWORD_PROFILE = os.environ.get("KEXIE_PASSWORD_PROFILE", "mlps")
if TESTING:
    # Hashing cost is not under test; a fast hasher keeps the suite quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "kexie.accounts.passwords.ProfileValidator"},
]

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
# Lock by username and, separately, by the (username, IP) pair.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kexie.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the security administrator's lockout page lists attempts

SESSION_COOKIE_AGE = int(os.environ.get("KEXIE_SESSION_ABSOLUTE_SECONDS", 12 * 3600))
KEXIE_SESSION_IDLE_SECONDS = int(os.environ.get("KEXIE_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie

# --- Security headers --------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Internationalization ------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kexie.core.api.ScopedPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kexie.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kexie API",
    "DESCRIPTION": "科协工作平台 API. Every endpoint is scoped to the caller's active organization subtree.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Personal data -------------------------------------------------------------------
KEXIE_DEMO_PASSWORD = "Kexie-demo-2026"  # used only by seed_demo; documented as demo-only

# --- Logging -------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
