"""Placeholder: replaced by the helper that owns this module."""

from django.http import Http404


def transfer_in_list(request, **kwargs):
    """Not built yet."""
    raise Http404


def transfer_in_new(request, **kwargs):
    """Not built yet."""
    raise Http404


def transfer_in_detail(request, **kwargs):
    """Not built yet."""
    raise Http404


def transfer_in_decide(request, **kwargs):
    """Not built yet."""
    raise Http404


def transfer_in_requirements(request, **kwargs):
    """Not built yet."""
    raise Http404


def caretaking_new(request, **kwargs):
    """Not built yet."""
    raise Http404


def caretaking_detail(request, **kwargs):
    """Not built yet."""
    raise Http404


def caretaking_review(request, **kwargs):
    """Not built yet."""
    raise Http404


def caretaking_end(request, **kwargs):
    """Not built yet."""
    raise Http404


def host_contact_new(request, **kwargs):
    """Not built yet."""
    raise Http404


def transfer_out_new(request, **kwargs):
    """Not built yet."""
    raise Http404


def transfer_out_detail(request, **kwargs):
    """Not built yet."""
    raise Http404


def transfer_out_update(request, **kwargs):
    """Not built yet."""
    raise Http404
