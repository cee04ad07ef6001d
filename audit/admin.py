import contextlib
from types import SimpleNamespace

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import ResultList
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_ipv46_address
from django.db.models import OuterRef, Q, Subquery
from django.utils import dateformat, timezone
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.formats import get_format
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.sites import audit_site
from core.admin import ReadOnlyAdmin
from core.display import choice_labels
from core.excel import export
from core.exportjobs import offer

from .exports import EVENT_ORDER, HISTORY_ORDER, selection
from .history import TRACKED, register_all
from .models import AuditEvent
from .selectors import trail_count

# DATETIME_FORMAT's characters `datetime_text` writes itself (the others: Django's dateformat)
_DATE_PARTS = {
    "Y": lambda d: str(d.year),
    "m": lambda d: f"{d.month:02d}",
    "n": lambda d: str(d.month),
    "d": lambda d: f"{d.day:02d}",
    "j": lambda d: str(d.day),
    "H": lambda d: f"{d.hour:02d}",
    "G": lambda d: str(d.hour),
    "i": lambda d: f"{d.minute:02d}",
    "s": lambda d: f"{d.second:02d}",
}


def datetime_text():
    """`formats.localize(timezone.template_localtime(value))` of a time, as the admin's list
    shows a DateTimeField, with the active language's DATETIME_FORMAT and time zone read once
    and, when the format has only numeric parts (the Chinese one's 'Y年n月j日 H:i'), written
    directly: Django's dateformat parses the format again for each of a page's 100 times
    (0.1-0.2 ms each, issue 20). Any other format goes through dateformat as before."""
    fmt = str(get_format("DATETIME_FORMAT"))
    zone = timezone.get_current_timezone()

    def local(value):
        return value.astimezone(zone) if timezone.is_aware(value) else value

    parts: list = []
    for i, piece in enumerate(re_formatchars.split(fmt)):
        if i % 2:
            if piece not in _DATE_PARTS:
                return lambda value: dateformat.format(local(value), fmt)
            parts.append(_DATE_PARTS[piece])
        elif piece:
            parts.append(re_escaped.sub(r"\1", piece))
    return lambda value: "".join(
        p if isinstance(p, str) else p(d) for d in (local(value),) for p in parts
    )


class TrailPaginator(Paginator):
    """Django's paginator, the whole trail (nothing filtered or searched) counted by
    `audit.selectors.trail_count` instead of a `COUNT(*)` of every event (issue 20)."""

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if (
            query is not None
            and query.model is AuditEvent
            and not query.has_filters()
            and not query.is_sliced
            and not query.distinct
        ):
            return trail_count()
        return super().count


@admin.register(AuditEvent, site=audit_site)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, read and exported by the audit administrator; nobody edits it."""

    list_display = ("at", "username", "ip", "event", "outcome", "path", "detail")
    list_filter = ("event", "outcome", "at")
    # Issue 20: at 300,000 events, no count of the whole trail on every page, no date
    # hierarchy (it reads every row's distinct dates; the time filter above does not), and a
    # search each of whose parts an index answers (see get_search_results).
    show_full_result_count = False
    paginator = TrailPaginator  # the whole trail's count kept, not read again on every page
    search_fields = ("username", "path")  # shows the search box; get_search_results decides
    search_help_text = _(
        "Search by an exact source address, or the beginning of a username or of a path."
    )
    actions = ("export_csv",)

    def rows(self, cl) -> list[ResultList] | None:
        """The page's rows as the admin's `items_for_result` writes them, byte for byte
        (tests/audit/test_audit_lists.py compares them), each value formatted once, directly:
        the admin's generic lookups and a checkbox widget's template per row, 100 rows of eight
        cells, were most of the page's time (issue 20). None (Django's own rows) for any other
        shape of the list: other columns or links, a popup, an editable list."""
        if (
            list(cl.list_display) != ["action_checkbox", *self.list_display]
            or list(cl.list_display_links or ()) != ["at"]
            or cl.formset
            or cl.is_popup
        ):
            return None
        empty = self.get_empty_value_display()  # safe: printed as it is
        labels = {name: choice_labels(AuditEvent, name) for name in ("event", "outcome")}
        sentinel = 987654321
        link = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts},
            cl.url_for_result(SimpleNamespace(**{cl.pk_attname: sentinel})),
        )
        head, tail = escape(link).split(str(sentinel), 1)
        select = gettext("Select this object for an action - {}")
        when = datetime_text()

        def text(value) -> str:  # a text field's display_for_field, escaped
            if value is None or (isinstance(value, str) and value.strip() == ""):
                return empty
            return escape(value)

        def label(name: str, value) -> str:  # a field of choices
            if isinstance(value, str) and value.strip() == "":
                value = ""
            found = labels[name].get(value)
            return empty if found is None else escape(found)

        rows = []
        for event in cl.result_list:
            at = empty if event.at is None else escape(when(event.at))
            pk = escape(str(event.pk))
            rows.append(
                ResultList(
                    None,
                    [
                        mark_safe(  # noqa: S308 - every value escaped above
                            '<td class="action-checkbox"><input type="checkbox" '
                            f'name="{ACTION_CHECKBOX_NAME}" value="{pk}" class="action-select" '
                            f'aria-label="{select.format(escape(str(event)))}"></td>'
                            f'<th class="field-at nowrap"><a href="{head}{pk}{tail}">{at}</a></th>'
                            f'<td class="field-username">{text(event.username)}</td>'
                            f'<td class="field-ip">{text(event.ip)}</td>'
                            f'<td class="field-event">{label("event", event.event)}</td>'
                            f'<td class="field-outcome">{label("outcome", event.outcome)}</td>'
                            f'<td class="field-path">{text(event.path)}</td>'
                            f'<td class="field-detail">{text(event.detail)}</td>'
                        )
                    ],
                )
            )
        return rows

    def get_search_results(self, request, queryset, search_term):
        """An address matches exactly; any other text the beginning of the username or of the
        path (case-sensitive, as the pattern indexes answer it). No substring of the detail:
        that read every event."""
        term = search_term.strip()
        if not term:
            return queryset, False
        with contextlib.suppress(ValidationError):
            validate_ipv46_address(term)
            return queryset.filter(ip=term), False
        return queryset.filter(Q(username__startswith=term) | Q(path__startswith=term)), False

    @export("audit trail CSV")
    @admin.action(description=_("Export the selected events (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        # Streamed (issue 20): "select all" of 300,000 events is read as the file is written,
        # by the worker past EXPORT_WORKER_ROWS rows (audit.exports).
        return offer(request, "audit trail CSV", selected=selection(queryset, EVENT_ORDER))


class HistoryTypeFilter(admin.SimpleListFilter):
    title = _("change")
    parameter_name = "history_type"

    def lookups(self, request, model_admin):
        return [("+", _("Created")), ("~", _("Changed")), ("-", _("Deleted"))]

    def queryset(self, request, queryset):
        return queryset.filter(history_type=self.value()) if self.value() else queryset


class HistoryDateFilter(admin.DateFieldListFilter):
    """Django's date filter (today, past 7 days, this month, this year) under a Chinese title."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("time of the change")


class HistoryUserFilter(admin.SimpleListFilter):
    """Who made the change: the accounts that appear in this history."""

    title = _("changed by")
    parameter_name = "by"

    def lookups(self, request, model_admin):
        ids = (
            model_admin.model.objects.exclude(history_user_id=None)
            .values_list("history_user_id", flat=True)
            .distinct()
        )
        users = get_user_model().objects.filter(pk__in=ids).order_by("username")
        return [(str(u.pk), _user_label(u.full_name, u.username)) for u in users]

    def queryset(self, request, queryset):
        return queryset.filter(history_user_id=self.value()) if self.value() else queryset


def _user_label(full_name: str | None, username: str | None) -> str:
    if not username:
        return "—"
    return f"{full_name}（{username}）" if full_name else username


class HistoryAdmin(ReadOnlyAdmin):
    """A domain record's changes (django-simple-history): who (by name), when (local time), from
    where, what and why, searchable by the person, the reason or the record."""

    list_display = (
        "changed_at",
        "change_type",
        "changed_by",
        "ip_address",
        "record",
        "change_reason",
    )
    list_filter = (HistoryTypeFilter, ("history_date", HistoryDateFilter), HistoryUserFilter)
    search_fields = ("history_change_reason", "ip_address")  # the box; see get_search_results
    search_help_text = _(
        "Search by the person (name or username), the reason, the address or the record's number."
    )
    # Issue 20: no count of the whole history on every page, no date hierarchy (distinct
    # dates of every row; the time filter above does not read them).
    show_full_result_count = False
    actions = ("export_csv",)

    def get_search_results(self, request, queryset, search_term):
        """A number is the record's; an address matches exactly; any other text the beginning
        of the person's name or username (looked up among the accounts first, then the
        history by its indexed user column) or of the reason. No substring searches over
        annotated columns: those ran the name subqueries for every row of the history."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.isdigit():
            return queryset.filter(id=int(term)), False
        with contextlib.suppress(ValidationError):
            validate_ipv46_address(term)
            return queryset.filter(ip_address=term), False
        people = get_user_model().objects.filter(
            Q(username__startswith=term) | Q(full_name__startswith=term)
        )
        return queryset.filter(
            Q(history_user_id__in=people.values("pk")) | Q(history_change_reason__startswith=term)
        ), False

    def get_queryset(self, request):
        users = get_user_model().objects.filter(pk=OuterRef("history_user_id"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                actor_username=Subquery(users.values("username")[:1]),
                actor_name=Subquery(users.values("full_name")[:1]),
            )
        )

    @admin.display(description=_("time"), ordering="history_date")
    def changed_at(self, obj):
        return timezone.localtime(obj.history_date).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("change"), ordering="history_type")
    def change_type(self, obj):
        return obj.get_history_type_display()

    @admin.display(description=_("changed by"))
    def changed_by(self, obj):
        if obj.history_user_id is None:
            return _("the system")
        return (
            _user_label(obj.actor_name, obj.actor_username)
            if obj.actor_username
            else f"#{obj.history_user_id}"
        )

    @admin.display(description=_("record"))
    def record(self, obj):
        # simple-history's str() appends " as of <UTC time>"; the time has its own column.
        return str(obj).rsplit(" as of ", 1)[0]

    # Not `reason`: several records have a field of that name, which the admin would show instead.
    @admin.display(description=_("reason"))
    def change_reason(self, obj):
        return obj.history_change_reason or "—"

    @export("record history CSV")
    @admin.action(description=_("Export the selected changes (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return offer(request, "record history CSV", selected=selection(queryset, HISTORY_ORDER))


def register_history() -> None:
    """Every tracked model's history, on the audit administrator's site. (The admin is
    discovered before this app is ready: register the histories first; it is idempotent.)"""
    register_all()
    for app_label, model_name, _excluded in TRACKED:
        model = apps.get_model(app_label, model_name)
        historical = model.history.model
        if not audit_site.is_registered(historical):
            audit_site.register(historical, HistoryAdmin)


register_history()
