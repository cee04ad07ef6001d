from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("checks/", views.check_list, name="check_list"),
    path("checks/new/", views.check_create, name="check_create"),
    path("checks/<int:pk>/", views.check_detail, name="check_detail"),
    path("checks/<int:pk>/pairing/", views.check_pairing, name="check_pairing"),
    path("checks/<int:pk>/publish/", views.check_publish, name="check_publish"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/findings/", views.sheet_add_finding, name="sheet_add_finding"),
    path("sheets/<int:pk>/evidence/", views.sheet_add_evidence, name="sheet_add_evidence"),
    path("evidence/<int:pk>/", views.sheet_evidence_file, name="sheet_evidence_file"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/plan/", views.round_plan, name="round_plan"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/export.xlsx", views.finding_export, name="finding_export"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/<slug:action>/", views.finding_action, name="finding_action"),
    path("findings/evidence/<int:pk>/", views.finding_evidence_file, name="finding_evidence_file"),
    path("class-review/", views.class_review_page, name="class_review"),
    path("class-review/confirm/", views.class_review_confirm, name="class_review_confirm"),
    path("class-movements/", views.class_movement_list, name="class_movements"),
]
