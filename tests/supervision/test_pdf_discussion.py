"""The Case Discussion Record as a PDF (001 App. 5): its headings and content, the child named by initials
and case number only, the classification and page numbers, and idempotent storage."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.models import Document
from supervision.models import CaseDiscussion
from supervision.pdf import case_discussion_html, case_discussion_store
from supervision.services import discussions as services
from supervision.services.discussions.recording import DISCUSSION_RENDER
from tests.renders import capture_renders

# 001 App. 5's rows, in its order (compared with the PDF's text, whitespace collapsed).
APP5_HEADINGS = [
    "Case Discussion Record",
    "Date of Case Discussion",
    "Initials and case number",
    "Manager",
    "Worker",
    "Update on actions from previous Case Discussion / CMM",
    "Case Overview / Progress of Case:",
    "Since the most recent assessment have there been any new concerns, incidents, or events",
    "How would you describe the effectiveness of Multi agency partnership working?",
    "Exit Strategy Considerations:",
    "ACTIONS",
    "Agreed Action Who will complete this Date to be completed by",
]

RECORD = {
    "previous_actions": "School meeting held as agreed.",
    "overview": "Outcome: full-time education by <September>.",
    "new_concerns": "Missing overnight once; SaW reviewed, stays Medium.",
    "multi_agency": "CSC and school attend every review.",
    "exit_strategy": "Youth club mentor after the order ends.",
}


def text_of(content: bytes) -> str:
    """The PDF's text, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(bytes(content)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def recorded(child, team_manager, colleague, django_capture_on_commit_callbacks):
    """A case discussion held yesterday with two actions, recorded on the file; the render runs on commit
    (eager Celery)."""
    discussion = services.case_discussion_create(
        child=child,
        user=team_manager,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        manager=team_manager,
        worker=child.case_manager,
        significant=True,
        **RECORD,
    )
    services.discussion_action_add(
        discussion=discussion,
        user=team_manager,
        action="Refer to the mentoring coordinator",
        due=timezone.localdate() + datetime.timedelta(days=7),
        owner=colleague,
    )
    services.discussion_action_add(
        discussion=discussion,
        user=team_manager,
        action="Share the plan with the school",
        due=timezone.localdate() + datetime.timedelta(days=14),
        owner_name="Ms Head, SENCo",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.case_discussion_record(discussion=discussion, user=team_manager)
    return discussion


def test_pdf_has_every_heading_and_the_content(recorded, child, team_manager, colleague):
    """The stored PDF lays out App. 5 with what was recorded, the actions and the page furniture."""
    document = Document.objects.get(source=f"discussion:{recorded.pk}")
    assert document.child == child and document.version == 1
    assert document.filename == f"case-discussion-{child.case_number}-{recorded.held_on.isoformat()}.pdf"
    text = text_of(document.content)
    position = -1
    for heading in APP5_HEADINGS:
        found = text.find(heading, position + 1)
        assert found > position, heading
        position = found
    for value in RECORD.values():
        assert value in text, value
    assert "Refer to the mentoring coordinator" in text and colleague.get_full_name() in text
    assert "Share the plan with the school" in text and "Ms Head, SENCo" in text
    assert team_manager.get_full_name() in text
    assert "Significant case decision or urgent matter" in text
    assert "OFFICIAL-SENSITIVE" in text and "Page 1 of 1" in text


def test_pdf_names_the_child_by_initials_only(recorded, child):
    """App. 5 asks for initials and the case number: the full name appears nowhere."""
    text = text_of(Document.objects.get(source=f"discussion:{recorded.pk}").content)
    assert f"{child.initials} {child.case_number}" in text
    assert child.first_name not in text and child.last_name not in text


def test_recorded_text_is_escaped(recorded):
    """Recorded text is autoescaped in the HTML WeasyPrint reads."""
    html = case_discussion_html(CaseDiscussion.objects.get(pk=recorded.pk))
    assert "by &lt;September&gt;" in html


def test_store_is_idempotent_and_needs_a_recorded_discussion(recorded, child, team_manager):
    """A second store returns the same document; a draft or a missing discussion gives None."""
    first = Document.objects.get(source=f"discussion:{recorded.pk}")
    assert case_discussion_store(discussion_id=recorded.pk) == first
    assert Document.objects.filter(source=f"discussion:{recorded.pk}").count() == 1
    draft = services.case_discussion_create(
        child=child,
        user=team_manager,
        held_on=timezone.localdate(),
        manager=team_manager,
        worker=child.case_manager,
        overview="Drafted.",
    )
    assert case_discussion_store(discussion_id=draft.pk) is None
    assert case_discussion_store(discussion_id=999999) is None


def test_download_for_those_who_may_see_the_child(client, recorded, child, colleague, outsider):
    """A colleague downloads it (audited); an outsider gets 404."""
    url = reverse("discussion_detail", args=[child.pk, recorded.pk]) + "?download=pdf"
    client.force_login(colleague)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_download_renders_when_the_worker_has_not(client, child, team_manager, monkeypatch):
    """With the task not yet run, the download renders and stores the record on demand."""
    capture_renders(monkeypatch, DISCUSSION_RENDER, "discussion_id")
    discussion = services.case_discussion_create(
        child=child,
        user=team_manager,
        held_on=timezone.localdate(),
        manager=team_manager,
        worker=child.case_manager,
        overview="On-demand render",
    )
    services.case_discussion_record(discussion=discussion, user=team_manager)
    assert not Document.objects.filter(source=f"discussion:{discussion.pk}").exists()
    client.force_login(team_manager)
    response = client.get(reverse("discussion_detail", args=[child.pk, discussion.pk]) + "?download=pdf")
    assert response.status_code == 200
    assert "On-demand render" in text_of(response.content)
    assert Document.objects.filter(source=f"discussion:{discussion.pk}").count() == 1
