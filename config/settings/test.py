"""The test suite: `make test`. PostgreSQL when DATABASE_URL is set, SQLite otherwise."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, REDIS_BROKER_TRANSPORT_OPTIONS, env

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Two runs side by side (CI runs SQLite and PostgreSQL at once) keep their uploads apart.
MEDIA_ROOT = Path(env("TEST_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-uploads")))
ALLOWED_HOSTS = ["*"]
# Publishing goes to an in-memory broker: tests call services directly; the real-worker test
# points Celery at the real Redis.
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
# A real worker started by a fault test (tests/faults.py) reads its own Redis from here.
if env("TEST_CELERY_BROKER_URL", default=""):
    CELERY_BROKER_URL = env("TEST_CELERY_BROKER_URL")
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
# The saved security policy is re-read only when it is saved (tests/conftest.py forgets it
# between tests), never in the middle of a query-count assertion.
SECURITY_POLICY_CACHE_SECONDS = 10**9
# The benchmarks' data generator and its `generate_load` command are tested too.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# The member register's keys (people.crypto): development keys that protect nothing, used only
# when the environment names none.
PORTAL_ID_KEYS = env.list(
    "PORTAL_ID_KEYS", default=["dGVzdC1zdWl0ZS1vbmx5LW5vdC1zZWNyZXQta2V5LTE="]
)
PORTAL_ID_HMAC_KEY = env("PORTAL_ID_HMAC_KEY", default="test-suite-only-id-digest-key-not-secret")
# Every city dashboard after a write is rendered by its request (no worker runs here); the tests
# of a recent body "as of" its time set their own (tests/portal/test_city_body.py).
CITY_BODY_RECENT_SECONDS = 0
