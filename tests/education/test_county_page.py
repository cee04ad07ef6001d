"""The six classrooms' county page on a cold cache (issue 20): its figures read in a constant
number of queries — the members with their role and first membership in one query, the
classrooms with their sessions and training person-times in one, 双报到 from the per-unit
rows — and equal to what the per-person reads and the plain counts give."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.pages import QUERY_BUDGET
from education import selectors, services
from education.constants import ATTENDED, ClassroomKind, ExternalSource, SessionKind, Status
from education.hours import Rules, on_pace
from education.models import Attendance, CommunityRegistration, ExternalStudy, StudyRules
from people import services as people_services
from people.constants import (
    PRACTICAL_CATEGORIES,
    LeavingReason,
    MatterCategory,
    MatterSource,
    PostKind,
)
from people.models import Person, PracticalMatter
from tests.factories import UserFactory
from tests.people.factories import person_in
from zones.models import Unit, in_force_on

from .conftest import make_session

pytestmark = pytest.mark.django_db


def _members(county_id):
    return Person.objects.filter(
        in_force_on(timezone.localdate(), "memberships__"),
        left_on__isnull=True,
        county_id=county_id,
    ).distinct()


def _world(edu, county, n: int, *, first: int = 0):
    """n more members (one in three an officer, one in three a cadre, some joined this year),
    n sessions of several classrooms and kinds with attendances, and a 双报到 registration
    with a confirmed service for each member."""
    year = timezone.localdate().year
    account = UserFactory(username=f"community{first}", county=edu.county)
    community = services.community_save(county=edu.county, name=f"社区{first}", accounts=[account])
    for i in range(first, first + n):
        since = datetime.date(year, 3, 1) if i % 2 else datetime.date(year - 2, 1, 1)
        person = person_in(county.member_unit, name=f"成员{i}", since=since)
        if i % 3 == 1:
            people_services.post_assign(
                person=person,
                unit=county.member_unit,
                kind=PostKind.ORGANIZATION,
                on=since,
                actor=county.staff,
            )
        if i % 3 == 2:
            people_services.cadre_profile_update(
                person=person, actor=county.staff, years_of_party_work=3
            )
        registration = services.registration_create(
            unit=county.member_unit,
            person=person,
            community=community,
            registered_on=timezone.localdate() - datetime.timedelta(days=10),
            by=county.secretary,
        )
        service = services.service_log(
            registration=registration,
            done_on=timezone.localdate(),
            description="环境整治",
            hours=Decimal("1.5"),
            by=county.secretary,
            practical_matter=bool(i % 2),
        )
        services.community_confirm(
            community=community,
            by=account,
            registration_ids=[registration.pk],
            service_ids=[service.pk],
        )
    rooms = [ClassroomKind.THEORY, ClassroomKind.PRACTICE]
    kinds = [SessionKind.GROUP_STUDY, SessionKind.TRAINING]
    for i in range(first, first + n):
        session = make_session(
            edu,
            county,
            day=datetime.date(year, 1, 5 + i),
            hours="3",
            room=rooms[i % 2],
            kind=kinds[i % 2],
            topic=f"学习{i}",
        )
        for k, attendance in enumerate(session.attendances.order_by("pk")):
            status = [Status.PRESENT, Status.LATE, Status.ABSENT, Status.EXCUSED][(i + k) % 4]
            Attendance.objects.filter(pk=attendance.pk).update(
                status=status, leave_hours=Decimal("0.5") if k % 3 == 0 else Decimal(0)
            )


def _county_page_queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("education:index"))  # the session and the seeded classrooms
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("education:index")).status_code == 200
    return len(ctx.captured_queries)


def test_the_county_page_costs_the_same_queries_at_any_size_within_the_budget(client, edu, county):
    _world(edu, county, 2)
    small = _county_page_queries(client, county.staff)
    _world(edu, county, 7, first=2)
    large = _county_page_queries(client, county.staff)
    assert small == large <= QUERY_BUDGET
    # the session, the user, the counts (county_counts: one statement on PostgreSQL; the
    # classrooms, the meetings, the registrations and the records of service elsewhere), the
    # members' totals (one statement; members_years' four queries elsewhere), the latest
    # sessions, the unread notifications, the communities; not the county's row
    assert small == (7 if connection.vendor == "postgresql" else 13)


def test_the_members_hours_are_those_of_the_per_person_reads(edu, county):
    _world(edu, county, 6)
    year = timezone.localdate().year
    people = list(_members(edu.county.pk))
    by_person = selectors.person_years(people, year)
    by_members = selectors.members_years(_members(edu.county.pk), year)
    assert list(by_members) == [p.pk for p in people]  # the register's order
    assert {
        pk: (e.required, e.by_classroom, e.flagged, e.absences, e.external, e.on_pace)
        for pk, e in by_members.items()
    } == {
        pk: (e.required, e.by_classroom, e.flagged, e.absences, e.external, e.on_pace)
        for pk, e in by_person.items()
    }
    # the roles differ: a cadre's, an officer's and a member's requirement, prorated for some
    assert len({e.required for e in by_members.values()}) >= 3


def test_the_county_figures_are_the_plain_counts(edu, county):
    _world(edu, county, 5)
    year = timezone.localdate().year
    county_id = edu.county.pk
    for room in (ClassroomKind.THEORY, ClassroomKind.PRACTICE):  # last year's: not counted
        old = make_session(
            edu, county, day=datetime.date(year - 1, 6, 1), kind=SessionKind.TRAINING, room=room
        )
        old.attendances.update(status=Status.PRESENT)
        assert old.attendances.exists()
    figures = selectors.county_figures(year, county_id=county_id)
    sessions = edu.county.study_sessions.filter(starts_at__year=year)
    by_room = dict(sessions.values_list("classroom_id").annotate(n=Count("pk")))
    assert figures["classrooms"] == [
        (room, by_room.get(room.pk, 0)) for room in selectors.classrooms(county_id=county_id)
    ]
    assert figures["sessions"] == sessions.count() == 5
    assert figures["training_person_times"] == (
        Attendance.objects.filter(
            session__in=sessions, session__kind=SessionKind.TRAINING, status__in=ATTENDED
        ).count()
    )
    assert figures["training_person_times"] > 0
    registrations = CommunityRegistration.objects.filter(confirmed=True, unit__county_id=county_id)
    assert figures["registered_members"] == registrations.values("person_id").distinct().count()
    assert figures["registered_units"] == registrations.values("unit_id").distinct().count() == 1
    served = selectors.served_matters(county_id).filter(done_on__year=year)
    totals = served.aggregate(n=Count("pk"), hours=Sum("hours"))
    assert (figures["services"], figures["service_hours"]) == (totals["n"], totals["hours"])
    assert figures["services"] == 5
    assert figures["community_units"] == selectors.unit_community_figures(
        year, units=[county.member_unit]
    )
    people = list(_members(county_id))
    years = selectors.person_years(people, year)
    assert figures["members"] == len(people)
    assert figures["on_pace"] == sum(1 for e in years.values() if e.on_pace)


def test_a_county_without_classrooms_has_them_seeded_on_its_page(client, edu, county):
    edu.county.classrooms.all().delete()
    client.force_login(county.staff)
    response = client.get(reverse("education:index"))
    assert response.status_code == 200
    names = [room.name for room, _n in response.context["figures"]["classrooms"]]
    assert len(names) == 6
    # nobody registered with a community: the 双报到 table says so in its one row
    assert '<tbody>\n<tr><td colspan="5" class="text-muted">' in response.content.decode()
    assert names == [r.name for r in services.classrooms_ensure(county=edu.county)]


def _every_rule(edu, county, year: int):
    """Members and hours of `year` where each rule of the hours engine applies: the county's
    own rates (a half-up rounding: 1.5 half days × 3.5 = 5.25 → 5.3), sessions spanning the
    year's first and last days (split by their days: 1/2, 1/3), leave, late, absent, excused,
    imported hours over the cap in one classroom and under it in another, a cadre, an officer,
    members who joined during the year, and one who left."""
    StudyRules.objects.create(
        county=edu.county,
        year=year,
        hours_per_day=Decimal("7.5"),
        hours_per_half_day=Decimal("3.5"),
        hours_per_hour=Decimal("1.5"),
        member_hours=Decimal("9"),
        officer_hours=Decimal("20"),
        cadre_hours=Decimal("30"),
        external_cap=Decimal("5"),
    )
    people = []
    for i in range(9):
        since = datetime.date(year, 2 + i, 1) if i % 2 else datetime.date(year - 3, 1, 1)
        people.append(person_in(county.member_unit, name=f"规则{i}", since=since))
    people_services.post_assign(
        person=people[1],
        unit=county.member_unit,
        kind=PostKind.ORGANIZATION,
        on=people[1].memberships.get().effective_from,
        actor=county.staff,
    )
    people_services.cadre_profile_update(
        person=people[2], actor=county.staff, years_of_party_work=3
    )
    sessions = [
        make_session(
            edu,
            county,
            day=datetime.date(year - 1, 12, 30),
            last=datetime.date(year, 1, 2),
            hours="4",
            unit="days",
        ),
        make_session(
            edu,
            county,
            day=datetime.date(year, 12, 31),
            last=datetime.date(year + 1, 1, 2),
            hours="3",
            unit="days",
            kind=SessionKind.TRAINING,
        ),
        make_session(
            edu,
            county,
            day=datetime.date(year, 3, 3),
            hours="1.5",
            unit="half_days",
            room=ClassroomKind.PRACTICE,
        ),
        make_session(edu, county, day=datetime.date(year, 4, 4), hours="2.5"),
    ]
    statuses = [Status.PRESENT, Status.LATE, Status.ABSENT, Status.EXCUSED, Status.PRESENT]
    for s, session in enumerate(sessions):
        for k, attendance in enumerate(session.attendances.order_by("pk")):
            Attendance.objects.filter(pk=attendance.pk).update(
                status=statuses[(s + k) % len(statuses)],
                leave_hours=Decimal("0.5") * ((s + k) % 3),
            )
    cloud, theory = edu.rooms[ClassroomKind.CLOUD], edu.rooms[ClassroomKind.THEORY]
    for person, source, room, value in [
        (people[0], ExternalSource.XUEXI, cloud, "4"),
        (people[0], ExternalSource.CADRE_COLLEGE, cloud, "3"),
        (people[3], ExternalSource.XUEXI, cloud, "2.5"),
        (people[3], ExternalSource.CADRE_COLLEGE, theory, "6"),
        (people[4], ExternalSource.XUEXI, cloud, "9"),
    ]:
        ExternalStudy.objects.create(
            county=edu.county,
            person=person,
            classroom=room,
            source=source,
            year=year,
            hours=Decimal(value),
        )
    Person.objects.filter(pk=people[5].pk).update(
        left_on=datetime.date(year, 6, 1), leaving_reason=LeavingReason.TRANSFERRED_OUT
    )
    return people


def _standing(years) -> Counter:
    """How many of the people of `years` (person id → PersonYear) have each (requirement,
    total): what `members_totals` counts."""
    return Counter((entry.required, entry.total) for entry in years.values())


def _on_pace(standing: Counter, year: int, day: datetime.date) -> int:
    return sum(
        n
        for (required, total), n in standing.items()
        if on_pace(total=total, required=required, year=year, day=day)
    )


@pytest.mark.parametrize("when", [(6, 30), (12, 31)])
def test_the_members_totals_in_sql_are_those_of_the_hours_engine(edu, county, when):
    """`members_totals` (one SQL statement on PostgreSQL, the rules read in it) counts the
    members by the requirement and the total `members_years` computes row by row in Python,
    and so the same members on pace."""
    year = timezone.localdate().year - 1
    day = datetime.date(year, *when)
    people = _every_rule(edu, county, year)
    for i, since in enumerate([datetime.date(year - 2, 5, 1), datetime.date(year - 1, 7, 9)]):
        person_in(county.member_unit, name=f"未学{i}", since=since)  # one group: the whole year's
    expected = selectors.members_years(selectors.current_members(edu.county.pk, day), year, day=day)
    found = selectors.members_totals(year, county_id=edu.county.pk, day=day)
    assert found == _standing(expected)
    assert people[5].pk not in expected  # left
    assert sum(found.values()) == len(expected)
    assert _on_pace(found, year, day) == sum(e.on_pace for e in expected.values())
    totals = {total for _required, total in found}
    assert len(totals) >= 5 and any(t % 1 for t in totals)  # the figures differ, with tenths
    assert 0 < _on_pace(found, year, day) < len(expected)
    assert len({required for required, _total in found}) >= 4  # member, officer, cadre, prorated
    assert max(found.values()) > 1  # members who joined on different days, counted as one
    with CaptureQueriesContext(connection) as ctx:
        selectors.members_totals(year, county_id=edu.county.pk, day=day)
    assert len(ctx.captured_queries) == (1 if connection.vendor == "postgresql" else 4)
    if connection.vendor == "postgresql":
        # run prepared (core.prepared): executed by name, and the same figures past the five
        # runs PostgreSQL plans with the values, under its generic plan
        for _ in range(6):
            assert selectors.members_totals(year, county_id=edu.county.pk, day=day) == found
        assert ctx.captured_queries[0]["sql"].startswith(("EXECUTE portal_", "PREPARE portal_"))
        with CaptureQueriesContext(connection) as ctx:
            selectors.members_totals(year, county_id=edu.county.pk, day=day)
        assert ctx.captured_queries[0]["sql"].startswith("EXECUTE portal_")


@pytest.mark.parametrize("rows", ["none", "earlier and later"])
def test_the_members_totals_read_the_rules_rules_for_reads(edu, county, rows):
    """The rules `members_totals` reads in its statement are `rules_for`'s: the defaults where
    the county has no row, the latest row of the year or before (a later year's row not
    read)."""
    year = timezone.localdate().year - 1
    day = datetime.date(year, 9, 30)
    _every_rule(edu, county, year)
    rules = StudyRules.objects.get(county=edu.county, year=year)
    if rows == "none":
        rules.delete()
    else:
        StudyRules.objects.filter(pk=rules.pk).update(year=year - 1)
        StudyRules.objects.create(
            county=edu.county, year=year + 1, hours_per_day=Decimal(2), member_hours=Decimal(1)
        )
    expected = selectors.members_years(selectors.current_members(edu.county.pk, day), year, day=day)
    found = selectors.members_totals(year, county_id=edu.county.pk, day=day)
    assert found == _standing(expected)
    assert selectors.rules_for(year, county_id=edu.county.pk) == (
        Rules() if rows == "none" else Rules.of(rules)
    )
    assert len({total for _required, total in found}) >= 5


_OLD_SESSION_ROWS = """{% load i18n %}{% for s in sessions %}
<tr><td class="text-nowrap">{{ s.starts_at|date:"Y-m-d" }}</td><td>{{ s.classroom.name }}</td><td>{{ s.get_kind_display }}</td>
<td><a href="{% url 'education:session' s.pk %}">{{ s.topic }}</a></td><td class="text-end">{{ s.attended_count }}/{{ s.expected_count }}</td></tr>
{% endfor %}"""
_NEW_SESSION_ROWS = """{% for s in sessions %}{{ s.html }}{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_session_rows_print_what_the_filters_and_tags_printed(edu, county, language):
    """The session table's texts built once per page (`session_table`) are those of the
    `date` filter, `get_kind_display` and `{% url %}` the rows used: a session starting just
    after midnight local time (the day is the local one), kinds of every label."""
    from django.template import Context, Template
    from django.utils import translation

    from education.models import Session

    year = timezone.localdate().year
    for i, kind in enumerate(SessionKind.values):
        make_session(
            edu,
            county,
            day=datetime.date(year, 1, 2 + i),
            kind=kind,
            topic=f"学习{i}",
            summary="小结",
        )
    late = make_session(edu, county, day=datetime.date(year, 2, 1), topic='午夜 <b>&"</b>')
    Session.objects.filter(pk=late.pk).update(
        starts_at=timezone.make_aware(datetime.datetime(year, 2, 1, 0, 30))
    )
    with translation.override(language):
        rows = selectors.session_rows(Session.objects.all(), year=year)
        old = Template(_OLD_SESSION_ROWS).render(Context({"sessions": rows}))
        new = Template(_NEW_SESSION_ROWS).render(
            Context({"sessions": selectors.session_table(rows)})
        )
    assert new == old and "午夜 &lt;b&gt;&amp;&quot;&lt;/b&gt;" in new  # escaped
    assert old.count("<tr>") == len(SessionKind.values) + 1
    with open("templates/education/_session_rows.html", encoding="utf-8") as page:
        assert _NEW_SESSION_ROWS.removesuffix("{% endfor %}") in page.read()  # as the page


def test_the_community_rows_link_each_unit_as_the_url_tag_did(edu, county):
    _world(edu, county, 2)
    (row,) = selectors.unit_community_figures(timezone.localdate().year, county_id=edu.county.pk)
    assert row["url"] == reverse("education:unit", args=[county.member_unit.pk])


def test_the_served_rows_are_the_served_matters_grouped_by_unit(edu, county):
    """`_community`'s records of service per unit (the registration subquery once, the deeds
    of people registered nowhere dropped after the grouping) are `served_matters` grouped by
    `served_unit` in Python: on two units, deeds logged as a service, deeds counted through
    the latest registration, and a deed of someone registered nowhere; every figure non-zero."""
    _world(edu, county, 4)
    year = timezone.localdate().year
    today = timezone.localdate()
    community = edu.county.communities.first()
    second = person_in(county.member_unit_2, name="另一单位")
    registration = services.registration_create(
        unit=county.member_unit_2,
        person=second,
        community=community,
        registered_on=today - datetime.timedelta(days=5),
        by=county.staff,
    )
    services.community_confirm(
        community=community, registration_ids=[registration.pk], by=community.accounts.first()
    )
    nowhere = person_in(county.member_unit, name="未报到")
    for person, hours, category in [
        (second, "2.5", MatterCategory.REPAIR),  # counted through the latest registration
        (second, "1", MatterCategory.SERVICE),
        (nowhere, "4", MatterCategory.CARE),  # registered nowhere: no unit's
    ]:
        PracticalMatter.objects.create(
            person=person,
            done_on=today,
            category=category,
            hours=Decimal(hours),
            description="帮办",
            source=MatterSource.TEAMS,
            confirmed_at=timezone.now(),
        )
    expected: dict[int, list] = {}
    for matter in selectors.served_matters(edu.county.pk).filter(done_on__year=year):
        row = expected.setdefault(matter.served_unit, [0, Decimal(0), 0])
        row[0] += 1
        row[1] += matter.hours
        row[2] += matter.category in PRACTICAL_CATEGORIES
    found = selectors._community(year, county_id=edu.county.pk).served
    assert {unit: [n, total, matters] for unit, n, total, matters in found} == expected
    assert set(expected) == {county.member_unit.pk, county.member_unit_2.pk}
    assert all(n and total and matters for n, total, matters in expected.values())
    by_unit = selectors.unit_community_figures(year, units=[county.member_unit_2])
    assert [(r["members"], r["services"], r["hours"], r["matters"]) for r in by_unit] == [
        (1, 2, Decimal("3.5"), 1)
    ]


_OLD_COMMUNITY_ROWS = """{% for row in community_units %}<tr><td><a href="{{ row.url }}">{{ row.unit }}</a></td><td class="text-end">{{ row.members }}</td><td class="text-end">{{ row.services }}</td><td class="text-end">{{ row.hours }}</td><td class="text-end">{{ row.matters }}</td></tr>
{% endfor %}"""  # noqa: E501
_NEW_COMMUNITY_ROWS = "{{ community_rows }}"


@pytest.mark.parametrize("thousands", [False, True])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_number_text_is_what_the_template_printed(settings, language, thousands):
    """core.display.number_text (the formats read once) prints an int or a Decimal as
    `{{ value }}` did (formats.localize), with the thousands grouping on or off."""
    from django.template import Context, Template
    from django.utils import translation

    from core.display import number_text

    settings.USE_THOUSAND_SEPARATOR = thousands
    values = [0, 7, 1234567, -3, Decimal(0), Decimal("0.5"), Decimal("18.0"), Decimal("12345.6")]
    with translation.override(language):
        number = number_text()
        for value in values:
            assert number(value) == Template("{{ v }}").render(Context({"v": value}))
    with translation.override("de"):  # another language's separators are read
        assert number_text()(Decimal("12345.6")) == ("12.345,6" if thousands else "12345,6")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_community_rows_print_what_the_template_printed(edu, county, language):
    """The 双报到 table's figures printed once per page (`community_table`) are what the
    template's `{{ row.members }}` and the rest printed, on two units with every figure
    non-zero (hours with a decimal)."""
    from django.template import Context, Template
    from django.utils import translation

    _world(edu, county, 4)
    year = timezone.localdate().year
    Unit.objects.filter(pk=county.member_unit_2.pk).update(name='二单位 <b>"&"</b>')  # escaped
    second = person_in(county.member_unit_2, name="另一单位")
    community = edu.county.communities.first()
    registration = services.registration_create(
        unit=county.member_unit_2,
        person=second,
        community=community,
        registered_on=timezone.localdate(),
        by=county.staff,
    )
    services.community_confirm(
        community=community, registration_ids=[registration.pk], by=community.accounts.first()
    )
    PracticalMatter.objects.create(
        person=second,
        done_on=timezone.localdate(),
        category=MatterCategory.REPAIR,
        hours=Decimal("2.5"),
        description="帮办",
        source=MatterSource.TEAMS,
        confirmed_at=timezone.now(),
    )
    with translation.override(language):
        rows = selectors.unit_community_figures(year, county_id=edu.county.pk)
        assert len(rows) == 2
        assert all(r["members"] and r["services"] and r["hours"] and r["matters"] for r in rows)
        old = Template(_OLD_COMMUNITY_ROWS).render(Context({"community_units": rows}))
        new = Template(_NEW_COMMUNITY_ROWS).render(
            Context({"community_rows": selectors.community_table(rows)})
        )
    assert new == old and "&lt;b&gt;&quot;&amp;&quot;" in new
    with open("templates/education/county.html", encoding="utf-8") as page:  # the page's rows
        assert _NEW_COMMUNITY_ROWS in page.read()


def test_the_county_counts_statement_is_the_querysets(edu, county):
    """`county_counts` of one county (one statement on PostgreSQL, `_COUNTY_COUNTS_SQL`) are
    the querysets' (`_county_counts_orm`): every classroom with its sessions of the year (last
    year's not counted) and training person-times, the meetings with and without a 第一议题
    (last year's not counted), the registrations on two units, and the records of service
    logged as a service, counted through the latest registration and of someone registered
    nowhere (dropped); every figure non-zero."""
    _world(edu, county, 4)
    year = timezone.localdate().year
    today = timezone.localdate()
    old = make_session(edu, county, day=datetime.date(year - 1, 6, 1), kind=SessionKind.TRAINING)
    old.attendances.update(status=Status.PRESENT)
    for held_on, topic in [
        (today, {"topic": "学习", "summary": "交流"}),
        (today, None),
        (datetime.date(year - 1, 12, 30), {"topic": "去年", "summary": "交流"}),
    ]:
        services.meeting_record(
            unit=county.member_unit,
            held_on=held_on,
            title="党组会",
            by=county.staff,
            first_topic=topic,
        )
    community = edu.county.communities.first()
    second = person_in(county.member_unit_2, name="另一单位")
    registration = services.registration_create(
        unit=county.member_unit_2,
        person=second,
        community=community,
        registered_on=today - datetime.timedelta(days=5),
        by=county.staff,
    )
    services.community_confirm(
        community=community, registration_ids=[registration.pk], by=community.accounts.first()
    )
    nowhere = person_in(county.member_unit, name="未报到")
    for person, hours, category, done_on in [
        (second, "2.5", MatterCategory.REPAIR, today),  # through the latest registration
        (second, "1", MatterCategory.SERVICE, today),
        (second, "3", MatterCategory.CARE, datetime.date(year - 1, 12, 31)),  # last year's
        (nowhere, "4", MatterCategory.CARE, today),  # registered nowhere: no unit's
    ]:
        PracticalMatter.objects.create(
            person=person,
            done_on=done_on,
            category=category,
            hours=Decimal(hours),
            description="帮办",
            source=MatterSource.TEAMS,
            confirmed_at=timezone.now(),
        )
    county_id = edu.county.pk
    expected = selectors._county_counts_orm(year, county_id=county_id)
    found = selectors.county_counts(year, county_id=county_id)

    def rooms(counts):
        return [(r.pk, r.name, r.kind, r.order, r.active, r.n, r.training) for r in counts.rooms]

    assert rooms(found) == rooms(expected)
    assert found.first_topic == expected.first_topic == (1, 2)  # this year's only
    assert sorted(found.community.registered) == sorted(expected.community.registered)
    assert sorted(found.community.served) == sorted(expected.community.served)
    assert found.community.by_unit() == expected.community.by_unit()
    assert sum(r.n for r in expected.rooms) and sum(r.training for r in expected.rooms)
    assert {unit for unit, *_ in expected.community.registered} == {
        county.member_unit.pk,
        county.member_unit_2.pk,
    }
    assert all(n and total and matters for _unit, n, total, matters in expected.community.served)
    assert len(expected.community.served) == 2
    with CaptureQueriesContext(connection) as ctx:
        selectors.county_counts(year, county_id=county_id)
    assert len(ctx.captured_queries) == (1 if connection.vendor == "postgresql" else 4)
    if connection.vendor == "postgresql":
        # run prepared (core.prepared): the same counts past the five runs PostgreSQL plans
        # with the values, under its generic plan
        for _ in range(6):
            again = selectors.county_counts(year, county_id=county_id)
            assert rooms(again) == rooms(found) and again.first_topic == found.first_topic
            assert again.community.by_unit() == found.community.by_unit()
        with CaptureQueriesContext(connection) as ctx:
            selectors.county_counts(year, county_id=county_id)
        assert ctx.captured_queries[0]["sql"].startswith("EXECUTE portal_")
