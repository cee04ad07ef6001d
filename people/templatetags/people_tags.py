"""The register's template filters: masked ID numbers (people.masking)."""

from django import template

from people import masking

register = template.Library()


@register.filter
def mask_id(value: str) -> str:
    return masking.mask_id(value)
