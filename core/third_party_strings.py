"""Names that django-axes shows in the admin but does not translate to Chinese, and Django's
messages whose Chinese the portal words better. Listed here so that `make messages` keeps them
in the portal's catalogue, which Django consults before the packages' own."""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
)

# A text over its limit (every form, core.forms.StatedLimitsMixin): Django's Chinese says
# "variable" (变量) and uses half-width brackets.
LENGTH_MESSAGES = (
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
)
