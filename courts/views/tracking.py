"""Placeholder: replaced by the helper that owns this module."""

from django.http import Http404


def court_home(request, **kwargs):
    """Not built yet."""
    raise Http404


def awaiting_hearing_new(request, **kwargs):
    """Not built yet."""
    raise Http404


def awaiting_hearing_screen(request, **kwargs):
    """Not built yet."""
    raise Http404


def child_court(request, **kwargs):
    """Not built yet."""
    raise Http404


def crown_court_new(request, **kwargs):
    """Not built yet."""
    raise Http404


def crown_court_detail(request, **kwargs):
    """Not built yet."""
    raise Http404


def crown_court_update(request, **kwargs):
    """Not built yet."""
    raise Http404
