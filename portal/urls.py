from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.city_dashboard, name="city_dashboard"),
    path("snapshots/", views.snapshots, name="snapshots"),
    path("snapshots/<int:pk>/return/", views.snapshot_return, name="snapshot_return"),
]
