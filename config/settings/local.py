"""A developer's machine: `make run`. DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Served straight from the vendored files; no collectstatic needed on a laptop.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# The benchmarks' tooling (`manage.py generate_load`): a developer's and the bench's, never
# production's.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# The member register's keys (people.crypto): development keys that protect nothing, used only
# when the environment names none.
PORTAL_ID_KEYS = env.list(
    "PORTAL_ID_KEYS", default=["bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1pZC1rZXktMDE="]
)
PORTAL_ID_HMAC_KEY = env("PORTAL_ID_HMAC_KEY", default="local-development-only-id-digest-key")
