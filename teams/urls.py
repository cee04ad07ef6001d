from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.index, name="index"),
    path("builder/", views.builder, name="builder"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("trainings/<int:pk>/delete/", views.training_delete, name="training_delete"),
    path(
        "trainings/<int:pk>/entries/<int:entry_pk>/remove/",
        views.training_entry_remove,
        name="training_entry_remove",
    ),
    path("brands/", views.brands, name="brands"),
    path("brands/<int:pk>/edit/", views.brand_edit, name="brand_edit"),
    path("brands/<int:pk>/delete/", views.brand_delete, name="brand_delete"),
    path("scorecards.xlsx", views.scorecards_export, name="scorecards_export"),
    path("rotation/", views.rotation, name="rotation"),
    path("rotation/<int:pk>/confirm/", views.rotation_confirm, name="rotation_confirm"),
    path("<int:pk>/", views.team_detail, name="team_detail"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/talks/", views.talk_create, name="talk_create"),
    path("<int:pk>/contacts/", views.contact_create, name="contact_create"),
    path("<int:pk>/matters/", views.matter_create, name="matter_create"),
    path("matters/<int:pk>/confirm/", views.matter_confirm, name="matter_confirm"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
]
