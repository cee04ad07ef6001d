from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from accounts.forms import LoginForm
from accounts.sites import security_site
from audit.sites import audit_site
from core import views as core_views
from portal import views as portal_views
from wishes import views_public as wishes_public

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("dashboard/", portal_views.dashboard, name="dashboard"),
    path("my-work/", portal_views.my_work, name="my_work"),
    path("zones/<int:pk>/", portal_views.zone_detail, name="zone_detail"),
    path("units/<int:pk>/", portal_views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/phone/", portal_views.unit_phone, name="unit_phone"),
    path("search/", portal_views.search, name="search"),
    path("moves/", portal_views.moves, name="moves"),
    path("search/participants/", portal_views.participant_search, name="participant_search"),
    path("healthz", portal_views.healthz, name="healthz"),
    path(
        "accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/otp/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # A person's page of the register (`people:detail`) is served by the portal, which adds
    # the mechanisms' sections (a person's trainings and contests) to the register's page; no
    # name of its own: it answers for `people:detail`, which resolves to this path.
    path("people/<int:pk>/", portal_views.person_detail),
    path("people/", include("people.urls")),
    # The register's import, exports and retention period (people.urls_import), beside its pages.
    path("people/", include("people.urls_import")),
    path("activities/", include("activities.urls")),
    path("supervision/", include("supervision.urls")),
    path("teams/", include("teams.urls")),
    # 六大课堂 member education (issue 19)
    path("education/", include("education.urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    # Citizens' micro-wishes: the staff's pages, and the villagers' login-free pages and captcha.
    path("wishes/", include("wishes.urls")),
    path("wish/", include("wishes.urls_public")),
    re_path(
        r"^captcha/image/(?P<key>\w+)/$",
        wishes_public.captcha_image,
        {"scale": 1},
        name="captcha-image",
    ),
    # Large exports written by the worker (core.exportjobs): the requester's job page and file.
    path("exports/<int:pk>/", core_views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", core_views.export_job_download, name="export_job_download"),
    path("exports/<int:pk>/retry/", core_views.export_job_retry, name="export_job_retry"),
    path("city/", include("portal.urls")),
    path("admin/", admin.site.urls),
    path("security-admin/", security_site.urls),
    path("audit-admin/", audit_site.urls),
]

# The error pages are templates/400.html, 403.html, 404.html and 500.html; the 400 page says
# which limit a refused request passed.
handler400 = "core.views.bad_request"
