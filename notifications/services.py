"""Writing notifications and sending them. Idempotent by construction: the database refuses a
second notification with the same (recipient, kind, subject, period)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.queue import enqueue_on_commit, publish

from .constants import Kind
from .models import Heartbeat, Notification, Preference


@dataclass(frozen=True)
class Message:
    """One notification to write: who, what kind, about what, for which period."""

    recipient_id: int
    kind: str
    subject: str
    period: str
    title: str
    body: str = ""
    url: str = ""
    # The county of the subject; when not given, the county in scope (a county's page, a
    # reminder pass over one county), else the recipient's (see `_counties`).
    county_id: int | None = None


def _counties(messages: list[Message]) -> dict[int, int | None]:
    """The county each message's notification belongs to, by recipient: the subject's when
    the message names it, else the one county in scope, else the recipient's own county (one
    query, only when some message needs it); none for a deployment's person (an administrator,
    city staff) told of a deployment's matter."""
    from counties.scoping import scoped_county_id

    in_scope = scoped_county_id()
    found: dict[int, int | None] = {}
    if in_scope is None:
        wanted = {m.recipient_id for m in messages if m.county_id is None}
        if wanted:
            from django.contrib.auth import get_user_model

            found = dict(
                get_user_model().objects.filter(pk__in=wanted).values_list("pk", "county_id")
            )
    return {m.recipient_id: m.county_id or in_scope or found.get(m.recipient_id) for m in messages}


def _preferences(
    user_ids: Iterable[int], kinds: Iterable[str]
) -> dict[tuple[int, str], Preference]:
    rows = Preference.objects.filter(user_id__in=set(user_ids), kind__in=set(kinds))
    return {(p.user_id, p.kind): p for p in rows}


def notifications_send(messages: Iterable[Message]) -> list[Notification]:
    """Write each message once, honouring each recipient's channel choices; queue the emails.
    Returns the notifications that are new (a repeated key is skipped, not an error). Works in
    bulk: a fan-out of thousands costs a handful of queries."""
    messages = list(messages)
    if not messages:
        return []
    prefs = _preferences((m.recipient_id for m in messages), (m.kind for m in messages))
    county_of = _counties(messages)
    rows = []
    for m in messages:
        pref = prefs.get((m.recipient_id, m.kind))
        in_app = pref.in_app if pref else True
        email = pref.email if pref else False
        if not in_app and not email:
            continue
        rows.append(
            Notification(
                recipient_id=m.recipient_id,
                county_id=m.county_id or county_of[m.recipient_id],
                kind=m.kind,
                subject=m.subject[:80],
                period=m.period[:40],
                title=m.title[:200],
                body=m.body,
                url=m.url[:300],
                in_app=in_app,
                email_wanted=email,
            )
        )
    if not rows:
        return []
    started = timezone.now()
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        # The rows just written, whatever the scope of the writer (a sign-in lockout is
        # written while nobody is signed in): found by their keys.
        created = list(
            Notification.objects.with_scopes_disabled()
            .filter(
                created_at__gte=started,
                recipient_id__in={r.recipient_id for r in rows},
                kind__in={r.kind for r in rows},
                subject__in={r.subject for r in rows},
            )
            .filter(period__in={r.period for r in rows})
        )
        keys = {(r.recipient_id, r.kind, r.subject, r.period) for r in rows}
        created = [n for n in created if (n.recipient_id, n.kind, n.subject, n.period) in keys]
        from .tasks import send_email

        for n in created:
            if n.email_wanted:
                enqueue_on_commit(send_email, n.pk)
    return created


def notification_send(
    *, recipient, kind: str, subject: str, period: str, title: str, body: str = "", url: str = ""
) -> Notification | None:
    """Write one notification (or nothing if it was already written)."""
    created = notifications_send([Message(recipient.pk, kind, subject, period, title, body, url)])
    return created[0] if created else None


def notification_email(*, notification_id: int) -> bool:
    """Send one notification's email exactly once: claim it with a conditional update, so a
    task delivered twice sends one email. Returns whether this call sent it."""
    claimed = Notification.objects.filter(
        pk=notification_id, email_wanted=True, emailed_at__isnull=True
    ).update(emailed_at=timezone.now())
    if claimed != 1:
        return False
    n = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not n.recipient.email:
        return False
    try:
        send_mail(
            subject=n.title,
            message=f"{n.body}\n\n{n.url}".strip(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[n.recipient.email],
        )
    except Exception:
        # Release the claim so that a retry or the sweep can send it.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def outbox_sweep(*, older_than: datetime.timedelta = datetime.timedelta(minutes=5)) -> int:
    """Publish again the emails that were never sent (the broker was down, a worker died)."""
    from .tasks import send_email

    cutoff = timezone.now() - older_than
    pending = list(
        Notification.objects.filter(
            email_wanted=True, emailed_at__isnull=True, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    published = 0
    for pk in pending:
        if publish(send_email, pk):
            published += 1
    Notification.objects.filter(pk__in=pending).update(email_queued_at=timezone.now())
    return published


def notification_mark_read(*, user, notification_id: int) -> Notification:
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user, choices: dict[str, tuple[bool, bool]]) -> None:
    """Save a user's channel choices: {kind: (in_app, email)}."""
    for kind, (in_app, email) in choices.items():
        if kind not in Kind.values:
            continue
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"in_app": in_app, "email": email}
        )


def heartbeat_beat(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
