"""Names that django-axes shows in the admin but does not translate to Chinese. Listed here so
that `make messages` keeps them in the portal's catalogue, which Django consults before the
packages' own."""

from django.utils.translation import gettext_noop

STRINGS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
)
