"""ID numbers at rest: encrypted with Fernet (AES-128-CBC and HMAC-SHA256, `cryptography`) and
found by a keyed digest (HMAC-SHA256), so the database never holds a plain number.

- `PORTAL_ID_KEYS`: a comma-separated list of Fernet keys. The first encrypts; every key
  decrypts, so a new key is put first, `manage.py rotate_id_keys` re-encrypts every row with it,
  and the old key is then removed.
- `PORTAL_ID_HMAC_KEY`: the key of the digest that finds a person by their number and keeps
  numbers unique. Changing it needs `rotate_id_keys` too (the command recomputes every digest
  from the decrypted number).

Production has no default for either (`people.checks` refuses to start without them); the local
and test settings carry development keys that protect nothing.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _keys() -> list[str]:
    keys = [key.strip() for key in getattr(settings, "PORTAL_ID_KEYS", []) if key.strip()]
    if not keys:
        raise ImproperlyConfigured("PORTAL_ID_KEYS is not set: ID numbers cannot be stored.")
    return keys


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in _keys()])
    except ValueError:
        raise ImproperlyConfigured("PORTAL_ID_KEYS holds a value that is no Fernet key.") from None


def _hmac_key() -> bytes:
    key = getattr(settings, "PORTAL_ID_HMAC_KEY", "")
    if not key:
        raise ImproperlyConfigured("PORTAL_ID_HMAC_KEY is not set: ID numbers cannot be found.")
    return key.encode()


def encrypt(plain: str) -> str:
    """The Fernet token of `plain` under the first key (a different token each time)."""
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    """The plain text of a token made under any of the keys."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An ID number was encrypted with a key no longer in PORTAL_ID_KEYS."
        ) from None


def rotate(token: str) -> str:
    """The token re-encrypted under the first key."""
    return _fernet().rotate(token.encode()).decode()


def digest(plain: str) -> str:
    """The keyed digest a number is found and kept unique by (64 hex characters)."""
    return hmac.new(_hmac_key(), plain.encode(), hashlib.sha256).hexdigest()
