"""The staff's pages of the micro-wishes: the list, a wish with its steps, the entry of a wish
from a meeting or a visit, the places with each group's link and QR code, the whistles, the
claims of members and the county's figures. Thin: the rules (rules.py) and the services."""

from __future__ import annotations

import datetime

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.constants import Event, Outcome
from audit.services import audit_record
from core.access import get_visible_or_404, may, require, require_page
from core.excel import dated_name, download, export
from core.exportjobs import offer
from core.forms import error_lines
from core.periods import MONTH, QUARTER, YEAR, previous_month
from core.uploads import serve_upload
from people.selectors import current_unit
from zones.constants import UnitKind
from zones.models import Unit

from . import exports, selectors, services
from .constants import RED_MIN_DUE, State
from .forms import (
    AnswerForm,
    DispatchForm,
    ExtensionForm,
    MeetingForm,
    MergeForm,
    NoteForm,
    OnBehalfForm,
    ReasonForm,
    ReportForm,
    SolveForm,
    TypicalForm,
    VisitForm,
    WhistleForm,
)
from .models import Category, Claim, Group, Photo, Wish


def _wish(request, pk: int) -> Wish:
    return get_visible_or_404(selectors.wishes_visible_to(request.user), request, pk=pk)


def _listed(request):
    """The wishes the reader sees, of the state asked for (selectors.wishes_listed)."""
    return selectors.wishes_listed(request.user, request.GET)


@login_required
@require_GET
def index(request):
    require_page(request.user, "wishes.read")
    if not may(request.user, "wishes.read_list"):
        return redirect("wishes:claims")  # a member who only claims
    wishes, state = _listed(request)
    page = Paginator(selectors.wish_row_columns(wishes), 50).get_page(request.GET.get("page"))
    day = selectors.today()
    return render(
        request,
        "wishes/index.html",
        {
            "page": page,
            "rows": selectors.wish_rows(page, day=day),
            "state": state,
            "states": State.choices,
            "today": day,
            "may_enter": may(request.user, "wishes.enter"),
        },
    )


@export("micro-wishes list")
@login_required
@require_GET
def export_list(request):
    """The list as Excel, names and phones masked (the full contact is the audited page's)."""
    require_page(request.user, "wishes.read_list")
    # Streamed at once up to EXPORT_WORKER_ROWS rows, else written by the worker (issue 20):
    # a county's wishes of every year may pass it (wishes.exports.list_export).
    return offer(request, "micro-wishes list")


def _forms(request, wish: Wish) -> dict:
    units = Unit.objects.filter(is_active=True)
    return {
        "dispatch": DispatchForm(
            categories=Category.objects.filter(is_active=True),
            units=units,
            initial={"category": wish.category_id, "handler": wish.handler_id},
        ),
        "reason": ReasonForm(),
        "note": NoteForm(),
        "extension": ExtensionForm(),
        "answer": AnswerForm(),
        "visit": VisitForm(),
        "merge": MergeForm(),
        "typical": TypicalForm(),
    }


@login_required
@require_GET
def detail(request, pk: int):
    wish = _wish(request, pk)
    user = request.user
    context = {
        "wish": wish,
        "steps": wish.steps.select_related("by", "unit"),
        "photos": wish.photos.all(),
        "forms": _forms(request, wish),
        "dispatches": may(user, "wishes.dispatch", wish),
        "handles": may(user, "wishes.handle", wish),
        "reveals": may(user, "wishes.reveal", wish),
        "duplicates": selectors.duplicates_of(wish) if wish.state == State.NEW else [],
        "today": selectors.today(),
    }
    return render(request, "wishes/detail.html", context)


# action → (rule, form class or None, service call)
def _do(action: str, wish: Wish, data, files, user):
    if action == "dispatch":
        form = DispatchForm(
            data, categories=Category.objects.all(), units=Unit.objects.filter(is_active=True)
        )
        if form.is_valid():
            services.wish_dispatch(
                wish=wish,
                category=form.cleaned_data["category"],
                handler=form.cleaned_data["handler"],
                by=user,
            )
        return form
    if action == "sign":
        services.wish_sign(wish=wish, by=user)
        return None
    if action == "return":
        form = ReasonForm(data)
        if form.is_valid():
            services.wish_return(wish=wish, reason=form.cleaned_data["reason"], by=user)
        return form
    if action in ("return_accept", "return_refuse"):
        form = DispatchForm(
            data,
            categories=Category.objects.all(),
            units=Unit.objects.filter(is_active=True),
        )
        form.is_valid()
        services.wish_return_decide(
            wish=wish,
            accept=action == "return_accept",
            handler=form.cleaned_data.get("handler"),
            by=user,
        )
        return None
    if action == "note":
        form = NoteForm(data, files)
        if form.is_valid():
            services.wish_note(
                wish=wish,
                note=form.cleaned_data["note"],
                photos=form.cleaned_data["photos"],
                by=user,
            )
        return form
    if action == "extend":
        form = ExtensionForm(data)
        if form.is_valid():
            services.wish_extension_request(
                wish=wish, to=form.cleaned_data["to"], reason=form.cleaned_data["reason"], by=user
            )
        return form
    if action in ("extension_approve", "extension_refuse"):
        services.wish_extension_decide(wish=wish, approve=action == "extension_approve", by=user)
        return None
    if action == "answer":
        form = AnswerForm(data)
        if form.is_valid():
            services.wish_answer(wish=wish, answer=form.cleaned_data["answer"], by=user)
        return form
    if action == "visit":
        form = VisitForm(data)
        if form.is_valid():
            services.wish_visit(
                wish=wish,
                satisfaction=form.cleaned_data["satisfaction"],
                handler_caused=form.cleaned_data["handler_caused"],
                note=form.cleaned_data["note"],
                by=user,
            )
        return form
    if action == "merge":
        form = MergeForm(data)
        if form.is_valid():
            into = (
                selectors.wishes_visible_to(user)
                .filter(ticket=services.normalize_ticket(form.cleaned_data["into"]))
                .first()
            )
            if into is None:
                raise ValidationError(_("No wish of yours has this ticket number."))
            services.wish_merge(wish=wish, into=into, by=user)
        return form
    if action == "typical":
        form = TypicalForm(data)
        if form.is_valid():
            services.wish_mark_typical(wish=wish, consent=form.cleaned_data["consent"], by=user)
        return form
    raise Http404


# Who may take each action: the dispatcher or the handler.
ACTION_RULES = {
    "dispatch": "wishes.dispatch",
    "return_accept": "wishes.dispatch",
    "return_refuse": "wishes.dispatch",
    "extension_approve": "wishes.dispatch",
    "extension_refuse": "wishes.dispatch",
    "visit": "wishes.dispatch",
    "merge": "wishes.dispatch",
    "typical": "wishes.dispatch",
    "sign": "wishes.handle",
    "return": "wishes.handle",
    "note": "wishes.handle",
    "extend": "wishes.handle",
    "answer": "wishes.handle",
}


@login_required
@require_POST
def act(request, pk: int, action: str):
    wish = _wish(request, pk)
    rule = ACTION_RULES.get(action)
    if rule is None:
        raise Http404
    require(request.user, rule, wish)
    try:
        form = _do(action, wish, request.POST, request.FILES, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if form is not None and not form.is_valid():
            messages.error(request, " ".join(error_lines(form)))
        else:
            messages.success(request, _("Saved."))
    return redirect("wishes:detail", pk=wish.pk)


@login_required
@require_POST
def reveal(request, pk: int):
    """The villager's full name and phone, for the dispatcher and the handler; audited."""
    wish = _wish(request, pk)
    require(request.user, "wishes.reveal", wish)
    audit_record(
        event=Event.PERSONAL_DATA,
        outcome=Outcome.SUCCESS,
        request=request,
        detail=f"contact of wish {wish.ticket}",
    )
    return render(request, "wishes/reveal.html", {"wish": wish})


@login_required
@require_GET
def photo(request, pk: int):
    found = Photo.objects.filter(pk=pk, wish__in=selectors.wishes_visible_to(request.user)).first()
    if found is None:
        raise Http404
    return serve_upload(found.file, download_name=found.original_name or "photo.jpg")


@login_required
@require_http_methods(["GET", "POST"])
def enter(request):
    """A wish from a courtyard meeting (院落会) or a home visit, entered by a cadre."""
    require(request.user, "wishes.enter")
    towns = selectors.towns_dispatched_by(request.user)
    groups = Group.objects.filter(village__town__in=towns).select_related("village__town")
    meetings = selectors.meetings_visible_to(request.user).filter(village__town__in=towns)
    initial = {}
    if request.GET.get("meeting", "").isdigit():
        initial = {"meeting": request.GET["meeting"], "channel": "courtyard"}
    form = OnBehalfForm(
        request.POST or None,
        request.FILES or None,
        groups=groups,
        meetings=meetings,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            wish = services.wish_receive(
                group=form.cleaned_data["group"],
                channel=form.cleaned_data["channel"],
                text=form.cleaned_data["text"],
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                photos=form.cleaned_data["photos"],
                notice_version="",
                meeting=form.cleaned_data["meeting"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The wish was entered: %(t)s.") % {"t": wish.ticket})
            return redirect("wishes:detail", pk=wish.pk)
    return render(request, "wishes/enter.html", {"form": form})


# --- courtyard meetings (院落会) -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request):
    """The courtyard meetings of the reader's towns (every town for the committee), and the form
    to record one (the dispatchers and county staff)."""
    require_page(request.user, "wishes.read_meetings")
    form = None
    if may(request.user, "wishes.enter"):
        form = MeetingForm(
            request.POST or None,
            request.FILES or None,
            villages=selectors.villages_dispatched_by(request.user),
        )
    if request.method == "POST":
        require(request.user, "wishes.enter")
        if form.is_valid():
            try:
                meeting = services.meeting_record(**form.cleaned_data, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The courtyard meeting was recorded."))
                return redirect("wishes:meeting", pk=meeting.pk)
    page = Paginator(selectors.meetings_visible_to(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "wishes/meetings.html", {"page": page, "form": form})


@login_required
@require_GET
def meeting(request, pk: int):
    found = get_visible_or_404(selectors.meetings_visible_to(request.user), request, pk=pk)
    return render(
        request,
        "wishes/meeting.html",
        {
            "meeting": found,
            "wishes": found.wishes.select_related("group", "category", "handler"),
            "may_enter": may(request.user, "wishes.enter"),
            "may_edit": may(request.user, "wishes.edit_meeting", found),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    """Correct a courtyard meeting's record: whoever may record one of its village; 403 for the
    committee and city staff who read it, 404 for whoever does not."""
    found = get_visible_or_404(selectors.meetings_visible_to(request.user), request, pk=pk)
    require(request.user, "wishes.edit_meeting", found)
    villages = selectors.villages_dispatched_by(request.user)
    initial = {
        "village": found.village_id,
        "place": found.place,
        "held_on": found.held_on,
        "convener": found.convener,
        "attendance": found.attendance,
        "note": found.note,
    }
    form = MeetingForm(
        request.POST or None, request.FILES or None, villages=villages, initial=initial
    )
    form.fields["photo"].label = _("Replace the photo (optional)")
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=found, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The courtyard meeting was corrected."))
            return redirect("wishes:meeting", pk=found.pk)
    return render(request, "wishes/meeting_edit.html", {"meeting": found, "form": form})


@login_required
@require_GET
def meeting_photo(request, pk: int):
    found = get_visible_or_404(selectors.meetings_visible_to(request.user), request, pk=pk)
    if not found.photo:
        raise Http404
    return serve_upload(found.photo, download_name=found.photo_name or "meeting.jpg")


@login_required
@require_GET
def places(request):
    """Towns, villages and groups, each group with its signed link and QR code to paste into its
    WeChat chat, and how many wishes came through it this year (silent groups first)."""
    require_page(request.user, "wishes.manage_places")
    day = selectors.today()
    groups = selectors.group_intake(start=datetime.date(day.year, 1, 1), end=day)
    rows = [
        {
            "group": g,
            "link": request.build_absolute_uri(
                reverse("wish_public:intake", args=[services.group_token(g)])
            ),
        }
        for g in groups
    ]
    return render(request, "wishes/places.html", {"rows": rows, "year": day.year})


@login_required
@require_GET
def group_qr(request, pk: int):
    require_page(request.user, "wishes.manage_places")
    group = Group.objects.filter(pk=pk).first()
    if group is None:
        raise Http404
    link = request.build_absolute_uri(
        reverse("wish_public:intake", args=[services.group_token(group)])
    )
    svg = segno.make(link, error="m").svg_inline(scale=6)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="group-{group.pk}.svg"'
    return response


def _figures_request(request, day):
    """The period the figures page (and its export) is asked for, and the month of the lists."""
    kind = request.GET.get("period", YEAR)
    if kind not in selectors.PERIOD_KINDS:
        kind = YEAR
    key = request.GET.get("at") or request.GET.get("year") or ""
    period = selectors.figures_period(kind, key, day)
    try:
        year, month = request.GET.get("lists", "").split("-")
        lists_month = datetime.date(int(year), int(month), 1)
    except ValueError:
        lists_month = previous_month(day)
    return period, lists_month


def figures_context(request, day) -> dict:
    period, lists_month = _figures_request(request, day)
    start, end = period.start, min(period.end, day)
    wishes = Wish.objects.all()
    result = selectors.figures(wishes, start=start, end=end, day=day)
    with translation.override("zh-hans"):
        label = period.label
    lists = selectors.red_black_lists(wishes, month=lists_month, day=day)
    return {
        "period": period,
        "kinds": [(MONTH, _("Month")), (QUARTER, _("Quarter")), (YEAR, _("Year"))],
        "year": period.start.year,
        "start": start,
        "end": end,
        "f": result,
        "sentence": selectors.narrative(result, label=label),
        "by_town": selectors.breakdown(wishes, "town__name", start=start, end=end, day=day),
        "by_village": selectors.breakdown(
            wishes, ("town__name", "village__name"), start=start, end=end, day=day
        ),
        "by_category": selectors.breakdown(wishes, "category__name", start=start, end=end, day=day),
        "by_handler": selectors.breakdown(wishes, "handler__name", start=start, end=end, day=day),
        "lists": lists,
        "list_tables": [
            (_("Red list"), lists["red"], "red-list"),
            (_("Black list"), lists["black"], "black-list"),
        ],
        "lists_previous": previous_month(lists_month),
        "red_min": RED_MIN_DUE,
        "today": day,
    }


@login_required
@require_GET
def figures(request):
    require_page(request.user, "wishes.read_figures")
    day = selectors.today()
    context = figures_context(request, day)
    wishes = Wish.objects.all()
    context.update(
        {
            "pending": selectors.pending_list(wishes, start=context["start"], end=context["end"])[
                :200
            ],
            "breaches": selectors.invariant_breaches()[:50],
            "whistles": selectors.whistle_league(start=context["start"], end=context["end"]),
        }
    )
    return render(request, "wishes/figures.html", context)


@export("micro-wishes figures")
@login_required
@require_GET
def figures_export(request):
    require_page(request.user, "wishes.read_figures")
    day = selectors.today()
    context = figures_context(request, day)
    return download(exports.figures_sheets(context), name=dated_name(exports.figures_name(), day))


# --- whistles --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def whistles(request):
    require_page(request.user, "wishes.read")
    visible = selectors.wishes_visible_to(request.user)
    towns = selectors.towns_dispatched_by(request.user)
    form = None
    if towns.exists():
        form = WhistleForm(
            request.POST or None,
            departments=Unit.objects.filter(is_active=True, kind=UnitKind.ORGAN),
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            tickets = [services.normalize_ticket(t) for t in form.cleaned_data["tickets"].split()]
            # the batch may sweep in other towns' wishes (county staff see them all)
            found = list(Wish.objects.filter(ticket__in=tickets))
            mine = [w for w in found if w.town_id in set(towns.values_list("pk", flat=True))]
            if len(found) != len(set(tickets)) or not mine:
                form.add_error("tickets", _("A ticket number is unknown, or none is your town's."))
            else:
                try:
                    whistle = services.whistle_blow(
                        town=mine[0].town,
                        wishes=found,
                        reason=form.cleaned_data["reason"],
                        department=form.cleaned_data["department"],
                        approved_by=form.cleaned_data["approved_by"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("The whistle was blown."))
                    return redirect("wishes:whistle", pk=whistle.pk)
    rows = selectors.whistles_visible_to(request.user, visible)
    return render(
        request,
        "wishes/whistles.html",
        {"rows": rows, "form": form, "today": selectors.today()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def whistle(request, pk: int):
    whistle_ = get_visible_or_404(
        selectors.whistles_visible_to(request.user, selectors.wishes_visible_to(request.user)),
        request,
        pk=pk,
    )
    report_form = ReportForm(request.POST if "reporter" in request.POST else None)
    solve_form = SolveForm(request.POST if "solution" in request.POST else None)
    if request.method == "POST":
        require(request.user, "wishes.report_for_duty", whistle_)
        try:
            if "reporter" in request.POST and report_form.is_valid():
                services.whistle_report(
                    whistle=whistle_, reporter=report_form.cleaned_data["reporter"], by=request.user
                )
                messages.success(request, _("Reported for duty."))
                return redirect("wishes:whistle", pk=whistle_.pk)
            if "solution" in request.POST and solve_form.is_valid():
                services.whistle_solve(
                    whistle=whistle_,
                    visit_note=solve_form.cleaned_data["visit_note"],
                    solution=solve_form.cleaned_data["solution"],
                    by=request.user,
                )
                messages.success(request, _("The solution was recorded."))
                return redirect("wishes:whistle", pk=whistle_.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "wishes/whistle.html",
        {
            "whistle": whistle_,
            "report_form": report_form,
            "solve_form": solve_form,
            "reports": may(request.user, "wishes.report_for_duty", whistle_),
            "today": selectors.today(),
        },
    )


# --- 双报到: claims ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def claims(request):
    """Small wishes awaiting dispatch that a member may claim, and the member's own claims."""
    require_page(request.user, "wishes.claim")
    person = request.user.person
    if request.method == "POST":
        try:
            if "fulfil" in request.POST:
                claim = Claim.objects.filter(pk=request.POST["fulfil"], person=person).first()
                if claim is None:
                    raise Http404
                services.claim_fulfil(
                    claim=claim,
                    note=request.POST.get("note", "")[:2000],
                    hours=request.POST.get("hours", "")[:8] or 0,
                    by=request.user,
                )
                messages.success(request, _("The wish is fulfilled. Thank you."))
            else:
                wish = Wish.objects.filter(
                    pk=request.POST.get("wish") or 0, state=State.NEW
                ).first()
                if wish is None:
                    raise Http404
                services.wish_claim(
                    wish=wish, person=person, unit=current_unit(person), by=request.user
                )
                messages.success(request, _("You claimed the wish %(t)s.") % {"t": wish.ticket})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("wishes:claims")
    return render(
        request,
        "wishes/claims.html",
        {
            "open": Wish.objects.filter(state=State.NEW)
            .select_related("village", "group", "town")
            .order_by("-received_on")[:50],
            "mine": Claim.objects.filter(person=person).select_related("wish", "matter"),
        },
    )
