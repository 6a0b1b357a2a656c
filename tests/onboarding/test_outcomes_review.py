"""The KPI facts' import against what the outcomes services allow (issue 22 review): an offence or a victim
is linked only to one of the child's own programmes (outcomes/services.py `_check_common`), a programme
imported before as much as one in programmes.csv. Names are fictional."""

import copy
import io

import pytest
from django.core.management import CommandError, call_command

from onboarding.reader import read_path
from onboarding.validate import check
from outcomes.models import Offence, VictimContact

from .factories import SMALL_SET, write_folder
from .helpers import TODAY
from .test_outcomes import OUTCOMES, _set

pytestmark = pytest.mark.usefixtures("on_the_import_day")


def _later_set() -> dict:
    """A later set of RV-1002's offence and victim alone, naming RV-1001's order (ORD-1, imported before)."""
    offence = {**copy.deepcopy(OUTCOMES["offences"][0]), "Offence ID": "OF-2", "Case number": "RV-1002"}
    victim = {
        **copy.deepcopy(OUTCOMES["victim_contacts"][0]),
        "Victim ID": "VC-2",
        "Case number": "RV-1002",
        "Offence ID": "OF-2",
    }
    return {
        "teams": copy.deepcopy(SMALL_SET["teams"]),
        "staff": copy.deepcopy(SMALL_SET["staff"]),
        "offences": [offence],
        "victim_contacts": [victim],
    }


@pytest.mark.django_db
def test_a_programme_of_another_child_imported_before_is_refused(tmp_path):
    """The offence and the victim name another child's programme from an earlier import: each an error on
    its Programme ID, and nothing of the child is linked to it."""
    call_command(
        "import_service",
        str(write_folder(tmp_path / "one", _set())),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    later = write_folder(tmp_path / "two", _later_set())
    problems = {
        (p.file, p.row, p.column, p.reason) for p in check(read_path(later), today=TODAY).report.problems
    }
    assert problems == {
        ("offences.csv", 2, "Programme ID", "a programme of another child"),
        ("victim_contacts.csv", 2, "Programme ID", "a programme of another child"),
    }
    with pytest.raises(CommandError):
        call_command("import_service", str(later), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Offence.objects.filter(child__case_number="RV-1002").exists()
    assert not VictimContact.objects.filter(child__case_number="RV-1002").exists()


@pytest.mark.django_db
def test_the_childs_own_programme_imported_before_is_linked(tmp_path):
    """The same later set naming the child's own programme (ORD-2, imported before) goes in, linked."""
    call_command(
        "import_service",
        str(write_folder(tmp_path / "one", _set())),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    data = _later_set()
    for kind in ("offences", "victim_contacts"):
        data[kind][0]["Programme ID"] = "ORD-2"
    call_command(
        "import_service",
        str(write_folder(tmp_path / "two", data)),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    offence = Offence.objects.get(child__case_number="RV-1002")
    assert offence.programme.child == offence.child
    victim = VictimContact.objects.get(child__case_number="RV-1002")
    assert (victim.programme, victim.offence) == (offence.programme, offence)


@pytest.mark.django_db
def test_a_screenings_errors_say_what_is_wrong(tmp_path):
    """A screening's end before it and an attendance without an offer, each said in words a person acts on."""
    data = _set()
    screening = data["health_needs"][1]
    screening.update({"Until": "2025-11-01", "Attending": "no"})
    problems = {
        (p.file, p.row, p.column, p.reason)
        for p in check(read_path(write_folder(tmp_path / "set", data)), today=TODAY).report.problems
    }
    assert problems == {
        ("health_needs.csv", 3, "Until", "before the screening"),
        (
            "health_needs.csv",
            3,
            "Attending",
            "whether the child attends is given only with the intervention planned or offered, or its date",
        ),
    }
