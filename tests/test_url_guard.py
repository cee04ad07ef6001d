"""Every URL of the portal is listed here with what an anonymous visitor gets, so a URL added
without thinking about who may use it fails this test. (The full matrix of every persona is
issue 7's; this is its first column.)"""

from __future__ import annotations

import pytest
from django.urls import URLResolver, get_resolver, reverse

PUBLIC = {"login", "healthz", "set_language"}
# The admin sites are tested on their own (tests/test_administrators.py).
ADMIN_SITES = {"admin", "security_admin", "audit_admin"}
# URL name → sample kwargs. Ids need not exist: an anonymous visitor must be sent to log in
# before anything is looked up.
URLS = {
    "home": {},
    "dashboard": {},
    "my_work": {},
    "zone_detail": {"pk": 1},
    "unit_detail": {"pk": 1},
    "unit_phone": {"pk": 1},
    "search": {},
    "moves": {},
    "participant_search": {},
    "healthz": {},
    "login": {},
    "logout": {},
    "password_change": {},
    "password_change_done": {},
    "otp_verify": {},
    "otp_setup": {},
    "otp_qr": {},
    "set_language": {},
    "activities:mine": {},
    "activities:zone": {},
    "activities:queue": {},
    "activities:create": {},
    "activities:detail": {"pk": 1},
    "activities:edit": {"pk": 1},
    "activities:submit": {"pk": 1},
    "activities:confirm": {"pk": 1},
    "activities:return": {"pk": 1},
    "activities:attachment": {"pk": 1, "attachment_pk": 1},
    "activities:grid": {},
    "activities:ledger": {},
    "activities:ledger_export": {},
    "activities:rotation": {"zone_pk": 1},
    "activities:rotation_order": {"zone_pk": 1},
    "activities:rotation_swap": {"zone_pk": 1},
    "activities:rotation_generate": {},
    "supervision:index": {},
    "supervision:check_list": {},
    "supervision:check_create": {},
    "supervision:check_detail": {"pk": 1},
    "supervision:check_pairing": {"pk": 1},
    "supervision:check_publish": {"pk": 1},
    "supervision:sheet_detail": {"pk": 1},
    "supervision:sheet_add_finding": {"pk": 1},
    "supervision:sheet_add_evidence": {"pk": 1},
    "supervision:sheet_evidence_file": {"pk": 1},
    "supervision:round_list": {},
    "supervision:round_create": {},
    "supervision:round_detail": {"pk": 1},
    "supervision:round_plan": {"pk": 1},
    "supervision:round_publish": {"pk": 1},
    "supervision:round_close": {"pk": 1},
    "supervision:team_detail": {"pk": 1},
    "supervision:finding_list": {},
    "supervision:finding_export": {},
    "supervision:finding_detail": {"pk": 1},
    "supervision:finding_action": {"pk": 1, "action": "start"},
    "supervision:finding_evidence_file": {"pk": 1},
    "supervision:class_review": {},
    "supervision:class_review_confirm": {},
    "supervision:class_movements": {},
    "notifications:list": {},
    "notifications:open": {"pk": 1},
    "notifications:read": {"pk": 1},
    "notifications:read_all": {},
    "notifications:preferences": {},
    "people:register": {},
    "people:detail": {"pk": 1},
    "people:numbers": {"pk": 1},
    "people:profile": {"pk": 1},
    "reports:list": {},
    "reports:request": {},
    "reports:detail": {"pk": 1},
    "reports:status": {"pk": 1},
    "reports:narrative": {"pk": 1},
    "reports:file": {"pk": 1},
    "reports:download": {"pk": 1},
    "reports:document": {"pk": 1},
    "people_import:import": {},
    "people_import:import_confirm": {},
    "people_import:import_template": {},
    "people_import:export": {},
    "people_import:unit_export": {"pk": 1},
    "people_import:retention": {},
}


def url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ADMIN_SITES:
                continue
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_listed_here():
    assert sorted(set(url_names())) == sorted(URLS)


@pytest.mark.parametrize("name", sorted(set(URLS) - PUBLIC))
def test_anonymous_visitors_are_sent_to_log_in(client, db, name):
    url = reverse(name, kwargs=URLS[name])
    for method in (client.get, client.post):
        response = method(url)
        if response.status_code == 405:  # an action that refuses this method before anything else
            continue
        assert response.status_code == 302, (name, method.__name__, response.status_code)
        assert response["Location"].startswith(reverse("login")), name


@pytest.mark.parametrize("namespace", sorted(ADMIN_SITES))
def test_anonymous_visitors_to_an_admin_site_are_sent_to_the_portal_login(client, db, namespace):
    response = client.get(reverse(f"{namespace}:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
