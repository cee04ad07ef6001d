"""Helpers more than one test module uses, each defined once here (issue 14). Fixtures live in
the conftest.py files (the personas in tests/conftest.py); helpers that build one app's records
stay beside that app's tests (tests/activities/factories.py, tests/supervision/conftest.py)."""

from __future__ import annotations

import io

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
UNIT_CHANGELIST = "admin:zones_unit_changelist"


def sign_in(client, username: str, password: str = PASSWORD, *, ip: str | None = None, **extra):
    """Post the sign-in form as a browser would, from address `ip` if given; `extra` goes to the
    request (headers such as HTTP_ACCEPT_LANGUAGE)."""
    if ip is not None:
        extra["REMOTE_ADDR"] = ip
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def supervision_url(name: str, *args) -> str:
    return reverse(f"supervision:{name}", args=args)


def make_png(name: str = "现场.png") -> SimpleUploadedFile:
    """A small readable PNG, as evidence photographed on a phone."""
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def post_unit_action(client, action: str, units, **data):
    """Run an admin action of the unit list on `units`, in English (the assertions read the
    English messages; the Chinese ones are the catalogue's business)."""
    payload = {"action": action, ACTION_CHECKBOX_NAME: [u.pk for u in units], **data}
    with translation.override("en"):
        return client.post(reverse(UNIT_CHANGELIST), payload, HTTP_ACCEPT_LANGUAGE="en")


def file_body(response) -> bytes:
    """A download's bytes, whether the response holds them or streams them (core.excel streams
    the large exports from a temporary file)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def plan_with_only_index(table: str, index: str, sql: str) -> str:
    """PostgreSQL's plan of `sql` (values inlined) with the sequential scan priced out and
    every other index of `table` dropped, inside a transaction rolled back: whether the query
    fits `index` at all. A test's few rows let the planner take any index that fits, by the
    statistics of the moment, so asking for one by name among several is flaky."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index i"
            " WHERE indrelid = %s::regclass AND NOT indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            " AND indexrelid::regclass::text <> %s",
            [table, index],
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan
