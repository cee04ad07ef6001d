from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.my_activities, name="mine"),
    path("zone/", views.zone_activities, name="zone"),
    path("queue/", views.review_queue, name="queue"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/submit/", views.activity_submit, name="submit"),
    path("<int:pk>/confirm/", views.activity_confirm, name="confirm"),
    path("<int:pk>/return/", views.activity_return, name="return"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment_file, name="attachment"),
    path("grid/", views.grid, name="grid"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("rotation/<int:zone_pk>/", views.rotation, name="rotation"),
    path("rotation/<int:zone_pk>/order/", views.rotation_order, name="rotation_order"),
    path("rotation/<int:zone_pk>/swap/", views.rotation_swap, name="rotation_swap"),
    path("rotation/generate/", views.rotation_generate, name="rotation_generate"),
]
