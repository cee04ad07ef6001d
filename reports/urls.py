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
]
