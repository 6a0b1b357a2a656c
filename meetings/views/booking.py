"""Placeholder until the views land."""

from django.http import Http404


def meetings_mine(request, **kwargs):
    raise Http404


def meeting_list(request, **kwargs):
    raise Http404


def meeting_book(request, **kwargs):
    raise Http404


def further_offence_add(request, **kwargs):
    raise Http404


def bail_application_add(request, **kwargs):
    raise Http404


def meeting_invitations(request, **kwargs):
    raise Http404


def meeting_participation(request, **kwargs):
    raise Http404


def meeting_compliance_report(request, **kwargs):
    raise Http404


def meeting_cancel(request, **kwargs):
    raise Http404
