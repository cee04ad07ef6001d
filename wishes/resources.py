"""Import of the places (town → village → group) from the county's Excel sheet, with
django-import-export as the unit import does (zones.resources): preview then confirm in the
admin, all or nothing — one bad row and no row is written — and every bad row named with its
line number and reason. Each row is one group, with its village and its town; a town or a
village the county lacks is created, a group it has already is skipped (a second import of the
same sheet changes nothing). The headings are 镇, 村 and 组 (or town, village, group)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.excel import SafeCellsResource
from counties.services import default_county

from .models import Group, Town, Village

HEADINGS = {"town": "镇", "village": "村", "group": "组"}
NAME_LENGTH = 60


class NameWidget(widgets.CharWidget):
    """A place's name: required, at most 60 characters, spaces around it dropped."""

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            raise ValueError(_("empty: every row names its town, village and group"))
        if len(text) > NAME_LENGTH:
            raise ValueError(_("longer than %(n)d characters") % {"n": NAME_LENGTH})
        return text


class PlaceResource(SafeCellsResource):
    """One county's places: `county` (the importing staff's, given by the admin) is the county
    new towns go into and the only one whose places are matched."""

    town_name = fields.Field(attribute="town_name", column_name="镇", widget=NameWidget())
    village_name = fields.Field(attribute="village_name", column_name="村", widget=NameWidget())
    name = fields.Field(attribute="name", column_name="组", widget=NameWidget())

    def __init__(self, *, county=None, **kwargs):
        super().__init__(**kwargs)
        self._county = county

    @property
    def county(self):
        if self._county is None:
            self._county = default_county()
        return self._county

    class Meta:
        model = Group
        fields = ("town_name", "village_name", "name")
        use_transactions = True
        report_skipped = True
        clean_model_instances = False

    def before_import(self, dataset, **kwargs):
        # English headings are read as the Chinese ones
        dataset.headers = [HEADINGS.get(str(h).strip().lower(), h) for h in dataset.headers]
        super().before_import(dataset, **kwargs)

    def _names(self, row):
        return [str(row.get(HEADINGS[k]) or "").strip() for k in ("town", "village", "group")]

    def get_instance(self, instance_loader, row):
        town, village, group = self._names(row)
        found = (
            Group.objects.filter(
                village__town__county=self.county,
                village__town__name=town,
                village__name=village,
                name=group,
            )
            .select_related("village__town")
            .first()
        )
        if found is not None:
            found.town_name, found.village_name = town, village
        return found

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # a group the county has already: nothing to change
        return not import_validation_errors and instance.pk is not None

    def before_save_instance(self, instance, row, **kwargs):
        town, _created = Town.objects.get_or_create(county=self.county, name=instance.town_name)
        village, _created = Village.objects.get_or_create(town=town, name=instance.village_name)
        instance.village = village
        super().before_save_instance(instance, row, **kwargs)

    def import_data(self, dataset, dry_run=False, raise_errors=False, *args, **kwargs):
        # all or nothing, as the unit import (zones.resources.UnitResource)
        with transaction.atomic():
            result = super().import_data(dataset, dry_run, raise_errors, *args, **kwargs)
            if result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True)
        return result

    def get_queryset(self):
        return Group.objects.filter(village__town__county=self.county)
