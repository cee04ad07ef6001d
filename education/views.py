"""The pages of member education. Thin: reads through education.selectors (404 outside the
reader's scope), rules through core.access (403), writes through education.services."""

from __future__ import annotations

from decimal import Decimal

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_visible_or_404, may, require, require_page
from core.actions import act, act_on_form
from core.excel import dated_name, download, export
from core.pagination import CountedPaginator
from core.uploads import serve_upload
from counties.scoping import in_county_of
from counties.selectors import county_of, reads_every_county
from people.models import Person
from people.selectors import people_visible_to
from zones.models import Unit
from zones.selectors import units_visible_to, user_scope

from . import constants as c
from . import exports, importing, minutes, selectors, services
from .forms import (
    ClassroomForm,
    CommunityForm,
    ExternalImportForm,
    ImportConfirmForm,
    MeetingForm,
    NeedForm,
    PairForm,
    PairMeetingForm,
    PhoneSignInForm,
    RegistrationForm,
    RulesForm,
    ServiceForm,
    SessionForm,
)
from .models import (
    Attachment,
    Classroom,
    Community,
    CommunityNeed,
    CommunityRegistration,
    MentorPair,
    Session,
    StudyRules,
)

ZERO = Decimal("0.0")


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _session(request, pk: int) -> Session:
    return get_visible_or_404(selectors.sessions_visible_to(request.user), request, pk=pk)


def _unit(request, pk: int) -> Unit:
    unit = get_visible_or_404(units_visible_to(request.user), request, pk=pk)
    require_page(request.user, "education.read_unit", unit)
    return unit


@login_required
@require_http_methods(["GET", "HEAD"])
def index(request):
    """The classrooms' home: the county page for its committee, the unit's page for a
    secretary, "my study hours" for a member; 404 for anyone else."""
    user = request.user
    if may(user, "education.open_county_page"):
        return county(request)
    unit_ids = sorted(user_scope(user).unit_ids)
    if unit_ids:
        return redirect("education:unit", pk=unit_ids[0])
    if may(user, "education.own_hours"):
        return redirect("education:mine")
    community_ = selectors.communities_visible_to(user).order_by("pk").first()
    if community_ is not None:
        return redirect("education:community", pk=community_.pk)
    raise Http404


def county(request):
    year = _year(request)
    # The reader's county by its id (county_of's: None for city staff); its row is read only
    # to seed its classrooms, not on every page.
    county_id = request.user.county_id
    figures = selectors.county_figures(year, county_id=county_id)
    if county_id is not None and not figures["classrooms"]:
        # A county's first look: its six classrooms seeded (the figures read them with
        # their sessions, one query, so they are only looked for here when there are none).
        services.classrooms_ensure(county=county_of(request.user))
        figures = selectors.county_figures(year, county_id=county_id)
    return render(
        request,
        "education/county.html",
        {
            "figures": figures,
            "year": year,
            "may_manage": may(request.user, "education.manage_classrooms"),
            "may_create": may(request.user, "education.create_session"),
            "may_manage_communities": may(request.user, "education.manage_communities"),
            "sessions": selectors.session_table(
                selectors.session_rows(selectors.sessions_visible_to(request.user), year=year)[:20]
            ),
            "community_rows": selectors.community_table(figures["community_units"]),
            "communities": selectors.communities_visible_to(request.user),
        },
    )


# Sessions a page of the list shows (a county's units' 第一议题 alone are hundreds a year).
SESSIONS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "HEAD"])
def session_list(request):
    year = _year(request)
    rows = selectors.session_rows(selectors.sessions_visible_to(request.user), year=year)
    page = CountedPaginator(rows, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "education/session_list.html",
        {
            "sessions": selectors.session_table(page.object_list),
            "page": page,
            "year": year,
            "year_query": f"year={year}",
            "may_create": may(request.user, "education.create_session"),
        },
    )


def _session_form(request, county_):
    staff = may(request.user, "education.manage_classrooms")
    units = (
        Unit.objects.filter(county=county_)
        if staff
        else Unit.objects.filter(pk__in=user_scope(request.user).unit_ids)
    ).order_by("name_pinyin")
    return SessionForm(
        request.POST or None,
        request.FILES or None,
        classrooms=Classroom.objects.filter(county=county_, active=True),
        units=units,
        people=people_visible_to(request.user).filter(left_on__isnull=True),
        staff=staff,
        initial={"date": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_create(request):
    require(request.user, "education.create_session")
    county_ = county_of(request.user)
    if county_ is None:
        raise Http404
    services.classrooms_ensure(county=county_)
    form = _session_form(request, county_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                county=county_,
                by=request.user,
                classroom=data["classroom"],
                kind=data["kind"],
                topic=data["topic"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                duration=data["duration"],
                duration_unit=data["duration_unit"],
                place=data["place"],
                speaker=data["speaker"],
                units=list(data["units"]),
                audience=data["audience"],
                post=data["post"],
                people=list(data["people"]),
                summary=data["summary"],
                files=data["files"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The session was recorded with its roster."))
            return redirect("education:session", pk=session.pk)
    return render(request, "education/session_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD"])
def session_detail(request, pk: int):
    session = _session(request, pk)
    manage = may(request.user, "education.manage_session", session)
    own = selectors.person_of(request.user)
    attendances = selectors.roster(session)
    return render(
        request,
        "education/session_detail.html",
        {
            "session": session,
            "hours": selectors.session_hours_of(session),
            "roster": attendances
            if manage or may(request.user, "education.open_county_page")
            else [a for a in attendances if own is not None and a.person_id == own.pk],
            "counts": {
                status: sum(1 for a in attendances if a.status == status)
                for status in c.Status.values
            },
            "statuses": c.Status.choices,
            "attachments": list(session.attachments.all()),
            "units": list(session.units.all()),
            "may_manage": manage,
        },
    )


@login_required
@require_POST
def session_roster(request, pk: int):
    """The organizer ticks the roster (all or nothing)."""
    session = _session(request, pk)
    require(request.user, "education.manage_session", session)
    marks = {}
    for attendance in session.attendances.all():
        status = request.POST.get(f"status-{attendance.pk}")
        if status is None:
            continue
        try:
            leave = Decimal(request.POST.get(f"leave-{attendance.pk}") or 0)
        except ArithmeticError:
            messages.error(request, _("Hours of leave are 0 or more."))
            return redirect("education:session", pk=session.pk)
        marks[attendance.pk] = (status, leave)
    act(
        request,
        lambda: services.roster_mark(session=session, marks=marks, by=request.user),
        lambda changed: _("%(n)d attendances changed.") % {"n": changed},
    )
    return redirect("education:session", pk=session.pk)


@login_required
@require_POST
def session_files(request, pk: int):
    session = _session(request, pk)
    require(request.user, "education.manage_session", session)
    from core.uploads import MultipleFileField

    field = MultipleFileField()
    try:
        files = field.clean(request.FILES.getlist("files"))
        if not files:
            raise ValidationError(_("Choose the files to add."))
        services.attachments_add(session=session, files=files, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The files were added."))
    return redirect("education:session", pk=session.pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def attachment(request, pk: int):
    found = get_visible_or_404(
        Attachment.objects.filter(session__in=selectors.sessions_visible_to(request.user)),
        request,
        pk=pk,
    )
    return serve_upload(found.file, download_name=found.original_name, mime=found.mime)


@login_required
@require_http_methods(["GET", "HEAD"])
@never_cache
def session_screen(request, pk: int):
    """The hall's screen: the sign-in code, a new one every few seconds."""
    session = _session(request, pk)
    require(request.user, "education.manage_session", session)
    token = services.qr_token(session)
    link = request.build_absolute_uri(reverse("education:sign_in", args=[token]))
    opens, closes = session.sign_in_window()
    now = timezone.now()
    return render(
        request,
        "education/session_screen.html",
        {
            "session": session,
            "link": link,
            "qr": segno.make(link, error="m").svg_data_uri(scale=8, border=2),
            "open": opens <= now <= closes,
            "refresh": c.QR_ROTATE_SECONDS,
            "signed": session.attendances.filter(status__in=c.ATTENDED).count(),
            "expected": session.attendances.count(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def sign_in(request, token: str):
    """The page a phone opens from the screen's code: a signed-in member signs in with one
    tap; someone without an account gives their name and the last four digits of their
    phone. Refused when the code expired or the session is not running."""
    try:
        session_id = services.qr_session_id(token)
    except ValidationError as exc:
        return render(request, "education/sign_in.html", {"error": exc.messages[0]}, status=400)
    with in_county_of(Session, session_id) if not request.user.is_authenticated else _same():
        person = selectors.person_of(request.user)
        form = PhoneSignInForm(request.POST or None) if person is None else None
        context = {"token": token, "form": form, "person": person}
        try:
            session = services.qr_check(token)
        except ValidationError as exc:
            return render(request, "education/sign_in.html", {**context, "error": exc.messages[0]})
        context["session"] = session
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                attendance, signed = services.qr_sign_in(
                    token=token,
                    person=person,
                    name=form.cleaned_data["name"] if form else "",
                    phone_digits=form.cleaned_data["digits"] if form else "",
                    user=request.user if request.user.is_authenticated else None,
                )
            except ValidationError as exc:
                context["error"] = exc.messages[0]
            else:
                context["attendance"], context["signed"] = attendance, signed
        return render(request, "education/sign_in.html", context)


class _same:
    """The request's own scope (a signed-in reader's, from the middleware)."""

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


@login_required
@require_http_methods(["GET", "HEAD"])
def session_minutes(request, pk: int):
    """The session's minutes as a Word document (第一议题's four fields), as units file them."""
    session = _session(request, pk)
    return minutes.download(session, selectors.roster(session))


def _hours_page(request, person, *, own: bool):
    year = _year(request)
    entry = selectors.person_years([person], year)[person.pk]
    rooms = selectors.classrooms(county_id=person.county_id)
    return render(
        request,
        "education/person_hours.html",
        {
            "person": person,
            "year": year,
            "entry": entry,
            "rows": [(room, entry.by_classroom.get(room.pk, ZERO)) for room in rooms],
            "attendances": selectors.person_attendances(person, year),
            "own": own,
            "community": selectors.person_community(person) if own else None,
            "pairs": selectors.pair_rows(
                MentorPair.objects.filter(Q(mentor=person) | Q(mentee=person))
            )
            if own
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def mine(request):
    """My study hours: a member's own, against their requirement."""
    person = selectors.person_of(request.user)
    if person is None:
        raise Http404
    return _hours_page(request, person, own=True)


@login_required
@require_http_methods(["GET", "HEAD"])
def person_hours(request, pk: int):
    person = get_visible_or_404(people_visible_to(request.user), request, pk=pk)
    require_page(request.user, "education.read_person_hours", person)
    return _hours_page(request, person, own=False)


@login_required
@require_http_methods(["GET", "HEAD"])
def unit(request, pk: int):
    """A unit's ledger: its members' hours by classroom against their requirement, its
    six-classroom balance and its 第一议题 compliance."""
    unit_ = _unit(request, pk)
    year = _year(request)
    people = selectors.unit_people(unit_)
    years = selectors.person_years(people, year)
    rooms = selectors.classrooms(county_id=unit_.county_id)
    balance = selectors.unit_balance(unit_, year)
    top = max([n for _room, n in balance] or [0]) or 1
    recorded, held = selectors.first_topic_compliance(year, units=[unit_])
    return render(
        request,
        "education/unit.html",
        {
            "unit": unit_,
            "year": year,
            "rooms": rooms,
            "rows": [
                (p, years[p.pk], [years[p.pk].by_classroom.get(r.pk, ZERO) for r in rooms])
                for p in people
            ],
            "balance": [(room, n, int(n * 100 / top)) for room, n in balance],
            "unused": [room for room, n in balance if n == 0],
            "recorded": recorded,
            "held": held,
            "meetings": selectors.unit_meetings(unit_, year),
            "sessions": selectors.session_table(
                selectors.session_rows(Session.objects.filter(units=unit_), year=year)[:20]
            ),
            "may_manage": may(request.user, "education.manage_unit", unit_),
            "may_create": may(request.user, "education.create_session"),
            "community": next(
                iter(selectors.unit_community_figures(year, units=[unit_])),
                {"members": 0, "services": 0, "hours": ZERO, "matters": 0},
            ),
            "registrations": selectors.registrations_expiry(
                selectors.latest_registrations(CommunityRegistration.objects.filter(unit=unit_)),
                county_id=unit_.county_id,
            ),
            "register_form": RegistrationForm(
                people=Person.objects.filter(pk__in=[p.pk for p in people]),
                communities=Community.objects.filter(county_id=unit_.county_id, active=True),
                initial={"registered_on": timezone.localdate()},
            ),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_create(request, pk: int):
    unit_ = _unit(request, pk)
    require(request.user, "education.manage_unit", unit_)
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_record(
                unit=unit_,
                held_on=data["held_on"],
                title=data["title"],
                by=request.user,
                first_topic={"topic": data["topic"], "summary": data["summary"]}
                if data["first_topic"]
                else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect("education:unit", pk=unit_.pk)
    return render(request, "education/meeting_form.html", {"form": form, "unit": unit_})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def classrooms(request):
    """The county's classrooms: rename, retire or add one (county staff)."""
    require_page(request.user, "education.open_county_page")
    county_ = county_of(request.user)
    if request.method == "POST":
        require(request.user, "education.manage_classrooms")
    if county_ is None:  # city staff read every county's classrooms
        if not reads_every_county(request.user):
            raise Http404
        return render(
            request,
            "education/classrooms.html",
            {
                "rooms": Classroom.objects.select_related("county").order_by(
                    "county__code", "order", "pk"
                ),
                "every_county": True,
                "may_manage": False,
            },
        )
    rooms = services.classrooms_ensure(county=county_)
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pk = request.POST.get("classroom")
        room = Classroom.objects.filter(pk=pk, county=county_).first() if pk else None
        if pk and room is None:
            raise Http404
        try:
            services.classroom_save(
                county=county_,
                classroom=room,
                name=form.cleaned_data["name"],
                active=form.cleaned_data["active"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The classroom was saved."))
            return redirect("education:classrooms")
    return render(
        request,
        "education/classrooms.html",
        {
            "rooms": rooms,
            "form": form,
            "may_manage": may(request.user, "education.manage_classrooms"),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def study_rules(request):
    """The county's study-hour rules, versioned by year (county staff change them)."""
    require_page(request.user, "education.open_county_page")
    county_ = county_of(request.user)
    if request.method == "POST":
        require(request.user, "education.manage_classrooms")
    if county_ is None:  # city staff read every county's rules
        if not reads_every_county(request.user):
            raise Http404
        return render(
            request,
            "education/rules.html",
            {
                "versions": list(
                    StudyRules.objects.select_related("county").order_by("county__code", "-year")
                ),
                "every_county": True,
                "may_manage": False,
            },
        )
    year = timezone.localdate().year
    current = selectors.rules_for(year, county_id=county_.pk)
    form = RulesForm(request.POST or None, initial={"year": year, **current.__dict__})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.rules_save(county=county_, year=data.pop("year"), by=request.user, **data)
        messages.success(request, _("The study rules were saved."))
        return redirect("education:rules")
    return render(
        request,
        "education/rules.html",
        {
            "form": form,
            "versions": list(StudyRules.objects.filter(county=county_)),
            "may_manage": may(request.user, "education.manage_classrooms"),
        },
    )


@export("member study record")
@login_required
@require_http_methods(["GET", "HEAD"])
def person_export(request, pk: int):
    """A member's yearly study record (学时登记表) as Excel: the member themselves, their
    unit's secretary and the county's committee."""
    own = selectors.person_of(request.user)
    if own is not None and own.pk == pk:
        person = own
    else:
        person = get_visible_or_404(people_visible_to(request.user), request, pk=pk)
        require_page(request.user, "education.read_person_hours", person)
    year = _year(request)
    sheet = exports.person_record_sheet(
        person=person,
        year=year,
        attendances=reversed(selectors.person_attendances(person, year)),
        rules=selectors.rules_for(year, county_id=person.county_id),
    )
    return download(sheet, name=dated_name(exports.person_record_name(person, year)))


@export("unit study ledger")
@login_required
@require_http_methods(["GET", "HEAD"])
def unit_export(request, pk: int):
    """A unit's study-hours ledger as Excel."""
    unit_ = _unit(request, pk)
    year = _year(request)
    people = selectors.unit_people(unit_)
    years = selectors.person_years(people, year)
    sheet = exports.unit_ledger_sheet(
        unit=unit_,
        year=year,
        rooms=selectors.classrooms(county_id=unit_.county_id),
        rows=[(p, years[p.pk]) for p in people],
    )
    return download(sheet, name=dated_name(exports.unit_ledger_name(unit_, year)))


def _import_county(request):
    """The county whose outside study its staff import: 404 for who does not read the
    county's education, 403 for its readers who do not manage it."""
    require_page(request.user, "education.open_county_page")
    require(request.user, "education.manage_classrooms")
    county_ = county_of(request.user)
    if county_ is None:
        raise Http404
    return county_


def _import_page(request, *, form, report=None, token: str = ""):
    return render(
        request,
        "education/import.html",
        {
            "form": form,
            "report": report,
            "confirm_form": ImportConfirmForm(initial={"token": token}) if token else None,
            "headings": list(importing.COLUMNS),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def external_import(request):
    """Upload a platform's export (学习强国, the cadre college): the preview says each row's
    hours, or which rows are refused and why (nothing is written either way)."""
    county_ = _import_county(request)
    initial = {"year": timezone.localdate().year}
    if request.method != "POST":
        return _import_page(request, form=ExternalImportForm(initial=initial))
    form = ExternalImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form=form)
    upload, source, year = (form.cleaned_data[k] for k in ("sheet", "source", "year"))
    content = upload.read()
    try:
        dataset = importing.read_sheet(content, file_format=upload.sheet_format)
        report = importing.external_import(
            county=county_,
            dataset=dataset,
            source=source,
            year=year,
            actor=request.user,
            commit=False,
        )
    except importing.SheetError as exc:
        form.add_error("sheet", str(exc))
        return _import_page(request, form=form)
    token = ""
    if report.ok:
        token = importing.stash(
            content=content,
            file_format=upload.sheet_format,
            source=source,
            year=year,
            user=request.user,
        )
    return _import_page(
        request, form=ExternalImportForm(initial=initial), report=report, token=token
    )


@login_required
@require_POST
@never_cache
def external_import_confirm(request):
    """Import the previewed sheet: every row, or none if a row is refused now."""
    county_ = _import_county(request)
    form = ImportConfirmForm(request.POST)
    stashed = importing.unstash(token=form.data.get("token", ""), user=request.user)
    if stashed is None:
        messages.error(request, _("The preview has expired: upload the sheet again."))
        return redirect("education:import")
    content, file_format, source, year = stashed
    report = importing.external_import(
        county=county_,
        dataset=importing.read_sheet(content, file_format=file_format),
        source=source,
        year=year,
        actor=request.user,
        commit=True,
    )
    if not report.committed:
        return _import_page(request, form=ExternalImportForm(initial={"year": year}), report=report)
    importing.unstash_done(token=form.data["token"], user=request.user)
    messages.success(
        request,
        _("Imported the study hours of %(count)s people.") % {"count": len(report.outcomes)},
    )
    return redirect("education:import")


# --- 双报到: the community's side, a unit's registrations, a member's services -----------------


def _community(request, pk: int) -> Community:
    return get_visible_or_404(selectors.communities_visible_to(request.user), request, pk=pk)


def _registration(request, pk: int) -> CommunityRegistration:
    """A registration its member, their unit's secretary, the county's committee or the
    community's account may see; 404 for anyone else."""
    registration = get_visible_or_404(
        CommunityRegistration.objects.select_related("unit", "community", "person"),
        request,
        pk=pk,
    )
    user = request.user
    if not (
        may(user, "education.log_service", registration)
        or selectors.reads_county(user)
        or may(user, "education.confirm_for_community", registration.community)
    ):
        raise Http404
    return registration


@login_required
@require_http_methods(["GET", "HEAD"])
def community(request, pk: int):
    """A community's page: registrations and services waiting for its confirmation, its needs
    list (需求清单), its members and when each must re-register."""
    community_ = _community(request, pk)
    return render(
        request,
        "education/community.html",
        {
            "community": community_,
            **selectors.community_page(community_),
            "may_confirm": may(request.user, "education.confirm_for_community", community_),
            "need_form": NeedForm(),
        },
    )


def _county_accounts(county_id):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(county_id=county_id, is_active=True).order_by("username")


@login_required
@require_http_methods(["GET", "POST"])
def communities(request):
    """双报到's communities of the county, each with its registrations, and the form to add
    one: the county's staff (404 for anyone else)."""
    require_page(request.user, "education.manage_communities")
    county_ = county_of(request.user)
    form = CommunityForm(request.POST or None, accounts=_county_accounts(county_.pk))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.community_create(
                county=county_, **form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The community %(name)s is added.") % {"name": created})
            return redirect("education:communities")
    rows = (
        Community.objects.filter(county=county_)
        .annotate(
            registered=Count("registrations", distinct=True),
            confirmed=Count(
                "registrations", filter=Q(registrations__confirmed=True), distinct=True
            ),
            account_count=Count("accounts", distinct=True),
        )
        .order_by("-active", "name", "pk")
    )
    return render(request, "education/communities.html", {"rows": rows, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def community_edit(request, pk: int):
    """Correct a community: name, town or street, its confirming accounts, active or not."""
    require_page(request.user, "education.manage_communities")
    community_ = get_visible_or_404(Community.objects.all(), request, pk=pk)
    form = CommunityForm(
        request.POST or None,
        accounts=_county_accounts(community_.county_id),
        with_active=True,
        initial={
            "name": community_.name,
            "town": community_.town,
            "accounts": list(community_.accounts.all()),
            "active": community_.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.community_update(community=community_, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The community is saved."))
            return redirect("education:communities")
    return render(
        request,
        "education/community_edit.html",
        {
            "community": community_,
            "form": form,
            "registered": community_.registrations.count(),
        },
    )


@login_required
@require_POST
def community_remove(request, pk: int):
    """Remove a community: deleted if no one registered with it, else deactivated."""
    require_page(request.user, "education.manage_communities")
    community_ = get_visible_or_404(Community.objects.all(), request, pk=pk)
    name = str(community_)
    if services.community_remove(community=community_, by=request.user):
        messages.success(request, _("The community %(name)s is deleted.") % {"name": name})
    else:
        messages.success(
            request,
            _(
                "%(name)s has registrations: it is deactivated, its records kept, and offered "
                "for no new registration."
            )
            % {"name": name},
        )
    return redirect("education:communities")


def _ids(request, name: str) -> list[int]:
    try:
        return [int(v) for v in request.POST.getlist(name)]
    except ValueError:
        return [0]


@login_required
@require_POST
def community_confirm(request, pk: int):
    """The community's account confirms the ticked registrations and services (all or
    nothing)."""
    community_ = _community(request, pk)
    require(request.user, "education.confirm_for_community", community_)
    act(
        request,
        lambda: services.community_confirm(
            community=community_,
            by=request.user,
            registration_ids=_ids(request, "registration"),
            service_ids=_ids(request, "service"),
        ),
        lambda done: _("Confirmed: %(count)s.") % {"count": done},
    )
    return redirect("education:community", pk=community_.pk)


@login_required
@require_POST
def need_create(request, pk: int):
    """The community's account publishes a need."""
    community_ = _community(request, pk)
    require(request.user, "education.confirm_for_community", community_)
    act_on_form(
        request,
        NeedForm(request.POST),
        lambda data: services.need_publish(community=community_, by=request.user, **data),
        _("The need is published."),
    )
    return redirect("education:community", pk=community_.pk)


@login_required
@require_POST
def need_claim(request, pk: int):
    """A member registered with the need's community signs up to it; 404 for who has no
    registration with that community."""
    person = selectors.person_of(request.user)
    if person is None:
        raise Http404
    need = get_visible_or_404(
        CommunityNeed.objects.filter(community__registrations__person=person).distinct(),
        request,
        pk=pk,
    )
    act(
        request,
        lambda: services.need_claim(need=need, person=person),
        _("You have signed up to “%(need)s”.") % {"need": need},
    )
    return redirect("education:mine")


@login_required
@require_POST
def registration_create(request, pk: int):
    """The unit's secretary (or the county's staff) records a member's 报到单 with a
    community; the community confirms it."""
    unit_ = _unit(request, pk)
    require(request.user, "education.manage_unit", unit_)
    form = RegistrationForm(
        request.POST,
        people=Person.objects.filter(pk__in=[p.pk for p in selectors.unit_people(unit_)]),
        communities=Community.objects.filter(county_id=unit_.county_id),
    )
    act_on_form(
        request,
        form,
        lambda data: services.registration_create(unit=unit_, by=request.user, **data),
        _("The registration waits for the community's confirmation."),
    )
    return redirect("education:unit", pk=unit_.pk)


@login_required
@require_POST
def registration_renew(request, pk: int):
    """Re-register with the community (every half-year, or the county's period)."""
    registration = _registration(request, pk)
    require(request.user, "education.log_service", registration)
    act(
        request,
        lambda: services.registration_renew(
            registration=registration, on=timezone.localdate(), by=request.user
        ),
        _("The re-registration waits for the community's confirmation."),
    )
    if selectors.person_of(request.user) == registration.person:
        return redirect("education:mine")
    return redirect("education:unit", pk=registration.unit_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def service_create(request, pk: int):
    """Log a service done in the community (the member, or their unit's secretary)."""
    registration = _registration(request, pk)
    require(request.user, "education.log_service", registration)
    form = ServiceForm(
        request.POST or None,
        needs=CommunityNeed.objects.filter(community=registration.community, closed=False),
        initial={"done_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.service_log(registration=registration, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The service waits for the community's confirmation."))
            return redirect("education:index")
    return render(
        request, "education/service_form.html", {"form": form, "registration": registration}
    )


# --- 老带新 / 一帮一 pairs ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pairs(request):
    """The county's mentoring pairs (老带新, 一帮一): its committee reads them, its staff
    record one."""
    require_page(request.user, "education.open_county_page")
    county_ = county_of(request.user)
    if county_ is None:
        raise Http404
    people = Person.objects.filter(county=county_, left_on__isnull=True).order_by("name_pinyin")
    form = PairForm(
        request.POST or None, people=people, initial={"effective_from": timezone.localdate()}
    )
    if request.method == "POST":
        require(request.user, "education.manage_classrooms")
        if form.is_valid():
            try:
                pair = services.pair_create(county=county_, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The pair was recorded."))
                return redirect("education:pair", pk=pair.pk)
    return render(
        request,
        "education/pairs.html",
        {
            "pairs": selectors.pair_rows(selectors.pairs_visible_to(request.user)),
            "form": form,
            "may_manage": may(request.user, "education.manage_classrooms"),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pair(request, pk: int):
    """A pair and its meetings; the two of it and the county's staff log a meeting."""
    pair_ = get_visible_or_404(
        selectors.pairs_visible_to(request.user).select_related("mentor", "mentee"),
        request,
        pk=pk,
    )
    form = PairMeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        require(request.user, "education.log_pair_meeting", pair_)
        if form.is_valid():
            try:
                services.pair_meeting_log(pair=pair_, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The meeting was logged."))
                return redirect("education:pair", pk=pair_.pk)
    return render(
        request,
        "education/pair.html",
        {
            "pair": pair_,
            "meetings": list(pair_.meetings.all()),
            "form": form,
            "may_log": may(request.user, "education.log_pair_meeting", pair_),
            "may_manage": may(request.user, "education.manage_classrooms"),
        },
    )


@login_required
@require_POST
def pair_end(request, pk: int):
    """The county's staff end a pair today."""
    pair_ = get_visible_or_404(selectors.pairs_visible_to(request.user), request, pk=pk)
    require(request.user, "education.manage_classrooms")
    act(
        request,
        lambda: services.pair_end(pair=pair_, on=timezone.localdate()),
        _("The pair has ended."),
    )
    return redirect("education:pair", pk=pair_.pk)
