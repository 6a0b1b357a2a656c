"""URLs for the dashboards."""

from django.urls import path

from . import views

urlpatterns = [
    path("team/", views.team_dashboard, name="team_dashboard"),
    path("compliance/", views.compliance_dashboard, name="compliance_dashboard"),
    path("compliance/children/", views.compliance_drilldown, name="compliance_drilldown"),
    path("compliance/figures.csv", views.compliance_export_csv, name="compliance_export_csv"),
    path("compliance/figures.xlsx", views.compliance_export_xlsx, name="compliance_export_xlsx"),
]
