"""Revision 2 of the timescales from the product's own records (cases/facts.py): the YJAF upload and
comment after a planning meeting, and bail support with an AssetPlus done for court (001 §6 table)."""

import datetime

import pytest
from django.urls import reverse

from cases.models import EventType, Obligation, Programme
from cases.services.core import child_obligations_refresh, event_create
from cases.services.programmes import programme_create
from cases.worklinks import action_url

pytestmark = pytest.mark.django_db
D = datetime.date


def codes(child, as_of) -> dict[str, list[str]]:
    """The child's obligations by code: the status of each."""
    child_obligations_refresh(child_id=child.pk, as_of=as_of)
    out: dict[str, list[str]] = {}
    for o in Obligation.objects.filter(child=child).order_by("position"):
        out.setdefault(o.code, []).append(o.status)
    return out


def note(child, user, event_type, day):
    """A case note of this type on this day."""
    event_create(child=child, author=user, event_type=event_type, occurred_on=day, summary="Recorded")


@pytest.mark.parametrize(
    ("kind", "extra", "event_type", "code"),
    [
        (Programme.Kind.REMAND, {}, EventType.YJAF_PLAN_UPLOADED, "yjaf.plan_upload"),
        (
            Programme.Kind.DTO_CUSTODY,
            {"length_months": 8, "custody_months": 4},
            EventType.YJAF_COMMENT,
            "yjaf.comment",
        ),
    ],
)
def test_after_a_planning_meeting_the_yjaf_step_is_due_and_met_by_its_note(
    child, case_manager, kind, extra, event_type, code
):
    """A planning meeting on Tuesday 3 November 2026 makes the YJAF step due; the case note that
    records it meets it; the work link opens the event form with that type chosen."""
    programme_create(child=child, user=case_manager, kind=kind, start_date=D(2026, 11, 2), **extra)
    note(child, case_manager, EventType.PLANNING_MEETING, D(2026, 11, 3))
    assert codes(child, D(2026, 11, 3))[code] == [Obligation.Status.OPEN]
    note(child, case_manager, event_type, D(2026, 11, 4))
    assert codes(child, D(2026, 11, 4))[code] == [Obligation.Status.MET]
    assert action_url(code, child.pk) == reverse("event_add", args=[child.pk]) + f"?type={event_type}"


def test_bail_support_with_an_assetplus_done_for_court_asks_for_no_new_one(child, case_manager):
    """001 §6 table, BSS: an AssetPlus "if not done for Court". Ticked: no `assetplus.due`."""
    programme_create(
        child=child,
        user=case_manager,
        kind=Programme.Kind.BAIL_SUPERVISION_SUPPORT,
        start_date=D(2026, 11, 2),
        assessed_for_court=True,
    )
    assert "assetplus.due" not in codes(child, D(2026, 11, 20))


def test_bail_support_without_one_asks_for_an_assetplus(child, case_manager):
    """Not ticked: the AssetPlus is due, as before."""
    programme_create(
        child=child,
        user=case_manager,
        kind=Programme.Kind.BAIL_SUPERVISION_SUPPORT,
        start_date=D(2026, 11, 2),
    )
    assert "assetplus.due" in codes(child, D(2026, 11, 20))


def test_the_flag_is_kept_only_for_bail_support(child, case_manager):
    """A flag for another programme is cleared, not saved (the service's per-kind fields)."""
    programme = programme_create(
        child=child,
        user=case_manager,
        kind=Programme.Kind.YRO,
        start_date=D(2026, 11, 2),
        length_months=12,
        assessed_for_court=True,
    )
    assert programme.assessed_for_court is False
