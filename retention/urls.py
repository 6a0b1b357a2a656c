"""The retention pages (issue 19): the service manager's only."""

from django.urls import path

from . import views

urlpatterns = [
    path("retention/", views.retention_due, name="retention_due"),
    path("retention/children/<int:pk>/extend/", views.retention_extend, name="retention_extend"),
    path("retention/children/<int:pk>/erase/", views.retention_erase, name="retention_erase"),
]
