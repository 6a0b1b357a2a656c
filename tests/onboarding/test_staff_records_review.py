"""The staff records' import against what the product's own services allow (issue 22 review): a decision
is behind one oversight holder (OversightHolder.decision is one-to-one, as oversight_holder_set makes it),
and a case has one cover in a leave (LeaveCover's constraint, 003 §7.1). Each is refused by the check,
with its column and reason, rather than failing as the records are written. Names are fictional."""

import io

import pytest
from django.core.management import CommandError, call_command

from cases.models import LeaveCover, User
from onboarding.models import ServiceImport
from supervision.models import OversightDecision, OversightHolder

from .factories import write_folder
from .helpers import problems_in
from .test_staff_records import MANAGER, WORKER, _set

pytestmark = pytest.mark.usefixtures("on_the_import_day")


def _import(path) -> dict:
    """Import the folder (the command fails when a child is skipped); the run's report."""
    try:
        call_command("import_service", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError:
        pass
    return ServiceImport.objects.order_by("pk").last().report


def _second_holder(data: dict) -> dict:
    """A second holder of RV-1002's programme, naming the first holder's decision."""
    first = data["oversight_holders"][0]
    data["oversight_holders"].append({**first, "Holder ID": "OH-2", "From date": "2026-02-24"})
    return data


@pytest.mark.django_db
def test_a_decision_named_by_two_holders_is_refused(tmp_path):
    """The same decision behind two holders in the file: the second is an error, not a failed write."""
    data = _second_holder(_set())
    assert problems_in(tmp_path / "set", data) == {
        (
            "oversight_holders.csv",
            3,
            "Decision ID",
            "already the decision behind the holder on row 2: each holder has its own decision",
        )
    }
    report = _import(write_folder(tmp_path / "set", data))
    assert report["skipped_children"] == ["RV-1002"]
    reasons = [p["reason"] for p in report["problems"]]
    assert not any("could not be written" in reason for reason in reasons)
    assert not OversightHolder.objects.exists()


@pytest.mark.django_db
def test_a_decision_already_behind_a_holder_here_is_refused(tmp_path):
    """A later set naming, for a new holder, the decision behind a holder imported before: refused; the
    same holder's row again is not."""
    _import(write_folder(tmp_path / "one", _set()))
    data = _second_holder(_set())
    data["oversight_holders"] = data["oversight_holders"][1:]
    assert problems_in(tmp_path / "set", data) == {
        (
            "oversight_holders.csv",
            2,
            "Decision ID",
            "already the decision behind another holder here: each holder has its own decision",
        )
    }
    assert problems_in(tmp_path / "set", _set()) == set()
    report = _import(write_folder(tmp_path / "two", data))
    assert report["skipped_children"] == ["RV-1002"]
    holder = OversightHolder.objects.get()
    assert holder.decision == OversightDecision.objects.get(child__case_number="RV-1002")


@pytest.mark.django_db
def test_a_case_covered_here_under_another_cover_id_is_refused(tmp_path):
    """The leave's cover of a case imported before, given again under another id: an error in the check,
    and the rest of the run goes in (a failed write here would stop the staff records of every worker)."""
    _import(write_folder(tmp_path / "one", _set()))
    data = _set()
    data["leave_cover"][0]["Cover ID"] = "LC-9"
    assert problems_in(tmp_path / "set", data) == {
        (
            "leave_cover.csv",
            2,
            "Case number",
            "the case already has cover in this leave here, under another cover ID",
        )
    }
    data["supervision_frequencies"][0]["Reason"] = "New case manager: fortnightly for six months"
    report = _import(write_folder(tmp_path / "two", data))
    assert report["skipped_children"] == ["RV-1001"]
    assert LeaveCover.objects.count() == 1
    counts = {c["file"]: c for c in report["files"]}
    assert counts["supervision_frequencies.csv"]["updated"] == 1


@pytest.mark.django_db
def test_a_holder_is_a_manager_of_a_programme_not_yet_ended(tmp_path):
    """001 §6.3 and oversight_holder_set: oversight is held by a team manager or advanced practitioner
    (whoever holds it reviews the closure checks), and decided while the programme runs."""
    data = _set()
    data["programmes"][-1]["End date"] = "2026-02-27"
    holder = data["oversight_holders"][0]
    data["oversight_holders"] += [
        {**holder, "Holder ID": "OH-2", "Holder email": WORKER, "Decision ID": ""},
        {**holder, "Holder ID": "OH-3", "From date": "2026-02-28", "Decision ID": ""},
    ]
    assert problems_in(tmp_path / "set", data) == {
        (
            "oversight_holders.csv",
            3,
            "Holder email",
            "not a team manager or advanced practitioner: only they hold oversight (001 §6.3)",
        ),
        ("oversight_holders.csv", 4, "From date", "after the programme ended"),
    }


@pytest.mark.django_db
def test_a_manager_here_holds_oversight_whatever_the_case_of_their_address(tmp_path):
    """The holder's role is the one here when staff.csv leaves them out, found however their address is
    written."""
    _import(write_folder(tmp_path / "one", _set()))
    User.objects.filter(email=MANAGER).update(email="Tamsin.Ravel@YJS.example.gov.uk")
    data = _set()
    data["staff"] = [row for row in data["staff"] if row["Email"] != MANAGER]
    assert problems_in(tmp_path / "set", data) == set()


@pytest.mark.django_db
def test_a_holders_decision_is_one_on_who_holds_oversight(tmp_path):
    """oversight_holder_set records each holder's decision with the label oversight_holder (the oversight
    form offers no other way to make one): a holder naming another kind of decision is refused."""
    data = _set()
    decision = data["oversight_decisions"][1]
    data["oversight_decisions"].append({**decision, "Decision ID": "MO-3", "Label": "audit"})
    holder = data["oversight_holders"][0]
    data["oversight_holders"].append(
        {**holder, "Holder ID": "OH-2", "From date": "2026-02-24", "Decision ID": "MO-3"}
    )
    assert problems_in(tmp_path / "set", data) == {
        (
            "oversight_holders.csv",
            3,
            "Decision ID",
            "not a decision on who holds oversight: a holder's decision has the label oversight_holder",
        )
    }
