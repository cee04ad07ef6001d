"""Templates ask the named rules the views ask (core.access, `{% load access %}`), never a
person's role: no template under templates/ reads a role attribute of the user, and the
navigation each persona sees is what it was before the templates asked the rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# A role attribute of the signed-in person (`user.role`, `user.is_committee`, `user.is_staff`,
# `request.user.is_superuser`, …) or a role flag handed over under a role's name (`is_staff`).
# `user.is_authenticated` says whether anyone is signed in, not who they are: allowed.
ROLE_TEST = re.compile(
    r"\b(?:user\.(?:role|is_(?!authenticated\b)\w+|groups)|is_staff|is_superuser)\b"
)

NAV_ID = re.compile(r'id="(nav-[a-z-]+)"')
HOME_TEXT = re.compile(r'id="nav-home">([^<]*)<')

PORTAL_NAV = [
    "nav-home",
    "nav-activities",
    "nav-grid",
    "nav-my-activities",
    "nav-zone-activities",
    "nav-queue",
    "nav-supervision",
    "nav-supervision-index",
    "nav-findings",
]
TAIL = ["nav-search", "nav-notifications", "nav-user"]


def role_tests_in(text: str) -> list[str]:
    tags = re.findall(r"{%.*?%}|{{.*?}}", text, flags=re.S)
    return [match for tag in tags for match in ROLE_TEST.findall(tag)]


def test_no_template_tests_a_role_directly():
    offenders = {
        str(path.relative_to(TEMPLATES)): found
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (found := role_tests_in(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_role_check_would_catch_each_way_of_asking_a_role():
    assert role_tests_in("{% if user.is_committee_staff %}") == ["user.is_committee_staff"]
    assert role_tests_in("{% if request.user.role == 'staff' %}") == ["user.role"]
    assert role_tests_in("{% if not user.is_separated_admin %}") == ["user.is_separated_admin"]
    assert role_tests_in("{% if is_staff %}") == ["is_staff"]
    assert role_tests_in('{% if user.is_authenticated and user|may:"x.y" %}') == []
    assert role_tests_in("user.is_staff outside a tag is text") == []


def nav_of(client, user, url_name: str = "home") -> tuple[list[str], str | None]:
    client.force_login(user)
    with translation.override("en"):
        response = client.get(reverse(url_name), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    home = HOME_TEXT.search(nav)
    return NAV_ID.findall(nav), home and home.group(1)


@pytest.mark.django_db
def test_committee_staff_see_every_page_of_the_mechanism_and_the_administration(client, county):
    links, home = nav_of(client, county.staff)
    assert links == [
        *PORTAL_NAV[:6],
        "nav-ledger",
        *PORTAL_NAV[6:],
        "nav-class-movements",
        "nav-class-review",
        "nav-moves",
        "nav-register",
        "nav-reports",
        "nav-admin",
        *TAIL,
    ]
    assert home == "Dashboard"


@pytest.mark.django_db
def test_the_leader_sees_the_dashboard_class_movements_and_reports(client, county):
    links, home = nav_of(client, county.leader)
    assert links == [*PORTAL_NAV, "nav-class-movements", "nav-register", "nav-reports", *TAIL]
    assert home == "Dashboard"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lead_secretary", "secretary", "other_secretary", "outsider"])
def test_secretaries_and_outsiders_see_their_own_work_only(client, county, persona):
    links, home = nav_of(client, getattr(county, persona))
    # A secretary reads their own unit's members in the register; an outsider has no unit.
    register = [] if persona == "outsider" else ["nav-register"]
    assert links == [*PORTAL_NAV, *register, *TAIL]
    assert home == "My work"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["system", "security", "audit"])
def test_separated_administrators_see_only_their_administration_and_account(
    client, administrators, persona
):
    links, home = nav_of(client, getattr(administrators, persona), "password_change")
    assert links == ["nav-admin", "nav-user"]
    assert home is None
