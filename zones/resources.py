"""Import of units from the county's Excel list (django-import-export).

Columns may carry either the code or the (Chinese or English) label of a choice, since the
county's sheet says 党支部, not `branch`. An import is all or nothing: one bad row and no row
is written, and every bad row is reported with its line number.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.excel import SafeCellsResource, export
from counties.services import default_county

from .constants import OrgType, UnitKind, WorkCategory
from .models import Unit


class ChoiceWidget(widgets.Widget):
    def __init__(self, choices):
        self.choices = choices
        super().__init__()

    def _labels(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for code, label in self.choices.choices:
            lookup[code] = code
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    lookup[str(label)] = code
        return lookup

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return self.choices.values[0]
        code = self._labels().get(text)
        if code is None:
            allowed = "、".join(str(label) for label in self.choices.labels)
            raise ValueError(f"“{text}” ∉ {allowed}")
        return code

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class CountWidget(widgets.IntegerWidget):
    """A head count: a whole number of zero or more, or empty for zero."""

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return 0
        try:
            number = int(float(text))
        except ValueError:
            raise ValueError(f"“{text}”: {_('not a whole number')}") from None
        if number < 0 or number != float(text):
            raise ValueError(f"“{text}”: {_('not a whole number')}")
        return number


@export("unit list")
class UnitResource(SafeCellsResource):
    """Exported and imported under the export rule (core.excel): no control character and no
    formula reaches a cell, and a workbook the portal exported imports back unchanged.

    One county's units: `county` (the importing staff's, given by the admin) is the county new
    rows go into and the only one whose units are exported or matched by name; without it, the
    installation's default county (counties.services.default_county)."""

    def __init__(self, *, county=None, **kwargs):
        super().__init__(**kwargs)
        self._county = county

    @property
    def county(self):
        if self._county is None:
            self._county = default_county()
        return self._county

    def init_instance(self, row=None):
        return Unit(county=self.county)

    name = fields.Field(attribute="name", column_name="name")
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(UnitKind))
    org_type = fields.Field(
        attribute="org_type", column_name="org_type", widget=ChoiceWidget(OrgType)
    )
    member_count = fields.Field(
        attribute="member_count", column_name="member_count", widget=CountWidget()
    )
    work_category = fields.Field(
        attribute="work_category", column_name="work_category", widget=ChoiceWidget(WorkCategory)
    )

    class Meta:
        model = Unit
        import_id_fields = ["name"]
        fields = (
            "name",
            "short_name",
            "kind",
            "org_type",
            "work_category",
            "location",
            "member_count",
            "secretary_name",
            "secretary_phone",
        )
        export_order = fields
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def import_data(self, dataset, dry_run=False, raise_errors=False, *args, **kwargs):
        # import-export rolls back on errors but keeps the valid rows when other rows fail
        # validation; the county wants all or nothing.
        with transaction.atomic():
            result = super().import_data(dataset, dry_run, raise_errors, *args, **kwargs)
            if result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True)
        return result

    def get_queryset(self):
        return Unit.objects.filter(county=self.county, is_active=True)
