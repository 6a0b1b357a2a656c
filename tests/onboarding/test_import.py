"""`manage.py import_service`: the report of a malformed set, one transaction per child (an invalid child
skipped, the others in), re-runs that change nothing, invitations for new staff, the progress bar and the
command line's exit codes (issue 22, ADR 0021)."""

import copy
import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import (
    Allocation,
    Child,
    Contact,
    Event,
    FactSnapshot,
    Obligation,
    ObligationMonthStale,
    Programme,
    Team,
    User,
)
from core.models import AuditEntry, OutboxMessage
from meetings.models import Meeting
from onboarding.format import BY_NAME
from onboarding.models import ImportedRecord, ServiceImport
from onboarding.reader import read_path
from onboarding.services.writer import Writer
from onboarding.services.writer import base as writer_base
from onboarding.validate import check
from supervision.models import CaseDiscussion

from .factories import SMALL_SET, write_folder, xlsx_bytes, zip_bytes
from .helpers import NOW, file_counts, import_folder

pytestmark = pytest.mark.usefixtures("on_the_import_day")

MANAGER = "omar.quillfeather@yjs.example.gov.uk"


def _malformed() -> dict:
    """SMALL_SET with errors in three children's rows (and a row of a child nowhere): RV-1002 is clean."""
    data = copy.deepcopy(SMALL_SET)
    base = data["children"][1]
    data["children"] += [
        {
            **base,
            "Case number": "RV-1003",
            "First name": "Wren",
            "Case manager email": "nobody@yjs.example.gov.uk",
        },
        {**base, "Case number": "RV-1004", "First name": "Pell"},
        {**base, "Case number": "RV-1004", "First name": "Jorin"},
    ]
    data["levels"][1]["RoSH"] = "severe"
    data["programmes"].append(
        {"Programme ID": "ORD-3", "Case number": "RV-1001", "Kind": "psr", "Start date": "2026-02-20"}
    )
    data["allocations"].append(
        {
            "Allocation ID": "AL-3",
            "Case number": "RV-9999",
            "Worker email": MANAGER,
            "Role": "case_manager",
            "Started on": "2026-01-01",
        }
    )
    data["contacts"][0]["Date"] = "2026-03-10"
    data["case_notes"][0]["Date"] = "2026-04-01"
    return data


EXPECTED_ERRORS = [
    ("children.csv", 6, "Case number", "RV-1004", "duplicate case number: also on row 5"),
    (
        "children.csv",
        4,
        "Case manager email",
        "nobody@yjs.example.gov.uk",
        "case manager not in staff: not in staff.csv or here",
    ),
    ("levels.csv", 3, "RoSH", "severe", "not one of the allowed values (docs/import-format.md)"),
    ("programmes.csv", 4, "Court date", "", "required for a pre-sentence report"),
    ("allocations.csv", 4, "Case number", "RV-9999", "unknown case number: not in children.csv or here"),
    ("contacts.csv", 2, "Date", "2026-03-10", "a date in the future: only a booked appointment can be"),
    ("case_notes.csv", 2, "Date", "2026-04-01", "a date in the future (the import is on 2026-03-02)"),
]
SKIPPED = ["RV-1004", "RV-1003", "RV-1001"]


def _run(path, *args) -> tuple[str, int, str]:
    """The command's standard output, exit code and one-line outcome (blank on exit 0)."""
    out = io.StringIO()
    try:
        call_command("import_service", str(path), *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return out.getvalue(), error.returncode, str(error)
    return out.getvalue(), 0, ""


def _records() -> dict:
    """How many of each record there are (what an import writes)."""
    models = (Team, User, Child, Programme, Allocation, Contact, Event, Meeting, CaseDiscussion, Obligation)
    counts = {m.__name__: m.objects.count() for m in models}
    counts["child history"] = Child.history.count()
    counts["outbox"] = OutboxMessage.objects.count()
    return counts


@pytest.mark.django_db
def test_malformed_set_imports_the_valid_children_and_reports_the_skipped(tmp_path):
    """Every error has its file, row, column, value and reason; its child is skipped, the others go in."""
    folder = write_folder(tmp_path / "set", _malformed())
    out, code, outcome = _run(folder, "--report", str(tmp_path / "report.csv"))
    assert code == 1
    assert outcome == "7 errors: 3 children skipped, the others imported"
    assert sorted(Child.objects.values_list("case_number", flat=True)) == ["RV-1002"]
    assert list(Programme.objects.values_list("child__case_number", flat=True)) == ["RV-1002"]
    assert list(Allocation.objects.values_list("child__case_number", flat=True)) == ["RV-1002"]
    assert not Contact.objects.exists()
    assert set(Event.objects.values_list("child__case_number", flat=True)) <= {"RV-1002"}
    assert Team.objects.count() == len(SMALL_SET["teams"]) and User.objects.count() == len(SMALL_SET["staff"])
    assert Obligation.objects.filter(child__case_number="RV-1002").exists()
    lines = (tmp_path / "report.csv").read_text().splitlines()
    errors = list(csv.reader(lines[lines.index("File,Row,Column,Value,Reason") + 1 :]))
    assert [tuple(e) for e in errors] == [tuple(map(str, e)) for e in EXPECTED_ERRORS]
    counts = {row[0]: row[1:] for row in csv.reader(lines[1:15]) if row}
    # read, new, updated, unchanged, skipped, errors
    assert counts["children.csv"] == ["5", "1", "0", "0", "4", "2"]
    assert counts["programmes.csv"] == ["3", "1", "0", "0", "2", "1"]
    assert counts["allocations.csv"] == ["3", "1", "0", "0", "2", "1"]
    assert counts["supervision.csv"] == ["1", "1", "0", "0", "0", "0"]
    assert f"Children skipped (3): {', '.join(SKIPPED)}" in out
    run = ServiceImport.objects.get()
    assert run.status == ServiceImport.Status.IMPORTED and run.report["skipped_children"] == SKIPPED


@pytest.mark.django_db
def test_dry_run_makes_the_same_skip_decisions(tmp_path):
    """The dry run's report is the real run's, word for word, and it writes nothing."""
    folder = write_folder(tmp_path / "set", _malformed())
    dry_out, dry_code, dry_outcome = _run(folder, "--dry-run")
    assert Child.objects.count() == User.objects.count() == 0
    assert dry_outcome == "7 errors: 3 children would be skipped, the others would be imported"
    out, code, _ = _run(folder)
    assert (dry_code, dry_out) == (code, out)


@pytest.mark.django_db
def test_staff_error_stops_the_whole_import(tmp_path):
    """An error in staff stops everything (every child depends on staff): nothing is written, exit 1."""
    data = copy.deepcopy(SMALL_SET)
    data["staff"].append(
        {
            "Email": "pip.hallow@yjs.example.gov.uk",
            "First name": "Pip",
            "Last name": "Hallow",
            "Role": "student",
            "Team": "Hillside locality team",
        }
    )
    out, code, outcome = _run(write_folder(tmp_path / "set", data))
    assert code == 1
    assert outcome == "1 error in teams, staff or a file's headings: nothing was imported"
    assert "staff.csv row 4, Team 'Hillside locality team': unknown team: not in teams.csv or here" in out
    assert "Stopped: 1 error in teams, staff or a file's headings" in out
    assert Team.objects.count() == User.objects.count() == Child.objects.count() == 0
    assert not OutboxMessage.objects.exists() and not mail.outbox
    assert ServiceImport.objects.get().status == ServiceImport.Status.REFUSED


@pytest.mark.django_db
def test_failure_mid_child_leaves_that_child_absent_and_the_others_present(tmp_path, monkeypatch):
    """An exception while writing a child's third row rolls back that child only; a re-run imports it."""
    written: list[str] = []

    def failing_clean(obj):
        number = Child.objects.get(pk=obj.child_id).case_number if getattr(obj, "child_id", None) else ""
        written.append(number)
        if number == "RV-1001" and written.count("RV-1001") == 3:
            raise RuntimeError("disk full")
        real_clean(obj)

    real_clean = writer_base.clean_without_queries
    monkeypatch.setattr(writer_base, "clean_without_queries", failing_clean)
    folder = write_folder(tmp_path / "set")
    out, code, outcome = _run(folder)
    assert code == 1 and outcome == "1 error: 1 child skipped, the others imported"
    assert (
        "children.csv row 2, - 'RV-1001': could not be written, so nothing of this child was imported: "
        "disk full" in out
    )
    assert list(Child.objects.values_list("case_number", flat=True)) == ["RV-1002"]
    assert not Programme.objects.filter(child__case_number="RV-1001").exists()
    assert not Allocation.objects.filter(worker__email=MANAGER, child__case_number="RV-1001").exists()
    assert not ImportedRecord.objects.filter(external_id__in=["ORD-1", "AL-1", "AS-1", "RV-1001"]).exists()
    assert (
        not AuditEntry.objects.filter(description__startswith="Imported (created)")
        .exclude(child__case_number="RV-1002")
        .exists()
    )
    monkeypatch.setattr(writer_base, "clean_without_queries", real_clean)
    _, code, _ = _run(folder)
    assert code == 0
    assert sorted(Child.objects.values_list("case_number", flat=True)) == ["RV-1001", "RV-1002"]


@pytest.mark.django_db
def test_rerun_after_fixing_imports_the_skipped_and_changes_nothing_else(tmp_path):
    """The malformed set again changes nothing; corrected, it adds the skipped children and only them."""
    folder = write_folder(tmp_path / "bad", _malformed())
    _run(folder)
    first = _records()
    _, code, _ = _run(folder)
    assert code == 1 and _records() == first
    fixed = copy.deepcopy(SMALL_SET)
    fixed["children"] += [
        {**fixed["children"][1], "Case number": "RV-1003", "First name": "Wren"},
        {**fixed["children"][1], "Case number": "RV-1004", "First name": "Pell"},
    ]
    rv_1002 = Child.objects.get(case_number="RV-1002")
    history = Child.history.filter(id=rv_1002.pk).count()
    out, code, _ = _run(write_folder(tmp_path / "fixed", fixed))
    assert code == 0
    assert file_counts(out, "children.csv") == [4, 3, 0, 1, 0, 0]
    assert sorted(Child.objects.values_list("case_number", flat=True)) == [
        "RV-1001",
        "RV-1002",
        "RV-1003",
        "RV-1004",
    ]
    assert Child.history.filter(id=rv_1002.pk).count() == history


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_reports_what_would_happen(tmp_path):
    """A clean dry run says what it would create and leaves the database as it was."""
    out = import_folder(write_folder(tmp_path / "set"), "--dry-run")
    assert file_counts(out, "children.csv") == [2, 2, 0, 0, 0, 0]
    assert "Checked: no errors (nothing was written)" in out
    assert Child.objects.count() == User.objects.count() == 0


@pytest.mark.django_db
def test_import_then_rerun_changes_nothing(tmp_path):
    """The same files again: every row unchanged, no record, history row or invitation added."""
    folder = write_folder(tmp_path / "set")
    import_folder(folder)
    first = _records()
    obligations = sorted(
        Obligation.objects.values_list("child__case_number", "code", "due", "status"), key=str
    )
    out = import_folder(folder)
    assert _records() == first
    assert (
        sorted(Obligation.objects.values_list("child__case_number", "code", "due", "status"), key=str)
        == obligations
    )
    assert file_counts(out, "children.csv") == [2, 0, 0, 2, 0, 0]
    assert file_counts(out, "contacts.csv") == [1, 0, 0, 1, 0, 0]


@pytest.mark.django_db
def test_corrected_files_update_what_changed(tmp_path):
    """A corrected name and a closed programme update those records, matched on case number and id."""
    import_folder(write_folder(tmp_path / "one"))
    data = copy.deepcopy(SMALL_SET)
    data["children"][0]["Last name"] = "Pemberwyck"
    data["programmes"][0]["End date"] = "2026-02-27"
    data["programmes"][0]["Closure reason"] = "completed"
    out = import_folder(write_folder(tmp_path / "two", data))
    assert file_counts(out, "children.csv") == [2, 0, 1, 1, 0, 0]
    assert file_counts(out, "programmes.csv") == [2, 0, 1, 1, 0, 0]
    assert Child.objects.get(case_number="RV-1001").last_name == "Pemberwyck"
    assert Programme.objects.get(child__case_number="RV-1001").end_date == datetime.date(2026, 2, 27)
    assert Child.objects.count() == 2 and Programme.objects.count() == 2


@pytest.mark.django_db
def test_import_works_out_what_is_due_and_audits(tmp_path):
    """Each imported child has obligations at once, the roll-up is marked stale, and the log says who."""
    import_folder(write_folder(tmp_path / "set"))
    child = Child.objects.get(case_number="RV-1001")
    assert child.rosh == "high" and child.case_manager.email == MANAGER
    assert set(Obligation.objects.filter(child=child).values_list("code", flat=True)) >= {"cmm.risk_review"}
    assert ObligationMonthStale.objects.exists()
    assert AuditEntry.objects.filter(child=child, description__startswith="Imported (created)").count() == 1
    assert (
        AuditEntry.objects.filter(object_type="serviceimport", description__startswith="Imported set").count()
        == 1
    )


@pytest.mark.django_db
def test_new_staff_have_no_password_and_are_invited(
    tmp_path, client, settings, django_capture_on_commit_callbacks
):
    """Imported staff cannot sign in with a password until they set one through the emailed link."""
    settings.TWO_FACTOR_REQUIRED = True
    with django_capture_on_commit_callbacks(execute=True):
        import_folder(write_folder(tmp_path / "set"))
    user = User.objects.get(email=MANAGER)
    assert not user.has_usable_password() and user.username == "omar.quillfeather"
    assert sorted(m.to[0] for m in mail.outbox) == [MANAGER, "tamsin.ravel@yjs.example.gov.uk"]
    message = next(m for m in mail.outbox if m.to == [MANAGER])
    assert "two-factor sign-in" in message.body
    link = next(line for line in message.body.splitlines() if line.startswith(settings.SITE_URL))
    response = client.get(link.removeprefix(settings.SITE_URL.rstrip("/")), follow=True)
    assert response.status_code == 200 and b"new password" in response.content.lower()
    assert user.date_joined.date() == datetime.date(2021, 1, 6)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["set.zip", "set.xlsx"])
def test_zip_and_xlsx_read_as_the_folder(tmp_path, name):
    """The same set as a ZIP of CSV files or a workbook gives the same report as the folder."""
    path = tmp_path / name
    path.write_bytes(zip_bytes() if name.endswith(".zip") else xlsx_bytes())
    assert import_folder(path, "--dry-run") == import_folder(write_folder(tmp_path / "set"), "--dry-run")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing", None, "Cannot read the import: "),
        ("notes.txt", b"hello", "is not a folder, a .zip or an .xlsx file"),
        ("broken.zip", b"not a zip", "not a readable ZIP file"),
        ("broken.xlsx", b"not a workbook", "not a readable XLSX workbook"),
        ("empty", b"", "no import files found"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(tmp_path, name, content, message):
    """A path or file that cannot be read is one line and exit 2, with nothing written."""
    path = tmp_path / name
    if name == "empty":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        import_folder(path)
    assert refused.value.returncode == 2
    assert message in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.django_db
def test_progress_goes_to_stderr_as_lines_when_not_a_terminal(tmp_path):
    """Off a terminal: a line per step, and the children done of all of them every PROGRESS_EVERY."""
    err = io.StringIO()
    call_command("import_service", str(write_folder(tmp_path / "set")), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "Checking the files",
        "Importing children 0/2 (0%)",
        "Importing children 2/2 (100%)",
        "Working out what is due 0/2 (0%)",
        "Working out what is due 2/2 (100%)",
        "Working out staff's own obligations",
    ]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
def test_progress_is_a_bar_on_a_terminal(tmp_path):
    """On a terminal the children's counter is one bar redrawn in place, ending with a new line."""
    err = _Terminal()
    call_command("import_service", str(write_folder(tmp_path / "set")), stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert f"\rImporting children [{'-' * 30}] 0/2 (0%)" in text
    assert f"\rImporting children [{'#' * 15}{'-' * 15}] 1/2 (50%)" in text
    assert f"\rImporting children [{'#' * 30}] 2/2 (100%)\n" in text


@pytest.mark.django_db
def test_rerun_finishes_what_is_due_if_it_stopped(tmp_path):
    """A child whose obligations were never worked out (the step stopped part-way) gets them on a re-run."""
    folder = write_folder(tmp_path / "set")
    import_folder(folder)
    child = Child.objects.get(case_number="RV-1001")
    expected = sorted(Obligation.objects.filter(child=child).values_list("code", "due", "status"), key=str)
    Obligation.objects.filter(child=child).delete()
    FactSnapshot.objects.filter(child=child).delete()
    import_folder(folder)
    assert (
        sorted(Obligation.objects.filter(child=child).values_list("code", "due", "status"), key=str)
        == expected
    )


def _renumbered(data: dict, suffix: str) -> dict:
    """The set with every case number and old-system id given a suffix: other children, same shape."""
    out = copy.deepcopy(data)
    for kind, rows in out.items():
        for row in rows:
            if kind not in ("teams", "staff", "supervision") and "Case number" in row:
                row["Case number"] += suffix
            key = BY_NAME[kind].key
            if key.endswith(" ID") and row.get(key):
                row[key] += suffix
            if row.get("Programme ID") and key != "Programme ID":
                row["Programme ID"] += suffix
    return out


@pytest.mark.django_db
def test_a_childs_queries_do_not_grow_with_the_children_here(tmp_path, monkeypatch):
    """Each child's transaction queries only its own rows: the same count with none or many children here."""
    counts: list[int] = []
    real = Writer.child

    def counted(self, rows):
        with CaptureQueriesContext(connection) as queries:
            real(self, rows)
        counts.append(len(queries))

    monkeypatch.setattr(Writer, "child", counted)
    _run(write_folder(tmp_path / "first", _renumbered(SMALL_SET, "B")))
    alone = list(counts)
    for suffix in "CDE":
        _run(write_folder(tmp_path / suffix, _renumbered(SMALL_SET, suffix)))
    counts.clear()
    _run(write_folder(tmp_path / "last"))
    assert Child.objects.count() == 10
    # 80: the child's KPI snapshots are taken in its transaction too (outcomes.snapshots, a fixed ~10).
    assert counts == alone and max(counts) <= 80


@pytest.mark.django_db
def test_its_own_export_imported_again_changes_nothing(tmp_path):
    """Import the set, export the database, import the export (another folder, another name): every file
    is read and nothing is created or updated (an allocation's note of the file it came from included)."""
    import_folder(write_folder(tmp_path / "set"))
    call_command("export_service", str(tmp_path / "export"), stdout=io.StringIO())
    before = _records()
    out = import_folder(tmp_path / "export")
    assert _records() == before
    lines = {
        line.split()[0]: line
        for line in out.splitlines()
        if line.split() and line.split()[0].endswith(".csv")
    }
    assert file_counts(out, "allocations.csv")[0] > 0
    changed = {name: file_counts(out, name) for name in lines if file_counts(out, name)[1:3] != [0, 0]}
    assert changed == {}


@pytest.mark.django_db
def test_a_row_naming_another_childs_programme_imported_before_is_refused(tmp_path):
    """A later set's contact for RV-1002 names ORD-1, RV-1001's programme from the first import: an error
    on its Programme ID (the product's forms offer only the child's own programmes); its own ORD-2 is fine."""
    import_folder(write_folder(tmp_path / "first"))
    later = {
        "contacts": [
            {
                **SMALL_SET["contacts"][0],
                "Contact ID": "CT-9",
                "Case number": "RV-1002",
                "Programme ID": "ORD-1",
            },
            {
                **SMALL_SET["contacts"][0],
                "Contact ID": "CT-10",
                "Case number": "RV-1002",
                "Programme ID": "ORD-2",
            },
        ]
    }
    problems = check(read_path(write_folder(tmp_path / "later", later)), today=NOW.date()).report.problems
    assert [(p.file, p.row, p.column, p.reason) for p in problems] == [
        ("contacts.csv", 2, "Programme ID", "a programme of another child")
    ]


@pytest.mark.django_db
def test_a_correction_is_a_new_version_of_the_record(tmp_path):
    """A re-run that corrects a CMM moves its version on (a form opened before the import is then
    refused, not saved over the correction: ADR 0009) and keeps the correction in the record's history,
    naming the file; a re-run of the same files does neither."""
    import_folder(write_folder(tmp_path / "one"))
    meeting = Meeting.objects.get(child__case_number="RV-1001")
    version, versions = meeting.version, meeting.history.count()
    import_folder(write_folder(tmp_path / "again"))
    meeting.refresh_from_db()
    assert (meeting.version, meeting.history.count()) == (version, versions)
    data = copy.deepcopy(SMALL_SET)
    data["cmms"][0]["Actions recorded on"] = "2026-01-22"
    import_folder(write_folder(tmp_path / "corrected", data))
    meeting.refresh_from_db()
    assert meeting.actions_recorded_on == datetime.date(2026, 1, 22) and meeting.version == version + 1
    latest = meeting.history.first()
    assert meeting.history.count() == versions + 1
    assert latest.history_change_reason == "Corrected by the import from corrected"
    assert latest.actions_recorded_on == datetime.date(2026, 1, 22)
