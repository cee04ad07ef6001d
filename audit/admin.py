import contextlib

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.sites import audit_site
from core.excel import export
from core.exportjobs import offer

from .exports import EVENT_ORDER, HISTORY_ORDER, selection
from .history import TRACKED, register_all
from .models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail is read and exported, never edited (the PostgreSQL trigger refuses it
    anyway)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent, site=audit_site)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, read and exported by the audit administrator; nobody edits it."""

    list_display = ("at", "username", "ip", "event", "outcome", "path", "detail")
    list_filter = ("event", "outcome", "at")
    # Issue 20: at 300,000 events, no count of the whole trail on every page, no date
    # hierarchy (it reads every row's distinct dates; the time filter above does not), and a
    # search each of whose parts an index answers (see get_search_results).
    show_full_result_count = False
    search_fields = ("username", "path")  # shows the search box; get_search_results decides
    search_help_text = _(
        "Search by an exact source address, or the beginning of a username or of a path."
    )
    actions = ("export_csv",)

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
