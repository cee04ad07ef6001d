from django.core.management.base import BaseCommand

from notifications.schedule import schedule_install


class Command(BaseCommand):
    help = "Install the default Celery beat schedule; entries that exist are left untouched."

    def handle(self, *args, **options):
        created = schedule_install()
        if created:
            self.stdout.write(self.style.SUCCESS("Installed: " + "; ".join(created)))
        else:
            self.stdout.write("The schedule is installed; nothing changed.")
