"""Every write of the micro-wishes: intake, dispatch, sign-in, return, handling, extension,
answer, return visit, merge, whistle, claim and the erasure of personal data. Each refusal is a
ValidationError with a plain message, and changes nothing. Dates are counted in working days
(core.workdays)."""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Sequence
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.uploads import CleanUpload
from counties.calendar import add_workdays
from counties.scoping import every_county
from people import services as people_services
from people.constants import ConfirmedVia, MatterCategory, MatterSource
from people.models import PracticalMatter
from zones.constants import UnitKind

from . import sms
from .constants import (
    ASSIGNED_STATES,
    DISPATCH_DAYS,
    MAX_PHOTOS,
    MAX_RETURNS,
    NOTICE_VERSION,
    REDO,
    SIGN_DAYS,
    VISIT_DAYS,
    Channel,
    ExtensionState,
    Satisfaction,
    State,
)
from .models import (
    Category,
    Claim,
    Group,
    Meeting,
    Photo,
    Route,
    Step,
    Village,
    Whistle,
    Wish,
    WishSettings,
)

PHONE = re.compile(r"^1[3-9]\d{9}$")
# No 0/O, 1/I/L: a ticket read out on the phone is not misheard.
TICKET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TICKET_LENGTH = 10
LINK_SALT = "wishes.group-link"


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def new_ticket() -> str:
    """A ticket number nobody can guess: 10 random characters of 31 (about 8×10¹⁴)."""
    while True:
        ticket = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))
        with every_county():
            if not Wish.objects.filter(ticket=ticket).exists():
                return ticket


def normalize_ticket(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", str(text or "").upper())


# --- the link per group -------------------------------------------------------------------------


def group_token(group: Group) -> str:
    """The signed token of a group's link: its id and a signature (SECRET_KEY)."""
    return signing.Signer(salt=LINK_SALT).sign(str(group.pk))


def group_from_token(token: str) -> Group | None:
    """The group a link names, or None for a forged or damaged link."""
    try:
        pk = int(signing.Signer(salt=LINK_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    with every_county():
        return Group.objects.select_related("village__town__county").filter(pk=pk).first()


def settings_of(county) -> WishSettings:
    found = WishSettings.objects.filter(county=county).first()
    return found or WishSettings(county=county)


# --- intake ---------------------------------------------------------------------------------


def _step(wish: Wish, kind: str, *, by=None, note: str = "", on=None, unit=None) -> Step:
    return Step.objects.create(wish=wish, kind=kind, note=note, by=by, on=_today(on), unit=unit)


def _save_photos(wish: Wish, photos: Sequence[CleanUpload], step: Step | None = None) -> None:
    for clean in photos:
        photo = Photo(wish=wish, step=step, original_name=clean.original_name[:200])
        photo.file.save(clean.name, clean.content, save=False)
        photo.save()


@transaction.atomic
def wish_receive(
    *,
    text: str,
    phone: str,
    name: str = "",
    group: Group | None = None,
    village: Village | None = None,
    channel: str = Channel.LINK,
    photos: Sequence[CleanUpload] = (),
    notice_version: str = NOTICE_VERSION,
    meeting: Meeting | None = None,
    by=None,
    on: datetime.date | None = None,
) -> Wish:
    """A new wish (征集): through a group's link (a villager), or entered by a cadre from a
    courtyard meeting (linked to its record) or a home visit. It awaits dispatch within a
    working day."""
    text = (text or "").strip()
    phone = re.sub(r"\s|-", "", phone or "")
    if not text:
        raise ValidationError(_("Write what you wish for or what is wrong."))
    if not PHONE.match(phone):
        raise ValidationError(_("Enter an 11-digit mobile number, e.g. 13912345678."))
    if group is None and village is None:
        raise ValidationError(_("Choose the town, village and group."))
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(count)d photos can be sent.") % {"count": MAX_PHOTOS})
    if channel != Channel.LINK and by is None:
        raise ValidationError(_("A wish from a meeting or a visit is entered by a cadre."))
    village = group.village if group is not None else village
    if meeting is not None:
        if channel != Channel.COURTYARD:
            raise ValidationError(_("Only a wish of the courtyard-meeting channel links to one."))
        if meeting.village_id != village.pk:
            raise ValidationError(
                _("The meeting was held in %(village)s: choose a group of that village.")
                % {"village": meeting.village}
            )
    day = _today(on)
    wish = Wish.objects.create(
        county_id=village.town.county_id,
        ticket=new_ticket(),
        channel=channel,
        town=village.town,
        village=village,
        group=group,
        text=text,
        name=(name or "").strip()[:40],
        phone=phone,
        phone_tail=phone[-4:],
        notice_version=notice_version,
        meeting=meeting,
        received_on=day,
        dispatch_due=add_workdays(day, DISPATCH_DAYS, county=village.town.county_id),
        created_by=by,
    )
    step = _step(wish, "received", by=by, on=day, note=Channel(channel).label)
    _save_photos(wish, photos, step)
    return wish


@transaction.atomic
def meeting_record(
    *,
    village: Village,
    place: str,
    held_on: datetime.date,
    convener: str,
    attendance: int,
    photo: CleanUpload | None = None,
    note: str = "",
    by,
    on: datetime.date | None = None,
) -> Meeting:
    """A courtyard meeting (院落会) of a village, recorded by its town's dispatcher or county
    staff: the wishes raised there are then entered linked to it."""
    place = (place or "").strip()
    convener = (convener or "").strip()
    if held_on is None or held_on > _today(on):
        raise ValidationError(_("A meeting is recorded once it has been held, not before."))
    if not place:
        raise ValidationError(_("Say where the meeting was held."))
    if not convener:
        raise ValidationError(_("Name who convened the meeting."))
    if attendance is None or attendance < 1:
        raise ValidationError(_("A meeting has at least one person attending."))
    meeting = Meeting(
        county_id=village.town.county_id,
        village=village,
        place=place[:60],
        held_on=held_on,
        convener=convener[:40],
        attendance=attendance,
        note=(note or "").strip(),
        created_by=by,
    )
    if photo is not None:
        meeting.photo_name = photo.original_name[:200]
        meeting.photo.save(photo.name, photo.content, save=False)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    village: Village,
    place: str,
    held_on: datetime.date,
    convener: str,
    attendance: int,
    photo: CleanUpload | None = None,
    note: str = "",
    by,
    on: datetime.date | None = None,
) -> Meeting:
    """Correct a courtyard meeting's record (its history keeps what it said before); a new
    photo replaces the old one. Refused as when recording it, and for another village while
    wishes raised there are linked to it: a meeting's wishes are of its own village."""
    place = (place or "").strip()
    convener = (convener or "").strip()
    if held_on is None or held_on > _today(on):
        raise ValidationError(_("A meeting is recorded once it has been held, not before."))
    if not place:
        raise ValidationError(_("Say where the meeting was held."))
    if not convener:
        raise ValidationError(_("Name who convened the meeting."))
    if attendance is None or attendance < 1:
        raise ValidationError(_("A meeting has at least one person attending."))
    if village.town.county_id != meeting.county_id:
        raise ValidationError(_("The village is of another county."))
    if village.pk != meeting.village_id:
        linked = meeting.wishes.exclude(village=village).count()
        if linked:
            raise ValidationError(
                _(
                    "%(n)s wishes raised at this meeting are of %(village)s: a meeting's wishes "
                    "are of its own village, so it stays in %(village)s."
                )
                % {"n": linked, "village": meeting.village}
            )
    meeting.village = village
    meeting.place = place[:60]
    meeting.held_on = held_on
    meeting.convener = convener[:40]
    meeting.attendance = attendance
    meeting.note = (note or "").strip()
    if photo is not None:
        meeting.photo_name = photo.original_name[:200]
        meeting.photo.save(photo.name, photo.content, save=False)
    meeting.save()
    return meeting


# --- dispatch and sign-in ---------------------------------------------------------------------


def default_handler(wish: Wish, category: Category | None):
    """The category's default handler in the wish's town, if set."""
    if category is None:
        return None
    route = Route.objects.filter(category=category, town_id=wish.town_id).first()
    return route.handler if route else None


@transaction.atomic
def wish_dispatch(
    *, wish: Wish, category: Category | None, handler=None, by, on: datetime.date | None = None
) -> Wish:
    """派单: to a handler unit (by default the category's in the town). The deadline is the
    category's time limit in working days from the first dispatch; a returned wish dispatched
    again keeps it (its clock runs on)."""
    if wish.state not in (State.NEW, State.RETURNED):
        raise ValidationError(_("Only a new or returned wish can be dispatched."))
    if category is None:
        raise ValidationError(_("Choose the category of the wish."))
    handler = handler or default_handler(wish, category)
    if handler is None:
        raise ValidationError(
            _("Choose the handler unit: the category has no default handler in this town.")
        )
    if handler.county_id != wish.county_id:
        raise ValidationError(_("The handler unit is of another county."))
    day = _today(on)
    first = wish.dispatched_on is None
    wish.category = category
    wish.handler = handler
    wish.dispatched_on = day if first else wish.dispatched_on
    wish.sign_due = add_workdays(day, SIGN_DAYS, county=wish.county_id)
    if first:
        wish.due = add_workdays(day, category.days, county=wish.county_id)
    wish.state = State.DISPATCHED
    wish.signed_on = None
    wish.save()
    _step(wish, "dispatched", by=by, on=day, unit=handler)
    return wish


@transaction.atomic
def wish_sign(*, wish: Wish, by, on: datetime.date | None = None) -> Wish:
    """签收: the handler takes the wish on."""
    if wish.state != State.DISPATCHED:
        raise ValidationError(_("Only a wish awaiting sign-in can be signed for."))
    day = _today(on)
    wish.state = State.HANDLING
    wish.signed_on = day
    wish.save(update_fields=["state", "signed_on"])
    _step(wish, "signed", by=by, on=day, unit=wish.handler)
    return wish


@transaction.atomic
def wish_return(*, wish: Wish, reason: str, by, on: datetime.date | None = None) -> Wish:
    """退单: the handler sends a wrongly dispatched wish back, once, with a reason. The wish keeps
    its unit and its deadline until the dispatcher decides."""
    reason = (reason or "").strip()
    if wish.state != State.DISPATCHED:
        raise ValidationError(_("Only a wish not yet signed for can be returned."))
    if wish.whistles.exists():
        raise ValidationError(
            _("A county department summoned by a whistle cannot hand the wish back.")
        )
    if wish.returns >= MAX_RETURNS:
        raise ValidationError(
            _("This wish was returned once already; it cannot be returned again.")
        )
    if not reason:
        raise ValidationError(_("Say why the wish is returned."))
    day = _today(on)
    wish.state = State.RETURNED
    wish.returns = F("returns") + 1
    wish.return_reason = reason[:200]
    wish.save(update_fields=["state", "returns", "return_reason"])
    wish.refresh_from_db()
    _step(wish, "returned", by=by, on=day, note=reason, unit=wish.handler)
    return wish


@transaction.atomic
def wish_return_decide(*, wish: Wish, accept: bool, handler=None, by, on=None) -> Wish:
    """The dispatcher decides a return: accept it and dispatch to another unit, or refuse it and
    the wish goes back to the same unit (which may not return it again)."""
    if wish.state != State.RETURNED:
        raise ValidationError(_("This wish has not been returned."))
    if accept:
        if handler is None or handler.pk == wish.handler_id:
            raise ValidationError(_("Choose another handler unit for the returned wish."))
        return wish_dispatch(wish=wish, category=wish.category, handler=handler, by=by, on=on)
    return wish_dispatch(wish=wish, category=wish.category, handler=wish.handler, by=by, on=on)


# --- handling ------------------------------------------------------------------------------


@transaction.atomic
def wish_note(*, wish: Wish, note: str, photos: Sequence[CleanUpload] = (), by, on=None) -> Step:
    """A progress note of the handler, with photos."""
    if wish.state != State.HANDLING:
        raise ValidationError(_("Progress is recorded while the wish is being handled."))
    if not (note or "").strip():
        raise ValidationError(_("Write what was done."))
    step = _step(wish, "progress", by=by, on=on, note=note.strip(), unit=wish.handler)
    _save_photos(wish, photos, step)
    return step


@transaction.atomic
def wish_extension_request(
    *, wish: Wish, to: datetime.date, reason: str, by, on: datetime.date | None = None
) -> Wish:
    """延期: asked only before the deadline, with a reason and a later date."""
    day = _today(on)
    if wish.state not in (State.DISPATCHED, State.HANDLING):
        raise ValidationError(_("An extension is asked while the wish is being handled."))
    if wish.extension == ExtensionState.REQUESTED:
        raise ValidationError(_("An extension is already awaiting the dispatcher's decision."))
    if day > wish.deadline:
        raise ValidationError(
            _("The deadline (%(day)s) has passed: an extension is asked before it.")
            % {"day": wish.deadline.isoformat()}
        )
    if not (reason or "").strip():
        raise ValidationError(_("Say why more time is needed."))
    if to is None or to <= wish.deadline:
        raise ValidationError(_("The new date comes after the present deadline."))
    wish.extension = ExtensionState.REQUESTED
    wish.extension_to = to
    wish.extension_reason = reason.strip()[:200]
    wish.save(update_fields=["extension", "extension_to", "extension_reason"])
    _step(wish, "extension_requested", by=by, on=day, note=reason.strip(), unit=wish.handler)
    return wish


@transaction.atomic
def wish_extension_decide(*, wish: Wish, approve: bool, by, on=None) -> Wish:
    if wish.extension != ExtensionState.REQUESTED:
        raise ValidationError(_("No extension is awaiting a decision."))
    if approve:
        wish.extension = ExtensionState.APPROVED
        wish.due = wish.extension_to
    else:
        wish.extension = ExtensionState.REFUSED
    wish.save(update_fields=["extension", "due"])
    _step(wish, "extension_approved" if approve else "extension_refused", by=by, on=on)
    return wish


def status_link(wish: Wish) -> str:
    """The status page's address for the SMS: absolute when `WISHES_PUBLIC_URL` (the portal's
    public address, e.g. https://dj.langao.gov.cn) is set."""
    from django.conf import settings

    return getattr(settings, "WISHES_PUBLIC_URL", "").rstrip("/") + reverse("wish_public:status")


@transaction.atomic
def wish_answer(*, wish: Wish, answer: str, by, on: datetime.date | None = None) -> Wish:
    """反馈 and 办结: the answer to the villager, shown on the status page; the villager gets an
    SMS of the approved template. The return visit is due the next working day."""
    answer = (answer or "").strip()
    if wish.state != State.HANDLING:
        raise ValidationError(_("Only a wish being handled can be answered."))
    if not answer:
        raise ValidationError(_("Write the answer to the villager."))
    day = _today(on)
    wish.answer = answer
    wish.state = State.RESOLVED
    wish.resolved_on = day
    wish.visit_due = add_workdays(day, VISIT_DAYS, county=wish.county_id)
    wish.save(update_fields=["answer", "state", "resolved_on", "visit_due"])
    _step(wish, "answered", by=by, on=day, note=answer, unit=wish.handler)
    transaction.on_commit(
        lambda: sms.send(
            wish.phone,
            sms.feedback_text(ticket=wish.ticket, status="已办结", link=status_link(wish)),
        )
    )
    return wish


@transaction.atomic
def wish_visit(
    *,
    wish: Wish,
    satisfaction: str,
    handler_caused: bool = True,
    note: str = "",
    by=None,
    on: datetime.date | None = None,
) -> Wish:
    """回访: the villager's answer. 部分满意 or 不满意 caused by the handler reopens the wish for a
    redo (重办) with a fresh time limit; otherwise the wish is closed. A villager may answer on
    the status page (`by` is None)."""
    if wish.state != State.RESOLVED:
        raise ValidationError(_("A return visit comes after the wish is resolved."))
    if satisfaction not in Satisfaction.values:
        raise ValidationError(_("Choose the villager's answer."))
    day = _today(on)
    wish.satisfaction = satisfaction
    wish.visited_on = day
    if satisfaction in REDO and handler_caused:
        wish.state = State.HANDLING
        wish.redos += 1
        wish.resolved_on = None
        wish.visit_due = None
        wish.due = add_workdays(
            day, wish.category.days if wish.category else 10, county=wish.county_id
        )
        wish.extension = ExtensionState.NONE
        kind = "redo"
    else:
        wish.state = State.CLOSED
        kind = "visited"
    wish.save()
    _step(wish, kind, by=by, on=day, note=f"{Satisfaction(satisfaction).label} {note}".strip())
    return wish


# --- duplicates, typical cases ------------------------------------------------------------------


@transaction.atomic
def wish_merge(*, wish: Wish, into: Wish, by, on=None) -> Wish:
    """Merge a duplicate into another wish: the households asking add up; never automatic."""
    if wish.pk == into.pk:
        raise ValidationError(_("A wish cannot be merged into itself."))
    if wish.state != State.NEW:
        raise ValidationError(_("Only a wish awaiting dispatch can be merged."))
    if into.state in (State.MERGED, State.CLOSED):
        raise ValidationError(_("A wish can be merged only into an open one."))
    if into.county_id != wish.county_id:
        raise ValidationError(_("The wishes are of different counties."))
    into.households = F("households") + wish.households
    into.save(update_fields=["households"])
    wish.state = State.MERGED
    wish.merged_into = into
    wish.save(update_fields=["state", "merged_into"])
    _step(wish, "merged", by=by, on=on, note=into.ticket)
    _step(into, "merged_in", by=by, on=on, note=wish.ticket)
    into.refresh_from_db()
    return wish


def wish_mark_typical(*, wish: Wish, consent: bool, by) -> Wish:
    """A resolved wish made a typical case (典型案例), with the villager's consent."""
    if wish.state not in (State.RESOLVED, State.CLOSED):
        raise ValidationError(_("Only a resolved wish can be a typical case."))
    if not consent:
        raise ValidationError(_("A typical case needs the villager's consent."))
    wish.typical = True
    wish.save(update_fields=["typical"])
    _step(wish, "typical", by=by)
    return wish


# --- 镇村吹哨、县级报到 -----------------------------------------------------------------------------


@transaction.atomic
def whistle_blow(
    *, town, wishes: Sequence[Wish], reason: str, department, approved_by: str, by, on=None
) -> Whistle:
    """The town blows the whistle: the county department summoned takes the wishes (of this
    town and, swept into one batch, of others) and must report for duty within the county's
    working days. It cannot hand them back."""
    day = _today(on)
    if not wishes:
        raise ValidationError(_("Choose the wish or wishes the whistle concerns."))
    if not (reason or "").strip():
        raise ValidationError(_("Say why the town cannot solve it."))
    if not (approved_by or "").strip():
        raise ValidationError(_("A whistle is approved by the town's principal leader."))
    if department is None or department.kind != UnitKind.ORGAN:
        raise ValidationError(_("Summon a county department."))
    if any(w.state not in (State.NEW, *ASSIGNED_STATES) for w in wishes):
        raise ValidationError(_("Only open wishes can be whistled."))
    if not any(w.town_id == town.pk for w in wishes):
        raise ValidationError(_("A whistle concerns at least one wish of its own town."))
    days = settings_of(town.county).whistle_report_days
    report_due = add_workdays(day, days, county=town.county_id)
    whistle = Whistle.objects.create(
        county_id=town.county_id,
        town=town,
        reason=reason.strip(),
        department=department,
        approved_by=approved_by.strip()[:40],
        blown_on=day,
        report_due=report_due,
        created_by=by,
    )
    whistle.wishes.set(wishes)
    for wish in wishes:
        category = wish.category
        if category is None:
            category = Category.objects.filter(county_id=wish.county_id).first()
        wish.category = category
        wish.handler = department
        wish.dispatched_on = wish.dispatched_on or day
        wish.sign_due = report_due
        wish.due = wish.due or add_workdays(
            day, category.days if category else 10, county=wish.county_id
        )
        wish.state = State.DISPATCHED
        wish.save()
        _step(wish, "whistled", by=by, on=day, unit=department, note=reason.strip())
    return whistle


@transaction.atomic
def whistle_report(*, whistle: Whistle, reporter: str, by, on=None) -> Whistle:
    """报到: the department acknowledges and names the person on duty; its wishes are signed."""
    if whistle.reported_on is not None:
        raise ValidationError(_("The department has reported for duty already."))
    if not (reporter or "").strip():
        raise ValidationError(_("Name the person reporting for duty."))
    day = _today(on)
    whistle.reported_on = day
    whistle.reporter = reporter.strip()[:40]
    whistle.save(update_fields=["reported_on", "reporter"])
    for wish in whistle.wishes.filter(state=State.DISPATCHED):
        wish_sign(wish=wish, by=by, on=day)
    return whistle


@transaction.atomic
def whistle_solve(*, whistle: Whistle, visit_note: str, solution: str, by, on=None) -> Whistle:
    """The joint visit and the solution; each wish of the batch is answered with it."""
    if whistle.reported_on is None:
        raise ValidationError(_("The department reports for duty before it records a solution."))
    if whistle.solved_on is not None:
        raise ValidationError(_("The whistle is solved already."))
    if not (visit_note or "").strip() or not (solution or "").strip():
        raise ValidationError(_("Record the joint visit and the solution."))
    day = _today(on)
    whistle.visit_note = visit_note.strip()
    whistle.solution = solution.strip()
    whistle.solved_on = day
    whistle.save(update_fields=["visit_note", "solution", "solved_on"])
    for wish in whistle.wishes.filter(state=State.HANDLING):
        wish_answer(wish=wish, answer=solution.strip(), by=by, on=day)
    return whistle


# --- 双报到: claims ---------------------------------------------------------------------------


@transaction.atomic
def wish_claim(*, wish: Wish, person, unit, by, on=None) -> Claim:
    """An organ party member claims a new wish: it is dispatched to and signed by their unit,
    so it has a responsible unit and a deadline like any other."""
    if wish.state != State.NEW:
        raise ValidationError(_("Only a wish awaiting dispatch can be claimed."))
    if Claim.objects.filter(wish=wish).exists():
        raise ValidationError(_("This wish is claimed already."))
    if unit is None:
        raise ValidationError(_("A claim is made by a member of a county unit."))
    category = wish.category or Category.objects.filter(county_id=wish.county_id).first()
    day = _today(on)
    wish_dispatch(wish=wish, category=category, handler=unit, by=by, on=day)
    wish_sign(wish=wish, by=by, on=day)
    return Claim.objects.create(wish=wish, person=person, claimed_on=day)


@transaction.atomic
def claim_fulfil(
    *, claim: Claim, note: str, by, on=None, hours=0, matter: PracticalMatter | None = None
) -> Claim:
    """The claimant fulfils the wish: the wish is answered, and the deed is the claimant's
    record of service — a new one (logged through the claim, confirmed by the wish answered),
    or `matter`, one they had logged already (through their team, say), linked and not logged
    twice. It counts in the 双报到 figures of their registration and, for a team member, in
    their team's scorecard, once each."""
    locked = Claim.objects.select_for_update().filter(pk=claim.pk)
    if locked.filter(matter__isnull=False).exists() or claim.matter_id is not None:
        raise ValidationError(_("This claim is fulfilled already."))
    day = _today(on)
    if matter is not None:
        if matter.person_id != claim.person_id:
            raise ValidationError(_("The matter is another person's."))
        if PracticalMatter.objects.filter(pk=matter.pk, wish_claim__isnull=False).exists():
            raise ValidationError(_("The matter counts for another claim already."))
        matter = PracticalMatter.objects.get(pk=matter.pk)
    try:
        hours = Decimal(hours or 0)
    except (ArithmeticError, TypeError, ValueError):
        raise ValidationError(_("Give the hours as a number.")) from None
    if hours < 0 or hours > 999:
        raise ValidationError(_("Give the hours as a number."))
    wish_answer(wish=claim.wish, answer=note, by=by, on=day)
    if matter is None:
        matter = people_services.matter_record(
            person=claim.person,
            source=MatterSource.WISH,
            done_on=day,
            # never the wish's text: it is the villager's, erased with their personal data
            description=(note or "").strip()
            or _("Micro-wish %(ticket)s fulfilled") % {"ticket": claim.wish.ticket},
            category=MatterCategory.WISH,
            hours=hours,
            people_served=1,
            place=str(claim.wish.village) if claim.wish.village_id else "",
            by=by,
        )
    if matter.confirmed_at is None:
        people_services.matter_confirm(matter=matter, via=ConfirmedVia.WISH, by=by)
    claim.matter = matter
    claim.save(update_fields=["matter"])
    return claim


# --- personal data ----------------------------------------------------------------------------


def wishes_erase_expired(*, county, today: datetime.date | None = None) -> int:
    """Erase the name and phone (keeping its last four digits) of the county's wishes whose
    return visit closed more than the retention period ago. The text, place, category and
    outcome stay for the figures."""
    day = _today(today)
    keep = settings_of(county).retention_days
    cutoff = day - datetime.timedelta(days=keep)
    return Wish.objects.filter(
        county=county, state=State.CLOSED, visited_on__lt=cutoff, erased_on__isnull=True
    ).update(name="", phone="", erased_on=day)
