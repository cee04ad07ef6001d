from django.contrib import admin

from .models import Classroom, StudyRules


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "kind", "order", "active")
    list_filter = ("county", "active")


@admin.register(StudyRules)
class StudyRulesAdmin(admin.ModelAdmin):
    list_display = ("county", "year", "member_hours", "officer_hours", "cadre_hours")
