"""Views of core: the 400 page."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from .middleware import ControlCharacterInQuery


def _bad_request_reason(exception) -> str:
    """What was wrong with a refused request, in the user's words: which limit was passed. Never
    what was sent (the request may carry anything)."""
    if isinstance(exception, TooManyFilesSent):
        return _("At most %(limit)d files can be uploaded at once.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    if isinstance(exception, RequestDataTooBig):
        return _("The form's text is larger than the limit of %(limit)s (files not counted).") % {
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
    if isinstance(exception, TooManyFieldsSent):
        return _("The form sent more than %(limit)d fields.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    if isinstance(exception, ControlCharacterInQuery):
        return _("The address contains a control character, which no page accepts.")
    return _("The request could not be understood.")


@requires_csrf_token
def bad_request(request, exception):
    """The 400 page (handler400): Django's own renders without the request, so it could say
    neither who asks nor why."""
    return render(request, "400.html", {"reason": _bad_request_reason(exception)}, status=400)
