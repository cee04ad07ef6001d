from django.urls import path

from . import views

urlpatterns = [
    path("", views.otp_verify, name="otp_verify"),
    path("setup/", views.otp_setup, name="otp_setup"),
    path("qr.svg", views.otp_qr, name="otp_qr"),
]
