from django.urls import path

from . import views

app_name = "wishes"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.enter, name="enter"),
    path("export/", views.export_list, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/contact/", views.reveal, name="reveal"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("places/", views.places, name="places"),
    path("places/groups/<int:pk>/qr.svg", views.group_qr, name="group_qr"),
    path("figures/", views.figures, name="figures"),
    path("figures/export/", views.figures_export, name="figures_export"),
    path("whistles/", views.whistles, name="whistles"),
    path("whistles/<int:pk>/", views.whistle, name="whistle"),
    path("claims/", views.claims, name="claims"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/photo/", views.meeting_photo, name="meeting_photo"),
]
