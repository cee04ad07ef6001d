"""System checks: the register refuses to start without its keys (people.crypto)."""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def check_id_keys(app_configs, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    keys = [key.strip() for key in getattr(settings, "PORTAL_ID_KEYS", []) if key.strip()]
    if not keys:
        errors.append(
            checks.Error(
                "PORTAL_ID_KEYS is empty: the member register cannot encrypt ID numbers.",
                hint="Set PORTAL_ID_KEYS to one or more Fernet keys, comma-separated "
                "(python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())').",
                id="people.E001",
            )
        )
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                checks.Error(
                    f"Key {position} of PORTAL_ID_KEYS is not a Fernet key.",
                    id="people.E002",
                )
            )
    if len(getattr(settings, "PORTAL_ID_HMAC_KEY", "") or "") < 32:
        errors.append(
            checks.Error(
                "PORTAL_ID_HMAC_KEY must be set (at least 32 characters).",
                id="people.E003",
            )
        )
    return errors
