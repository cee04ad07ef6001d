"""The county's server. Differs from local only through the environment; a missing secret
fails loudly at start-up instead of running with a guessable key.

`DJANGO_SETTINGS_MODULE=config.settings.production python manage.py check --deploy
--fail-level WARNING` passes with the defaults below (CI runs it)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import PORTAL_ID_HMAC_KEY, PORTAL_ID_KEYS, SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=False)

# A web worker keeps its database connection from one request to the next (a new one costs a
# round trip and a PostgreSQL backend's start on every page), checked before it is reused; the
# statements core.prepared prepares live as long as it does (issue 20).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if not SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be set (at least 32 characters) in production.")
# The member register's keys (people.crypto; README, "The member register"): no ID number is
# stored, nor found, without them.
if not PORTAL_ID_KEYS or len(PORTAL_ID_HMAC_KEY) < 32:
    raise ImproperlyConfigured(
        "PORTAL_ID_KEYS (Fernet keys) and PORTAL_ID_HMAC_KEY (at least 32 characters) must be "
        "set in production."
    )

# The micro-wishes' SMS through a county gateway carries the status page's link: a relative
# link in a text message opens nothing, so the portal's public address must be known.
_wishes_sms_sender = env("WISHES_SMS_SENDER", default="wishes.sms.ConsoleSender")
_wishes_public_url = env("WISHES_PUBLIC_URL", default="")
if _wishes_sms_sender.endswith("HttpSender") and not _wishes_public_url.startswith("https://"):
    raise ImproperlyConfigured(
        "WISHES_PUBLIC_URL (the portal's public https:// address) must be set when "
        "WISHES_SMS_SENDER sends text messages through the county's gateway."
    )

# TLS ends at the reverse proxy (nginx), which tells the portal the original scheme in
# X-Forwarded-Proto; set SECURE_PROXY_SSL_HEADER_NAME= (empty) when nothing in front sets it,
# since a client could then forge the header.
_proxy_ssl_header = env("SECURE_PROXY_SSL_HEADER_NAME", default="HTTP_X_FORWARDED_PROTO")
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
# The portal redirects plain HTTP to HTTPS itself; when the proxy already does it, turning this
# off is harmless but check --deploy then warns (security.W008): silence it deliberately with
# SECURE_SSL_REDIRECT_BY_PROXY=1.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
if not SECURE_SSL_REDIRECT and env.bool("SECURE_SSL_REDIRECT_BY_PROXY", default=False):
    SILENCED_SYSTEM_CHECKS = ["security.W008"]
# The monitoring probe asks http://127.0.0.1:8000/healthz directly, without the proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Cookies: HTTPS only, out of JavaScript's reach (the portal's scripts never read them), and
# not sent along with requests from other sites' pages.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
