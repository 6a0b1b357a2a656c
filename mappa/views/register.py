"""Placeholder: replaced by the helper that owns this module."""

from django.http import Http404


def mappa_register(request, **kwargs):
    """Not built yet."""
    raise Http404


def mappa_export_xlsx(request, **kwargs):
    """Not built yet."""
    raise Http404


def mappa_export_csv(request, **kwargs):
    """Not built yet."""
    raise Http404


def mappa_share(request, **kwargs):
    """Not built yet."""
    raise Http404


def child_mappa(request, **kwargs):
    """Not built yet."""
    raise Http404


def mappa_record_new(request, **kwargs):
    """Not built yet."""
    raise Http404


def mappa_form_h(request, **kwargs):
    """Not built yet."""
    raise Http404


def mappa_level_set(request, **kwargs):
    """Not built yet."""
    raise Http404


def mappa_end(request, **kwargs):
    """Not built yet."""
    raise Http404
