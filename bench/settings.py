"""Settings for `make bench`: the local settings without DEBUG and without TLS, the bench URLs
(the bare page), an in-memory Celery broker (report generation is timed in-process), and
persistent database connections as a production server would keep them."""

from config.settings.local import *  # noqa: F403
from config.settings.local import BASE_DIR, REDIS_BROKER_TRANSPORT_OPTIONS, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="bench-only-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
# An in-memory broker for what the bench measures in-process; the load test's gunicorn and its
# Celery worker share a Redis broker (BENCH_BROKER_URL, set by bench.run), as in production.
CELERY_BROKER_URL = env("BENCH_BROKER_URL", default="memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    REDIS_BROKER_TRANSPORT_OPTIONS if CELERY_BROKER_URL.startswith("redis") else {}
)
MEDIA_ROOT = BASE_DIR / "var" / "bench-uploads"
# The load driver stands for the reverse proxy in front of the portal: the villagers of the
# wish-intake burst each come from their own address in X-Forwarded-For (bench/mix.py).
TRUSTED_PROXY_COUNT = 1
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# The system checks' warnings about development settings say nothing about speed.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

import warnings  # noqa: E402

# WhiteNoise looks for collected static files; the bench loads HTML pages only.
warnings.filterwarnings("ignore", message="No directory at")
# The bench runs no Celery worker, and its cold measurements time a miss: the city dashboard
# renders every miss itself (portal.city_body) unless this is set (with a worker running).
CITY_BODY_RECENT_SECONDS = env.int("CITY_BODY_RECENT_SECONDS", default=0)
