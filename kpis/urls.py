"""URLs for the KPI page, its drill-down and exports, and the quarterly return."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.kpi_page, name="kpi_page"),
    path("children/", views.kpi_drilldown, name="kpi_drilldown"),
    path("figures.csv", views.kpi_export_csv, name="kpi_export_csv"),
    path("figures.xlsx", views.kpi_export_xlsx, name="kpi_export_xlsx"),
    path("return/", views.kpi_return, name="kpi_return"),
    path("return.csv", views.kpi_return_csv, name="kpi_return_csv"),
    path("return.xlsx", views.kpi_return_xlsx, name="kpi_return_xlsx"),
]
