"""The weekly digest's tick runs daily (09:00): each county sends its digest on its own weekday
(its reminder settings), which a Monday-only tick would never reach. An installation whose
digest task still ticks on Mondays only (installed by `install_schedule` before counties) is
moved to the daily tick; one whose administrator changed the tick keeps theirs."""

from django.db import migrations


def daily_tick(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    for task in PeriodicTask.objects.filter(
        task="notifications.weekly_digest",
        crontab__minute="0",
        crontab__hour="9",
        crontab__day_of_week="1",
        crontab__day_of_month="*",
        crontab__month_of_year="*",
    ).select_related("crontab"):
        daily, _ = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour="9",
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=task.crontab.timezone,
        )
        PeriodicTask.objects.filter(pk=task.pk).update(crontab=daily)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_county_required"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(daily_tick, migrations.RunPython.noop)]
