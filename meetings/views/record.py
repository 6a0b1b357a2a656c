"""Placeholder until the views land."""

from django.http import Http404


def meeting_detail(request, **kwargs):
    raise Http404


def meeting_held(request, **kwargs):
    raise Http404


def meeting_section(request, **kwargs):
    raise Http404


def meeting_actions(request, **kwargs):
    raise Http404


def meeting_finalise(request, **kwargs):
    raise Http404


def task_complete(request, **kwargs):
    raise Http404
