"""Pages of the service teams (双带服务队). Each object view starts with one access helper: 404
for what the user may not see, 403 for what they may see but not change."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import get_visible_or_404, may, require, require_page
from core.display import DateTexts
from core.excel import dated_name, download, export
from core.forms import error_lines
from core.once import submitted_once
from counties.scoping import implied_county_id
from people.models import Person
from supervision.constants import FindingState
from supervision.models import Finding
from zones.models import Unit, in_force_on
from zones.selectors import today, user_scope

from . import builder as builder_rules
from . import page, services
from .forms import (
    AssignForm,
    BrandForm,
    BuilderForm,
    BuilderStartForm,
    ContactForm,
    MatterForm,
    RotationProposeForm,
    TalkForm,
    TrainingEntryForm,
    TrainingForm,
    VisitFindingForm,
    VisitForm,
)
from .models import (
    Assignment,
    Brand,
    MicroMatter,
    Rotation,
    TeamMember,
    TeamPolicy,
    Training,
)
from .page import Asked, split_assignments, team_page_records
from .rules import member_team_ids, teams_readable_by, visits_readable_by
from .selectors import league, league_rows_html, team_cards, team_guiding_on


def _error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _policy(request):
    return services.policy_for(implied_county_id(by=request.user))


def _team(request, pk, *, policy=False):
    """The team the reader may read (with its county's policy read along, if `policy`)."""
    related = ("anchor_unit", "county__team_policy") if policy else ("anchor_unit",)
    return get_visible_or_404(
        teams_readable_by(request.user).select_related(*related), request, pk=pk
    )


def _team_policy(request, team):
    """`_policy(request)`, read with the team where it is the team's county's (not a query)."""
    county_id = implied_county_id(by=request.user)
    if county_id is not None and county_id == team.county_id:
        try:
            return team.county.team_policy
        except TeamPolicy.DoesNotExist:
            pass  # created with the defaults on first use
    return services.policy_for(county_id)


@login_required
@require_GET
def index(request):
    """The county's teams: the league table of a year for staff and city staff; one's own
    teams (as a member, or as the secretary of an organization a team guides) for the rest."""
    year = _year(request)
    if may(request.user, "teams.read_league"):
        cards = league(year=year, policy=_policy(request))
        totals = {
            key: sum(getattr(c, key) for c in cards)
            for key in ("units", "members", "visits", "raised", "rectified", "promoted", "matters")
        }
        return render(
            request,
            "teams/index.html",
            {
                "cards": cards,
                "rows": league_rows_html(cards, year=year),
                "year": year,
                "totals": totals,
                "league": True,
                "can_manage": may(request.user, "teams.manage"),
            },
        )
    teams = list(teams_readable_by(request.user).select_related("anchor_unit"))
    if not teams:
        raise Http404
    return render(request, "teams/index.html", {"teams": teams, "year": year, "league": False})


@login_required
@require_GET
def team_detail(request, pk):
    team = _team(request, pk, policy=True)
    day = today()
    year = _year(request)
    scope = user_scope(request.user)
    insider = scope.reads_all or team.pk in member_team_ids(request.user)
    reads_scorecard = may(request.user, "teams.read_scorecard", team)
    policy = _team_policy(request, team) if reads_scorecard or insider else None
    scorecards = reads_scorecard and policy is not None
    can_manage = may(request.user, "teams.manage")
    # every list the page shows, in one statement (teams.page)
    records = team_page_records(
        team,
        Asked(
            year=year,
            day=day,
            history=insider,
            # a guided organization's secretary: their own organization's visits only
            unit_ids=None if insider else frozenset(scope.unit_ids),
            year_members=scorecards,
            # today's members are among the year's, in the same order, in the current year
            today_members=not scorecards or day.year != year,
            insider_lists=insider and policy is not None,
            units=can_manage,
        ),
    )
    assignments, history = split_assignments(records["assignments"], day=day, history=insider)
    if not insider:  # a guided organization's secretary: their own organization's only
        assignments = [a for a in assignments if a.unit_id in scope.unit_ids]
    context = {
        "team": team,
        "year": year,
        "insider": insider,
        "assignments": assignments,
        "history": history,
        "visits": records["visits"],
        "can_record": may(request.user, "teams.record_visit", team),
        "can_manage": can_manage,
    }
    context["members"] = records["today_members"]
    if scorecards:
        card, cards = team_cards(
            team=team,
            year=year,
            policy=policy,
            members=records["year_members"],
            talks=records["talks"],
        )
        context.update(card=card, member_cards=cards, policy=policy)
        if context["members"] is None:
            context["members"] = [c.member for c in cards if c.member.holds_on(day)]
    if insider and policy is not None:
        context["matters"] = records["matters"]
        context["contacts"] = records["contacts"]
        context["contact_every_days"] = policy.contact_every_days
    if may(request.user, "teams.record_contact", team):
        # the organizations guided today, read above in the order of their names
        guided = list({a.unit_id: a.unit for a in assignments}.values())
        context["contact_form"] = ContactForm(units=guided, initial={"contacted_on": day})
    # a member of the team today logs a matter: the reader among today's members, read above
    # (for staff, whom no other rule here asks their teams, not a query of their teams)
    on_team = any(m.person.user_id == request.user.pk for m in context["members"])
    if on_team and may(request.user, "teams.log_matter"):
        context["matter_form"] = MatterForm(initial={"done_on": day})
    if can_manage:
        # the select prints each unit's name only (str(unit)): read with the lists
        context["assign_form"] = AssignForm(units=records["units"], day=day)
        context["talk_form"] = TalkForm(initial={"held_on": day})
    context["rows"] = _team_rows(request, context, day=day)
    return render(request, "teams/team_detail.html", context)


def _team_rows(request, context: dict, *, day) -> dict:
    """The team page's lists' rows, written in Python (teams.page) as its template's loops
    wrote them. A form among them carries a CSRF token of its own (any masked token of the
    request's secret is valid)."""
    dates = DateTexts()
    csrf_input = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    rows = {
        "members": page.members_html(context["members"]),
        "assignments": page.assignments_html(context["assignments"], dates),
        "history": page.history_html(context["history"], dates),
        "visits": page.visits_html(context["visits"], dates),
    }
    if context.get("contacts") is not None:
        rows["contacts"] = page.contacts_html(context["contacts"], dates)
    if context.get("matters"):
        rows["matters"] = page.matters_html(
            context["matters"], dates, confirms=context["can_record"], csrf_input=csrf_input
        )
    if context.get("member_cards"):
        talk_form = None
        if context.get("talk_form"):
            talk_form = {
                "url": reverse("teams:talk_create", args=[context["team"].pk]),
                "year": context["year"],
                "held_on": day,
            }
        rows["member_cards"] = page.member_rows_html(
            context["member_cards"], dates, talk_form=talk_form, csrf_input=csrf_input
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request, pk):
    team = _team(request, pk)
    require(request.user, "teams.record_visit", team)
    day = today()
    units = Unit.objects.filter(
        pk__in=Assignment.objects.filter(in_force_on(day), team=team).values("unit_id")
    )
    people = Person.objects.filter(
        pk__in=TeamMember.objects.filter(in_force_on(day), team=team).values("person_id")
    )
    form = VisitForm(request.POST or None, units=units, people=people, day=day)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submitted_once(request, form) as once:
                if once.repeated:
                    return once.redirect()
                visit = services.visit_record(
                    team=team,
                    unit=data["unit"],
                    visited_on=data["visited_on"],
                    went=list(data["went"]),
                    problems=form.problems(),
                    looked=data["looked"],
                    heard_secretary=data["heard_secretary"],
                    heard_members=data["heard_members"],
                    heard_recipients=data["heard_recipients"],
                    suggestions=data["suggestions"],
                    by=request.user,
                )
                messages.success(request, _("The visit is recorded."))
                return once.answer(redirect("teams:visit_detail", pk=visit.pk))
        except ValidationError as exc:
            _error(request, exc)
    return render(request, "teams/visit_form.html", {"team": team, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def visit_detail(request, pk):
    visit = get_visible_or_404(visits_readable_by(request.user), request, pk=pk)
    can_add = may(request.user, "teams.record_visit", visit.team)
    form = VisitFindingForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "teams.record_visit", visit.team)
        if form.is_valid():
            try:
                with submitted_once(request, form) as once:
                    if once.repeated:
                        return once.redirect()
                    services.visit_add_finding(visit=visit, by=request.user, **form.cleaned_data)
                    messages.success(request, _("The problem is raised for rectification."))
                    return once.answer(redirect("teams:visit_detail", pk=visit.pk))
            except ValidationError as exc:
                _error(request, exc)
    findings = Finding.objects.filter(sheet=visit.sheet).order_by("pk")
    return render(
        request,
        "teams/visit_detail.html",
        {
            "visit": visit,
            "went": visit.went.all(),
            "findings": findings,
            "lines": visit.sheet.lines.all(),
            "form": form if can_add else None,
        },
    )


@login_required
@require_POST
def assign(request, pk):
    team = _team(request, pk)
    require(request.user, "teams.manage")
    form = AssignForm(request.POST, units=Unit.objects.filter(is_active=True), day=today())
    if form.is_valid():
        try:
            services.assign(team=team, by=request.user, **form.cleaned_data)
            messages.success(request, _("The organization is assigned to the team."))
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Choose an organization and a date."))
    return redirect("teams:team_detail", pk=team.pk)


@login_required
@require_POST
def contact_create(request, pk):
    """Log a contact with an organization the team guides (the captain, a member, staff)."""
    team = _team(request, pk)
    require(request.user, "teams.record_contact", team)
    form = ContactForm(
        request.POST,
        units=Unit.objects.filter(pk__in=Assignment.objects.filter(team=team).values("unit_id")),
    )
    target = reverse("teams:team_detail", args=[team.pk])
    done = _form_post(
        request,
        form,
        lambda **data: services.contact_record(team=team, by=request.user, **data),
        _("The contact is recorded."),
        target,
    )
    if done is not None:
        return done
    for line in error_lines(form):
        messages.error(request, line)
    return redirect(target)


@login_required
@require_POST
def talk_create(request, pk):
    team = _team(request, pk)
    require(request.user, "teams.manage")
    form = TalkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = TeamMember.objects.filter(team=team, person_id=data["person"]).first()
        if person is None:
            raise Http404
        try:
            services.talk_record(
                person=person.person,
                team=team,
                year=_year(request),
                held_on=data["held_on"],
                outcome=data["outcome"],
                by=request.user,
            )
            messages.success(request, _("The reminder talk is recorded."))
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Give the day of the talk and its outcome."))
    return redirect("teams:team_detail", pk=team.pk)


@login_required
@require_POST
def matter_create(request, pk):
    team = _team(request, pk)
    if team.pk not in member_team_ids(request.user):
        raise PermissionDenied  # they read the team (a guided unit's secretary), not on it
    person = Person.objects.filter(user=request.user).first()
    form = MatterForm(request.POST)
    if form.is_valid() and person is not None:
        try:
            services.matter_log(person=person, by=request.user, **form.cleaned_data)
            messages.success(request, _("The matter is logged; your captain confirms it."))
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Say what was done, when, and for how many people."))
    return redirect("teams:team_detail", pk=team.pk)


@login_required
@require_POST
def matter_confirm(request, pk):
    matter = get_visible_or_404(
        MicroMatter.objects.filter(team__in=teams_readable_by(request.user)), request, pk=pk
    )
    require(request.user, "teams.confirm_matter", matter.team)
    try:
        services.matter_confirm(matter=matter, by=request.user)
        messages.success(request, _("The matter is confirmed."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("teams:team_detail", pk=matter.team_id)


@login_required
@require_http_methods(["GET", "POST"])
def rotation(request):
    """Next year's rotation: propose (again), review the difference, confirm."""
    require_page(request.user, "teams.read_league")
    day = today()
    year = _year(request) if "year" in request.GET else day.year + 1
    proposal = Rotation.objects.filter(year=year).first()
    in_rectification = Unit.objects.filter(
        pk__in=Finding.objects.exclude(state=FindingState.CLOSED)
        .filter(raised_on__isnull=False)
        .values("responsible_unit_id"),
    ).filter(
        pk__in=Assignment.objects.filter(in_force_on(day)).values("unit_id"),
    )
    form = RotationProposeForm(
        request.POST or None,
        in_rectification=in_rectification,
        day=proposal.effective_on if proposal else datetime.date(year, 1, 1),
    )
    if request.method == "POST":
        require(request.user, "teams.manage")
        if form.is_valid():
            try:
                with submitted_once(request, form) as once:
                    if once.repeated:
                        return once.redirect()
                    services.rotation_propose(
                        year=year,
                        effective_on=form.cleaned_data["effective_on"],
                        kept=[u.pk for u in form.cleaned_data["kept"]],
                        by=request.user,
                    )
                    messages.success(request, _("The rotation is proposed; review it below."))
                    return once.answer(redirect(f"{request.path}?year={year}"))
            except ValidationError as exc:
                _error(request, exc)
    lines = []
    if proposal is not None:
        lines = list(
            proposal.lines.select_related("unit", "team", "previous_team").order_by(
                "team__name", "unit__name_pinyin"
            )
        )
    return render(
        request,
        "teams/rotation.html",
        {
            "year": year,
            "proposal": proposal,
            "lines": lines,
            "changed": sum(1 for line in lines if line.team_id != line.previous_team_id),
            "form": form,
            "can_manage": may(request.user, "teams.manage"),
        },
    )


@login_required
@require_POST
def rotation_confirm(request, pk):
    require_page(request.user, "teams.read_league")
    rotation_ = get_visible_or_404(Rotation.objects.all(), request, pk=pk)
    require(request.user, "teams.manage")
    try:
        services.rotation_confirm(rotation=rotation_, by=request.user)
        messages.success(request, _("The rotation is confirmed."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(f"{reverse('teams:rotation')}?year={rotation_.year}")


@login_required
@require_http_methods(["GET", "POST"])
def builder(request):
    """The team builder: staff choose the size and the day; the portal proposes teams from the
    pool (teams.builder) and explains each rule; staff adjust, check again and confirm."""
    require_page(request.user, "teams.read_league")  # 404 for whoever reads no league table
    require(request.user, "teams.manage")  # city staff read; they build no county's teams
    day = today()
    data = request.POST if request.method == "POST" else request.GET
    start = BuilderStartForm(data or None, initial={"size": 4, "formed_on": day})
    context = {"start": start, "form": None, "explained": []}
    if start.is_valid():
        size, formed_on = start.cleaned_data["size"], start.cleaned_data["formed_on"]
        try:
            built = services.builder_propose(
                county_id=implied_county_id(by=request.user), size=size, on=formed_on
            )
        except ValidationError as exc:
            _error(request, exc)
            built = None
        if built is not None:
            build = built["build"]
            form = BuilderForm(request.POST if request.method == "POST" else None, built=built)
            checks, drafts, guided = build.checks, build.teams, build.guided
            names = [_("Team %(n)s") % {"n": i + 1} for i in range(len(build.teams))]
            if request.method == "POST" and form.is_valid():
                drafts, guided = form.arrangement()
                names = [form.cleaned_data[f"name_{i}"] for i in range(form.count)]
                checks = builder_rules.check(
                    cadres=built["cadres"],
                    teams=drafts,
                    size=size,
                    units=[u.pk for u in built["units"]],
                    guided=guided,
                )
                if request.POST.get("action") == "confirm":
                    done = _builder_confirm(request, built, drafts, guided, names, formed_on)
                    if done is not None:
                        return done
            context.update(
                form=form,
                left=[built["people"][k] for k in build.left],
                explained=services.builder_explain(
                    checks=checks,
                    people=built["people"],
                    units={u.pk: u for u in built["units"]},
                    names=names,
                ),
            )
    return render(request, "teams/builder.html", context)


def _builder_confirm(request, built, drafts, guided, names, formed_on):
    people, units = built["people"], {u.pk: u for u in built["units"]}
    try:
        missing = [names[i] for i, d in enumerate(drafts) if d.captain is None]
        if missing:
            raise ValidationError(
                _("Choose a captain for %(teams)s.") % {"teams": "、".join(missing)}
            )
        teams = services.builder_confirm(
            drafts=[
                (names[i], people[d.captain], [people[k] for k in d.people])
                for i, d in enumerate(drafts)
            ],
            guided={units[u]: i for u, i in guided.items()},
            formed_on=formed_on,
            by=request.user,
        )
    except ValidationError as exc:
        _error(request, exc)  # the page again, with what staff made of the proposal
        return None
    messages.success(
        request,
        _("%(n)s teams are formed; they guide from %(day)s.") % {"n": len(teams), "day": formed_on},
    )
    return redirect("teams:index")


def _form_post(request, form, action, success, target):
    """Validate `form`, call `action(**cleaned_data)` once (a repeated submission is
    answered as the first), say `success` and go to `target`; on a refusal, say why."""
    if form.is_valid():
        try:
            with submitted_once(request, form) as once:
                if once.repeated:
                    return once.redirect()
                action(**{k: v for k, v in form.cleaned_data.items() if k != "once"})
                messages.success(request, success)
                return once.answer(redirect(target))
        except ValidationError as exc:
            _error(request, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def trainings(request):
    """Training classes, seminars and knowledge contests (培训与竞赛): staff record them."""
    require_page(request.user, "teams.read_league")
    form = TrainingForm(request.POST or None, initial={"held_on": today()})
    if request.method == "POST":
        require(request.user, "teams.manage")
        done = _form_post(
            request,
            form,
            lambda **data: services.training_record(by=request.user, **data),
            _("The training is recorded; add its participants."),
            reverse("teams:trainings"),
        )
        if done is not None:
            return done
    rows = Training.objects.annotate(
        participants=Count("entries", distinct=True),
        winners=Count("entries", filter=~Q(entries__prize=""), distinct=True),
    ).order_by("-held_on", "-pk")
    return render(
        request,
        "teams/trainings.html",
        {"rows": rows, "form": form, "can_manage": may(request.user, "teams.manage")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_detail(request, pk):
    require_page(request.user, "teams.read_league")
    training = get_visible_or_404(Training.objects.all(), request, pk=pk)
    people = Person.objects.filter(
        county_id=training.county_id, left_on__isnull=True, cadre_profile__available=True
    ).order_by("name_pinyin")
    form = TrainingEntryForm(request.POST or None, people=people)
    if request.method == "POST":
        require(request.user, "teams.manage")
        done = _form_post(
            request,
            form,
            lambda **data: services.training_entry_add(training=training, by=request.user, **data),
            _("The participant is added."),
            reverse("teams:training_detail", args=[training.pk]),
        )
        if done is not None:
            return done
    return render(
        request,
        "teams/training_detail.html",
        {
            "training": training,
            "entries": training.entries.select_related("person").order_by(
                "prize", "person__name_pinyin"
            ),
            "form": form,
            "can_manage": may(request.user, "teams.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def brands(request):
    """The guided organizations' party-building brands (党建品牌): staff record them."""
    require_page(request.user, "teams.read_league")
    form = BrandForm(
        request.POST or None,
        units=Unit.objects.filter(is_active=True).order_by("name_pinyin"),
        initial={"recognized_on": today()},
    )
    if request.method == "POST":
        require(request.user, "teams.manage")
        done = _form_post(
            request,
            form,
            lambda **data: services.brand_record(by=request.user, **data),
            _("The brand is recorded."),
            reverse("teams:brands"),
        )
        if done is not None:
            return done
    return render(
        request,
        "teams/brands.html",
        {
            "rows": Brand.objects.select_related("unit").order_by("-recognized_on", "name"),
            "form": form,
            "can_manage": may(request.user, "teams.manage"),
        },
    )


def _manage_or_403(request, record):
    """The correction pages: 404 for another county's record (the scoped lookup already), 403
    for whoever reads the staff's pages but records nothing (city staff)."""
    require(request.user, "teams.manage")
    return record


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request, pk):
    """Correct a training or contest recorded wrong (staff, who record them)."""
    require_page(request.user, "teams.read_league")
    training = get_visible_or_404(Training.objects.all(), request, pk=pk)
    _manage_or_403(request, training)
    form = TrainingForm(
        request.POST or None,
        initial={"kind": training.kind, "title": training.title, "held_on": training.held_on},
    )
    if request.method == "POST":
        done = _form_post(
            request,
            form,
            lambda **data: services.training_update(training=training, by=request.user, **data),
            _("The training is corrected."),
            reverse("teams:training_detail", args=[training.pk]),
        )
        if done is not None:
            return done
    return render(
        request,
        "teams/record_edit.html",
        {
            "title": _("Correct the training or contest"),
            "record": training,
            "form": form,
            "back": reverse("teams:training_detail", args=[training.pk]),
            "delete": reverse("teams:training_delete", args=[training.pk]),
        },
    )


def _confirm_delete(request, *, record, what, consequences, action, success, back, target):
    """The removal's confirmation (GET: what it changes) and the removal itself (POST)."""
    if request.method == "POST":
        try:
            action()
        except ValidationError as exc:
            _error(request, exc)
            return redirect(back)
        messages.success(request, success)
        return redirect(target)
    return render(
        request,
        "teams/record_delete.html",
        {"record": record, "what": what, "consequences": consequences, "back": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_delete(request, pk):
    require_page(request.user, "teams.read_league")
    training = get_visible_or_404(Training.objects.all(), request, pk=pk)
    _manage_or_403(request, training)
    entries = training.entries.all()
    n, winners = len(entries), sum(1 for e in entries if e.prize)
    consequences = [
        _(
            "Its %(n)s participants lose the points of taking part on the scorecards of "
            "%(year)s (their teams' and their own)."
        )
        % {"n": n, "year": training.held_on.year}
    ]
    if winners:
        consequences.append(
            _("%(n)s prize winners lose the points of their prize.") % {"n": winners}
        )
    return _confirm_delete(
        request,
        record=training,
        what=_("Remove the training or contest"),
        consequences=consequences,
        action=lambda: services.training_delete(training=training, by=request.user),
        success=_("The training is removed; its history is kept."),
        back=reverse("teams:training_detail", args=[training.pk]),
        target=reverse("teams:trainings"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_entry_remove(request, pk, entry_pk):
    require_page(request.user, "teams.read_league")
    training = get_visible_or_404(Training.objects.all(), request, pk=pk)
    entry = training.entries.select_related("person").filter(pk=entry_pk).first()
    if entry is None:
        raise Http404
    _manage_or_403(request, training)
    consequences = [
        _("%(person)s loses the points of taking part on the scorecards of %(year)s.")
        % {"person": entry.person, "year": training.held_on.year}
    ]
    if entry.prize:
        consequences.append(
            _("…and those of their prize (%(prize)s).") % {"prize": entry.get_prize_display()}
        )
    back = reverse("teams:training_detail", args=[training.pk])
    return _confirm_delete(
        request,
        record=entry,
        what=_("Remove the participant"),
        consequences=consequences,
        action=lambda: services.training_entry_remove(entry=entry, by=request.user),
        success=_("The participant is removed."),
        back=back,
        target=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def brand_edit(request, pk):
    """Correct a brand recorded wrong (staff, who record them)."""
    require_page(request.user, "teams.read_league")
    brand = get_visible_or_404(Brand.objects.select_related("unit"), request, pk=pk)
    _manage_or_403(request, brand)
    form = BrandForm(
        request.POST or None,
        units=Unit.objects.filter(Q(is_active=True) | Q(pk=brand.unit_id)).order_by("name_pinyin"),
        initial={
            "unit": brand.unit_id,
            "name": brand.name,
            "level": brand.level,
            "recognized_on": brand.recognized_on,
        },
    )
    if request.method == "POST":
        done = _form_post(
            request,
            form,
            lambda **data: services.brand_update(brand=brand, by=request.user, **data),
            _("The brand is corrected."),
            reverse("teams:brands"),
        )
        if done is not None:
            return done
    return render(
        request,
        "teams/record_edit.html",
        {
            "title": _("Correct the brand"),
            "record": brand,
            "form": form,
            "back": reverse("teams:brands"),
            "delete": reverse("teams:brand_delete", args=[brand.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def brand_delete(request, pk):
    require_page(request.user, "teams.read_league")
    brand = get_visible_or_404(Brand.objects.select_related("unit"), request, pk=pk)
    _manage_or_403(request, brand)
    team = team_guiding_on(brand.unit_id, brand.recognized_on)
    if team is None:
        consequences = [_("No team guided the organization that day: no scorecard changes.")]
    else:
        consequences = [
            _("%(team)s loses the points of a brand on its scorecard of %(year)s.")
            % {"team": team, "year": brand.recognized_on.year}
        ]
    return _confirm_delete(
        request,
        record=brand,
        what=_("Remove the brand"),
        consequences=consequences,
        action=lambda: services.brand_delete(brand=brand, by=request.user),
        success=_("The brand is removed; its history is kept."),
        back=reverse("teams:brand_edit", args=[brand.pk]),
        target=reverse("teams:brands"),
    )


@export("service team scorecards")
@login_required
@require_GET
def scorecards_export(request):
    """The year's scorecards of teams and members as a workbook, for 评优评先."""
    require_page(request.user, "teams.read_league")
    from .exports import scorecard_sheets, scorecards_name

    year = _year(request)
    return download(
        scorecard_sheets(year=year, policy=_policy(request)),
        name=dated_name(scorecards_name(year)),
    )
