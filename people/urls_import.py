"""The register's import, exports and retention period (people.views_import), mounted under
people/ beside the register's pages (people.urls)."""

from django.urls import path

from . import views_import as views

app_name = "people_import"

urlpatterns = [
    path("import/", views.import_sheet, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template/", views.import_template, name="import_template"),
    path("export/", views.register_export, name="export"),
    path("units/<int:pk>/export/", views.unit_export, name="unit_export"),
    path("retention/", views.retention_period, name="retention"),
]
