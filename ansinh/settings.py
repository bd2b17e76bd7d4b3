"""Django settings, read from the environment only (see `.env.example` for every variable)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

from ansinh.lib.env import EnvError, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ANSINH_VAR_DIR", str(BASE_DIR / "var")))

try:
    MODE = env_choice("ANSINH_MODE", "development", ("development", "production"))
    PRODUCTION = MODE == "production"
    DEBUG = env_bool("ANSINH_DEBUG", not PRODUCTION)
    SECRET_KEY = env_str("ANSINH_SECRET_KEY")
    ALLOWED_HOSTS = env_list("ANSINH_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
    DATABASE_URL = env_str("DATABASE_URL")
    SESSION_COOKIE_AGE = env_int("ANSINH_SESSION_SECONDS", 8 * 3600, minimum=300)
    AXES_FAILURE_LIMIT = env_int("ANSINH_LOGIN_FAILURE_LIMIT", 5, minimum=1)
    AXES_COOLOFF_MINUTES = env_int("ANSINH_LOGIN_COOLOFF_MINUTES", 15, minimum=1)
    OUTBOX_SMS_SENDER = env_str("ANSINH_OUTBOX_SMS_SENDER", "ansinh.outbox.senders.FileSender")
    OUTBOX_EMAIL_SENDER = env_str("ANSINH_OUTBOX_EMAIL_SENDER", "ansinh.outbox.senders.FileSender")
    EMAIL_HOST = env_str("ANSINH_SMTP_HOST", "127.0.0.1")
    EMAIL_PORT = env_int("ANSINH_SMTP_PORT", 25, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("ANSINH_SMTP_USER")
    EMAIL_HOST_PASSWORD = env_str("ANSINH_SMTP_PASSWORD")
    EMAIL_USE_TLS = env_bool("ANSINH_SMTP_STARTTLS", False)
    DEFAULT_FROM_EMAIL = env_str("ANSINH_EMAIL_FROM", "ansinh@localhost")
    # The population-registry snapshot (Parquet or CSV) that matching runs against.
    POPULATION_SNAPSHOT = env_str("ANSINH_POPULATION_SNAPSHOT")
    LOG_LEVEL = env_choice("ANSINH_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
except EnvError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

if PRODUCTION:
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("ANSINH_MODE=production needs ANSINH_SECRET_KEY of at least 32 characters")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ANSINH_MODE=production needs ANSINH_ALLOWED_HOSTS (comma-separated)")
    if DEBUG:
        raise ImproperlyConfigured("ANSINH_DEBUG cannot be true in production")
elif not SECRET_KEY:
    # A fixed key for local runs only; production refuses to start without its own.
    SECRET_KEY = "insecure-development-key-never-use-in-production-ansinh"  # noqa: S105

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "ansinh.geo",
    "ansinh.access",
    "ansinh.audit",
    "ansinh.jobs",
    "ansinh.outbox",
    "ansinh.registry",
    "ansinh.imports",
    "ansinh.payouts",
    "ansinh.review",
    "ansinh.fieldwork",
    "ansinh.payments",
    "ansinh.campaigns",
    "ansinh.insurance",
    "ansinh.web",
    "ansinh.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ansinh.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ansinh.web.middleware.VietnameseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ansinh.urls"
WSGI_APPLICATION = "ansinh.wsgi.application"
AUTH_USER_MODEL = "access.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
                "django.template.context_processors.i18n",
                "ansinh.web.context.navigation",
            ],
        },
    },
]


def _database(url: str) -> dict[str, object]:
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "ansinh.sqlite3",
            # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so two
            # writers queue on the busy timeout instead of failing on a lock upgrade.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                # A 256 MiB page cache and memory-mapped reads: a province's registry is read far more than
                # written, and the default 2 MiB cache makes every list page go back to the file.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA cache_size=-262144; PRAGMA mmap_size=1073741824;"
                ),
            },
            # A file, not memory, so that threads in tests share it; one per process so runs never collide.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {parsed.scheme!r}; use postgresql://")
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": unquote(parsed.hostname or ""),
        "PORT": str(parsed.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_COOLOFF_TIME = AXES_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True  # the timeout counts from the last request, not the login

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "ansinh" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ansinh.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

OUTBOX_FILE_DIR = VAR_DIR / "outbox"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("ANSINH_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("ANSINH_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "ansinh.lib.logredact.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # fontTools logs every glyph subset it makes for a PDF at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
