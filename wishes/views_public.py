"""The villagers' pages: no login, a cheap phone in WeChat's browser. In Chinese only, small (one
small stylesheet, no script), served by the portal. A county that does not run the mechanism
answers 404 here too (its link is not there)."""

from __future__ import annotations

from captcha import views as captcha_views
from captcha.fields import CaptchaField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from core.middleware import client_ip
from counties.constants import Mechanism
from counties.models import County
from counties.scoping import county_scope, every_county

from . import selectors, services
from .constants import (
    CAPTCHA_AFTER,
    NOTICE_VERSION,
    RATE_PER_ADDRESS,
    RATE_PER_PHONE,
    RATE_STATUS,
    State,
)
from .forms import IntakeForm, StatusForm, VillagerVisitForm

SENT_KEY = "wishes_sent_ticket"


def _ip(group, request) -> str:
    return client_ip(request) or "unknown"


def _phone(group, request) -> str:
    return "".join(ch for ch in request.POST.get("phone", "") if ch.isdigit())[-11:] or "none"


def _sent_key(request) -> str:
    return f"wishes:sent:{_ip(None, request)}"


def _chinese(view):
    def wrapped(request, *args, **kwargs):
        with translation.override("zh-hans"):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _county_runs(county_id: int) -> bool:
    with every_county():
        county = County.objects.filter(pk=county_id).first()
    return county is not None and county.runs(Mechanism.WISHES)


@require_http_methods(["GET", "POST"])
@_chinese
def intake(request, token: str):
    """The page of a group's link: the place is known; what, photos, name, phone, consent."""
    group = services.group_from_token(token)
    if group is None or not _county_runs(group.village.town.county_id):
        raise Http404
    county = group.village.town.county
    status = 200
    with county_scope(county):
        needs_captcha = (cache.get(_sent_key(request)) or 0) >= CAPTCHA_AFTER
        form = IntakeForm(request.POST or None, request.FILES or None)
        if needs_captcha:
            form.fields["captcha"] = CaptchaField(label=_("Work out the sum in the picture"))
        if request.method == "POST":
            limited = is_ratelimited(
                request, group="wishes.intake", key=_ip, rate=RATE_PER_ADDRESS, increment=True
            ) or is_ratelimited(
                request, group="wishes.intake.phone", key=_phone, rate=RATE_PER_PHONE,
                increment=True,
            )  # fmt: skip
            if limited:
                status = 429
                form.is_valid()  # so what was typed is shown again
                form.add_error(
                    None,
                    _(
                        "Too many wishes were sent from this phone or network within the hour. "
                        "Please try again later, or tell your village cadre."
                    ),
                )
            elif form.is_valid():
                try:
                    wish = services.wish_receive(
                        group=group,
                        text=form.cleaned_data["text"],
                        phone=form.cleaned_data["phone"],
                        name=form.cleaned_data["name"],
                        photos=form.cleaned_data["photos"],
                        notice_version=NOTICE_VERSION,
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    key = _sent_key(request)
                    cache.add(key, 0, 3600)
                    try:
                        cache.incr(key)
                    except ValueError:
                        cache.set(key, 1, 3600)
                    request.session[SENT_KEY] = wish.ticket
                    return redirect("wish_public:sent")
    return render(
        request,
        "wishes/public/intake.html",
        {"form": form, "group": group, "county": county, "notice_version": NOTICE_VERSION},
        status=status,
    )


@require_http_methods(["GET"])
@_chinese
def sent(request):
    """After sending: the ticket number, once, with how to look it up."""
    ticket = request.session.get(SENT_KEY)
    if not ticket:
        return redirect("wish_public:status")
    return render(request, "wishes/public/sent.html", {"ticket": ticket})


@require_http_methods(["GET", "POST"])
@_chinese
def status(request):
    """Ticket number and the last four digits of the phone: the progress, the handler's unit and
    the answer; never the name, the phone or anyone else's wish. Rate limited per address."""
    form = StatusForm(request.POST or None)
    wish = None
    visit_form = None
    code = 200
    if request.method == "POST":
        if is_ratelimited(
            request, group="wishes.status", key=_ip, rate=RATE_STATUS, increment=True
        ):
            form.is_valid()
            form.add_error(None, _("Too many look-ups from this network. Please try later."))
            code = 429
        elif form.is_valid():
            ticket = services.normalize_ticket(form.cleaned_data["ticket"])
            with every_county():
                wish = selectors.ticket_lookup(ticket, form.cleaned_data["tail"])
            if wish is not None and not _county_runs(wish.county_id):
                wish = None
            if wish is None:
                form.add_error(None, _("No wish matches this ticket number and these four digits."))
                code = 404
            else:
                with county_scope(wish.county_id):
                    if wish.state == State.MERGED and wish.merged_into_id:
                        wish = wish.merged_into
                    if "satisfaction" in request.POST and wish.state == State.RESOLVED:
                        visit_form = VillagerVisitForm(request.POST)
                        if visit_form.is_valid():
                            services.wish_visit(
                                wish=wish,
                                satisfaction=visit_form.cleaned_data["satisfaction"],
                                note=_("answered on the status page"),
                            )
                            visit_form = None
                    if wish.state == State.RESOLVED and visit_form is None:
                        visit_form = VillagerVisitForm()
                    steps = list(wish.steps.order_by("at", "pk").values_list("kind", "on"))
                return render(
                    request,
                    "wishes/public/status.html",
                    {
                        "form": form,
                        "wish": wish,
                        "steps": steps,
                        "visit_form": visit_form,
                        "handler": wish.handler.name if wish.handler_id else "",
                    },
                )
    return render(request, "wishes/public/status.html", {"form": form, "wish": None}, status=code)


# The captcha's picture (django-simple-captcha), served by the portal; GET only.
captcha_image = require_GET(captcha_views.captcha_image)
