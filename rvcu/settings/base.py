"""Settings shared by every environment, read from the environment (see .env.example)."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .object_storage import s3_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_countries",
    "django_filters",
    "allauth",
    "allauth.account",
    "csp",
    "core",
    "accounts",
    "cities",
    "practices",
    "partnerships",
    "rvcu",
    # Local accounts and demo data (seed_local_accounts, seed_demo): commands only, no model.
    "devtools",
]

MIDDLEWARE = [
    # The 400 answer to a bad Host is made in the middleware that read the Host and passes only
    # the ones above it: the header middlewares come before the first to read it (common).
    # SecurityMiddleware does not (SECURE_SSL_HOST in production), nor the page cache.
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Serves cached public pages before sessions and authentication (see rvcu/cache.py); the
    # pages it keeps already carry the headers of the middleware below (the CSP's included).
    "rvcu.cache.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the parameters or the form (CSRF reads the form); after the
    # language is known, so that the 400 page is in the visitor's language.
    "rvcu.middleware.UnreadableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "rvcu.urls"
WSGI_APPLICATION = "rvcu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "rvcu.context_processors.language_links",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database server that accepts and never answers must fail a request, not hold it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
    )
# A PostgreSQL streaming replica for the public pages' reads (rvcu/db_routing.py says which);
# unset, there is one database and no router.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
# Seconds a person who has just written reads from the primary, whatever page they open.
RVCU_REPLICA_STICKY_SECONDS = env.int("RVCU_REPLICA_STICKY_SECONDS", default=10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # The tests' replica is the test database itself: no second one to create.
        "TEST": {"MIRROR": "default"},
    }
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
        )
    DATABASE_ROUTERS = ["rvcu.db_routing.ReplicaRouter"]
    # Before the page cache, so that the recent-write cookie is never kept in a cached page.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("rvcu.cache.PublicPageCacheMiddleware"),
        "rvcu.db_routing.ReplicaRoutingMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: e-mail login, no open sign-up (coordinators are invited by the secretariat).
ACCOUNT_ADAPTER = "accounts.adapters.InvitationOnlyAccountAdapter"
# The reset e-mail is made by a background task, for a known and an unknown address alike.
ACCOUNT_FORMS = {"reset_password": "accounts.forms.QueuedResetPasswordForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# An invited coordinator proves their address by following the invitation link.
ACCOUNT_EMAIL_VERIFICATION = "none"
# Never mail an address that has no account (the portal must not be a way to send spam).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[RVCU] "
ACCOUNT_SESSION_REMEMBER = False
# Login failures are counted per client address (and per account: allauth's "login_failed" limit
# keeps its per-key part). Behind nginx every request comes from 127.0.0.1: the client is the
# address that many hops from the right of X-Forwarded-For, 1 behind the documented nginx.
# 0 (no proxy) ignores the header, which anyone can send.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("RVCU_TRUSTED_PROXY_COUNT", default=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# An absolute address (a CDN, an object storage bucket) is allowed by the Content-Security-Policy.
STATIC_URL = env.str("DJANGO_STATIC_URL", default="/static/")
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("DJANGO_MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads that are never served as they are (kept for a form shown again, files of archived
# revisions): outside MEDIA_ROOT, as the web server serves all of MEDIA_ROOT. See rvcu/storage.py.
RVCU_PRIVATE_MEDIA_ROOT = env.path("RVCU_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "rvcu.storage.MediaStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": RVCU_PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# RVCU_MEDIA_STORAGE=s3: both on S3-compatible object storage (django-storages), in two buckets,
# the private one never readable anonymously. See docs/deployment.md.
RVCU_MEDIA_STORAGE = env.str("RVCU_MEDIA_STORAGE", default="filesystem")
if RVCU_MEDIA_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured("RVCU_MEDIA_STORAGE must be filesystem or s3.")
if RVCU_MEDIA_STORAGE == "s3":
    STORAGES = {
        **STORAGES,
        **s3_storages(
            media_bucket=env.str("RVCU_S3_MEDIA_BUCKET"),
            private_bucket=env.str("RVCU_S3_PRIVATE_BUCKET"),
            endpoint_url=env.str("RVCU_S3_ENDPOINT_URL", default=""),
            region=env.str("RVCU_S3_REGION", default=""),
            access_key=env.str("AWS_ACCESS_KEY_ID", default=""),
            secret_key=env.str("AWS_SECRET_ACCESS_KEY", default=""),
            media_domain=env.str("RVCU_S3_MEDIA_DOMAIN", default=""),
        ),
    }
    # The Content-Security-Policy allows images from MEDIA_URL's host (below): the files'.
    if env.str("RVCU_S3_MEDIA_DOMAIN", default="") and not env.str("DJANGO_MEDIA_URL", default=""):
        MEDIA_URL = f"https://{env.str('RVCU_S3_MEDIA_DOMAIN')}/"

# Redis when REDIS_URL is set (shared by every worker and server: allauth's login rate limits
# hold across them); memory of the process otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": {
        "BACKEND": (
            "rvcu.cache.RedisCache"
            if REDIS_URL
            else "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": REDIS_URL or "rvcu",
        # One Redis may serve several sites (staging and production): each keeps to its keys.
        "KEY_PREFIX": env.str("DJANGO_CACHE_KEY_PREFIX", default="rvcu"),
        # A Redis that stops answering must slow a request by a second, not hang it.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1} if REDIS_URL else {},
    }
}

# Background jobs (rvcu/celery.py): Redis is the broker. With none (a local `make run`), each
# task runs in the process that queues it, after the commit.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged once done: a worker killed mid-task leaves it to another one (the
# tasks are idempotent: core/mail.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing happens inside requests: a broker that is down or hangs costs them about two
# seconds, then the outbox sweep sends what could not be queued.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_TIMEZONE = "UTC"

# Security headers on every response; production adds HSTS, the HTTPS redirect and secure cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF token from the cookie: forms carry it in a hidden field.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True


def _host_of(url):
    """["https://cdn.example.org"] for an absolute URL, [] for a path on this site."""
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.netloc else []


# Uploads are people's files: their host is allowed for images only, never for scripts or styles.
_STATIC_FROM = [SELF, *_host_of(STATIC_URL)]
_IMAGES_FROM = list(dict.fromkeys([*_STATIC_FROM, *_host_of(MEDIA_URL)]))
# No inline script or style anywhere (templates use classes and SVG presentation attributes),
# and nothing from another host but the static and media addresses above.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": _STATIC_FROM,
        "style-src": _STATIC_FROM,
        "img-src": _IMAGES_FROM,
        "font-src": _STATIC_FROM,
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The portal's public address, for links in e-mails.
SITE_URL = env.str("RVCU_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
RVCU_CONTACT_EMAIL = env.str("RVCU_CONTACT_EMAIL", default="creativecities@unesco.org")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds an SMTP connection may wait for the server at each step (connect, each command).
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
# The outbox (core/mail.py) retries a failed e-mail, less and less often, for this long.
RVCU_EMAIL_RETRY_HOURS = env.int("RVCU_EMAIL_RETRY_HOURS", default=24)
# The wait after the first failure; doubled after each, up to 4 hours.
RVCU_EMAIL_FIRST_RETRY_SECONDS = env.int("RVCU_EMAIL_FIRST_RETRY_SECONDS", default=60)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="RVCU portal <noreply@localhost>")

# Images people upload (city pictures): refused above this size, in bytes.
RVCU_MAX_IMAGE_BYTES = env.int("RVCU_MAX_IMAGE_BYTES", default=5 * 1024 * 1024)
RVCU_MAX_IMAGE_PIXELS = env.int("RVCU_MAX_IMAGE_PIXELS", default=40_000_000)
RVCU_MAX_DOCUMENT_BYTES = env.int("RVCU_MAX_DOCUMENT_BYTES", default=10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Whole-page cache of the public pages for visitors without a session (rvcu/cache.py), in
# seconds; 0 turns it off.
RVCU_PAGE_CACHE_SECONDS = env.int("RVCU_PAGE_CACHE_SECONDS", default=600)
