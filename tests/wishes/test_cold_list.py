"""Issue 20, the micro-wishes list on a cold cache: its rows are formatted once in the selector
(wishes.selectors.wish_rows) and show exactly what the list's template used to compute per cell
(the dates, the place, the text cut at 40 characters, the labels, the masked phone, the overdue
mark, the link); the page costs the same queries at small and large data."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.wishes.conftest import MONDAY
from wishes import services
from wishes.models import Wish
from wishes.selectors import wishes_listed

# The list's row as the template wrote it before issue 20 (templates/wishes/index.html).
BEFORE = Template(
    """{% load portal_tags %}{% for wish in page %}
  <tr{% if wish.due and wish.due < today and wish.state in "dispatched returned handling" %} class="table-danger"{% endif %}>
    <td><a href="{% url 'wishes:detail' wish.pk %}">{{ wish.ticket }}</a></td>
    <td>{{ wish.received_on|date:"Y年n月j日" }}</td>
    <td>{{ wish.town.name }}{{ wish.village.name }}{% if wish.group %}{{ wish.group.name }}{% endif %}</td>
    <td>{{ wish.text|truncatechars:40 }}</td>
    <td>{{ wish.category|default:"—" }}</td>
    <td>{{ wish.handler|default:"—" }}</td>
    <td>{{ wish.get_state_display }}</td>
    <td>{% if wish.deadline %}{{ wish.deadline|date:"Y年n月j日" }}{% else %}—{% endif %}</td>
    <td>{{ wish.phone|mask_phone|default:"—" }}</td>
  </tr>
{% endfor %}"""
)


def _tbody(html: str) -> str:
    body = html[html.index('id="wish-table"') :]
    body = body[body.index("<tbody>") + len("<tbody>") : body.index("</tbody>")]
    return re.sub(r"\s+", " ", body).strip()


def _wishes_of_every_kind(w, county, fixed_today):
    fixed_today(MONDAY)
    long = (
        "村口的路灯已经坏了很久，晚上出行非常不便，老人孩子经常摔倒，希望尽快维修<b>并</b>加装两盏"
    )
    a = services.wish_receive(group=w.group, text=long, phone="13900003333")
    Wish.objects.filter(pk=a.pk).update(group=None, phone="")  # as after the erasure
    b = services.wish_receive(group=w.group_2, text="水渠堵了 & 漏水", phone="13900001111")
    services.wish_dispatch(wish=b, category=w.roads, by=county.staff)  # due in 5 working days
    c = services.wish_receive(group=w.group, text="修桥", phone="13900002222")
    services.wish_dispatch(
        wish=c, category=w.other, handler=county.other_unit, by=county.staff, on=MONDAY
    )
    return a, b, c


def test_the_rows_show_what_the_template_computed_per_cell(client, w, county, fixed_today):
    _wishes_of_every_kind(w, county, fixed_today)
    fixed_today(MONDAY + datetime.timedelta(days=30))  # the dispatched ones are overdue now
    client.force_login(county.staff)
    for query in ("", "?state=dispatched"):
        page = client.get(reverse("wishes:index") + query)
        assert page.status_code == 200
        wishes, _state = wishes_listed(county.staff, {"state": query.partition("=")[2]})
        with translation.override("zh-hans"):
            expected = BEFORE.render(
                Context({"page": list(wishes[:50]), "today": MONDAY + datetime.timedelta(days=30)})
            )
        got = _tbody(page.content.decode())
        assert got == re.sub(r"\s+", " ", expected).strip()
        assert 'class="table-danger"' in got


def test_the_list_costs_the_same_queries_with_many_pages_of_wishes(client, w, county):
    client.force_login(county.staff)
    url = reverse("wishes:index")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.get(url)
    small = queries()
    for n in range(60):
        wish = services.wish_receive(group=w.group_2, text="路灯不亮", phone=f"139000{n:05d}")
        if n % 3 == 0:
            services.wish_dispatch(wish=wish, category=w.roads, by=county.staff)
    assert Wish.objects.count() > 50
    assert queries() == small


def test_the_list_reads_its_names_by_primary_key_without_joins(client, w, county):
    """The place's, category's and handler's names are scalar subqueries by primary key
    (wishes.selectors.wish_row_columns): PostgreSQL planned the list's five joins in ~15 ms."""
    client.force_login(county.staff)
    url = reverse("wishes:index")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    (rows,) = [q["sql"] for q in ctx.captured_queries if 'AS "town_name"' in q["sql"]]
    assert " JOIN " not in rows
    assert '"wishes_wish"."suggestion"' not in rows and '"wishes_wish"."answer"' not in rows
