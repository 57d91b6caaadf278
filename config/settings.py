"""Settings of the ITAS-Charta platform, driven by environment variables (see README)."""

import datetime
import os
import sys
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


# Every setting comes from the environment, read by one library: flags, lists and the
# database, cache and e-mail URLs (see README).
env = environ.Env()
# Short names for the URLs of the README, besides django-environ's own schemes.
environ.Env.CACHE_SCHEMES.update(
    {
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "dummy": "django.core.cache.backends.dummy.DummyCache",
    }
)
environ.Env.EMAIL_SCHEMES.update(
    {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }
)


DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The test suite runs with debug off, as production does, but needs no secret key.
TESTING = env.bool("DJANGO_TESTING", default=False) or "pytest" in sys.modules

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # The apps, in the order of their layers (each imports only those before it).
    "core",
    "accounts",
    "notifications",
    "comments",
    "charta",
    "measures",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the locale: its 400 page speaks the visitor's language.
    "core.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.audit.AuditContextMiddleware",
    "config.errors.ValidationErrorMiddleware",
    # Last: answers locked-out login attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers queue for the write lock (BEGIN IMMEDIATE, waiting up to 20 s)
    # instead of failing with "database is locked" halfway through a transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not shared-cache memory, so that tests see SQLite's real locking.
    # One file per test process, so that parallel runs never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"itas-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmem://itas")}
# The stamp that invalidates every cached public page (core/caching.py) must be one for all
# processes. A shared cache holds it itself; next to a process-local cache it lives in files
# that every process of this machine reads (several machines need a shared cache anyway).
if CACHES["default"]["BACKEND"].endswith("LocMemCache") and not TESTING:
    CACHES["stamps"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.str(
            "CACHE_STAMP_DIR", default=str(Path(tempfile.gettempdir()) / "itas-charta-stamps")
        ),
    }
else:
    CACHES["stamps"] = dict(CACHES["default"])

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out attempts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian "anonymous user" row: anonymous visitors see published content only.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:tasks"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Look files up per request instead of scanning them all whenever an app instance starts.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

EMAIL = env.email_url("EMAIL_URL", default="console://")
if "OPTIONS" in EMAIL:
    raise ImproperlyConfigured(
        f"EMAIL_URL: unknown options {sorted(EMAIL['OPTIONS'])}; "
        "use smtp+tls:// (STARTTLS) or smtp+ssl:// (TLS from the start)."
    )
vars().update({key: value for key, value in EMAIL.items() if value not in (None, "")})
del EMAIL
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ITAS-Charta <charta@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of the platform, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.JSONParser",
        "core.api.FormParser",
        "core.api.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="300/minute"),
        "login": env.str("API_LOGIN_RATE", default="10/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ITAS-Charta API",
    "DESCRIPTION": (
        "Read and write the ITAS-Charta: Handlungsfelder, sections with revisions and review "
        "workflow, goals, measures and their status reports, comments. Authenticate with "
        "`Authorization: Token <token>` (POST /api/v1/auth/token/) or a session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SectionStatusEnum": "charta.workflow.SectionStatus",
        "ImplementationStatusEnum": "measures.workflow.ImplementationStatus",
        "PublicationStateEnum": "measures.workflow.PublicationState",
    },
}

# Background work (e-mail, digests, reminders): the database queue, worked off by
# `manage.py db_worker`; tests and TASKS_IMMEDIATE=1 run tasks at once, in the request.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING or env.bool("TASKS_IMMEDIATE", default=False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Demo accounts' password; loaddemo refuses the default when DEBUG is off.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

# Login throttling: after AXES_FAILURE_LIMIT failed logins to one account, under whichever
# name or e-mail address was typed in whatever case (accounts/lockout.py), the account is
# locked for the cool-off time, on the login page and the API token endpoint alike, unless a
# coordinator unlocks it earlier (accounts.services.account_unlock).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_key"
# Per account alone, not per account and address: someone guessing a password from many
# addresses (a botnet, or simply a phone that changes networks) would otherwise get five more
# guesses from every new address, and the lock would not protect the account at all. The
# price is that anyone can lock an account for the cool-off by typing wrong passwords for it;
# the lock is short, the person is told when to try again, and a coordinator can lift it.
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when the address is no lockout parameter, because attempts are then told apart
# by user agent; not here: the failures of an account are summed over every address and
# user agent it was attacked from (the database handler sums them per lockout key).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind a reverse proxy, DJANGO_PROXY_COUNT=1 takes the client address from X-Forwarded-For
# (the proxy must set it); without a proxy, the socket's address is the client's.
PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)
# One rule for the client address everywhere (lockouts and the audit log).
AXES_CLIENT_IP_CALLABLE = "accounts.audit.client_ip"

# Content-Security-Policy: only this site's own files; no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_AGE", default=60 * 60 * 12)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SESSION_SAVE_EVERY_REQUEST = False
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    if SESSION_COOKIE_SECURE:
        # __Host- cookies: only over HTTPS, only for this exact host, path /.
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Tests and debug runs print what they need; production logs requests as JSON lines.
        "django.request": {"level": "ERROR" if TESTING else "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Status reports nobody acknowledged within this many days are escalated to the coordinators
# (manage.py escalate_acknowledgements, run daily).
ACKNOWLEDGEMENT_ESCALATION_DAYS = env.int("ACKNOWLEDGEMENT_ESCALATION_DAYS", default=14)
