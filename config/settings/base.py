"""Settings shared by every environment.

Everything that differs between a laptop and the county's server comes from the environment
(django-environ); see the README's configuration table.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local `.env` file is convenient on a developer's machine; the real environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "django_celery_beat",
    "accounts.apps.AxesConfig",  # django-axes
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Loads every app's rules.py: the portal's authorization rules (core.access).
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "accounts",
    "counties",
    "zones",
    "people",
    "activities",
    "supervision",
    # 双带 service teams (issue 18): above supervision, whose checklists and findings it reuses
    "teams",
    # Citizens' micro-wishes (岚皋县) and the image captcha of its login-free intake page.
    "wishes",
    "captcha",
    # 六大课堂 member education (issue 19)
    "education",
    "notifications",
    "reports",
    "portal",
    "simple_history",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every query after this runs in the reader's county scope (django-scopes): a query of a
    # county's records with no scope raises instead of leaking another county's.
    "counties.middleware.CountyScopeMiddleware",
    # A NUL or control character in a query parameter is a 400 for every page (after
    # authentication, so the error page knows who asks).
    "core.middleware.QueryStringMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.uploads.UploadBudgetMiddleware",  # one decoding budget per request that sends files
    # Who changed a record, from where (django-simple-history), and what responses say about
    # the request (denials, exports) go on the audit trail.
    "simple_history.middleware.HistoryRequestMiddleware",
    "audit.middleware.AuditMiddleware",
    # After authentication and messages: they log out or redirect a signed-in user.
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.PasswordPolicyMiddleware",
    "accounts.middleware.AdministratorMiddleware",
    # `?county=<code>`: the county a page reads (city staff choose any, a county's people only
    # their own; 404 otherwise).
    "counties.switch.CountySwitchMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a refused (locked-out) login into the lockout page.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
                "counties.context_processors.mechanisms",
                "counties.context_processors.brand",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# With no DATABASE_URL the portal runs on the embedded SQLite file; with it, on PostgreSQL.
# An empty DATABASE_URL counts as unset.
DATABASES = {
    "default": env.db_url_config(
        env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# PostgreSQL's planner is told a random page read costs little more than a sequential one
# (PG_RANDOM_PAGE_COST, default 1.1, the value for SSDs and data that fits in memory, as the
# portal's does; PostgreSQL's own default of 4 is for spinning disks). With 4 it read every
# finding of the city to list one county's (issue 20: 30 ms at 20 counties where walking the
# county's units by index took 2). Empty to keep the server's setting (e.g. behind a pooler
# that refuses startup options).
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env(
    "PG_RANDOM_PAGE_COST", default="1.1"
):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={float(env('PG_RANDOM_PAGE_COST', default='1.1'))}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
# django-axes' backend first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "counties.backends.ReaderBackend"]
# Apps whose records work-committee staff with admin access manage in the admin (`/admin/`).
# Accounts and security belong to the separated administrators (accounts.backends.role_permissions).
# The city and its counties are the system administrator's (a county's staff must not add
# a county or switch another county's mechanisms).
STAFF_ADMIN_APPS = [
    "core",
    "zones",
    "people",  # the member register (issue 16): masked, changed through its services
    "activities",
    "supervision",
    "education",  # 六大课堂: the county's classrooms, study rules and 双报到 communities
    "teams",
    "wishes",  # the micro-wishes' places, categories, settings, courtyard meetings (issue 17)
    "notifications",
    "django_celery_beat",
]
# A one-time code's issuer as authenticator apps show it.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="石泉县片区联建督导")
# Nobody but the device's owner sees its secret (the security administrator only removes one).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# The issuing committee a report's Word document names (发文机关).
# The county (and its city) that every record made before counties existed is put in by the
# migration counties.0002_default_county, and that a county-only installation runs as
# (counties.services.default_county). GB/T 2260 codes.
PORTAL_DEFAULT_CITY_CODE = env("PORTAL_DEFAULT_CITY_CODE", default="610900")
PORTAL_DEFAULT_CITY_NAME = env("PORTAL_DEFAULT_CITY_NAME", default="安康市")
PORTAL_DEFAULT_COUNTY_CODE = env("PORTAL_DEFAULT_COUNTY_CODE", default="610922")
PORTAL_DEFAULT_COUNTY_NAME = env("PORTAL_DEFAULT_COUNTY_NAME", default="石泉县")
REPORTS_ISSUER = env("REPORTS_ISSUER", default="中共石泉县委直属机关工作委员会")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Password policy (等保 2.0 identity authentication): length and character classes, not a common
# password, changed every PASSWORD_MAX_AGE_DAYS days (0: never expires), changed at first login and
# after an administrator's reset (accounts.middleware.PasswordPolicyMiddleware). The policy validator
# also records when a password changes (User.password_changed_at), so keep it in the list.
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=8)
PASSWORD_MIN_CHARACTER_CLASSES = env.int("PASSWORD_MIN_CHARACTER_CLASSES", default=3)
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.passwords.PasswordPolicyValidator",
        "OPTIONS": {
            "min_length": PASSWORD_MIN_LENGTH,
            "min_classes": PASSWORD_MIN_CHARACTER_CLASSES,
        },
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Failed logins (django-axes): PASSWORD_LOCKOUT_FAILURES failures in a row lock the account for
# PASSWORD_LOCKOUT_MINUTES; a successful login clears the count. The security administrator sees
# and lifts lockouts on `/security-admin/` (access attempts). The client address is read by core.middleware.client_ip:
# set TRUSTED_PROXY_COUNT to the number of reverse proxies (nginx …) in front of the portal,
# each appending to X-Forwarded-For; with 0 the header is ignored (a client could forge it).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
PASSWORD_LOCKOUT_FAILURES = env.int("PASSWORD_LOCKOUT_FAILURES", default=5)
PASSWORD_LOCKOUT_MINUTES = env.int("PASSWORD_LOCKOUT_MINUTES", default=30)
# The security administrator's saved policy overrides the two above (accounts.security).
AXES_FAILURE_LIMIT = "accounts.security.lockout_failures"
AXES_COOLOFF_TIME = "accounts.security.lockout_cooloff"
AXES_ENABLE_ADMIN = False  # lockouts are on the security administrator's site (accounts.admin)
# The account limit counts the failures of one username *from one address* (django-axes' nested
# list: the combination), so an attacker at one address cannot lock the owner out of their account
# from another. An address alone is locked only after ADDRESS_LOCKOUT_FAILURES failures over any
# accounts within ADDRESS_LOCKOUT_MINUTES (password spraying), a limit high enough that a county
# office behind one NAT address is not locked by someone else's typos (accounts.lockout).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.PortalAxesHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failure: the address limit counts them
ADDRESS_LOCKOUT_FAILURES = env.int("ADDRESS_LOCKOUT_FAILURES", default=50)
ADDRESS_LOCKOUT_MINUTES = env.int("ADDRESS_LOCKOUT_MINUTES", default=15)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.middleware.lockout_response"  # registration/locked.html
AXES_VERBOSE = False

# Sessions live in the database, so logins survive a Redis outage, and logging out deletes the
# session row: the old cookie is worthless afterwards. A session ends after SESSION_IDLE_MINUTES
# without a request and, whatever the activity, SESSION_ABSOLUTE_HOURS after signing in
# (accounts.middleware.SessionLifetimeMiddleware). The idle expiry slides forward by saving the
# session again every SESSION_TOUCH_SECONDS of activity rather than on every request
# (SESSION_SAVE_EVERY_REQUEST would add a write to every page).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env.int("SESSION_TOUCH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_MAX_AGE = env.int("SESSION_ABSOLUTE_HOURS", default=12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files never live under the static root; they are served through views that
    # check who asks (see the activities and supervision apps).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "uploads")))
MEDIA_URL = "/media-not-public/"

REDIS_URL = env("REDIS_URL", default="")
# After one call to Redis (cache or broker) fails, skip it for this many seconds, then probe
# again (core.breaker): a Redis that hangs costs one timeout per spell, not one per call.
REDIS_BREAKER_SECONDS = env.float("REDIS_BREAKER_SECONDS", default=5)

# The cache holds computed figures (the county dashboard, keyed by a data version that every
# save bumps; core.cache), never sessions. Redis when REDIS_URL is set, shared by every web
# process and the Celery worker; otherwise files under var/cache, which the processes of one
# machine share too (`make run` without Redis). A cache that does not answer only costs speed.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "portal",
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_DIR", default=str(BASE_DIR / "var" / "cache")),
            "KEY_PREFIX": "portal",
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Content-Security-Policy (django-csp): everything from the portal itself, no inline scripts.
# Styles allow inline attributes because ECharts' tooltips and Bootstrap set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"

# Uploaded evidence: checked by content, size- and pixel-limited, served only through views.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Decoding is bounded before it starts (core.uploads): pixels of one photo by its header, the
# long side it is stored at (JPEGs are decoded at a reduced scale to reach it), and the pixels
# one request may decode in all.
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=24_000_000)
UPLOAD_MAX_SIDE = env.int("UPLOAD_MAX_SIDE", default=4096)
UPLOAD_REQUEST_MAX_PIXELS = env.int("UPLOAD_REQUEST_MAX_PIXELS", default=120_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Set to an nginx `internal` location (e.g. /protected-uploads/) to let nginx send the bytes.
UPLOADS_X_ACCEL_PREFIX = env("UPLOADS_X_ACCEL_PREFIX", default="")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Off on purpose: the library's guard drops the "=" (the text changes and cannot be restored),
# misses "+", "-" and "@", and turns every number into text (member counts no longer add up).
# The portal's resources quote formula-like text instead, as every other export does
# (core.excel.SafeCellsResource, tests/test_export_formulae.py).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# How far ahead an administrator may date a reassignment or a class change.
ZONES_MAX_FUTURE_DAYS = env.int("ZONES_MAX_FUTURE_DAYS", default=366)

# The member register's ID numbers (people.crypto): Fernet keys, comma-separated, the first
# encrypts and all decrypt (rotation: README, "The member register"), and the key of the digest
# that finds and keeps numbers unique. No default here: only the local and test settings carry
# development keys, and `manage.py check` fails without them (people.E001–E003).
PORTAL_ID_KEYS = env.list("PORTAL_ID_KEYS", default=[])
PORTAL_ID_HMAC_KEY = env("PORTAL_ID_HMAC_KEY", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- Celery -------------------------------------------------------------------------------------
# Redis when REDIS_URL is set; otherwise kombu's filesystem transport, which needs no server.
CELERY_BROKER_FOLDER = Path(env("CELERY_BROKER_FOLDER", default=str(BASE_DIR / "var" / "broker")))
REDIS_BROKER_TRANSPORT_OPTIONS = {
    # A message taken by a worker that then vanished (SIGKILL, a lost machine) is handed out
    # again after this long. Longer than the longest task's hard limit (900 s), so a slow task
    # is not delivered twice; work cut short waits for the sweeps' leases instead (minutes).
    "visibility_timeout": 3600,
    # Publishing never makes a page hang: fail fast, the periodic sweep re-enqueues.
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 0,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "out"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "out"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
# A report's generation or a daily/weekly job's run still unfinished this many seconds after it
# was claimed lost its worker and is claimed again (core.queue.lease). Empty: the task's hard
# time limit plus a minute, after which the worker has surely stopped it.
BACKGROUND_LEASE_SECONDS = env.int("BACKGROUND_LEASE_SECONDS", default=0)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Large exports (core.exportjobs, issue 20): an export of more rows than this is written by the
# worker (a job page with its progress and the download link) instead of in the request; the
# written files are kept this many hours.
EXPORT_WORKER_ROWS = env.int("EXPORT_WORKER_ROWS", default=1000)
# After a write, the city dashboard may serve its last body, "as of" its time, for less than
# this many seconds while the worker renders the current one (portal.city_body); 0: never.
CITY_BODY_RECENT_SECONDS = env.int("CITY_BODY_RECENT_SECONDS", default=10)
EXPORT_RETENTION_HOURS = env.int("EXPORT_RETENTION_HOURS", default=24)

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="dangjian@localhost")


# --- citizens' micro-wishes (wishes) ---------------------------------------------------------------
# The SMS sender of the answers to villagers (wishes.sms): the console in development, a county
# gateway's HTTP API (`wishes.sms.HttpSender` with WISHES_SMS_URL and WISHES_SMS_TOKEN) in production.
WISHES_SMS_SENDER = env("WISHES_SMS_SENDER", default="wishes.sms.ConsoleSender")
WISHES_SMS_URL = env("WISHES_SMS_URL", default="")
WISHES_SMS_TOKEN = env("WISHES_SMS_TOKEN", default="")
WISHES_PUBLIC_URL = env("WISHES_PUBLIC_URL", default="")  # the status link's host in the SMS
# The intake page's captcha (django-simple-captcha): served by the portal, no external service.
CAPTCHA_LENGTH = 4
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_TIMEOUT = 10
