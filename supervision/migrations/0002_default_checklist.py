"""The default checklist (督导清单) and the default rectification deadlines per severity."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from supervision.checklist_default import DEFAULT_CHECKLIST, DEFAULT_NAME

    Template = apps.get_model("supervision", "ChecklistTemplate")
    Group = apps.get_model("supervision", "CriterionGroup")
    Criterion = apps.get_model("supervision", "Criterion")
    Policy = apps.get_model("supervision", "SeverityPolicy")
    Threshold = apps.get_model("supervision", "ClassReviewThreshold")
    if not Template.objects.exists():
        template = Template.objects.create(name=DEFAULT_NAME, version=1, is_active=True)
        for g, (title, criteria) in enumerate(DEFAULT_CHECKLIST):
            group = Group.objects.create(template=template, title=title, position=g)
            for c, (text, max_score, guidance) in enumerate(criteria):
                Criterion.objects.create(
                    group=group, text=text, max_score=max_score, guidance=guidance, position=c
                )
    for severity, workdays in (("general", 20), ("major", 10), ("serious", 5)):
        Policy.objects.get_or_create(severity=severity, defaults={"workdays": workdays})
    if not Threshold.objects.exists():
        Threshold.objects.create()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
