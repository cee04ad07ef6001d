"""How the register shows ID and phone numbers everywhere but the audited page: masked.

- `mask_id("110105199001011234")` → "110105********1234": the region and the last four, enough
  to tell two people apart, not to use the number.
- `mask_phone("13856785678")` → "138****5678": the portal's one rule for phone numbers (the
  unit pages' filter, core.templatetags.portal_tags.mask_phone), not a second one.

Templates use them as the `mask_id` and `mask_phone` filters (`{% load people_tags %}` and
`{% load portal_tags %}`).
"""

from __future__ import annotations

from core.templatetags.portal_tags import mask_phone

__all__ = ["mask_id", "mask_phone"]


def mask_id(value: str) -> str:
    """Keeps the first six and the last four characters; everything between is a star."""
    text = str(value or "")
    if len(text) <= 10:
        return "*" * len(text)
    return f"{text[:6]}{'*' * (len(text) - 10)}{text[-4:]}"
