"""The floor no page can beat: a signed-in page rendering a small template with one query."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.utils.translation import gettext as _

from zones.models import Zone

BARE = engines["django"].from_string(
    "<!doctype html><html lang='zh-hans'><head><meta charset='utf-8'><title>{{ title }}</title>"
    "</head><body><h1>{{ title }}</h1><p>{{ user.get_full_name }}: {{ zones }}</p></body></html>"
)


@login_required
def bare(request):
    context = {"title": _("Zones"), "zones": Zone.objects.count()}
    return HttpResponse(BARE.render(context, request))
