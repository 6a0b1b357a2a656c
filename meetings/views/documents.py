"""Placeholder until the views land."""

from django.http import Http404


def meeting_pdf(request, **kwargs):
    raise Http404


def meeting_send_minutes(request, **kwargs):
    raise Http404


def meeting_send_mappa(request, **kwargs):
    raise Http404
