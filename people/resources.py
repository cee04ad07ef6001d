"""The register's sheet (党员名册), as the national party member management system
(全国党员管理信息系统) writes it: its Chinese column headings and its words for the choices, so a
county's export from there imports here and the register's export opens there.

- `COLUMNS`: the headings, in the sheet's order. They are the file format, not interface text, so
  they are not translated (as the ethnic groups' names in people.constants are not).
- `SHEET_WORDS`: the system's words for sex, education and category. An import also takes the
  portal's own labels (Chinese or English) and the stored codes.
- `PersonResource` (django-import-export, under the export rule of core.excel: no formula and no
  control character reaches a cell) exports people masked (110105********1234, 138****5678)
  unless made with `full=True`, which only county staff get, audited (people.views_import). Its
  fields' widgets read the sheet's cells for the import (people.importing).
"""

from __future__ import annotations

import datetime
import re

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.excel import SafeCellsResource
from zones.models import in_force_on

from . import masking
from .constants import Category, Education, Ethnicity, Sex
from .idnumber import normalize
from .models import Membership, Person
from .selectors import today

# The headings of the national system's member sheet, in its order; the attribute each fills.
COLUMNS: dict[str, str] = {
    "姓名": "name",
    "性别": "sex",
    "公民身份号码": "id_number",
    "民族": "ethnicity",
    "出生日期": "date_of_birth",
    "学历": "education",
    "人员类别": "category",
    "入党日期": "joined_on",
    "转正日期": "full_member_on",
    "工作岗位": "job_title",
    "联系电话": "mobile",
    "所在党支部": "unit",
}
HEADING = {attribute: heading for heading, attribute in COLUMNS.items()}
REQUIRED = ("name", "id_number", "unit")

# The national system's words for the choices (what its sheets print), first the one an export
# writes, then other spellings its sheets and the counties' own lists use.
SHEET_WORDS: dict[type, dict[str, tuple[str, ...]]] = {
    Sex: {Sex.MALE: ("男", "男性"), Sex.FEMALE: ("女", "女性")},
    Category: {Category.FULL: ("正式党员", "正式"), Category.PROBATIONARY: ("预备党员", "预备")},
    Education: {
        Education.DOCTORATE: ("研究生（博士）", "博士研究生", "博士"),
        Education.MASTER: ("研究生（硕士）", "硕士研究生", "硕士", "研究生"),
        Education.BACHELOR: ("大学本科", "本科"),
        Education.COLLEGE: ("大学专科", "专科", "大专"),
        Education.SECONDARY_SPECIALIZED: ("中等专科", "中专"),
        Education.VOCATIONAL: ("职业高中", "职高"),
        Education.TECHNICAL: ("技工学校", "技校"),
        Education.HIGH_SCHOOL: ("高中",),
        Education.JUNIOR: ("初中",),
        Education.PRIMARY: ("小学及以下", "小学"),
    },
    Ethnicity: {code: (label,) for code, label in Ethnicity.choices},
}


def _text(value) -> str:
    """A cell as text: a whole number Excel stored as a number (a phone) without its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class SheetChoiceWidget(widgets.Widget):
    """A choice written as the national system's word, the portal's label (Chinese or English)
    or the code; empty stays empty (or the field's default)."""

    def __init__(self, choices, *, default: str = "") -> None:
        self.choices = choices
        self.default = default
        super().__init__()

    def _lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for code, label in self.choices.choices:
            lookup[code] = code
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    lookup[str(label)] = code
            for word in SHEET_WORDS[self.choices].get(code, ()):
                lookup[word] = code
        return lookup

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return self.default
        code = self._lookup().get(text)
        if code is None:
            raise ValueError(
                _("“%(value)s” is none of: %(allowed)s")
                % {"value": text, "allowed": "、".join(self.words())}
            )
        return code

    def words(self) -> list[str]:
        return [SHEET_WORDS[self.choices][code][0] for code in self.choices.values]

    def render(self, value, obj=None, **kwargs):
        return SHEET_WORDS[self.choices][value][0] if value else ""


class SheetDateWidget(widgets.Widget):
    """A date as Excel stores it, or written 2010-07-01, 2010/7/1, 2010.07.01, 20100701 or
    2010年7月1日; a month alone (2010.07, 2010年7月), as the system writes some, is its first day."""

    _FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
    _MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
    _COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        match = self._FULL.match(text) or self._COMPACT.match(text)
        parts = match.groups() if match else None
        if parts is None and (month := self._MONTH.match(text)):
            parts = (*month.groups(), "1")
        try:
            if parts is None:
                raise ValueError
            return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date (write it as 2010-07-01).") % {"value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value


class SheetTextWidget(widgets.Widget):
    """Text, with a number Excel made of a phone number written back as digits."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class IDNumberWidget(SheetTextWidget):
    """The ID number as typed (normalized: no spaces, a capital X); people.idnumber judges it.
    A number Excel stored as a number has lost its last digits: that is said plainly."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError(
                _(
                    "The ID number is stored as a number, which loses digits: format the column as text."
                )
            )
        return normalize(_text(value))


def _field(attribute: str, widget: widgets.Widget) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=HEADING[attribute], widget=widget)


class PersonResource(SafeCellsResource):
    """The register's sheet: masked unless `full`. Exports the queryset it is given (the
    reader's people, or a unit's members), each with the unit they belong to today."""

    def __init__(self, *, full: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.full = full

    name = _field("name", SheetTextWidget())
    sex = _field("sex", SheetChoiceWidget(Sex))
    id_number = _field("id_number", IDNumberWidget())
    ethnicity = _field("ethnicity", SheetChoiceWidget(Ethnicity))
    date_of_birth = _field("date_of_birth", SheetDateWidget())
    education = _field("education", SheetChoiceWidget(Education))
    category = _field("category", SheetChoiceWidget(Category, default=Category.FULL))
    joined_on = _field("joined_on", SheetDateWidget())
    full_member_on = _field("full_member_on", SheetDateWidget())
    job_title = _field("job_title", SheetTextWidget())
    mobile = _field("mobile", SheetTextWidget())
    unit = fields.Field(
        attribute="unit_name", column_name=HEADING["unit"], widget=SheetTextWidget()
    )

    class Meta:
        model = Person
        fields = tuple(COLUMNS.values())
        export_order = fields
        import_id_fields: list[str] = []

    def dehydrate_id_number(self, person: Person) -> str:
        number = person.id_number
        return number if self.full else masking.mask_id(number)

    def dehydrate_mobile(self, person: Person) -> str:
        return person.mobile if self.full else masking.mask_phone(person.mobile)

    def dehydrate_unit(self, person: Person) -> str:
        return getattr(person, "unit_name", None) or ""

    @staticmethod
    def with_unit(people: QuerySet[Person], day: datetime.date | None = None) -> QuerySet[Person]:
        """`people` with the name of the unit each belongs to on `day` (today), in one query."""
        current = Membership.objects.filter(
            in_force_on(day or today()), person=OuterRef("pk")
        ).values("unit__name")[:1]
        return people.annotate(unit_name=Subquery(current)).order_by("name_pinyin", "pk")

    def export_people(self, people: QuerySet[Person]):
        """The sheet (a tablib dataset) of `people`, headings first."""
        return self.export(queryset=self.with_unit(people))

    def empty_sheet(self):
        """The headings alone: the template a county fills in."""
        return self.export(queryset=Person.objects.none())
