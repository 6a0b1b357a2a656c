"""Placeholder until this area is built: its named routes exist so the child's sub-navigation resolves."""

from django.http import Http404
from django.urls import path


def _placeholder(request, **kwargs):
    raise Http404("Not built yet")


urlpatterns = [
    path("my-work/", _placeholder, name="my_work"),
]
