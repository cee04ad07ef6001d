from django.contrib import admin

from .models import Classroom, Community, StudyRules


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "kind", "order", "active")
    list_filter = ("county", "active")


@admin.register(StudyRules)
class StudyRulesAdmin(admin.ModelAdmin):
    list_display = ("county", "year", "member_hours", "officer_hours", "cadre_hours")


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    """A community of 双报到 and the accounts that confirm for it (its secretaries)."""

    list_display = ("name", "county")
    list_filter = ("county",)
    filter_horizontal = ("accounts",)
