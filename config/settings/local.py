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
