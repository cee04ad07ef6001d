from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/numbers/", views.person_numbers, name="numbers"),
    path("<int:pk>/profile/", views.cadre_profile_edit, name="profile"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/transfer/", views.person_transfer, name="transfer"),
    path("<int:pk>/posts/new/", views.post_assign, name="post_assign"),
    path("<int:pk>/posts/<int:post_pk>/end/", views.post_end, name="post_end"),
    path("<int:pk>/leave/", views.person_leave, name="leave"),
]
