"""Placeholder: replaced by the helper that owns this module."""

from django.http import Http404


def transfers_home(request, **kwargs):
    """Not built yet."""
    raise Http404


def child_transfers(request, **kwargs):
    """Not built yet."""
    raise Http404


def internal_transfer_propose(request, **kwargs):
    """Not built yet."""
    raise Http404


def internal_transfer_detail(request, **kwargs):
    """Not built yet."""
    raise Http404


def internal_transfer_decide(request, **kwargs):
    """Not built yet."""
    raise Http404


def internal_transfer_escalation(request, **kwargs):
    """Not built yet."""
    raise Http404


def internal_transfer_mappa(request, **kwargs):
    """Not built yet."""
    raise Http404


def internal_transfer_allocate(request, **kwargs):
    """Not built yet."""
    raise Http404


def internal_transfer_meeting(request, **kwargs):
    """Not built yet."""
    raise Http404


def internal_transfer_withdraw(request, **kwargs):
    """Not built yet."""
    raise Http404
