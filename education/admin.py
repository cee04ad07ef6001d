"""The six classrooms' records a county's staff keep in the admin: its classrooms, its study
rules by year and its 双报到 communities with their accounts. Each is the county's own
(`counties.admin.CountyOwnedAdmin`): another county's row is not found, a new row is the staff's
county's, and a community's accounts are chosen among the county's people only."""

from django.contrib import admin

from counties.admin import CountyOwnedAdmin

from .models import Classroom, Community, StudyRules


@admin.register(Classroom)
class ClassroomAdmin(CountyOwnedAdmin):
    list_display = ("name", "kind", "order", "active")
    list_filter = ("active",)


@admin.register(StudyRules)
class StudyRulesAdmin(CountyOwnedAdmin):
    list_display = ("year", "member_hours", "officer_hours", "cadre_hours")


@admin.register(Community)
class CommunityAdmin(CountyOwnedAdmin):
    """A community of 双报到 and the accounts that confirm for it (its secretaries)."""

    list_display = ("name",)
    filter_horizontal = ("accounts",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "accounts":
            own = self._own_county_id(request)
            kwargs["queryset"] = db_field.related_model.objects.filter(
                county_id=own, is_active=True
            ).order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)
