"""The accounts' models moved from core to accounts (issue 14) without touching the database: an
installation that upgrades with `migrate` keeps its security policy row, and the content types
(so the permissions and the admin's history) move with the models."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.models import SecurityPolicy
from accounts.security import clear_policy_cache, policy

BEFORE_THE_MOVE = ("core", "0008_scheduled_run_ledger")


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_an_existing_security_policy_and_its_permissions_survive_the_move_to_accounts():
    # Back to the schema of an installation from before the move: accounts has no migration,
    # the policy is core's.
    _executor().migrate([("accounts", None)])
    old = _executor().loader.project_state(BEFORE_THE_MOVE).apps
    OldPolicy = old.get_model("core", "SecurityPolicy")
    OldPolicy.objects.create(pk=1, min_length=14, lockout_failures=4, require_second_factor=True)
    OldContentType = old.get_model("contenttypes", "ContentType")
    old_type = OldContentType.objects.get(app_label="core", model="securitypolicy")
    OldPermission = old.get_model("auth", "Permission")
    permission = OldPermission.objects.get(content_type=old_type, codename="change_securitypolicy")
    assert not OldContentType.objects.filter(app_label="accounts").exists()

    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    clear_policy_cache()

    row = SecurityPolicy.objects.get(pk=1)
    assert (row.min_length, row.lockout_failures, row.require_second_factor) == (14, 4, True)
    assert policy().min_length == 14
    moved = ContentType.objects.get_for_model(SecurityPolicy)
    assert (moved.pk, moved.app_label) == (old_type.pk, "accounts")
    assert not ContentType.objects.filter(app_label="core", model="securitypolicy").exists()
    assert permission.pk in moved.permission_set.values_list("pk", flat=True)
    clear_policy_cache(assume_none=True)


def test_the_models_keep_their_tables():
    assert SecurityPolicy._meta.db_table == "core_securitypolicy"
    assert SecurityPolicy.history.model._meta.db_table == "audit_core_securitypolicy"


def test_the_policy_and_authenticator_pages_answer_at_their_old_addresses_too(
    client, administrators
):
    client.force_login(administrators.security)
    old = client.get("/security-admin/core/securitypolicy/1/change/?_changelist_filters=x")
    assert old.status_code == 301
    assert (
        old["Location"] == "/security-admin/accounts/securitypolicy/1/change/?_changelist_filters=x"
    )
    assert old["Location"].split("?")[0] == reverse(
        "security_admin:accounts_securitypolicy_change", args=[1]
    )
    listing = client.get("/security-admin/core/authenticator/")
    assert listing["Location"] == reverse("security_admin:accounts_authenticator_changelist")


@pytest.mark.parametrize("who", ["system", "audit"])
def test_the_old_addresses_refuse_the_other_administrators_as_the_new_ones_do(
    client, administrators, who
):
    client.force_login(getattr(administrators, who))
    assert client.get("/security-admin/core/securitypolicy/1/change/").status_code == 403
