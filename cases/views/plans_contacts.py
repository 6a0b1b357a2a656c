"""Placeholder until this area is built: its named routes exist so the child's sub-navigation resolves."""

from django.http import Http404
from django.urls import path


def _placeholder(request, **kwargs):
    raise Http404("Not built yet")


urlpatterns = [
    path("children/<int:pk>/plans/", _placeholder, name="child_plans"),
    path("children/<int:pk>/contacts/", _placeholder, name="child_contacts"),
]
