"""`{% audit_result_list cl %}`: the admin's `{% result_list cl %}` (the same template,
admin/change_list_results.html, and the same headers), its rows given by the model admin's
`rows(cl)` when it writes them itself (audit.admin.AuditEventAdmin: issue 20), else Django's."""

from __future__ import annotations

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

register = template.Library()


def audit_result_list(cl) -> dict:
    """What `admin_list.result_list` gives the template, the rows the model admin's own."""
    rows = getattr(cl.model_admin, "rows", None)
    written = rows(cl) if rows is not None else None
    if written is None:
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": written,
    }


@register.tag(name="audit_result_list")
def audit_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=audit_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
