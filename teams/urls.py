from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.index, name="index"),
    path("builder/", views.builder, name="builder"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("brands/", views.brands, name="brands"),
    path("scorecards.xlsx", views.scorecards_export, name="scorecards_export"),
    path("rotation/", views.rotation, name="rotation"),
    path("rotation/<int:pk>/confirm/", views.rotation_confirm, name="rotation_confirm"),
    path("<int:pk>/", views.team_detail, name="team_detail"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/talks/", views.talk_create, name="talk_create"),
    path("<int:pk>/matters/", views.matter_create, name="matter_create"),
    path("matters/<int:pk>/confirm/", views.matter_confirm, name="matter_confirm"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
]
