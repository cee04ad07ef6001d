"""The production settings pass Django's deployment checklist, and the headers and cookies the
portal sends carry the protections the assessors look for."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.urls import reverse

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def check_deploy(**env_overrides) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="dangjian.example.gov.cn",
        PORTAL_ID_KEYS=Fernet.generate_key().decode(),
        PORTAL_ID_HMAC_KEY=secrets.token_urlsafe(40),
        DATABASE_URL="",
    )
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_prints_no_warnings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_fails_when_a_protection_is_switched_off():
    result = check_deploy(SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_ssl_redirect_left_to_the_proxy_must_be_said_explicitly():
    assert check_deploy(SECURE_SSL_REDIRECT="0").returncode != 0
    result = check_deploy(SECURE_SSL_REDIRECT="0", SECURE_SSL_REDIRECT_BY_PROXY="1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_real_secret_key():
    result = check_deploy(SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_the_registers_keys():
    for missing in ({"PORTAL_ID_KEYS": ""}, {"PORTAL_ID_HMAC_KEY": ""}):
        result = check_deploy(**missing)
        assert result.returncode != 0
        assert "PORTAL_ID" in result.stderr


def test_check_deploy_fails_with_debug_on():
    assert check_deploy(DEBUG="1").returncode != 0


def test_pages_forbid_framing_and_inline_scripts(client, db):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy


def test_session_cookie_is_httponly_and_same_site(client, county):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_an_sms_gateway_needs_the_portals_public_address_for_the_status_link():
    """The micro-wishes' SMS carries the status page's link; without WISHES_PUBLIC_URL it was a
    relative path, which opens nothing on a villager's phone."""
    gateway = {
        "WISHES_SMS_SENDER": "wishes.sms.HttpSender",
        "WISHES_SMS_URL": "https://sms.example.gov.cn/send",
    }
    refused = check_deploy(**gateway)
    assert refused.returncode != 0
    assert "WISHES_PUBLIC_URL" in refused.stderr
    assert check_deploy(**gateway, WISHES_PUBLIC_URL="http://dangjian.example.gov.cn").returncode
    accepted = check_deploy(**gateway, WISHES_PUBLIC_URL="https://dangjian.example.gov.cn")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
