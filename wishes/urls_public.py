"""The villagers' pages, with no login: a group's link, the page after sending, the status."""

from django.urls import path

from . import views_public

app_name = "wish_public"

urlpatterns = [
    path("sent/", views_public.sent, name="sent"),
    path("status/", views_public.status, name="status"),
    path("<str:token>/", views_public.intake, name="intake"),
]
