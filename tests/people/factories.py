"""People of the register for the tests, made through the services (as the import and the
demo make them), with generated ID numbers whose checksums are valid."""

from __future__ import annotations

import datetime
import itertools

from people import services
from people.idnumber import compose

_sequence = itertools.count(1)


def id_number(*, region: str = "610922", born: datetime.date = datetime.date(1985, 3, 14)) -> str:
    """A fresh valid ID number (the sequence differs on each call)."""
    return compose(region=region, born=born, sequence=next(_sequence))


def person_in(
    unit,
    *,
    name: str = "张伟",
    since: datetime.date = datetime.date(2025, 1, 1),
    actor=None,
    with_id: bool = True,
    **fields,
):
    """A person registered in `unit` since `since`, with a valid ID number unless told."""
    if with_id and "id_number" not in fields:
        born = fields.get("date_of_birth") or datetime.date(1985, 3, 14)
        fields["id_number"] = id_number(region=unit.county.code, born=born)
    fields.setdefault("joined_on", datetime.date(2010, 7, 1))
    return services.person_create(unit=unit, actor=actor, since=since, name=name, **fields)
