from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/numbers/", views.person_numbers, name="numbers"),
    path("<int:pk>/profile/", views.cadre_profile_edit, name="profile"),
]
