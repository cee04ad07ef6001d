"""Pages show an action by asking the rule the action's view asks (core.access), never by
testing a role in the template, and lists offer what the rule's queryset twin allows."""

from __future__ import annotations

import pytest
from django.urls import reverse

STAFF_ONLY = ["staff"]
NOT_STAFF = ["leader", "lead_secretary", "secretary", "other_secretary"]


@pytest.mark.parametrize("persona", STAFF_ONLY + NOT_STAFF)
def test_the_grid_offers_next_years_rotation_to_whom_the_rule_lets_generate_it(
    client, county, persona
):
    client.force_login(getattr(county, persona))
    html = client.get(reverse("activities:grid")).content.decode()
    assert ('id="generate-rotation"' in html) == (persona in STAFF_ONLY)


@pytest.mark.parametrize("persona", STAFF_ONLY + NOT_STAFF)
def test_supervision_links_the_class_review_for_whom_the_rule_lets_review_classes(
    client, county, persona
):
    client.force_login(getattr(county, persona))
    html = client.get(reverse("supervision:index")).content.decode()
    assert (reverse("supervision:class_review") in html) == (persona in STAFF_ONLY)


@pytest.mark.parametrize(
    ("persona", "zones"), [("staff", {"zone_a", "zone_b"}), ("lead_secretary", {"zone_a"})]
)
def test_a_mutual_check_is_opened_in_the_zones_whose_checks_one_organizes(
    client, county, persona, zones
):
    client.force_login(getattr(county, persona))
    form = client.get(reverse("supervision:check_create")).context["form"]
    offered = set(form.fields["zone"].queryset.values_list("pk", flat=True))
    assert offered == {getattr(county, name).pk for name in zones}
