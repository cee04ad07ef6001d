"""Writes of member education. Every refusal is a ValidationError with a message the user
reads, raised before anything is written."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.periods import add_months
from core.uploads import CleanUpload
from people import services as people_services
from people.constants import ConfirmedVia, MatterCategory, MatterSource
from people.models import Membership, Person, Post, PracticalMatter
from zones.models import Unit, in_force_on

from . import constants as c
from .models import (
    Attachment,
    Attendance,
    Classroom,
    Community,
    CommunityNeed,
    CommunityRegistration,
    CommunityService,
    Meeting,
    MentorPair,
    NeedClaim,
    PairMeeting,
    Session,
    StudyRules,
)
from .selectors import rules_for

QR_SALT = "education.sign-in"


def _fmt(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# --- classrooms and rules -------------------------------------------------------------------


def classrooms_ensure(*, county) -> list[Classroom]:
    """The county's classrooms, the six of 六大课堂 seeded the first time it has none."""
    found = list(Classroom.objects.filter(county=county).order_by("order", "pk"))
    if found:
        return found
    labels = dict(c.ClassroomKind.choices)
    return [
        Classroom.objects.create(county=county, kind=kind, name=str(labels[kind]), order=n)
        for n, kind in enumerate(c.SEEDED_CLASSROOMS, start=1)
    ]


def classroom_save(
    *, county, name: str, active: bool = True, classroom: Classroom | None = None
) -> Classroom:
    """Rename or retire a classroom, or add one (kind: other)."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the classroom a name."))
    clash = Classroom.objects.filter(county=county, name=name)
    if classroom is not None:
        clash = clash.exclude(pk=classroom.pk)
    if clash.exists():
        raise ValidationError(_("The county already has a classroom of this name."))
    if classroom is None:
        order = Classroom.objects.filter(county=county).count() + 1
        return Classroom.objects.create(
            county=county, kind=c.ClassroomKind.OTHER, name=name, order=order, active=active
        )
    classroom.name, classroom.active = name, active
    classroom.save(update_fields=["name", "active"])
    return classroom


def rules_save(*, county, year: int, by, **values) -> StudyRules:
    """The county's rules from `year` on (a new version, or that year's changed)."""
    for value in values.values():
        if value is None or Decimal(value) < 0:
            raise ValidationError(_("Every rate and requirement is a number of 0 or more."))
    row, _created = StudyRules.objects.update_or_create(
        county=county, year=year, defaults={**values, "updated_by": by}
    )
    return row


# --- sessions -------------------------------------------------------------------------------


def expected_people(
    *, county, audience: str, units: Sequence[Unit], post: str, people: Sequence[Person], day
) -> list[Person]:
    """Who is expected at a session of `day`: the members the register holds on that day (a
    person who joins later is never expected, so never absent)."""
    if audience == c.Audience.UNITS:
        if not units:
            raise ValidationError(_("Choose the organizing units whose members are expected."))
        ids = Membership.objects.filter(in_force_on(day), unit__in=units).values("person_id")
    elif audience == c.Audience.POST:
        if not post:
            raise ValidationError(_("Choose the post whose holders are expected."))
        ids = Post.objects.filter(in_force_on(day), kind=post).values("person_id")
    else:
        if not people:
            raise ValidationError(_("Choose the people expected."))
        members = set(
            Membership.objects.filter(in_force_on(day), person__in=people).values_list(
                "person_id", flat=True
            )
        )
        late = [p for p in people if p.pk not in members]
        if late:
            raise ValidationError(
                _("%(names)s belonged to no unit on %(date)s and cannot be expected.")
                % {"names": "、".join(p.name for p in late), "date": _fmt(day)}
            )
        ids = [p.pk for p in people]
    return list(Person.objects.filter(pk__in=ids, county=county, left_on__isnull=True))


@transaction.atomic
def session_create(
    *,
    county,
    by,
    classroom: Classroom,
    kind: str,
    topic: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    duration: Decimal,
    duration_unit: str = c.DurationUnit.HOURS,
    place: str = "",
    speaker: str = "",
    units: Sequence[Unit] = (),
    audience: str = c.Audience.UNITS,
    post: str = "",
    people: Sequence[Person] = (),
    summary: str = "",
    files: Sequence[CleanUpload] = (),
) -> Session:
    """A session with its roster (everyone expected, not signed in yet)."""
    if classroom.county_id != county.pk or not classroom.active:
        raise ValidationError(_("Choose one of the county's classrooms in use."))
    if any(unit.county_id != county.pk for unit in units):
        raise ValidationError(_("Choose the county's own units."))
    if not topic.strip():
        raise ValidationError(_("Give the topic of the session."))
    if ends_at <= starts_at:
        raise ValidationError(_("A session ends after it starts."))
    if duration is None or Decimal(duration) <= 0:
        raise ValidationError(_("Give the length of the session."))
    if kind == c.SessionKind.FIRST_TOPIC and not summary.strip():
        raise ValidationError(
            _("A first agenda item records its summary (topic, form, attendees and summary).")
        )
    day = timezone.localtime(starts_at).date()
    expected = expected_people(
        county=county, audience=audience, units=units, post=post, people=people, day=day
    )
    session = Session.objects.create(
        county=county,
        classroom=classroom,
        kind=kind,
        topic=topic.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        duration=duration,
        duration_unit=duration_unit,
        place=place,
        speaker=speaker,
        audience=audience,
        audience_post=post if audience == c.Audience.POST else "",
        summary=summary,
        created_by=by,
    )
    session.units.set(units)
    Attendance.objects.bulk_create(Attendance(session=session, person=p) for p in expected)
    attachments_add(session=session, files=files, by=by)
    return session


def attachments_add(*, session: Session, files: Sequence[CleanUpload], by) -> int:
    for clean in files:
        attachment = Attachment(
            session=session,
            mime=clean.mime,
            original_name=clean.original_name,
            size=clean.size,
            uploaded_by=by,
        )
        attachment.file.save(clean.name, clean.content, save=False)
        attachment.save()
    return len(files)


def _check_status(session: Session, status: str, now: datetime.datetime) -> None:
    if status not in c.Status.values:
        raise ValidationError(_("Unknown attendance status."))
    if (
        status in (c.Status.PRESENT, c.Status.LATE, c.Status.ABSENT)
        and now < (session.sign_in_window()[0])
    ):
        raise ValidationError(
            _("The session has not started yet: only a leave (excused) can be recorded now.")
        )


@transaction.atomic
def roster_mark(
    *,
    session: Session,
    marks: dict[int, tuple[str, Decimal]],
    by,
    proof: str = c.Proof.ROSTER,
    now: datetime.datetime | None = None,
) -> int:
    """The organizer ticks the roster: attendance id → (status, hours of leave). All or
    nothing: one wrong mark and none is saved."""
    now = now or timezone.now()
    rows = {a.pk: a for a in session.attendances.select_for_update().filter(pk__in=marks)}
    if set(rows) != set(marks):
        raise ValidationError(_("Someone marked is not on this session's roster."))
    changed = []
    for pk, (status, leave) in marks.items():
        _check_status(session, status, now)
        leave = Decimal(leave or 0)
        if leave < 0:
            raise ValidationError(_("Hours of leave are 0 or more."))
        row = rows[pk]
        if row.status == status and row.leave_hours == leave:
            continue
        if status == c.Status.EXPECTED:
            row.proof, row.signed_at = "", None
        elif row.status != status:
            row.proof, row.signed_at = proof, now
        row.status, row.leave_hours, row.recorded_by = status, leave, by
        changed.append(row)
    Attendance.objects.bulk_update(
        changed, ["status", "leave_hours", "proof", "signed_at", "recorded_by"]
    )
    return len(changed)


# --- the QR sign-in -------------------------------------------------------------------------


def qr_token(session: Session) -> str:
    """The code on the hall's screen now: the session signed with the time (a new one on each
    call; the screen asks every few seconds)."""
    return signing.dumps({"s": session.pk, "k": session.qr_key[:8]}, salt=QR_SALT, compress=True)


def qr_session_id(token: str) -> int:
    """The session a code names, before any scope is known (the sign-in page activates the
    session's county with it). Refuses a forged code."""
    try:
        data = signing.loads(token, salt=QR_SALT)
    except signing.BadSignature:
        raise ValidationError(_("This sign-in code is not valid.")) from None
    return int(data["s"])


def qr_check(token: str, *, now: datetime.datetime | None = None) -> Session:
    """The session of a code still fresh and inside its sign-in window, or a refusal."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=QR_SALT, max_age=c.QR_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This sign-in code has expired: scan the code on the screen again.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This sign-in code is not valid.")) from None
    session = Session.objects.filter(pk=data["s"]).first()
    if session is None or not session.qr_key.startswith(data["k"]):
        raise ValidationError(_("This sign-in code is not valid."))
    opens, closes = session.sign_in_window()
    if not opens <= now <= closes:
        raise ValidationError(_("Sign-in is open only while the session runs."))
    return session


@transaction.atomic
def qr_sign_in(
    *,
    token: str,
    person: Person | None = None,
    name: str = "",
    phone_digits: str = "",
    user=None,
    now: datetime.datetime | None = None,
) -> tuple[Attendance, bool]:
    """Sign in by the screen's code: the person of the signed-in account, or one named with
    the last four digits of their phone checked against the register. Returns the attendance
    and whether it was signed now (False: signed in before, nothing changed)."""
    now = now or timezone.now()
    session = qr_check(token, now=now)
    proof = c.Proof.QR
    if person is None:
        proof = c.Proof.QR_PHONE
        name, digits = name.strip(), phone_digits.strip()
        if not name or len(digits) != 4 or not digits.isdigit():
            raise ValidationError(_("Give your name and the last four digits of your phone."))
        candidates = [
            a
            for a in session.attendances.select_related("person").filter(person__name=name)
            if a.person.mobile.endswith(digits)
        ]
        if len(candidates) != 1:
            raise ValidationError(_("No one of this name and phone is expected at this session."))
        attendance = candidates[0]
    else:
        attendance = session.attendances.filter(person=person).first()
        if attendance is None:
            raise ValidationError(_("You are not expected at this session."))
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    if attendance.status in c.ATTENDED:
        return attendance, False
    late = now > session.starts_at + datetime.timedelta(minutes=c.LATE_AFTER_MINUTES)
    attendance.status = c.Status.LATE if late else c.Status.PRESENT
    attendance.proof, attendance.signed_at, attendance.recorded_by = proof, now, user
    attendance.save(update_fields=["status", "proof", "signed_at", "recorded_by"])
    return attendance, True


# --- 第一议题 meetings ------------------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    unit: Unit,
    held_on: datetime.date,
    title: str,
    by,
    first_topic: dict | None = None,
    starts_at: datetime.datetime | None = None,
) -> Meeting:
    """A meeting of the unit's party group or committee; with `first_topic` (topic, kind,
    summary, duration in hours) its 第一议题 is recorded as a session of the theory
    classroom, the unit's members expected."""
    if held_on > timezone.localdate():
        raise ValidationError(
            _("%(date)s is in the future; record a meeting once it is held.")
            % {"date": _fmt(held_on)}
        )
    if not title.strip():
        raise ValidationError(_("Name the meeting."))
    session = None
    if first_topic:
        rooms = classrooms_ensure(county=unit.county)
        theory = next((r for r in rooms if r.kind == c.ClassroomKind.THEORY), rooms[0])
        start = starts_at or timezone.make_aware(
            datetime.datetime.combine(held_on, datetime.time(9, 0))
        )
        hours = Decimal(first_topic.get("duration") or 1)
        session = session_create(
            county=unit.county,
            by=by,
            classroom=theory,
            kind=c.SessionKind.FIRST_TOPIC,
            topic=first_topic.get("topic", ""),
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=int(hours * 60)),
            duration=hours,
            units=[unit],
            summary=first_topic.get("summary", ""),
            speaker=first_topic.get("speaker", ""),
            place=first_topic.get("place", ""),
        )
    return Meeting.objects.create(
        unit=unit, held_on=held_on, title=title.strip(), first_topic=session, created_by=by
    )


# --- 双报到 ----------------------------------------------------------------------------------


def community_save(*, county, name: str, accounts=()) -> Community:
    """A community of the county (its name unique there), with the accounts that confirm for
    it."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Name the community."))
    community, _created = Community.objects.get_or_create(county=county, name=name)
    if accounts:
        community.accounts.add(*accounts)
    return community


def _community_accounts(county_id: int, accounts) -> list:
    accounts = list(accounts or [])
    foreign = [a for a in accounts if a.county_id != county_id or not a.is_active]
    if foreign:
        raise ValidationError(
            _("%(name)s is not an active account of the county.") % {"name": foreign[0]}
        )
    return accounts


@transaction.atomic
def community_create(*, county, name: str, town: str = "", accounts=(), by=None) -> Community:
    """A new community of the county from the portal (county staff), with its confirming
    accounts chosen among the county's; refused for a name the county already has."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the community."))
    if Community.objects.filter(county=county, name=name).exists():
        raise ValidationError(_("The county already has a community of this name."))
    chosen = _community_accounts(county.pk, accounts)
    community = Community.objects.create(county=county, name=name, town=(town or "").strip())
    community.accounts.set(chosen)
    return community


@transaction.atomic
def community_update(
    *, community: Community, name: str, town: str = "", accounts=(), active: bool = True, by=None
) -> Community:
    """Correct a community: its name, town or street, its confirming accounts (replaced by
    those chosen), active or not. Refused for a name another community of the county has."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the community."))
    if (
        Community.objects.filter(county_id=community.county_id, name=name)
        .exclude(pk=community.pk)
        .exists()
    ):
        raise ValidationError(_("The county already has a community of this name."))
    chosen = _community_accounts(community.county_id, accounts)
    community.name, community.town, community.active = name, (town or "").strip(), active
    community.save()
    community.accounts.set(chosen)
    return community


@transaction.atomic
def community_remove(*, community: Community, by=None) -> bool:
    """Remove a community: deleted when no one ever registered with it, deactivated (its
    records kept, offered for no new registration) when someone did. True if deleted."""
    if community.registrations.exists():
        community.active = False
        community.save(update_fields=["active"])
        return False
    community.accounts.clear()
    community.needs.all().delete()
    community.delete()
    return True


def registration_expires_on(registration: CommunityRegistration, *, months: int) -> datetime.date:
    """The day a registration must be renewed by (the first of the month `months` after it)."""
    return add_months(registration.registered_on, months)


def registration_create(
    *, unit: Unit, person: Person, community: Community, registered_on: datetime.date, by
) -> CommunityRegistration:
    """A member's 报到单 with a community, waiting for the community's confirmation."""
    if community.county_id != unit.county_id:
        raise ValidationError(_("Choose one of the county's communities."))
    if not community.active:
        raise ValidationError(
            _("%(community)s is no longer active: choose another community.")
            % {"community": community}
        )
    if registered_on > timezone.localdate():
        raise ValidationError(_("A registration is recorded once it is made."))
    if not Membership.objects.filter(in_force_on(registered_on), person=person, unit=unit).exists():
        raise ValidationError(
            _("%(person)s was not a member of %(unit)s on %(date)s.")
            % {"person": person, "unit": unit, "date": _fmt(registered_on)}
        )
    if CommunityRegistration.objects.filter(
        person=person, community=community, registered_on=registered_on
    ).exists():
        raise ValidationError(_("This registration is already recorded."))
    return CommunityRegistration.objects.create(
        unit=unit,
        person=person,
        community=community,
        registered_on=registered_on,
        created_by=by,
    )


def registration_renew(
    *, registration: CommunityRegistration, on: datetime.date, by
) -> CommunityRegistration:
    """Re-register (every half-year, or the county's period): a new registration with the same
    community, waiting for its confirmation; the earlier one is kept."""
    if on <= registration.registered_on:
        raise ValidationError(_("A re-registration is made after the registration it renews."))
    return registration_create(
        unit=registration.unit,
        person=registration.person,
        community=registration.community,
        registered_on=on,
        by=by,
    )


def _community_account(community: Community, by) -> None:
    if not community.accounts.filter(pk=by.pk).exists():
        raise ValidationError(_("Only the community's own account confirms for it."))


@transaction.atomic
def community_confirm(
    *,
    community: Community,
    by,
    registration_ids: Sequence[int] = (),
    service_ids: Sequence[int] = (),
) -> int:
    """The community's account confirms registrations with it and services done in it. All or
    nothing: one not of this community and none is confirmed."""
    _community_account(community, by)
    registrations = CommunityRegistration.objects.filter(
        pk__in=registration_ids, community=community
    )
    services_ = CommunityService.objects.filter(
        pk__in=service_ids, registration__community=community
    )
    if registrations.count() != len(set(registration_ids)) or services_.count() != len(
        set(service_ids)
    ):
        raise ValidationError(_("Something chosen is not registered with this community."))
    if not registration_ids and not service_ids:
        raise ValidationError(_("Choose what to confirm."))
    done = registrations.filter(confirmed=False).update(confirmed=True, confirmed_by=by)
    done += PracticalMatter.objects.filter(
        community_service__in=services_, confirmed_at__isnull=True
    ).update(confirmed_at=timezone.now(), confirmed_by=by, confirmed_via=ConfirmedVia.COMMUNITY)
    return done


def need_publish(
    *, community: Community, title: str, by, description: str = "", wanted: int = 1
) -> CommunityNeed:
    """A need on the community's list (需求清单), for registered members to sign up to."""
    _community_account(community, by)
    if not title.strip():
        raise ValidationError(_("Say what the community needs."))
    if not wanted or wanted < 1:
        raise ValidationError(_("At least one person is wanted."))
    return CommunityNeed.objects.create(
        community=community,
        title=title.strip(),
        description=description.strip(),
        wanted=wanted,
        published_on=timezone.localdate(),
        created_by=by,
    )


def current_registration(
    *, person: Person, community: Community, day: datetime.date | None = None
) -> CommunityRegistration | None:
    """The person's confirmed registration with the community in force on `day` (not due for
    re-registration yet), or None."""
    day = day or timezone.localdate()
    months = rules_for(day.year, county_id=community.county_id).reregister_months
    for registration in CommunityRegistration.objects.filter(
        person=person, community=community, confirmed=True, registered_on__lte=day
    ).order_by("-registered_on", "-pk"):
        if registration_expires_on(registration, months=months) > day:
            return registration
        return None
    return None


@transaction.atomic
def need_claim(*, need: CommunityNeed, person: Person) -> NeedClaim:
    """A member signs up to a need of a community they are registered with (confirmed and not
    due for re-registration); refused once the need is closed or has its people."""
    need = CommunityNeed.objects.select_for_update().get(pk=need.pk)
    if need.closed:
        raise ValidationError(_("This need is closed."))
    registration = current_registration(person=person, community=need.community)
    if registration is None:
        raise ValidationError(
            _(
                "Only members registered with %(community)s (confirmed, not due for "
                "re-registration) sign up to its needs."
            )
            % {"community": need.community}
        )
    if NeedClaim.objects.filter(need=need, registration__person=person).exists():
        raise ValidationError(_("You have already signed up to this need."))
    if need.claims.count() >= need.wanted:
        raise ValidationError(_("This need has all the people it wants."))
    return NeedClaim.objects.create(need=need, registration=registration)


@transaction.atomic
def service_log(
    *,
    registration: CommunityRegistration,
    done_on: datetime.date,
    description: str,
    hours: Decimal,
    by,
    practical_matter: bool = False,
    confirmed: bool = False,
    need: CommunityNeed | None = None,
    category: str | None = None,
) -> CommunityService:
    """A service done in the community, waiting for its confirmation (the demo records some
    confirmed). The deed is the person's record of service (people.services.matter_record: a
    practical matter done, or a plain service), which the service points at with its
    registration and need; a matter the person logged already through their team or a wish
    claim counts here without being logged again."""
    if done_on < registration.registered_on:
        raise ValidationError(_("A service is done after the registration."))
    if done_on > timezone.localdate():
        raise ValidationError(_("Log a service once it is done."))
    if not description.strip() or hours is None or Decimal(hours) <= 0:
        raise ValidationError(_("Describe the service and give its hours."))
    if need is not None and need.community_id != registration.community_id:
        raise ValidationError(_("The need is another community's."))
    if category is None:
        category = MatterCategory.OTHER if practical_matter else MatterCategory.SERVICE
    record = people_services.matter_record(
        person=registration.person,
        source=MatterSource.COMMUNITY,
        done_on=done_on,
        description=description,
        hours=hours,
        category=category,
        place=registration.community.name,
        by=by,
    )
    if confirmed:
        people_services.matter_confirm(matter=record, via=ConfirmedVia.COMMUNITY, by=by)
    return CommunityService.objects.create(registration=registration, matter=record, need=need)


# --- 老带新 / 一帮一 pairs ----------------------------------------------------------------------


def pair_create(
    *,
    county,
    kind: str,
    mentor: Person,
    mentee: Person,
    effective_from: datetime.date,
    by,
    effective_to: datetime.date | None = None,
    note: str = "",
) -> MentorPair:
    """A mentoring pair of two people of the county's register."""
    if kind not in c.PairKind.values:
        raise ValidationError(_("Choose the kind of pair."))
    if mentor.pk == mentee.pk:
        raise ValidationError(_("A pair is two people."))
    if mentor.county_id != county.pk or mentee.county_id != county.pk:
        raise ValidationError(_("Both people are of the county's register."))
    if mentor.has_left or mentee.has_left:
        raise ValidationError(_("Someone who left the register is in no pair."))
    if effective_to is not None and effective_to <= effective_from:
        raise ValidationError(_("A pair ends after it begins."))
    running = MentorPair.objects.filter(mentor=mentor, mentee=mentee).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=effective_from)
    )
    if effective_to is not None:
        running = running.filter(effective_from__lt=effective_to)
    if running.exists():
        raise ValidationError(_("These two are already paired over these dates."))
    return MentorPair.objects.create(
        county=county,
        kind=kind,
        mentor=mentor,
        mentee=mentee,
        effective_from=effective_from,
        effective_to=effective_to,
        note=note.strip(),
        created_by=by,
    )


def pair_end(*, pair: MentorPair, on: datetime.date) -> MentorPair:
    """The pair ends on `on` (it held until the day before)."""
    if pair.effective_to is not None:
        raise ValidationError(_("The pair has ended already."))
    if on <= pair.effective_from:
        raise ValidationError(_("A pair ends after it begins."))
    if pair.meetings.filter(held_on__gte=on).exists():
        raise ValidationError(_("The pair has meetings on or after that day."))
    pair.effective_to = on
    pair.save(update_fields=["effective_to"])
    return pair


def pair_meeting_log(*, pair: MentorPair, held_on: datetime.date, summary: str, by) -> PairMeeting:
    """A meeting of the pair, while it runs and once held."""
    if held_on > timezone.localdate():
        raise ValidationError(_("Log a meeting once it is held."))
    if not pair.runs_on(held_on):
        raise ValidationError(_("The pair did not run on %(date)s.") % {"date": _fmt(held_on)})
    if not summary.strip():
        raise ValidationError(_("Say what the pair went through."))
    return PairMeeting.objects.create(
        pair=pair, held_on=held_on, summary=summary.strip(), created_by=by
    )
