"""The audit trail's and the record histories' CSV exports (the audit administrator's actions,
audit.admin), in the request or, past EXPORT_WORKER_ROWS rows, in the worker (core.exportjobs,
issue 20). An action exports a selection (up to every row of 300,000 events): its records' ids
are read once, in the file's order, and the rows are then read back 2,000 ids at a time, so
neither the request nor the worker holds the records and no query carries more ids than the
databases take."""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.excel import StreamedSheet, dated_name, in_chinese
from core.exportjobs import Made, builder

from .models import AuditEvent

CHUNK = 2000

EVENT_ORDER = ("at", "id")
HISTORY_ORDER = ("history_date", "history_id")


def selection(queryset: QuerySet, order: tuple[str, ...]) -> dict:
    """What an admin action selected, as an export job keeps it: the model and the ids, in the
    file's order."""
    return {
        "model": queryset.model._meta.label,
        "ids": list(queryset.order_by(*order).values_list("pk", flat=True)),
    }


def _chunks(ids: list) -> Iterator[list]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@builder("audit trail CSV")
def events_export(user, query, selected) -> Made:
    ids = selected["ids"]
    columns = ["time", "user", "ip", "event", "outcome", "path", "detail"]
    rows = (
        (
            timezone.localtime(e.at).isoformat(),
            e.username,
            e.ip or "",
            e.event,
            e.outcome,
            e.path,
            e.detail,
        )
        for chunk in _chunks(ids)
        for e in AuditEvent.objects.filter(pk__in=chunk).order_by(*EVENT_ORDER)
    )
    name = dated_name(in_chinese(AuditEvent._meta.verbose_name_plural))
    return Made(
        StreamedSheet(name, columns, rows), name=name, rows=lambda: len(ids), file_format="csv"
    )


def _csv_text(value) -> str:
    """A history value as the CSV writes it: empty for none, local time for a moment."""
    if value is None:
        return ""
    if getattr(value, "tzinfo", None):
        return timezone.localtime(value).isoformat()
    return str(value)


@builder("record history CSV")
def history_export(user, query, selected) -> Made:
    model = apps.get_model(selected["model"])
    ids = selected["ids"]
    fields = [f.name for f in model._meta.fields]
    users = get_user_model().objects.filter(pk=OuterRef("history_user_id"))
    history = model._default_manager.annotate(actor_username=Subquery(users.values("username")[:1]))
    rows = (
        [_csv_text(v) for v in r]
        for chunk in _chunks(ids)
        for r in history.filter(pk__in=chunk)
        .order_by(*HISTORY_ORDER)
        .values_list(*fields, "actor_username")
    )
    record = in_chinese(model.instance_type._meta.verbose_name)
    name = dated_name(f"{record}{in_chinese(_('History'))}")
    sheet = StreamedSheet(name, [*fields, "history_user"], rows)
    return Made(sheet, name=name, rows=lambda: len(ids), file_format="csv")
