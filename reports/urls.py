from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("request/", views.report_request, name="request"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status.json", views.report_status, name="status"),
    path("<int:pk>/narrative/", views.report_narrative, name="narrative"),
    path("<int:pk>/file/", views.report_file, name="file"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/document.docx", views.report_document_download, name="document"),
    # The city's roll-up of its counties (city staff only)
    path("city/", views.city_report_list, name="city_list"),
    path("city/request/", views.city_report_request, name="city_request"),
    path("city/<int:pk>/", views.city_report_detail, name="city_detail"),
    path("city/<int:pk>/status.json", views.city_report_status, name="city_status"),
    # the same views as the county report's narrative and filing, for the city's report
    path(
        "city/<int:pk>/narrative/",
        views.report_narrative,
        {"flow": views.CITY},
        name="city_narrative",
    ),
    path("city/<int:pk>/file/", views.report_file, {"flow": views.CITY}, name="city_file"),
    path("city/<int:pk>/download/", views.city_report_download, name="city_download"),
    path("city/<int:pk>/document.docx", views.city_report_document_download, name="city_document"),
]
