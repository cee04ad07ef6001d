from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import PreferencesForm
from .models import Notification
from .selectors import notifications_for, preferences_for


def _get_notification_for_user(request, pk: int) -> Notification:
    try:
        return notifications_for(request.user).get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def notification_list(request):
    """The notification centre: newest first, unread marked."""
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_GET
def notification_open(request, pk: int):
    """Follow a notification's link, marking it read."""
    notification = _get_notification_for_user(request, pk)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url or "notifications:list"
    if notification.url and not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "notifications:list"
    return redirect(target)


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = _get_notification_for_user(request, pk)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    """Each person chooses, per kind, whether to be told in the portal, by email, both or not."""
    form = PreferencesForm(request.POST or None, initial_choices=preferences_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, choices=form.cleaned_data["choices"])
        messages.success(request, _("Your notification choices were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
