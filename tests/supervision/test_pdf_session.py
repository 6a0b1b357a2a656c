"""The Record of Supervision as a PDF (000 App. C): its headings and recorded content, the classification
footer on every page, storing it once, and who may download it (the restricted readers only)."""

import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Role
from core.models import AuditEntry
from demo.factories import ChildFactory, UserFactory
from supervision.models import CaseDiscussion, SupervisionMethod, SupervisionSession
from supervision.pdf_session import session_record_filename, session_record_html, supervision_record_store
from supervision.services import sessions as services

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=LONDON)
D = datetime.date

# 000 App. C's headings, in its order (the PDF's text is compared with whitespace collapsed).
APP_C_HEADINGS = [
    "Youth Justice Service Record of Supervision",
    "Name:",
    "Date of Supervision:",
    "Supervision Method (eg 1:1, group etc)",
    "Agenda",
    "1. Personal Wellbeing (including Attendance Flexi Leave, Health and Safety)",
    "2. Matters Arising/Actions from Previous Supervision (non-case related)",
    "3. Cases Discussed (list of young people who have been discussed using initials and case number)",
    "4. Performance (including Good Practice, Areas for Improvement, Capability Procedures, and Obstacles to "
    "Effective Service Delivery)",
    "5. Training and Development",
    "6. Team/Service Relationships",
    "7. Policies and Procedures",
    "8. AOB",
    "Discussion Notes",
    "Date, Time and Place of Next Supervision:",
]

RECORD = {
    "personal_wellbeing": "Flexi balance within limits; DSE assessment booked",
    "matters_arising": "Mileage claims from July submitted",
    "performance": "Good practice: court reports <b>strong</b> and on time",
    "training_development": "Reflected on the clinical psychologist's case consultation",
    "team_relationships": "Working well with the ETE coordinator",
    "policies_procedures": "Read the revised RoSH and SaW policy",
    "aob": "Office move in November",
    "discussion_notes": "Workload manageable at current capacity",
    "next_date": D(2026, 10, 26),
    "next_time": datetime.time(14, 30),
    "next_place": "Meeting room 2, County Hall",
}


@pytest.fixture(autouse=True)
def pinned():
    """Every test runs on Tue 15 Sep 2026 at 10:00 London time."""
    with time_machine.travel(NOW, tick=False):
        yield


def text_of(content: bytes) -> str:
    """The PDF's text, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(bytes(content)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def pages_of(content: bytes) -> list[str]:
    """Each page's text, whitespace collapsed."""
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(bytes(content))).pages]


@pytest.fixture
def worker(case_manager):
    """The case manager, named for the footer."""
    case_manager.first_name, case_manager.last_name = "Sam", "Worker"
    case_manager.save()
    return case_manager


@pytest.fixture
def finalised(worker, team_manager, north):
    """A finalised Record of Supervision with every section written and two cases discussed."""
    session = services.session_create(
        supervisee=worker,
        supervisor=team_manager,
        held_on=D(2026, 9, 14),
        starts_at=datetime.time(10, 0),
        method=SupervisionMethod.ONE_TO_ONE,
        user=team_manager,
    )
    services.session_update(session=session, user=team_manager, **RECORD)
    for first, last, number in (("Jo", "Ash", "YJ700001"), ("Kai", "Birch", "YJ700002")):
        CaseDiscussion.objects.create(
            child=ChildFactory(
                team=north, case_manager=worker, first_name=first, last_name=last, case_number=number
            ),
            session=session,
            held_on=session.held_on,
            manager=team_manager,
            worker=worker,
            status=CaseDiscussion.Status.RECORDED,
            recorded_on=session.held_on,
            created_by=team_manager,
        )
    return services.session_finalise(session=session, user=team_manager)


def stored_pdf(session) -> bytes:
    """The PDF kept with the session."""
    return bytes(SupervisionSession.objects.values_list("pdf", flat=True).get(pk=session.pk))


def test_pdf_has_every_app_c_heading_and_the_recorded_content(finalised):
    """Each App. C heading, the recorded text under it, and the cases by initials and case number only."""
    assert supervision_record_store(session_id=finalised.pk) == finalised.pk
    text = text_of(stored_pdf(finalised))
    for heading in APP_C_HEADINGS:
        assert heading in text, heading
    for name, value in RECORD.items():
        if isinstance(value, str) and name != "next_place":
            assert value in text, name
    assert "Sam Worker" in text and "Monday 14 September 2026, 10:00" in text and "1:1 in person" in text
    assert "JA YJ700001" in text and "KB YJ700002" in text
    assert "Jo Ash" not in text and "Kai Birch" not in text
    assert "Monday 26 October 2026, 14:30, Meeting room 2, County Hall" in text
    # Headings come in App. C's order.
    positions = [text.index(heading) for heading in APP_C_HEADINGS]
    assert positions == sorted(positions)


def test_recorded_text_is_escaped(finalised):
    """Markup typed into a section is shown as text, never interpreted (the PDF shows "<b>" literally)."""
    SupervisionSession.objects.filter(pk=finalised.pk).update(aob="<script>alert(1)</script>")
    finalised.refresh_from_db()
    html = session_record_html(finalised)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_every_page_has_the_classification_name_and_page_numbers(finalised):
    """OFFICIAL-SENSITIVE, "Record of Supervision – <name>" and "Page X of Y" on every page."""
    SupervisionSession.objects.filter(pk=finalised.pk).update(
        discussion_notes="\n".join(f"Reflective note line {i}" for i in range(160))
    )
    supervision_record_store(session_id=finalised.pk)
    pages = pages_of(stored_pdf(finalised))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in page
        assert "Record of Supervision – Sam Worker" in page
        assert f"Page {number} of {len(pages)}" in page


def test_store_is_idempotent_and_only_for_finalised_records(finalised, worker, team_manager):
    """Stored once (version 1); a draft or missing record renders nothing."""
    assert supervision_record_store(session_id=finalised.pk) == finalised.pk
    first = SupervisionSession.objects.get(pk=finalised.pk)
    assert first.pdf_version == 1 and first.pdf_rendered_at is not None
    assert supervision_record_store(session_id=finalised.pk) == finalised.pk
    again = SupervisionSession.objects.get(pk=finalised.pk)
    assert again.pdf_version == 1 and again.pdf_rendered_at == first.pdf_rendered_at
    draft = services.session_create(
        supervisee=worker, supervisor=team_manager, held_on=D(2026, 9, 1), method="group", user=team_manager
    )
    assert supervision_record_store(session_id=draft.pk) is None
    assert supervision_record_store(session_id=999999) is None
    assert SupervisionSession.objects.get(pk=draft.pk).pdf is None


def test_finalising_renders_through_the_task(worker, team_manager, django_capture_on_commit_callbacks):
    """The task queued on commit (eager in tests) stores the PDF."""
    session = services.session_create(
        supervisee=worker, supervisor=team_manager, held_on=D(2026, 9, 14), method="online", user=team_manager
    )
    services.session_update(session=session, user=team_manager, aob="Nothing else", next_date=D(2026, 10, 26))
    with django_capture_on_commit_callbacks(execute=True):
        services.session_finalise(session=session, user=team_manager)
    assert "Nothing else" in text_of(stored_pdf(session))
    assert SupervisionSession.objects.get(pk=session.pk).pdf_version == 1


def test_supervisee_downloads_it_rendered_on_demand_and_audited(client, worker, finalised):
    """A restricted reader downloads the PDF (rendered now if the task has not run); it is audited."""
    assert SupervisionSession.objects.get(pk=finalised.pk).pdf is None
    client.force_login(worker)
    response = client.get(reverse("session_pdf", args=[finalised.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="record-of-supervision-cm-2026-09-14.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "Youth Justice Service Record of Supervision" in text_of(response.content)
    entry = AuditEntry.objects.get(description="Downloaded Record of Supervision")
    assert entry.action == AuditEntry.Action.VIEW and entry.user == worker and entry.child is None
    assert session_record_filename(finalised) == "record-of-supervision-cm-2026-09-14.pdf"


def test_supervisor_and_service_manager_download(client, team_manager, service_manager, finalised):
    """The supervisor and those above (the service manager) may download it."""
    for user in (team_manager, service_manager):
        client.force_login(user)
        assert client.get(reverse("session_pdf", args=[finalised.pk])).status_code == 200


def test_team_ap_colleague_and_outsider_get_404(client, north, team_manager, colleague, outsider, finalised):
    """The team's AP may read the record but not its restricted sections, so not the PDF; others see nothing."""
    ap = UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north, line_manager=team_manager)
    client.force_login(ap)
    assert client.get(reverse("session_detail", args=[finalised.pk])).status_code == 200
    page = client.get(reverse("session_detail", args=[finalised.pk])).content.decode()
    assert reverse("session_pdf", args=[finalised.pk]) not in page
    for user in (ap, colleague, outsider):
        client.force_login(user)
        assert client.get(reverse("session_pdf", args=[finalised.pk])).status_code == 404
    assert not AuditEntry.objects.filter(description="Downloaded Record of Supervision").exists()


def test_draft_record_has_no_pdf(client, worker, team_manager):
    """A record in progress cannot be downloaded, even by its supervisor."""
    draft = services.session_create(
        supervisee=worker,
        supervisor=team_manager,
        held_on=D(2026, 9, 1),
        method="one_to_one",
        user=team_manager,
    )
    client.force_login(team_manager)
    assert client.get(reverse("session_pdf", args=[draft.pk])).status_code == 404


def test_html_uses_the_session_context(finalised):
    """The record's HTML names the supervisee in the running footer (copied to every page)."""
    html = session_record_html(finalised)
    assert "Record of Supervision – Sam Worker" in html and "OFFICIAL-SENSITIVE" in html
