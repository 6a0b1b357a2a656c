"""URLs for mappa."""

from django.urls import path

from .views import register

urlpatterns = [
    path("mappa/", register.mappa_register, name="mappa_register"),
    path("mappa/register.xlsx", register.mappa_export_xlsx, name="mappa_export_xlsx"),
    path("mappa/register.csv", register.mappa_export_csv, name="mappa_export_csv"),
    path("mappa/share/", register.mappa_share, name="mappa_share"),
    path("children/<int:pk>/mappa/", register.child_mappa, name="child_mappa"),
    path("children/<int:pk>/mappa/new/", register.mappa_record_new, name="mappa_record_new"),
    path("children/<int:pk>/mappa/<int:rpk>/form-h/", register.mappa_form_h, name="mappa_form_h"),
    path("children/<int:pk>/mappa/<int:rpk>/level/", register.mappa_level_set, name="mappa_level_set"),
    path("children/<int:pk>/mappa/<int:rpk>/end/", register.mappa_end, name="mappa_end"),
]
