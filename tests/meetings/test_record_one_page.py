"""The CMM Record on one page (issue 20) and the autosave of its draft (ADR 0018): one form for every
section, one error summary, Save or Save and check; the background save checks types and lengths only,
never completes anything, refuses a stale page, is audited, and is 404 outside the writers."""

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from cases.models import RiskLevel, Role
from core.models import AuditEntry
from demo.factories import UserFactory
from meetings import services
from meetings.forms.record.sections import SECTIONS
from meetings.models import Meeting, MeetingKind

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=LONDON)  # Tue 10 Mar 2026, 14:00
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


@pytest.fixture(autouse=True)
def pinned():
    """Every test runs on Tue 10 Mar 2026 at 14:00 London time."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def meeting(child, team_manager, case_manager):
    """A risk review booked for this morning through the service, not yet held."""
    child.rosh, child.saw, child.lor = RiskLevel.MEDIUM, RiskLevel.MEDIUM, RiskLevel.MEDIUM
    child.save()
    return services.meeting_book(
        child=child,
        user=team_manager,
        kind=MeetingKind.RISK_REVIEW,
        starts_at=NOW.replace(hour=10),
        chair=team_manager,
        case_manager=case_manager,
        venue="Locality office",
        short_notice_reason="Brought forward after an incident",
        invitees=[],
        no_panel_member_reason="No standing panel member free this week",
    )


@pytest.fixture
def held(meeting, team_manager):
    """The meeting recorded as held through the service."""
    return services.meeting_held_record(
        meeting=meeting, user=team_manager, held_at=NOW.replace(hour=10), attended=[], attendees="Chair (YJS)"
    )


def url(meeting) -> str:
    return reverse("meeting_record", args=[meeting.child_id, meeting.pk])


def page_data(meeting, **changes) -> dict:
    """The one-page form as the page would post it: every section, the levels preselected, the version."""
    data = {
        "version": str(meeting.version),
        "revised_rosh": RiskLevel.MEDIUM,
        "revised_saw": RiskLevel.MEDIUM,
        "revised_lor": RiskLevel.MEDIUM,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
class TestOnePage:
    def test_every_section_as_an_anchored_fieldset_with_progress_at_the_top(self, client, team_manager, held):
        """One page, one form: each section a fieldset headed by an h2 with its anchor, the task list above
        it linking to the anchors, two buttons, the autosave marker; the view is audited."""
        client.force_login(team_manager)
        response = client.get(url(held))
        page = response.content.decode()
        assert response.status_code == 200
        assert page.count("data-autosave") == 1
        assert "data-autosave" in page
        for slug, section in SECTIONS.items():
            assert f'id="section-{slug}"' in page
            assert f'href="{url(held)}#section-{slug}"' in page
            assert section["title"] in page
        assert page.index('class="govuk-task-list"') < page.index('id="section-reason"')
        assert "Save and check before finalising" in page and ">Save</button>" in page
        assert AuditEntry.objects.filter(
            child=held.child, action="view", description__contains=f"record of meeting {held.pk}"
        ).exists()

    def test_save_comes_back_and_check_goes_to_finalise(self, client, team_manager, held):
        """Save writes every section and returns here; Save and check goes to the finalise page."""
        client.force_login(team_manager)
        response = client.post(url(held), page_data(held, reason="Review", views="Sessions help", save=""))
        assert response.status_code == 302 and response["Location"] == url(held)
        held.refresh_from_db()
        assert (held.reason, held.views, held.revised_rosh) == ("Review", "Sessions help", RiskLevel.MEDIUM)
        response = client.post(url(held), page_data(held, reason="Review again", check=""))
        assert response["Location"] == reverse("meeting_finalise", args=[held.child_id, held.pk])
        held.refresh_from_db()
        assert held.reason == "Review again" and held.status == Meeting.Status.HELD

    def test_one_error_summary_for_every_section_and_every_input_kept(self, client, team_manager, held):
        """Errors in three sections: one summary lists each, linked to its input, and nothing is lost."""
        client.force_login(team_manager)
        data = page_data(
            held,
            reason="Kept words in the reason",
            risk_management_plan="x" * 10001,
            next_meeting_time="10:00",
            next_meeting_venue="v" * 201,
            revised_saw="",
        )
        response = client.post(url(held), data)
        page = response.content.decode()
        assert response.status_code == 200
        assert page.count('class="govuk-error-summary"') == 1
        for anchor in (
            "#id_risk_management_plan",
            "#id_revised_saw_1",
            "#id_next_meeting_on_0",
            "#id_next_meeting_venue",
        ):
            assert f'href="{anchor}"' in page, anchor
        assert "Kept words in the reason" in page and "x" * 10001 in page
        held.refresh_from_db()
        assert held.reason == ""

    def test_held_leads_straight_to_the_record(self, client, team_manager, meeting):
        """The meeting page offers Mark as held; saving it goes on to the one-page record."""
        client.force_login(team_manager)
        detail = client.get(reverse("meeting_detail", args=[meeting.child_id, meeting.pk])).content.decode()
        assert "Mark as held" in detail
        response = client.post(
            reverse("meeting_held", args=[meeting.child_id, meeting.pk]),
            {
                "held_on_0": "10",
                "held_on_1": "3",
                "held_on_2": "2026",
                "held_time": "10:00",
                "attendees": "Chair (YJS)",
            },
        )
        assert response.status_code == 302 and response["Location"] == url(meeting)
        detail = client.get(reverse("meeting_detail", args=[meeting.child_id, meeting.pk])).content.decode()
        assert "Write the record" in detail and "Mark as held" not in detail


@pytest.mark.django_db
class TestAutosave:
    def test_saves_a_draft_without_asking_for_anything(self, client, team_manager, held):
        """A half-written draft (no levels, no required answers) is saved; nothing becomes complete."""
        client.force_login(team_manager)
        response = client.post(
            url(held), {"version": str(held.version), "views": "Half a thought"}, **AUTOSAVE
        )
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        answer = json.loads(response.content)
        held.refresh_from_db()
        assert answer == {"saved": True, "version": held.version, "at": "14:00"}
        assert held.views == "Half a thought" and held.status == Meeting.Status.HELD
        assert held.finalised_on is None and held.actions_recorded_on is None
        assert held.revised_rosh == ""  # an unchosen level is not cleared or invented

    def test_the_field_marks_an_autosave_too(self, client, team_manager, held):
        """Without the header, `autosave=1` in the form marks it (the script sends both)."""
        client.force_login(team_manager)
        response = client.post(url(held), {"version": str(held.version), "reason": "R", "autosave": "1"})
        assert response.status_code == 200 and json.loads(response.content)["saved"] is True

    def test_lengths_and_types_are_still_enforced(self, client, team_manager, held):
        """Too long, or a date that is no date: 422 with the messages, and nothing saved."""
        client.force_login(team_manager)
        version = held.version
        for data in (
            {"views": "fine", "risk_management_plan": "x" * 10001},
            {
                "views": "fine",
                "next_meeting_on_0": "31",
                "next_meeting_on_1": "2",
                "next_meeting_on_2": "2026",
            },
            {"views": "fine", "revised_rosh": "enormous"},
        ):
            response = client.post(url(held), {"version": str(version), **data}, **AUTOSAVE)
            assert response.status_code == 422, data
            answer = json.loads(response.content)
            assert answer["saved"] is False and answer["errors"]
        held.refresh_from_db()
        assert held.views == "" and held.version == version

    def test_a_stale_page_cannot_overwrite_newer_work(self, client, team_manager, case_manager, held):
        """Someone saved after the page was loaded: the draft is refused (409), their words stay."""
        client.force_login(team_manager)
        loaded = held.version
        services.meeting_record_update(
            meeting=held, user=team_manager, data={"views": "Newer words"}, version=loaded
        )
        response = client.post(url(held), {"version": str(loaded), "views": "Older tab"}, **AUTOSAVE)
        assert response.status_code == 409
        assert json.loads(response.content)["stale"] is True
        held.refresh_from_db()
        assert held.views == "Newer words"

    def test_nothing_changed_saves_nothing(self, client, team_manager, held):
        """A draft equal to the record writes nothing: no new version, no audit entry."""
        client.force_login(team_manager)
        version = held.version
        before = AuditEntry.objects.count()
        response = client.post(url(held), {"version": str(version)}, **AUTOSAVE)
        assert response.status_code == 200 and json.loads(response.content)["version"] == version
        held.refresh_from_db()
        assert held.version == version and AuditEntry.objects.count() == before

    def test_audited_as_a_draft(self, client, team_manager, held):
        """The audit log says the record was autosaved, and which fields."""
        client.force_login(team_manager)
        client.post(url(held), {"version": str(held.version), "strengths": "Loves football"}, **AUTOSAVE)
        assert AuditEntry.objects.filter(
            object_id=str(held.pk), description="Autosaved a draft of the record: strengths"
        ).exists()

    def test_404_outside_the_writers_and_after_finalising(
        self, client, south, outsider, case_manager, team_manager, held
    ):
        """Another team's manager or worker, and the case manager (a reader), get 404; so does anyone once
        the record is finalised. Nothing is saved."""
        south_manager = UserFactory(username="tm.south", role=Role.TEAM_MANAGER, team=south)
        for user in (south_manager, outsider, case_manager):
            client.force_login(user)
            response = client.post(url(held), {"version": str(held.version), "views": "Intruder"}, **AUTOSAVE)
            assert response.status_code == 404, user
            assert client.get(url(held)).status_code == 404, user
        Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.FINALISED)
        client.force_login(team_manager)
        assert client.post(url(held), {"views": "Late"}, **AUTOSAVE).status_code == 404
        held.refresh_from_db()
        assert held.views == ""

    def test_signed_out_is_sent_to_sign_in(self, client, held):
        """An expired session never reaches the view: the script sees the redirect and keeps the words."""
        response = client.post(url(held), {"views": "Lost?"}, **AUTOSAVE)
        assert response.status_code == 302 and "sign-in" in response["Location"]
        held.refresh_from_db()
        assert held.views == ""
