"""The portal's URLs plus the bare page and the cache counts (bench.probe), only under the bench
settings."""

from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns

from .probe import cache_stats
from .views import bare

urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/cache-stats/", cache_stats, name="bench_cache_stats"),
    *portal_urlpatterns,
]
