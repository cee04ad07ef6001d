from django.urls import path

from . import views

app_name = "education"

urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/roster/", views.session_roster, name="session_roster"),
    path("sessions/<int:pk>/files/", views.session_files, name="session_files"),
    path("sessions/<int:pk>/screen/", views.session_screen, name="session_screen"),
    path("sessions/<int:pk>/minutes.docx", views.session_minutes, name="session_minutes"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("sign-in/<str:token>/", views.sign_in, name="sign_in"),
    path("mine/", views.mine, name="mine"),
    path("people/<int:pk>/", views.person_hours, name="person"),
    path("people/<int:pk>/record.xlsx", views.person_export, name="person_export"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("units/<int:pk>/ledger.xlsx", views.unit_export, name="unit_export"),
    path("units/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("classrooms/", views.classrooms, name="classrooms"),
    path("rules/", views.study_rules, name="rules"),
    path("communities/", views.communities, name="communities"),
    path("communities/<int:pk>/", views.community, name="community"),
    path("communities/<int:pk>/edit/", views.community_edit, name="community_edit"),
    path("communities/<int:pk>/remove/", views.community_remove, name="community_remove"),
    path("communities/<int:pk>/confirm/", views.community_confirm, name="community_confirm"),
    path("communities/<int:pk>/needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/claim/", views.need_claim, name="need_claim"),
    path(
        "units/<int:pk>/registrations/new/",
        views.registration_create,
        name="registration_create",
    ),
    path("registrations/<int:pk>/renew/", views.registration_renew, name="registration_renew"),
    path("registrations/<int:pk>/services/new/", views.service_create, name="service_create"),
    path("pairs/", views.pairs, name="pairs"),
    path("pairs/<int:pk>/", views.pair, name="pair"),
    path("pairs/<int:pk>/end/", views.pair_end, name="pair_end"),
    path("import/", views.external_import, name="import"),
    path("import/confirm/", views.external_import_confirm, name="import_confirm"),
]
