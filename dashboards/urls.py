"""URLs for the dashboards."""

from django.urls import path

from . import compliance_views, team_views

urlpatterns = [
    path("team/", team_views.team_dashboard, name="team_dashboard"),
    path("compliance/", compliance_views.compliance_dashboard, name="compliance_dashboard"),
    path("compliance/children/", compliance_views.compliance_drilldown, name="compliance_drilldown"),
    path("compliance/figures.csv", compliance_views.compliance_export_csv, name="compliance_export_csv"),
    path("compliance/figures.xlsx", compliance_views.compliance_export_xlsx, name="compliance_export_xlsx"),
]
