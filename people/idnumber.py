"""The citizen ID number (公民身份号码, GB 11643): eighteen characters — a six-digit region code
(GB/T 2260), the date of birth (YYYYMMDD), a three-digit sequence (odd for men, even for women)
and a check character computed by ISO 7064 MOD 11-2 (0–9 or X).

`validate_id_number` is the one check every way in asks (the register's forms and services, the
Excel import): it normalizes the number, checks its shape, its checksum and its date of birth,
and, when given one, that the date of birth recorded agrees with the number.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")


def check_character(first17: str) -> str:
    """The check character of the first seventeen digits (ISO 7064 MOD 11-2)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def normalize(number: str) -> str:
    """Without spaces, with a capital X: as people type it, as it is stored."""
    return "".join(str(number or "").split()).upper()


def birth_date(number: str) -> datetime.date | None:
    """The date of birth the number records, or None when it names no real day."""
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_male(number: str) -> bool:
    """The sequence's last digit: odd for a man, even for a woman."""
    return int(number[16]) % 2 == 1


def compose(*, region: str, born: datetime.date, sequence: int) -> str:
    """A number with a valid check character: for generated demo and test people only (a
    generated number may happen to be somebody's, which is why the demo says it is made up)."""
    first17 = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_character(first17)


def validate_id_number(
    number: str, *, date_of_birth: datetime.date | None = None, today: datetime.date | None = None
) -> str:
    """The normalized number, or a `ValidationError` saying what is wrong: not eighteen
    characters of the right kind, a date of birth that is no day or lies in the future (or more
    than 150 years back), a wrong check character, or a date of birth that disagrees with
    `date_of_birth`. The messages never repeat the number (they end up in logs and import
    reports)."""
    text = normalize(number)
    if not _SHAPE.match(text):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a last digit or X."),
            code="id_shape",
        )
    born = birth_date(text)
    today = today or datetime.date.today()
    if born is None or born > today or born.year < today.year - 150:
        raise ValidationError(
            _("The ID number's date of birth (characters 7–14) is not a possible day."),
            code="id_birth",
        )
    if check_character(text[:17]) != text[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong: a character was mistyped."),
            code="id_checksum",
        )
    if date_of_birth is not None and date_of_birth != born:
        raise ValidationError(
            _("The date of birth does not agree with the ID number (%(born)s).")
            % {"born": born.isoformat()},
            code="id_birth_mismatch",
        )
    return text
