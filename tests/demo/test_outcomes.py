"""The demo's KPI facts (issue 21): every kind recorded, the board quarterly, snapshots mostly complete with a
few recent ones missing a fact, victims by reference only, and the values in the contract's shape.

Seeded once for the module at a small size on a fixed day; the assertions hold for any seed (shares and
shapes, never a random value).
"""

import datetime
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings

from cases.models import Child, Obligation, Programme
from demo.seed.common import RECENT_MISS
from outcomes.interventions import INTERVENTION_KINDS, SNAPSHOT_KEYS
from outcomes.models import (
    Accommodation,
    BoardAttendance,
    BoardMeeting,
    Education,
    HealthNeed,
    Offence,
    Snapshot,
    SpecialNeed,
    VictimContact,
    WiderService,
)

TODAY = datetime.date(2026, 12, 4)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A 120-child demo, seeded once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        with override_settings(ALLOW_DEMO_SEED=True), open("/dev/null", "w") as quiet:
            call_command("seed_demo", "--children", "120", "--today", TODAY.isoformat(), stdout=quiet)
        yield
        call_command("flush", "--no-input", verbosity=0)


@pytest.mark.django_db
def test_every_child_has_each_kind_of_fact(demo):
    """Every child has accommodation, ETE, SEND and both screenings recorded; offences follow programmes."""
    children = Child.objects.count()
    for model in (Accommodation, Education, SpecialNeed):
        assert model.objects.values("child").distinct().count() == children, model.__name__
    for area in HealthNeed.Area.values:
        assert HealthNeed.objects.filter(area=area).values("child").distinct().count() == children
    assert WiderService.objects.exists() and Offence.objects.filter(serious_violence=True).exists()
    assert Education.objects.filter(hours_offered__isnull=False).exists()
    assert SpecialNeed.objects.filter(plan="ehcp").exists()
    assert HealthNeed.objects.filter(need_identified=True, attending=True).exists()


@pytest.mark.django_db
def test_victims_are_known_by_reference_only(demo):
    """Every victim is a VR- reference, with consent, views, information and RJ recorded for some."""
    assert set(
        re.sub(r"\d", "9", ref) for ref in VictimContact.objects.values_list("reference", flat=True)
    ) == {"VR-99999"}
    assert VictimContact.objects.filter(consented=True, views_sought=True, rj_taken_part=True).exists()
    assert not VictimContact.objects.filter(rj_taken_part=True, rj_offered=False).exists()


@pytest.mark.django_db
def test_the_board_meets_quarterly_with_every_partner(demo):
    """Twelve quarterly meetings over three years, each with the five partners, attendance varied."""
    days = list(BoardMeeting.objects.order_by("held_on").values_list("held_on", flat=True))
    assert len(days) in (12, 13)
    assert all(80 <= (b - a).days <= 100 for a, b in zip(days, days[1:], strict=False))
    assert BoardAttendance.objects.count() == 5 * len(days)
    assert BoardAttendance.objects.filter(attended=False).exists()
    assert not BoardAttendance.objects.filter(attended=False, senior=True).exists()


@pytest.mark.django_db
def test_snapshots_follow_the_contract_and_recent_gaps_are_owed(demo):
    """A start snapshot for every intervention begun; values in the contract's keys; the incomplete ones are
    recent and owed as kpi.start_snapshot."""
    started = Programme.objects.filter(kind__in=INTERVENTION_KINDS, start_date__lte=TODAY).count()
    assert Snapshot.objects.filter(point="start").count() == started
    for values in Snapshot.objects.values_list("values", flat=True)[:200]:
        assert sorted(values) == sorted(SNAPSHOT_KEYS)  # jsonb keeps keys in its own order
    incomplete = Snapshot.objects.filter(complete=False)
    assert not incomplete.filter(as_of__lt=TODAY - RECENT_MISS).exists()
    owed = Obligation.objects.filter(code="kpi.start_snapshot", status__in=["open", "overdue"]).count()
    assert owed == incomplete.filter(point="start", as_of__gte=datetime.date(2023, 4, 1)).count()
    assert Snapshot.objects.filter(complete=True).count() > 0.9 * Snapshot.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("quarter", ["2025Q1", "2025Q4", "2026Q3"])
def test_the_kpi_commands_json_on_the_demo_adds_up(demo, quarter):
    """`kpi_report --format json` on the demo (issue 21): every numerator within its denominator, every
    percentage that of its two counts (rounded half up, as every figure of the product is), the children
    behind a numerator among those behind its denominator, and some children counted at start and end."""
    out = io.StringIO()
    call_command("kpi_report", "--quarter", quarter, "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    counted = {"start": 0, "end": 0}
    for kpi in data["kpis"]:
        for measure in kpi["measures"]:
            for line in measure["figures"]:
                assert 0 <= line["numerator"] <= line["denominator"], (measure["code"], line)
                if line["denominator"]:
                    exact = Decimal(str(line["numerator"])) * 100 / Decimal(str(line["denominator"]))
                    assert line["percent"] == float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
                else:
                    assert line["percent"] is None
                assert set(line["numerator_children"]) <= set(line["denominator_children"])
                if line.get("point") in counted:
                    counted[line["point"]] += line["denominator"]
    assert counted["start"] > 0 and counted["end"] > 0
