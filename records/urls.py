"""URLs for subject access requests."""

from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:pk>/subject-access/", views.subject_access, name="subject_access"),
    path(
        "children/<int:pk>/subject-access/exports/<int:epk>/",
        views.subject_access_download,
        name="subject_access_download",
    ),
]
