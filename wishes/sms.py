"""Text messages to villagers, through a pluggable sender (setting `WISHES_SMS_SENDER`, a dotted
path): `wishes.sms.ConsoleSender` in development (writes to the log), `wishes.sms.HttpSender`
for a county's SMS gateway (settings `WISHES_SMS_URL`, `WISHES_SMS_TOKEN`: a JSON POST of
`{"phone", "text"}` with a bearer token). The text follows the approved template (`feedback_text`):
ticket number, status and a link only; free text stays on the status page."""

from __future__ import annotations

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("wishes.sms")

# The approved template (短信模板), at most 70 characters once filled in.
TEMPLATE = "【党群e心】您的心愿{ticket}{status}，详情请查看：{link}"
MAX_LENGTH = 70


def feedback_text(*, ticket: str, status: str, link: str) -> str:
    text = TEMPLATE.format(ticket=ticket, status=status, link=link)
    if len(text) > MAX_LENGTH:
        raise ValueError(f"SMS of {len(text)} characters exceeds the template's {MAX_LENGTH}")
    return text


class ConsoleSender:
    """Development: the message goes to the log."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone[-4:].rjust(11, "*"), text)


class HttpSender:
    """A county's SMS gateway with an HTTP API (`WISHES_SMS_URL`, `WISHES_SMS_TOKEN`)."""

    def send(self, phone: str, text: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            settings.WISHES_SMS_URL,
            data=json.dumps({"phone": phone, "text": text}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {getattr(settings, 'WISHES_SMS_TOKEN', '')}",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310
            pass


def sender():
    return import_string(getattr(settings, "WISHES_SMS_SENDER", "wishes.sms.ConsoleSender"))()


def send(phone: str, text: str) -> bool:
    """Send; a gateway's failure is logged and never undoes the step that sent it."""
    if not phone:
        return False
    try:
        sender().send(phone, text)
    except Exception:  # noqa: BLE001 - any failure of the gateway
        logger.exception("SMS to a villager failed")
        return False
    return True
