from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = _("Six classrooms")

    def ready(self):
        # The county pages' cached figures are computed from these (core.cache).
        from core.cache import watch

        from .models import Attendance, Classroom, Meeting, Session

        watch(Attendance, Classroom, Meeting, Session)
