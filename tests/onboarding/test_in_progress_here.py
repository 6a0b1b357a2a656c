"""One transfer, caretaking agreement or move out in progress per child (003 §11-§12): a later set that
starts a second one under another ID, while the first is in progress here, is refused on its Status; the
same record under its own ID updates it."""

import copy

import pytest

from transfers.models import InternalTransfer, TransferOut

from .factories import write_folder
from .helpers import import_folder, problems_in
from .test_transfers import CARETAKING, INTERNAL, TRANSFER_OUT, _set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_the_import_day")]
HERE = (
    "a second {} in progress for the child: one is already in progress here (recorded in the product, or "
    "imported before under another ID)"
)


def test_a_second_in_progress_under_another_id_is_refused(tmp_path):
    """The first set imports one of each; the later set's second ones are each an error on Status."""
    import_folder(write_folder(tmp_path / "first", _set()))
    assert InternalTransfer.objects.count() == 1 and TransferOut.objects.count() == 1
    later = copy.deepcopy(_set())
    later["internal_transfers"] = [{**INTERNAL, "Transfer ID": "IT-2"}]
    later["transfers_out"] = [{**TRANSFER_OUT, "Transfer out ID": "TO-2"}]
    later["caretaking"] = [{**CARETAKING, "Agreement ID": "CA-2", "Transfer in ID": ""}]
    problems = {(f, r, c, why) for f, r, c, why in problems_in(tmp_path / "later", later) if c == "Status"}
    assert problems == {
        ("internal_transfers.csv", 2, "Status", HERE.format("transfer")),
        ("transfers_out.csv", 2, "Status", HERE.format("move out of the area")),
        ("caretaking.csv", 2, "Status", HERE.format("caretaking agreement")),
    }
    # The same records under their own IDs are the ones here: no such error.
    assert not {p for p in problems_in(tmp_path / "again", _set()) if p[2] == "Status"}
