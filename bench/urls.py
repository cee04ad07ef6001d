"""The portal's URLs plus the bare page, only under the bench settings."""

from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns

from .views import bare

urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_urlpatterns]
