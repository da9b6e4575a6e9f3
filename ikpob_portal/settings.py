"""Settings for the IKPOB portal, driven by environment variables (see docs/configuration.md)."""

import os
from datetime import timedelta
from email.utils import formataddr, getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ikpob_portal.platform import proxyheaders

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local development."
        )
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "django-insecure-ikpob-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, with the dashboard ordered by editors' tasks (ikpob_portal/admin_site.py).
    "ikpob_portal.apps.EditorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_filters",
    "reversion",
    "axes",
    # The second factor of staff accounts: an authenticator app (TOTP) and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The task queue of production (TASKS below): installed whichever backend runs, so the
    # schema is the same everywhere.
    "django_tasks_db",
    "ikpob_portal.kernel",
    "network",
    "publications",
    "learning_circles",
    "events",
    # The foundation's own pages and the home page's settings: build on the kernel only.
    "ikpob_portal.pages",
    # Alerts, saved searches and the newsletter without an account: build on the kernel only.
    "ikpob_portal.subscriptions",
    # The composition root (site-wide views, loaddemo) last: it builds on every app above.
    "ikpob_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above the page cache, so stored pages get the policy too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Permissions-Policy (ikpob_portal/platform/headers.py), above the page cache as well.
    "ikpob_portal.platform.headers.PermissionsPolicyMiddleware",
    # Database down: the 503 page (ikpob_portal/platform/resilience.py), from
    # process_exception. That hook gets what the view and its template raise, which is where
    # the session and request.user (both lazy) and the queries first touch the database; its
    # 503 then passes back through every middleware (CSP and security headers; the page cache
    # keeps only 200s).
    # An exception raised inside a middleware (a session saved after the view) never reaches
    # another one: Django turns it into a response at that layer, so it goes to handler500
    # (resilience.server_error) instead, wherever this line stands. The place only orders the
    # process_exception hooks (innermost first); none of the others here has one.
    "ikpob_portal.platform.resilience.DatabaseUnavailableMiddleware",
    # Page views and PDF downloads for editors (ikpob_portal/kernel/statistics.py): above the
    # page cache, so stored pages are counted as well as rendered ones.
    "ikpob_portal.kernel.statistics.StatisticsMiddleware",
    # Right after the HTTPS redirect: a stored page skips everything below
    # (ikpob_portal/platform/cache.py).
    "ikpob_portal.platform.cache.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Conditional GET (ETag, 304) for every page; the page cache answers it without rendering.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the second factor?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Admin login lockout (django-axes); last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses logins for a username + address that is locked out, before checking passwords.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "ikpob_portal.urls"
WSGI_APPLICATION = "ikpob_portal.wsgi.application"

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
                "ikpob_portal.context_processors.site",
                "ikpob_portal.pages.menus.site_menus",
            ],
        },
    },
]

# SQLite file in the project unless DATABASE_URL says otherwise (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, except that Redis not answering is a miss, not an error:
            # the site keeps serving, rendering every page afresh
            # (ikpob_portal/platform/cache_backends.py).
            "BACKEND": "ikpob_portal.platform.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ikpob",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole pages for anonymous visitors (ikpob_portal/platform/cache.py). Only on by default with
# Redis:
# a local-memory cache per process would keep serving pages that another process made stale.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", bool(REDIS_URL))
# How long a stored page lives at most; also how late a change that no save announces (a
# scheduled publication's moment, an event that starts) reaches a cached page.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "60"))
# Facet and result counts of lists and searches, per content version (ikpob_portal/platform/cache.py
# `counted`): the same condition as the page cache, a cache that every process shares.
QUERY_CACHE = env_bool("DJANGO_QUERY_CACHE", bool(REDIS_URL))
QUERY_CACHE_SECONDS = int(os.environ.get("DJANGO_QUERY_CACHE_SECONDS", str(PAGE_CACHE_SECONDS)))
# Cards (a publication, an event …) kept as HTML per item, language and content version
# (ikpob_portal/kernel/cards.py): a list or theme page then renders and prefetches only the
# cards it has not kept. The same condition as the page cache: the content version must be
# shared by every process. Kept at most FRAGMENT_CACHE_SECONDS, which, as for stored pages,
# bounds how late a change that no save announces shows (an author published at a set moment).
FRAGMENT_CACHE = env_bool("DJANGO_FRAGMENT_CACHE", bool(REDIS_URL))
FRAGMENT_CACHE_SECONDS = int(
    os.environ.get("DJANGO_FRAGMENT_CACHE_SECONDS", str(PAGE_CACHE_SECONDS))
)

# Page views and PDF downloads per month for editors (ikpob_portal/kernel/statistics.py), kept
# in each process and written to the database at most this often: a crashed process loses
# what it counted since.
STATISTICS = env_bool("DJANGO_STATISTICS", True)
STATISTICS_FLUSH_SECONDS = int(os.environ.get("DJANGO_STATISTICS_FLUSH_SECONDS", "30"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
# The language editors write content in (titles, summaries, names, themes). Pages in another
# interface language mark that content with lang (`{% content_lang %}`, `|content_span`); a
# publication says its own language.
CONTENT_LANGUAGE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# NL Design System CSS, tokens and fonts come from npm (package.json) and are served as our own
# static files: no CDN, no third-party request from any page. The pages' one stylesheet,
# css/ikpob-portal.css (the Utrecht components they use, the tokens those use, our theme), is
# built from node_modules and static/css/ by the last finder (ikpob_portal/platform/stylesheet.py).
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/source-sans-pro", NODE_MODULES / "@fontsource" / "source-sans-pro" / "files"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "ikpob_portal.platform.stylesheet.StylesheetFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "ikpob_portal.platform.storage.StaticStorage"
        )
    },
}
# Uploaded files (the publications' PDFs) on the local disk by default. With several app
# servers they belong on shared object storage: DJANGO_MEDIA_STORAGE=s3 puts them in an
# S3-compatible bucket (AWS S3, MinIO, …) through django-storages (`pip install -e ".[s3]"`).
# Files stay private: no public ACL, signed URLs, and the site streams PDFs through its own
# download view anyway, so nothing links to the bucket directly.
MEDIA_STORAGE = os.environ.get("DJANGO_MEDIA_STORAGE", "").strip().lower() or "filesystem"
if MEDIA_STORAGE == "s3":
    _s3_bucket = os.environ.get("DJANGO_S3_BUCKET", "").strip()
    if not _s3_bucket:
        raise ImproperlyConfigured(
            "DJANGO_MEDIA_STORAGE=s3 needs DJANGO_S3_BUCKET: the name of the bucket for uploads."
        )
    _s3_options = {
        "bucket_name": _s3_bucket,
        "default_acl": None,  # the bucket's own policy, which should keep files private
        "querystring_auth": True,  # any URL the storage hands out is signed and expires
        "file_overwrite": False,  # a second upload with the same name gets a new name
    }
    # Optional; left out when empty, so django-storages and boto3 use their own defaults
    # (e.g. credentials from an instance role or the AWS_* variables).
    for _option, _variable in [
        ("endpoint_url", "DJANGO_S3_ENDPOINT_URL"),  # MinIO or another S3-compatible service
        ("region_name", "DJANGO_S3_REGION"),
        ("access_key", "DJANGO_S3_ACCESS_KEY_ID"),
        ("secret_key", "DJANGO_S3_SECRET_ACCESS_KEY"),
        ("custom_domain", "DJANGO_S3_CUSTOM_DOMAIN"),
    ]:
        if _value := os.environ.get(_variable, "").strip():
            _s3_options[_option] = _value
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(
        f"DJANGO_MEDIA_STORAGE={MEDIA_STORAGE!r} is not known; use 'filesystem' (the default) "
        "or 's3'."
    )

# Images (ikpob_portal/platform/images.py): renditions are made by django-imagekit when an
# image is saved, into the media storage under renditions/, and never looked up while a page
# renders (the "optimistic" strategy: made on save, assumed to be there).
IMAGEKIT_CACHEFILE_DIR = "renditions"
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"

# Mail goes to the console unless an SMTP host is configured.
_email_host = os.environ.get("DJANGO_EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "IKPOB <noreply@ikpob.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Themes are a controlled vocabulary: "Toezicht" and "toezicht" are one theme.
TAGGIT_CASE_INSENSITIVE = True

# Production hardening; `manage.py check --deploy` runs against these in CI.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
# No script of ours reads a cookie (the admin takes the CSRF token from the form).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Only editors have sessions: a working day, not Django's two weeks.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_HOURS", "10")) * 3600
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
# Behind a TLS-terminating proxy, the header (and value) by which it says "this was HTTPS",
# as "Header-Name: value". The proxy must overwrite that header on every request; "off" when
# nothing sits in front of gunicorn (then a client could claim HTTPS by sending the header).
# gunicorn trusts the same header and no other (gunicorn.conf.py, platform/proxyheaders.py).
try:
    SECURE_PROXY_SSL_HEADER = proxyheaders.django_ssl_header()
except proxyheaders.ProxyHeaderError as error:
    raise ImproperlyConfigured(str(error)) from None
# How many reverse proxies in front of gunicorn append to X-Forwarded-For (0: none, use the
# socket address). Rate limits count per visitor address, so this must match the deployment.
NUM_PROXIES = int(os.environ.get("DJANGO_NUM_PROXIES", "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (Django's own middleware). Every script, style, font and image is
# served from our own origin; no page has inline script or style, so nothing needs a nonce.
# JSON-LD blocks are data, not script, and are not affected.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Admin login (ikpob_portal/kernel/logins.py, docs/security.md "Admin login"): after
# AXES_FAILURE_LIMIT wrong passwords for one username, from any address, that username is
# locked for the cool-off time and its owner gets a mail; after ADMIN_LOGIN_ADDRESS_ATTEMPTS
# failures from one address, over all usernames, that address is (django-axes, attempts in the
# database).
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_ADMIN_LOGIN_ATTEMPTS", "5"))
ADMIN_LOGIN_ADDRESS_ATTEMPTS = int(os.environ.get("DJANGO_ADMIN_LOGIN_ADDRESS_ATTEMPTS", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_ADMIN_LOCKOUT_MINUTES", "15")))
AXES_HANDLER = "ikpob_portal.kernel.logins.LoginLockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
# A lockout lasts the cool-off from the failure that caused it: attempts during it are refused
# without being counted, so they neither extend it nor send another mail.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# axes warns that its parameters lack "ip_address": the handler limits addresses itself, with
# their own, higher limit (a shared office address must not lock out after 5 typos).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# The same visitor address as the rate limits, behind DJANGO_NUM_PROXIES proxies.
AXES_CLIENT_IP_CALLABLE = "ikpob_portal.platform.ratelimit.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False
# Failed attempts (username, address) are kept only for the cool-off time and then deleted;
# successful logins are not logged with their address (the admin's own history says who did what).
AXES_DISABLE_ACCESS_LOG = True
# Staff accounts need a second factor (an authenticator app, or a recovery code) before the
# admin or a draft preview opens (ikpob_portal/kernel/second_factor.py). On by default
# without DEBUG; the first login with the password sets it up.
ADMIN_REQUIRE_SECOND_FACTOR = env_bool("DJANGO_ADMIN_REQUIRE_SECOND_FACTOR", not DEBUG)
OTP_TOTP_ISSUER = "IKPOB"
# The admin's device lists show no secrets (a superuser can still delete a lost device).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Uploads by editors: the largest PDF and the largest image (logo) accepted, in megabytes.
UPLOAD_MAX_PDF_MB = int(os.environ.get("DJANGO_UPLOAD_MAX_PDF_MB", "25"))
UPLOAD_MAX_IMAGE_MB = int(os.environ.get("DJANGO_UPLOAD_MAX_IMAGE_MB", "2"))

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "beheer/").strip("/") + "/"

SITE_NAME = "IKPOB"
# The public address of the site, for links in email (which has no request to build them from).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The namespace part of OAI-PMH identifiers (oai:<this>:publication/<pk>). Harvesters keep
# these forever, so it is the site's host name, not whatever host a request came in on.
OAI_REPOSITORY_IDENTIFIER = urlsplit(SITE_URL).hostname or "ikpob.nl"
# Mail goes through django.tasks (kernel/outbox.py). In production a worker sends it: the
# database backend of django-tasks-db keeps the tasks in a table of the same database, and
# `manage.py db_worker` (started by `make serve`, a systemd unit in docs/operations.md) runs
# them, so a registration's request only commits and queues. With DEBUG (development, the
# tests) Django's immediate backend sends the mail in the request right after the commit, with
# no worker to start. DJANGO_TASKS_BACKEND names another backend for either.
_tasks_backend = os.environ.get("DJANGO_TASKS_BACKEND", "").strip() or (
    "django.tasks.backends.immediate.ImmediateBackend"
    if DEBUG
    else "django_tasks_db.DatabaseBackend"
)
TASKS = {"default": {"BACKEND": _tasks_backend}}
# A mail that keeps failing for a temporary reason (server down, "try later") is parked as
# given up after 10 tries and once it is this many hours old (kernel/outbox.py).
OUTBOX_GIVE_UP_HOURS = int(os.environ.get("DJANGO_OUTBOX_GIVE_UP_HOURS", "24"))
# Subscribers' digests are queued (and so sent) at most this many a minute
# (ikpob_portal/subscriptions/digests.py), within what the mail provider accepts.
SUBSCRIPTIONS_DIGEST_MAILS_PER_MINUTE = int(os.environ.get("DJANGO_DIGEST_MAILS_PER_MINUTE", "60"))

# Registrations: personal data is anonymised this many days after an event ends
# (`manage.py purge_registrations`, daily); accessibility and dietary needs right after it.
REGISTRATION_RETENTION_DAYS = int(os.environ.get("DJANGO_REGISTRATION_RETENTION_DAYS", "30"))
# From this many hours before an event starts nobody moves up from the waiting list by
# themselves any more (editors still can); those waiting then get a message (events/reminders.py).
WAITING_LIST_CUTOFF_HOURS = int(os.environ.get("DJANGO_WAITING_LIST_CUTOFF_HOURS", "24"))
REGISTRATION_RATE_LIMIT_PER_HOUR = int(
    os.environ.get("DJANGO_REGISTRATION_RATE_LIMIT_PER_HOUR", "10")
)
# Registrations per event per hour (whoever sends them) and per e-mail address per hour (over
# all events), beside the limit per visitor above: a flood from many addresses, or mail to one
# mailbox, stops there (events/abuse.py).
REGISTRATION_RATE_LIMIT_PER_EVENT_PER_HOUR = int(
    os.environ.get("DJANGO_REGISTRATION_RATE_LIMIT_PER_EVENT_PER_HOUR", "150")
)
REGISTRATION_RATE_LIMIT_PER_ADDRESS_PER_HOUR = int(
    os.environ.get("DJANGO_REGISTRATION_RATE_LIMIT_PER_ADDRESS_PER_HOUR", "3")
)
# Editors get a mail when an event receives more than this many registrations within this many
# minutes (at most once an hour per event; events/abuse.py).
REGISTRATION_ALERT_COUNT = int(os.environ.get("DJANGO_REGISTRATION_ALERT_COUNT", "20"))
REGISTRATION_ALERT_MINUTES = int(os.environ.get("DJANGO_REGISTRATION_ALERT_MINUTES", "10"))
# Events that ask registrants to confirm their address (Event.confirm_email): the place is held
# this many minutes for the link in the mail; unconfirmed registrations are deleted after
# this many hours.
REGISTRATION_HOLD_MINUTES = int(os.environ.get("DJANGO_REGISTRATION_HOLD_MINUTES", "30"))
UNVERIFIED_REGISTRATION_HOURS = int(os.environ.get("DJANGO_UNVERIFIED_REGISTRATION_HOURS", "24"))
# Searches with a query per visitor address per minute (ikpob_portal/platform/ratelimit.py):
# generous for people, a stop for scrapers. Over it, a 429 page with Retry-After.
SEARCH_RATE_LIMIT_PER_MINUTE = int(os.environ.get("DJANGO_SEARCH_RATE_LIMIT_PER_MINUTE", "60"))
# Filtered, searched or sorted list pages per visitor address per minute (crawlers walking
# facet combinations); plain list pages are not counted.
LIST_FILTER_RATE_LIMIT_PER_MINUTE = int(
    os.environ.get("DJANGO_LIST_FILTER_RATE_LIMIT_PER_MINUTE", "120")
)
# At most this many of those pages rendered in full at once over all processes (0: no cap),
# so the other workers stay free for everyone else's pages: about half the gunicorn workers.
# Stored pages are not counted. Over it, a visitor who asked for at most
# LIST_FILTER_BUSY_PAGES_PER_MINUTE such pages this minute gets the results with the filters
# uncounted; a busier one (a crawler) a 429 page (kernel/lists.py, FacetedListView.get).
LIST_FILTER_CONCURRENCY = int(os.environ.get("DJANGO_LIST_FILTER_CONCURRENCY", "1"))
LIST_FILTER_BUSY_PAGES_PER_MINUTE = int(
    os.environ.get("DJANGO_LIST_FILTER_BUSY_PAGES_PER_MINUTE", "20")
)
# The longest search query read, in characters, for the site search and every list's `q`
# alike; a longer one is cut (ikpob_portal/kernel/search.py, normalise).
SEARCH_MAX_QUERY_LENGTH = int(os.environ.get("DJANGO_SEARCH_MAX_QUERY_LENGTH", "200"))
# Interest in joining a learning circle: forms per visitor address per hour.
JOIN_RATE_LIMIT_PER_HOUR = int(os.environ.get("DJANGO_JOIN_RATE_LIMIT_PER_HOUR", "5"))
# Subscribe forms sent per visitor an hour (each address gets at most one mail a day anyway).
SUBSCRIBE_RATE_LIMIT_PER_HOUR = int(os.environ.get("DJANGO_SUBSCRIBE_RATE_LIMIT_PER_HOUR", "10"))
# A list's facet over people or organisations shows this many of the most frequent options.
LIST_FACET_LIMIT = int(os.environ.get("DJANGO_LIST_FACET_LIMIT", "12"))
# Items in a feed (the newest publications), what a feed reader has not seen yet.
FEED_ITEMS = int(os.environ.get("DJANGO_FEED_ITEMS", "30"))
# Public forms sent sooner than this after they were shown are asked to be sent again
# (ikpob_portal/platform/antispam.py); robots are quicker than people. 0: no timing check.
FORM_MIN_FILL_SECONDS = int(os.environ.get("DJANGO_FORM_MIN_FILL_SECONDS", "3"))
# Where notices for editors go (e.g. interest in joining a learning circle).
EDITORS_EMAIL = os.environ.get("DJANGO_EDITORS_EMAIL", "redactie@ikpob.nl")
CONTACT_EMAIL = os.environ.get("DJANGO_CONTACT_EMAIL", "info@ikpob.nl")
# /.well-known/security.txt (RFC 9116, ikpob_portal/security_txt.py): whom to tell about a
# vulnerability (mailto: or https:, comma-separated), until when that holds (ISO 8601
# date-time, less than a year ahead) and, optionally, the disclosure policy's https address.
# `check --deploy` refuses a missing contact or an expiry in the past.
SECURITY_CONTACT = os.environ.get("DJANGO_SECURITY_CONTACT", "")
SECURITY_TXT_EXPIRES = os.environ.get("DJANGO_SECURITY_TXT_EXPIRES", "")
SECURITY_POLICY_URL = os.environ.get("DJANGO_SECURITY_POLICY_URL", "").strip()
PAGE_SIZE = 20

# Errors of django.request (unhandled exceptions: 500) are mailed to these addresses, without
# DEBUG: DJANGO_ADMINS="Naam <beheer@ikpob.nl>,ict@ikpob.nl". Form data and variables' values
# are left out of those mails (ikpob_portal.platform.logs.PrivateExceptionReporterFilter).
_admins = [pair for pair in getaddresses([os.environ.get("DJANGO_ADMINS", "")]) if pair[1]]
if any("@" not in address for _, address in _admins):
    raise ImproperlyConfigured(
        'DJANGO_ADMINS is a comma-separated list of addresses: "Naam <a@ikpob.nl>,b@ikpob.nl".'
    )
ADMINS = [formataddr(pair) for pair in _admins]
DEFAULT_EXCEPTION_REPORTER_FILTER = "ikpob_portal.platform.logs.PrivateExceptionReporterFilter"

# Logs go to stderr, one JSON object per line (DJANGO_LOG_FORMAT=json, the default without
# DEBUG) for a log collector, or plain text (text, the default with DEBUG).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "").strip().lower() or (
    "text" if DEBUG else "json"
)
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT={LOG_FORMAT!r} is not known; use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ikpob_portal.platform.logs.JsonFormatter"},
        "text": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "ikpob_portal.platform.logs.PrivateAdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default config gives "django" its own console handler (DEBUG only) and mails
        # every error, django.security's too (each bad Host header). Here everything goes to the
        # root's console once, and only request errors are mailed.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # One line per task state change is noise; failures still log as errors.
        "django.tasks": {"level": "WARNING"},
    },
}
