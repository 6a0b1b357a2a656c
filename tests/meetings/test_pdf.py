"""The CMM Record as a PDF (001 App. 4, 000 App. A and B), its storage, and its encrypted copy (001 §6.2)."""

import datetime
import io
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from cases.models import Contact, RiskLevel
from core.models import Document
from demo.factories import ChildFactory
from meetings import services
from meetings.facts import meeting_facts
from meetings.models import Invitation, Meeting, MeetingKind
from meetings.pdf import (
    PASSWORD_ALPHABET,
    meeting_record_html,
    meeting_record_pdf,
    meeting_record_store,
    minutes_password,
    pdf_encrypt,
    record_filename,
)
from meetings.tasks import meeting_record_render

# 001 App. 4's headings, in its order (the PDF's text is compared with whitespace collapsed).
APP4_HEADINGS = [
    "Reason for Case Management Meeting",
    "Date of Meeting",
    "Name of Young Person",
    "COREPLUS Number",
    "Attendees:",
    "Apologies:",
    "Review of actions from previous meeting:",
    "CURRENT ASSESSED LEVELS:",
    "Risk of Serious Harm (RoSH) (Low, Medium, High, Very High)",
    "Safety and Wellbeing (SaW) (Low, Medium, High, Very High)",
    "Likelihood of Reoffending (LoR) (Low, Medium, High, Very High)",
    "Current Circumstances / New Incidents of Concern?",
    "Dealing with Changing Circumstances:",
    "How does the child/young person and their parent/ carer view their current RoSH, SaW, LoR, and the "
    "Interventions being undertaken to address these?",
    "Risk of Serious Harm Assessment (RoSH):",
    "Safety and Well Being Assessment (adverse outcomes):",
    "Likelihood of Re-offending (LoR):",
    "Risk Management Plan: Internal / External Controls / Multi Agency Interventions:",
    "Revised Risk LEVELS:",
    "Agreed Plan /Actions (including referrals)",
    "Action By whom By when",
    "Date, time, and venue of next meeting",
]

RECORD = {
    "reason": "Quarterly review of risk <b>and</b> safety",
    "plan_progress": "Reparation sessions on track; travel to the project is a barrier.",
    "circumstances": "Moved to a new placement in the spring.",
    "changing_circumstances": "Peer group changes are starting to show.",
    "diversity": "Speech and language needs considered.",
    "agency_updates": "School reports improved attendance.",
    "views": "Thinks the plan is helping; carer agrees.",
    "rosh_analysis": "Harm to peers is unlikely while the controls hold.",
    "saw_analysis": "Exploitation risk from older associates.",
    "lor_analysis": "Re-offending less likely with education in place.",
    "strengths": "Engages well with the football project.",
    "risk_management_plan": "Weekly contact; curfew monitored with police.",
    "revised_rosh": RiskLevel.MEDIUM,
    "revised_saw": RiskLevel.HIGH,
    "revised_lor": RiskLevel.LOW,
}


def text_of(content: bytes, password: str | None = None) -> str:
    """The PDF's text, whitespace collapsed, decrypted with `password` when given."""
    reader = PdfReader(io.BytesIO(bytes(content)))
    if password is not None:
        reader.decrypt(password)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def finalised_meeting(
    *,
    child,
    chair,
    case_manager,
    capture,
    kind=MeetingKind.RISK_REVIEW,
    record=None,
    invitees=None,
    compliance=None,
    **book,
):
    """A meeting booked, held, recorded, given an action and finalised through the services.

    `capture` is django_capture_on_commit_callbacks; the render task runs on commit (eager Celery).
    """
    now = timezone.now()
    starts_at = now - datetime.timedelta(hours=2)
    invitees = (
        invitees
        if invitees is not None
        else [
            {
                "name": "Pat Agency",
                "agency": "Police",
                "email": "pat@police.invalid",
                "role_in_meeting": "Officer",
            },
            {"name": "Jo Handout", "agency": "Health", "email": "", "role_in_meeting": "Nurse"},
            {
                "name": "Sam Absent",
                "agency": "School",
                "email": "sam@school.invalid",
                "role_in_meeting": "Teacher",
            },
        ]
    )
    with capture(execute=True):
        meeting = services.meeting_book(
            child=child,
            user=chair,
            kind=kind,
            starts_at=starts_at,
            chair=chair,
            case_manager=case_manager,
            venue="Area office, room 2",
            invitees=invitees,
            now=starts_at - datetime.timedelta(days=15),
            **{"no_panel_member_reason": "No standing panel member free this week", **book},
        )
        absent = meeting.invitations.filter(name="Sam Absent").first()
        if absent is not None:
            services.invitation_response_record(
                invitation=absent,
                user=chair,
                response=Invitation.Response.WRITTEN_UPDATE,
                written_update="School: attendance up to 90% this term.",
            )
        if compliance is not None:
            compliance(meeting)
        meeting = services.meeting_held_record(
            meeting=meeting,
            user=chair,
            held_at=starts_at,
            attended=[i.pk for i in meeting.invitations.exclude(pk=getattr(absent, "pk", None))],
            attendees="Chair, case manager, police officer, school nurse",
            apologies="School (written update sent)",
        )
        data = dict(RECORD if record is None else record)
        data.setdefault("next_meeting_at", starts_at + datetime.timedelta(weeks=11))
        data.setdefault("next_meeting_venue", "Area office, room 3")
        meeting = services.meeting_record_update(meeting=meeting, user=chair, data=data)
        services.participation_record(
            meeting=meeting,
            user=case_manager,
            child_attending=False,
            views=data["views"],
            views_gathered_by=case_manager,
            views_gathered_on=timezone.localdate() - datetime.timedelta(days=3),
        )
        services.meeting_action_add(
            meeting=meeting,
            user=chair,
            action="Refer to the mentoring project",
            due=timezone.localdate() + datetime.timedelta(days=14),
            owner=case_manager,
        )
        services.meeting_action_add(
            meeting=meeting,
            user=chair,
            action="Share school attendance weekly",
            due=timezone.localdate() + datetime.timedelta(days=7),
            owner_name="School attendance officer",
        )
        meeting = services.meeting_finalise(meeting=Meeting.objects.get(pk=meeting.pk), user=chair)
    return Meeting.objects.get(pk=meeting.pk)


@pytest.fixture
def meeting(child, team_manager, case_manager, django_capture_on_commit_callbacks):
    """A finalised risk review of the North child, chaired by North's team manager."""
    return finalised_meeting(
        child=child, chair=team_manager, case_manager=case_manager, capture=django_capture_on_commit_callbacks
    )


@pytest.mark.django_db
class TestRecordPdf:
    def test_every_app4_heading_in_order_and_the_recorded_content(self, meeting, child):
        """The PDF has App. 4's headings in App. 4's order, and what was recorded under them."""
        document = Document.objects.get(source=meeting.source)
        text = text_of(document.content)
        positions = [text.find(heading) for heading in APP4_HEADINGS]
        missing = [h for h, p in zip(APP4_HEADINGS, positions, strict=True) if p < 0]
        assert not missing
        assert positions == sorted(positions)
        for name, value in RECORD.items():
            if name.startswith("revised_"):
                continue
            expected = value.replace("<b>", "").replace("</b>", "") if name == "reason" else value
            assert expected in text or value in text, name
        assert child.full_name in text and child.case_number in text
        assert "Refer to the mentoring project" in text and "School attendance officer" in text
        assert "School: attendance up to 90% this term." in text
        assert "Written update" in text
        revised = text[text.find("Revised Risk LEVELS:") :]
        assert "(Low, Medium, High, Very High) Medium" in revised
        assert "(Low, Medium, High, Very High) High" in revised
        assert "(Low, Medium, High, Very High) Low" in revised

    def test_intervention_plan_on_a_risk_review_record(self, meeting):
        """000 App. A's intervention plan section is on every CMM record, not only a compliance CMM's
        (issue 17). With PDF_OUT set, the PDF is written there to be looked at."""
        content = bytes(Document.objects.get(source=meeting.source).content)
        if os.environ.get("PDF_OUT"):
            Path(os.environ["PDF_OUT"]).write_bytes(content)
        text = text_of(content)
        heading = text.find(
            "Details of current Intervention Plan and any progress/barriers to achieving this"
        )
        assert 0 <= heading < text.find(RECORD["plan_progress"]) < text.find("Current Circumstances")

    def test_the_extra_app_a_sections_are_present(self, meeting):
        """000 App. A's diversity, agency updates and strengths sections are printed."""
        text = text_of(meeting_record_pdf(meeting=meeting))
        assert "Have diversity and or disproportionality factors been identified/addressed?" in text
        assert "Further information / updates from other agencies:" in text
        assert "Protective /desistance factors and strengths" in text

    def test_recorded_text_is_escaped(self, meeting):
        """User text is escaped in the HTML the renderer reads."""
        html = meeting_record_html(meeting)
        assert "&lt;b&gt;and&lt;/b&gt;" in html
        assert "<b>and</b>" not in html

    def test_footer_classification_header_and_page_numbers(self, meeting, child):
        """Every page carries the classification, the child's name and case number, and Page X of Y."""
        reader = PdfReader(io.BytesIO(meeting_record_pdf(meeting=meeting)))
        pages = len(reader.pages)
        assert pages >= 2
        for number, page in enumerate(reader.pages, start=1):
            text = re.sub(r"\s+", " ", page.extract_text())
            assert "OFFICIAL-SENSITIVE" in text
            assert f"Page {number} of {pages}" in text
            assert child.full_name in text and child.case_number in text

    def test_compliance_cmm_has_the_app_b_report(
        self, team_manager, case_manager, north, django_capture_on_commit_callbacks
    ):
        """A compliance CMM's record has the App. B counts, the non-compliance table and the breach prompt."""
        child = ChildFactory(team=north, case_manager=case_manager, looked_after=True)
        today = timezone.localdate()
        for days, outcome, explanation in [
            (20, Contact.Outcome.KEPT, ""),
            (13, Contact.Outcome.ACCEPTABLE_FAILURE, "Hospital appointment"),
            (6, Contact.Outcome.UNACCEPTABLE_FAILURE, "Overslept"),
        ]:
            Contact.objects.create(
                child=child,
                author=case_manager,
                kind=Contact.Kind.FACE_TO_FACE,
                date=today - datetime.timedelta(days=days),
                outcome=outcome,
                explanation=explanation,
            )
        unacceptable = child.contacts.get(outcome=Contact.Outcome.UNACCEPTABLE_FAILURE)

        def report(meeting):
            """The case manager's compliance report."""
            services.compliance_report_submit(
                meeting=meeting,
                user=case_manager,
                period_start=today - datetime.timedelta(days=30),
                period_end=today,
                actions_taken={str(unacceptable.pk): "Warning letter sent"},
                unacceptable_behaviour="Abusive to reception staff once.",
                plan_progress="Plan on track apart from Monday sessions.",
            )

        # The record's intervention-plan section is the compliance report's (000 App. A): kept as written.
        record = {**RECORD, "breach_presumption_considered": True}
        record.pop("plan_progress")
        meeting = finalised_meeting(
            child=child,
            chair=team_manager,
            case_manager=case_manager,
            capture=django_capture_on_commit_callbacks,
            kind=MeetingKind.COMPLIANCE,
            record=record,
            compliance=report,
        )
        text = text_of(Document.objects.get(source=meeting.source).content)
        for phrase in [
            "Compliance Report for Case Management Meeting",
            "Number of appointments given 3",
            "Number of appointments kept 1",
            "Number of acceptable failures 1",
            "Number of unacceptable failures 1",
            "Details of non-compliance",
            "Date Nature of Requirement Any explanation given Action taken",
            "Overslept",
            "Hospital appointment",
            "Warning letter sent",
            "Details of any unacceptable behaviour",
            "Abusive to reception staff once.",
            "Plan on track apart from Monday sessions.",
            "presumption against breach for a child in care was considered",
        ]:
            assert phrase in text, phrase

    def test_mappa_level_1_title(self, child, team_manager, case_manager, django_capture_on_commit_callbacks):
        """A MAPPA level 1 meeting prints as the MAPPA level 1 information sharing meeting minutes (001 §8)."""
        meeting = finalised_meeting(
            child=child,
            chair=team_manager,
            case_manager=case_manager,
            capture=django_capture_on_commit_callbacks,
            kind=MeetingKind.MAPPA_LEVEL_1,
        )
        text = text_of(Document.objects.get(source=meeting.source).content)
        assert "MAPPA level 1 information sharing meeting minutes" in text
        assert "Risk of Serious Harm Assessment (RoSH):" in text

    def test_combined_csc_meeting_prints_the_decision(
        self, team_manager, case_manager, north, django_capture_on_commit_callbacks
    ):
        """A combined CSC meeting's record names the CSC meeting, the decision and rationale and the
        confidential-discussion answer (000 §1.4)."""
        child = ChildFactory(
            team=north, case_manager=case_manager, open_to_csc=True, rosh=RiskLevel.HIGH, saw=RiskLevel.HIGH
        )
        meeting = finalised_meeting(
            child=child,
            chair=team_manager,
            case_manager=case_manager,
            capture=django_capture_on_commit_callbacks,
            record={**RECORD, "confidential_discussion_needed": True},
            csc_meeting_type=Meeting.CscMeetingType.CORE_GROUP,
            csc_decision=Meeting.CscDecision.COMBINE,
            csc_decision_rationale="Core group falls in the review window.",
        )
        text = text_of(Document.objects.get(source=meeting.source).content)
        assert "Combined Children's Social Care meeting" in text
        assert "Core group meeting" in text
        assert "Core group falls in the review window." in text
        assert "Was a confidential professionals" in text and "discussion needed? Yes" in text


@pytest.mark.django_db
class TestRecordStore:
    def test_task_is_idempotent(self, meeting):
        """Running the render task again creates no second document."""
        first = Document.objects.get(source=meeting.source)
        assert meeting_record_render.delay(meeting.pk).get() == first.pk
        assert meeting_record_render.delay(meeting.pk).get() == first.pk
        assert Document.objects.filter(source=meeting.source).count() == 1

    def test_stored_document_names_the_child_and_date(self, meeting, child):
        """The stored record is against the child, with the policy's file name."""
        document = Document.objects.get(source=meeting.source)
        assert document.child == child and document.version == 1
        assert document.filename == record_filename(meeting)
        assert (
            document.filename == f"cmm-record-{child.case_number}-{timezone.localdate(meeting.held_at)}.pdf"
        )
        assert bytes(document.content).startswith(b"%PDF")

    def test_not_finalised_stores_nothing(self, child, team_manager, case_manager):
        """A booked (not finalised) meeting has no record to store; a missing meeting neither."""
        meeting = services.meeting_book(
            child=child,
            user=team_manager,
            kind=MeetingKind.RISK_REVIEW,
            starts_at=timezone.now() + datetime.timedelta(days=20),
            chair=team_manager,
            case_manager=case_manager,
            venue="Area office",
            no_panel_member_reason="No standing panel member free this week",
        )
        assert meeting_record_store(meeting_id=meeting.pk) is None
        assert meeting_record_store(meeting_id=999999) is None
        assert not Document.objects.exists()

    def test_race_at_the_constraint_returns_the_existing_document(self, meeting, monkeypatch):
        """If another render stored the record first, the loser returns that one."""
        existing = Document.objects.get(source=meeting.source)
        real_filter = Document.objects.filter
        calls = {"n": 0}

        def filter_missing_once(*args, **kwargs):
            """Pretend the record was not there at the first look."""
            calls["n"] += 1
            if calls["n"] == 1:
                return Document.objects.none()
            return real_filter(*args, **kwargs)

        monkeypatch.setattr(Document.objects, "filter", filter_missing_once)
        assert meeting_record_store(meeting_id=meeting.pk) == existing
        assert Document.objects.count() == 1


@pytest.mark.django_db
class TestEncryption:
    def test_encrypted_copy_needs_its_password(self, meeting):
        """The AES-256 copy cannot be read without the password; the right one gives the same text."""
        plain = bytes(Document.objects.get(source=meeting.source).content)
        password = minutes_password()
        encrypted = pdf_encrypt(content=plain, password=password)
        reader = PdfReader(io.BytesIO(encrypted))
        assert reader.is_encrypted
        assert reader.decrypt("wrong-password") == 0
        with pytest.raises((FileNotDecryptedError, PdfReadError)):
            PdfReader(io.BytesIO(encrypted)).pages[0].extract_text()
        assert reader.decrypt(password) != 0
        assert text_of(encrypted, password) == text_of(plain)
        assert b"/AESV3" in encrypted or b"/V 5" in encrypted
        assert password.encode() not in encrypted

    def test_password_is_strong_and_readable(self):
        """Four groups of five characters from an alphabet without look-alikes; never the same twice."""
        passwords = {minutes_password() for _ in range(50)}
        assert len(passwords) == 50
        for password in passwords:
            assert len(password) >= 16
            groups = password.split("-")
            assert len(groups) == 4 and all(len(g) == 5 for g in groups)
            assert set("".join(groups)) <= set(PASSWORD_ALPHABET)
            assert not set("0o1li") & set(password)

    def test_empty_password_refused(self, meeting):
        """An empty password would leave the copy readable by anyone: refused."""
        with pytest.raises(ValueError):
            pdf_encrypt(content=meeting_record_pdf(meeting=meeting), password="")


@pytest.mark.django_db
def test_finalising_queues_the_render_on_commit(meeting):
    """meeting_finalise's on-commit task stored exactly one record, and the minutes fact is stated."""
    assert Document.objects.filter(source=meeting.source).count() == 1
    assert any(f["type"] == "cmm_minutes_completed" for f in meeting_facts(child=meeting.child))
