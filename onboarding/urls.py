"""The service manager's import pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.service_import, name="service_import"),
    path("<int:pk>/", views.service_import_run, name="service_import_run"),
    path("<int:pk>/report.csv", views.service_import_report, name="service_import_report"),
]
