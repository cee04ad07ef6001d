"""The ID number check (GB 11643): shape, date of birth, ISO 7064 MOD 11-2 check character, and
agreement with a recorded date of birth — one function, people.idnumber.validate_id_number."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from people.idnumber import (
    birth_date,
    check_character,
    compose,
    is_male,
    validate_id_number,
)

TODAY = datetime.date(2026, 12, 1)
regions = st.sampled_from(["610922", "610924", "610926", "110105", "440305"])
births = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2008, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


def _code(exc: pytest.ExceptionInfo) -> str:
    return exc.value.error_list[0].code


def test_the_standard_example_is_valid():
    # GB 11643-1999's own example number.
    assert validate_id_number("11010519491231002X", today=TODAY) == "11010519491231002X"
    assert check_character("11010519491231002") == "X"


@given(regions, births, sequences)
def test_every_composed_number_is_valid_and_records_its_birth(region, born, sequence):
    number = compose(region=region, born=born, sequence=sequence)
    assert validate_id_number(number, date_of_birth=born, today=TODAY) == number
    assert birth_date(number) == born
    assert is_male(number) == (sequence % 2 == 1)


@given(regions, births, sequences, st.integers(min_value=0, max_value=16), st.data())
def test_any_single_mistyped_digit_is_refused(region, born, sequence, position, data):
    number = compose(region=region, born=born, sequence=sequence)
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    typo = number[:position] + wrong + number[position + 1 :]
    with pytest.raises(ValidationError) as exc:
        validate_id_number(typo, today=TODAY)
    # Either the checksum catches it or the digit broke the date (or the region's first digit).
    assert _code(exc) in {"id_checksum", "id_birth", "id_shape"}


@given(regions, births, sequences)
def test_a_wrong_check_character_is_refused(region, born, sequence):
    number = compose(region=region, born=born, sequence=sequence)
    for other in "0123456789X":
        if other != number[17]:
            with pytest.raises(ValidationError) as exc:
                validate_id_number(number[:17] + other, today=TODAY)
            assert _code(exc) == "id_checksum"


@given(regions, births, sequences, births)
def test_a_date_of_birth_that_disagrees_is_refused(region, born, sequence, recorded):
    number = compose(region=region, born=born, sequence=sequence)
    if recorded == born:
        return
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number, date_of_birth=recorded, today=TODAY)
    assert _code(exc) == "id_birth_mismatch"
    assert number not in exc.value.messages[0]


def test_lower_case_x_and_spaces_are_normalized():
    assert validate_id_number(" 110105 19491231002x ", today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    "number, code",
    [
        ("", "id_shape"),
        ("11010519491231002", "id_shape"),  # 17 characters
        ("110105194912310021X", "id_shape"),  # 19
        ("01010519491231002X", "id_shape"),  # a region never begins with 0
        ("1101051949123100X2", "id_shape"),  # X only last
        (
            compose(region="610922", born=datetime.date(1990, 1, 1), sequence=1)[:10]
            + "0230"
            + "0011",
            "id_birth",
        ),
        (compose(region="610922", born=datetime.date(2027, 1, 1), sequence=1), "id_birth"),
    ],
)
def test_refusals_say_what_is_wrong(number, code):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number, today=TODAY)
    assert _code(exc) == code
