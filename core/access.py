"""Authorization in one place: every "may this person do that (to this object)?" of the portal is
a named rule (django-rules predicates), declared in each app's `rules.py` and asked through
`may`/`require` here — by views, and by templates through the context the views build. What a
person may *see* is the other half: the user-scoped selectors (`*_visible_to(user)`, built on
`zones.selectors.user_scope`), which give 404 for anything outside the person's scope. So a view
reads: fetch through a scoped selector (404), then `require(user, rule, obj)` (403).

The rules are asked through django-rules' own registry rather than `user.has_perm`, so no
authentication backend (and no permission query) is involved; the admin sites keep Django's
model permissions (accounts.backends).
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .events import out_of_scope


def may(user, rule: str, obj=None) -> bool:
    return rules.has_perm(rule, user, obj)


def require(user, rule: str, obj=None) -> None:
    """403 unless `user` may."""
    if not rules.has_perm(rule, user, obj):
        raise PermissionDenied


def require_page(user, rule: str, obj=None) -> None:
    """404 unless `user` may: for a whole page a person may not open at all (the ledger, the
    review queue), whose existence is none of their business."""
    if not rules.has_perm(rule, user, obj):
        raise Http404


class OutOfScope(Http404):
    """A 404 for an object that exists but lies outside the reader's scope. It answers exactly
    like a missing object (no hint that it exists), but the attempt is audited as a denial."""


def get_visible_or_404(visible: QuerySet, request=None, **lookup):
    """The object `lookup` finds among what the reader may see (a `*_visible_to(user)`
    selector), or 404. When the object exists outside that scope the 404 is an `OutOfScope`
    and `out_of_scope` is sent (the audit trail records it as a denial); a missing object is
    just a 404."""
    try:
        return visible.get(**lookup)
    except visible.model.DoesNotExist:
        if visible.model._base_manager.filter(**lookup).exists():
            out_of_scope.send(
                sender=visible.model, request=request, lookup=lookup, model=visible.model
            )
            raise OutOfScope from None
        raise Http404 from None
