"""The booking and preparation pages: the Meetings tab, booking (001 §6.2), invitations, participation
(000 §1.2), the compliance report (000 App. B), cancelling, further offences and bail applications
(000 §1.3), and "Meetings" in the top navigation."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Contact, Obligation, RiskLevel, Role
from cases.rules.calendar import get_calendar
from core.models import AuditEntry
from demo.factories import ChildFactory, UserFactory
from meetings import services
from meetings.models import FurtherOffence, Invitation, Meeting, MeetingKind

# Playwright fixtures for the axe-core test at the end (they live in the browser tests' conftest).
from tests.browser.conftest import assert_accessible, browser, page  # noqa: F401


def _date(prefix: str, value: datetime.date) -> dict:
    """A GOV.UK date input's three parts as POST data."""
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def _book(child, user, *, days_ahead=21, **kw) -> Meeting:
    """A meeting booked through the service."""
    values = {
        "kind": MeetingKind.RISK_REVIEW,
        "starts_at": timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=days_ahead),
        "chair": user,
        "case_manager": child.case_manager,
        "venue": "YJS office",
        "short_notice_reason": "Urgent" if days_ahead < 14 else "",
        "no_panel_member_reason": "No standing panel member free this week",
    }
    values.update(kw)
    return services.meeting_book(child=child, user=user, **values)


def _obligation(child, code, *, title="Re-offending CMM", due=None, status="open", position=0) -> Obligation:
    """A stored obligation row, as the rules module would leave it."""
    return Obligation.objects.create(
        child=child, code=code, title=title, due=due or datetime.date(2027, 1, 13), status=status,
        basis="000 §1.3", position=position, as_of=timezone.localdate(),
    )  # fmt: skip


def _booking_post(team_manager, case_manager, *, days_ahead=21, **overrides) -> dict:
    """A valid booking form's POST data, with overrides (None removes a field)."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    data = {
        "kind": "risk_review",
        **_date("date", day),
        "time": "10:30",
        "duration_minutes": "90",
        "venue": "County Hall, room 4",
        "online_link": "",
        "chair": team_manager.pk,
        "case_manager": case_manager.pk,
        "invitee_0_name": "Social worker A",
        "invitee_0_agency": "Children's Social Care",
        "invitee_0_email": "sw@csc.invalid",
        "reason": "Quarterly review",
        "short_notice_reason": "",
        "no_panel_member_reason": "No standing panel member free this week",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _count_queries(client, url) -> int:
    """How many queries a GET of the page takes."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# ---------------------------------------------------------------------------------------------------
# The Meetings tab


@pytest.mark.django_db
class TestMeetingList:
    def test_outsider_gets_404(self, client, outsider, child):
        """A worker of another team cannot see the child's meetings."""
        client.force_login(outsider)
        assert client.get(reverse("meeting_list", args=[child.pk])).status_code == 404

    def test_lists_meetings_latest_first_with_status(self, client, child, team_manager, case_manager):
        """Meetings latest first, with type, chair, status tag and link; the view is audited."""
        early = _book(child, team_manager, days_ahead=20)
        late = _book(child, team_manager, days_ahead=40)
        services.meeting_cancel(meeting=early, user=team_manager, reason="Clash")
        client.force_login(case_manager)
        response = client.get(reverse("meeting_list", args=[child.pk]))
        html = response.content.decode()
        assert html.index(reverse("meeting_detail", args=[child.pk, late.pk])) < html.index(
            reverse("meeting_detail", args=[child.pk, early.pk])
        )
        assert 'govuk-tag--grey">Cancelled' in html and 'govuk-tag--blue">Booked' in html
        assert "CMM: Risk review (RoSH and SaW)" in html
        assert AuditEntry.objects.filter(child=child, action="view", description="Viewed meetings").exists()

    def test_case_manager_sees_record_buttons_but_cannot_book(self, client, child, case_manager):
        """Anyone who may see the child records a further offence or bail application; only managers book."""
        _obligation(child, "cmm.reoffending")
        client.force_login(case_manager)
        html = client.get(reverse("meeting_list", args=[child.pk])).content.decode()
        assert "Record a further offence" in html and "Record a bail application" in html
        assert "Book a meeting" not in html
        assert reverse("meeting_book", args=[child.pk]) not in html

    def test_manager_sees_due_items_with_book_links(self, client, child, team_manager):
        """Outstanding CMM obligations show with a Book link to the booking page (cases.worklinks)."""
        _obligation(child, "cmm.reoffending", title="Re-offending CMM held", status="overdue")
        _obligation(child, "cmm.bail", title="Bail strategy CMM held", position=1)
        _obligation(child, "assetplus.review", title="AssetPlus review", position=2)
        _obligation(child, "cmm.compliance", title="Compliance CMM held", status="met", position=3)
        client.force_login(team_manager)
        html = client.get(reverse("meeting_list", args=[child.pk])).content.decode()
        assert "Book a meeting" in html and "Meetings due" in html
        assert "Re-offending CMM held" in html and "Bail strategy CMM held" in html
        assert "AssetPlus review" not in html and "Compliance CMM held" not in html
        book = reverse("meeting_book", args=[child.pk])
        assert f"{book}?kind=reoffending&amp;obligation=cmm.reoffending" in html
        assert 'moj-badge--red">Overdue' in html

    def test_booked_due_item_shows_the_booking(self, client, child, team_manager):
        """A due item already booked links to the meeting instead of offering to book again."""
        _obligation(child, "cmm.reoffending")
        meeting = _book(child, team_manager, kind=MeetingKind.REOFFENDING, for_obligation="cmm.reoffending")
        client.force_login(team_manager)
        html = client.get(reverse("meeting_list", args=[child.pk])).content.decode()
        assert "Booked for" in html and reverse("meeting_detail", args=[child.pk, meeting.pk]) in html
        assert "obligation=cmm.reoffending" not in html

    def test_paginated(self, client, child, team_manager):
        """More meetings than a page holds are split into pages."""
        for day in range(30):
            _book(child, team_manager, days_ahead=20 + day)
        client.force_login(team_manager)
        html = client.get(reverse("meeting_list", args=[child.pk])).content.decode()
        assert "govuk-pagination" in html and "1 of 2" in html
        assert client.get(reverse("meeting_list", args=[child.pk]) + "?page=2").status_code == 200

    def test_query_count_does_not_grow(self, client, child, team_manager):
        """The page takes the same number of queries for 2 meetings as for 20, and for 1 due item as for 6."""
        url = reverse("meeting_list", args=[child.pk])
        client.force_login(team_manager)
        _obligation(child, "cmm.reoffending")
        for day in range(2):
            _book(child, team_manager, days_ahead=20 + day, for_obligation="cmm.reoffending")
        small = _count_queries(client, url)
        for position in range(1, 6):
            _obligation(child, "cmm.bail", position=position)
        for day in range(18):
            _book(child, team_manager, days_ahead=30 + day)
        assert _count_queries(client, url) == small


# ---------------------------------------------------------------------------------------------------
# Booking


@pytest.mark.django_db
class TestMeetingBook:
    def test_outsider_gets_404(self, client, outsider, child):
        """An outsider cannot reach the booking page."""
        client.force_login(outsider)
        assert client.get(reverse("meeting_book", args=[child.pk])).status_code == 404

    def test_case_manager_cannot_book(self, client, child, team_manager, case_manager):
        """A case manager gets 404 on the booking page, on GET and POST (001 §6.2: managers book)."""
        client.force_login(case_manager)
        url = reverse("meeting_book", args=[child.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, _booking_post(team_manager, case_manager)).status_code == 404
        assert not Meeting.objects.exists()

    def test_preselected_from_a_due_item(self, client, child, team_manager):
        """From a due item: the type is chosen, the due item shown, the 000 §1.2 rule as inset text."""
        _obligation(child, "cmm.reoffending", title="Re-offending CMM held", due=datetime.date(2027, 1, 13))
        client.force_login(team_manager)
        url = reverse("meeting_book", args=[child.pk]) + "?kind=reoffending&obligation=cmm.reoffending"
        html = client.get(url).content.decode()
        assert "Booking for: Re-offending CMM held, due 13 January 2027" in html
        assert re.search(r'value="reoffending"\s+checked', html)
        assert "the team manager or AP gathers their views" in html
        assert f'<option value="{team_manager.pk}" selected>' in html  # the chair defaults to the user
        assert f'<option value="{child.case_manager_id}" selected>' in html
        assert AuditEntry.objects.filter(child=child, description="Viewed book-meeting form").exists()

    def test_unknown_kind_and_obligation_are_ignored(self, client, child, team_manager):
        """Parameters that name nothing real give the plain form, not an error."""
        client.force_login(team_manager)
        url = reverse("meeting_book", args=[child.pk]) + "?kind=bogus&obligation=nothing.here"
        response = client.get(url)
        assert response.status_code == 200 and "Booking for" not in response.content.decode()

    def test_books_and_sends_invitations(
        self,
        client,
        child,
        team_manager,
        case_manager,
        colleague,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        """A valid booking redirects to the meeting with the count of invitations sent, each with a calendar."""
        _obligation(child, "cmm.risk_review", title="Risk review CMM held")
        client.force_login(team_manager)
        url = reverse("meeting_book", args=[child.pk]) + "?kind=risk_review&obligation=cmm.risk_review"
        data = _booking_post(team_manager, case_manager, panel_members=[colleague.pk])
        with django_capture_on_commit_callbacks(execute=True):  # invitations are emailed after commit
            response = client.post(url, data)
        meeting = Meeting.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("meeting_detail", args=[child.pk, meeting.pk])
        assert meeting.for_obligation == "cmm.risk_review" and meeting.duration_minutes == 90
        assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "10:30"
        assert list(meeting.panel_members.all()) == [colleague]
        assert meeting.invitations.count() == 4
        assert len(mailoutbox) == 4
        assert all(m.attachments[0][2].startswith("text/calendar") for m in mailoutbox)
        message = [str(m) for m in response.wsgi_request._messages]
        assert message == [
            "Meeting booked; 4 invitations queued to be emailed (Invitations says when each is sent)"
        ]

    def test_a_double_post_books_one_meeting(
        self, client, child, team_manager, case_manager, mailoutbox, django_capture_on_commit_callbacks
    ):
        """The booking form sent twice with its token (a double click) books one meeting, sends one set
        of invitations, and the second answer goes to the meeting booked first (ADR 0009)."""
        client.force_login(team_manager)
        url = reverse("meeting_book", args=[child.pk])
        token = re.search(r'name="submission_token" value="([0-9a-f]{32})"', client.get(url).content.decode())
        assert token
        data = _booking_post(team_manager, case_manager, submission_token=token.group(1))
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(url, data)
            second = client.post(url, data)
        meeting = Meeting.objects.get()
        assert first.url == second.url == reverse("meeting_detail", args=[child.pk, meeting.pk])
        assert len(mailoutbox) == meeting.invitations.count() == 3
        assert "This was already saved" in str(list(second.wsgi_request._messages))

    def test_bad_input_shows_the_error_summary_and_keeps_the_input(
        self, client, child, team_manager, case_manager
    ):
        """Errors come back in the GOV.UK error summary, linked to the fields, with what was typed kept."""
        client.force_login(team_manager)
        data = _booking_post(
            team_manager, case_manager, venue="", time="25:99", invitee_1_email="police@police.invalid",
            reason="Keep this reason", date_1="13",
        )  # fmt: skip
        response = client.post(reverse("meeting_book", args=[child.pk]), data)
        html = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in html
        assert "Enter a venue or an online meeting link" in html
        assert "Enter a real time, like 14:30" in html
        assert "Date of the meeting must be a real date" in html
        assert "Enter the name of invited agency 2" in html
        assert 'href="#id_invitee_1_name"' in html
        assert "Keep this reason" in html and 'value="police@police.invalid"' in html
        assert "<title>Error: " in html
        assert not Meeting.objects.exists()

    def test_empty_post_is_a_form_error(self, client, child, team_manager):
        """An empty POST validates and shows errors (no 500)."""
        client.force_login(team_manager)
        response = client.post(reverse("meeting_book", args=[child.pk]), {})
        assert response.status_code == 200 and "Choose the type of meeting" in response.content.decode()

    def test_past_date_refused(self, client, child, team_manager, case_manager):
        """A date in the past is a form error."""
        client.force_login(team_manager)
        response = client.post(
            reverse("meeting_book", args=[child.pk]), _booking_post(team_manager, case_manager, days_ahead=-2)
        )
        assert "Date of the meeting must be today or in the future" in response.content.decode()

    def test_short_notice_needs_a_reason(self, client, child, team_manager, case_manager):
        """Under 14 days away: a warning and an error until a reason is given (001 §6.2)."""
        client.force_login(team_manager)
        url = reverse("meeting_book", args=[child.pk])
        response = client.post(url, _booking_post(team_manager, case_manager, days_ahead=5))
        html = response.content.decode()
        assert "govuk-warning-text" in html and "less than two weeks away" in html
        assert "Enter why the meeting is booked with less than two weeks&#x27; notice" in html
        assert not Meeting.objects.exists()
        response = client.post(
            url,
            _booking_post(team_manager, case_manager, days_ahead=5, short_notice_reason="Court on Friday"),
        )
        assert response.status_code == 302
        assert Meeting.objects.get().short_notice_reason == "Court on Friday"

    def test_chair_not_a_manager_refused(self, client, child, team_manager, case_manager, colleague):
        """A case manager cannot be chosen as chair."""
        client.force_login(team_manager)
        response = client.post(
            reverse("meeting_book", args=[child.pk]),
            _booking_post(team_manager, case_manager, chair=colleague.pk),
        )
        assert "Choose a chair from the list" in response.content.decode()

    def test_csc_option_only_when_open_to_csc(self, client, child, team_manager):
        """The combined CSC section shows for a child open to CSC (000 §1.4), not otherwise."""
        client.force_login(team_manager)
        url = reverse("meeting_book", args=[child.pk]) + "?csc=1"
        assert "Combined CSC meeting" not in client.get(url).content.decode()
        child.open_to_csc = True
        child.save()
        assert "Combined CSC meeting" in client.get(url).content.decode()
        assert (
            "Combined CSC meeting"
            not in client.get(reverse("meeting_book", args=[child.pk])).content.decode()
        )

    def test_books_a_combined_csc_meeting(self, client, child, team_manager, case_manager):
        """A risk review combined with a CSC meeting is booked as such."""
        child.open_to_csc = True
        child.save()
        client.force_login(team_manager)
        data = _booking_post(
            team_manager, case_manager, csc_meeting_type="core_group", csc_decision="combine"
        )
        response = client.post(reverse("meeting_book", args=[child.pk]) + "?kind=risk_review&csc=1", data)
        assert response.status_code == 302
        meeting = Meeting.objects.get()
        assert meeting.csc_meeting_type == "core_group" and meeting.csc_decision == "combine"

    def test_service_refusal_lands_in_the_error_summary(self, client, child, team_manager, case_manager):
        """A rule the service enforces ("no CMM needed" only for Low RoSH, SaW Medium+) is a form error."""
        child.open_to_csc, child.rosh, child.saw = True, RiskLevel.HIGH, RiskLevel.HIGH
        child.save()
        client.force_login(team_manager)
        data = _booking_post(
            team_manager, case_manager, csc_meeting_type="cin", csc_decision="no_cmm_needed",
            csc_decision_rationale="Reviewed at CIN",
        )  # fmt: skip
        data["csc_meeting_type"] = "child_in_need"
        response = client.post(reverse("meeting_book", args=[child.pk]) + "?csc=1", data)
        html = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in html
        assert "Low RoSH" in html and not Meeting.objects.exists()

    def test_csc_type_needs_a_risk_review(self, client, child, team_manager, case_manager):
        """Combining a bail strategy CMM with a CSC meeting is refused on the form."""
        child.open_to_csc = True
        child.save()
        client.force_login(team_manager)
        data = _booking_post(
            team_manager, case_manager, kind="bail", csc_meeting_type="core_group", csc_decision="combine"
        )
        response = client.post(reverse("meeting_book", args=[child.pk]) + "?csc=1", data)
        assert "Only a risk review can be combined" in response.content.decode()


# ---------------------------------------------------------------------------------------------------
# Invitations


@pytest.mark.django_db
class TestInvitations:
    def test_outsider_and_colleague_get_404(self, client, child, team_manager, outsider, colleague):
        """Only the meeting's preparers see its invitations."""
        meeting = _book(child, team_manager)
        url = reverse("meeting_invitations", args=[child.pk, meeting.pk])
        for user in (outsider, colleague):
            client.force_login(user)
            assert client.get(url).status_code == 404

    def test_wrong_child_gets_404(self, client, child, team_manager, north):
        """A meeting under another child's address is a 404."""
        meeting = _book(child, team_manager)
        other = ChildFactory(team=north)
        client.force_login(team_manager)
        assert client.get(reverse("meeting_invitations", args=[other.pk, meeting.pk])).status_code == 404

    def test_lists_invitations(self, client, child, team_manager, case_manager):
        """Name, agency, role, email, sent and reply for each invitee."""
        meeting = _book(child, team_manager, invitees=[{"name": "Officer B", "agency": "Police"}])
        client.force_login(case_manager)
        html = client.get(reverse("meeting_invitations", args=[child.pk, meeting.pk])).content.decode()
        assert "Officer B" in html and "Police" in html and "None: given by hand" in html
        assert "Chair" in html and "Case manager" in html
        assert "Invite someone else" not in html  # the case manager records replies only

    def test_case_manager_records_a_written_update(self, client, child, team_manager, case_manager):
        """The case manager records an agency's written update (001 §6.2); missing text is a form error."""
        meeting = _book(child, team_manager, invitees=[{"name": "Teacher D", "agency": "School"}])
        invitation = meeting.invitations.get(name="Teacher D")
        client.force_login(case_manager)
        url = reverse("meeting_invitations", args=[child.pk, meeting.pk])
        prefix = f"inv{invitation.pk}"
        data = {"step": "respond", "invitation": invitation.pk, f"{prefix}-response": "written_update"}
        response = client.post(url, data)
        assert "Enter the written update the agency sent" in response.content.decode()
        data[f"{prefix}-written_update"] = "Attendance 95% this term"
        assert client.post(url, data).status_code == 302
        invitation.refresh_from_db()
        assert invitation.response == Invitation.Response.WRITTEN_UPDATE
        assert invitation.written_update == "Attendance 95% this term"

    def test_reply_to_another_meetings_invitation_is_404(self, client, child, team_manager):
        """An invitation id that is not this meeting's is a 404."""
        meeting = _book(child, team_manager)
        other = _book(child, team_manager, days_ahead=30).invitations.first()
        client.force_login(team_manager)
        url = reverse("meeting_invitations", args=[child.pk, meeting.pk])
        data = {"step": "respond", "invitation": other.pk, f"inv{other.pk}-response": "attending"}
        assert client.post(url, data).status_code == 404
        assert client.post(url, {"step": "respond", "invitation": "x"}).status_code == 404

    def test_case_manager_cannot_add(self, client, child, team_manager, case_manager):
        """Adding an invitee is for the chair or a manager."""
        meeting = _book(child, team_manager)
        client.force_login(case_manager)
        url = reverse("meeting_invitations", args=[child.pk, meeting.pk])
        assert client.post(url, {"step": "add", "add-name": "Someone"}).status_code == 404

    def test_manager_adds_and_the_invitation_is_emailed(
        self, client, child, team_manager, mailoutbox, django_capture_on_commit_callbacks
    ):
        """An added invitee is emailed with a calendar attachment."""
        meeting = _book(child, team_manager)
        mailoutbox.clear()
        client.force_login(team_manager)
        url = reverse("meeting_invitations", args=[child.pk, meeting.pk])
        response = client.post(url, {"step": "add", "add-email": "nurse@health.invalid"})
        assert "Enter the name of the person to invite" in response.content.decode()
        data = {
            "step": "add",
            "add-name": "Nurse C",
            "add-agency": "Health",
            "add-email": "nurse@health.invalid",
        }
        with django_capture_on_commit_callbacks(execute=True):  # emailed after commit
            assert client.post(url, data).status_code == 302
        assert meeting.invitations.filter(name="Nurse C", sent_at__isnull=False).exists()
        assert len(mailoutbox) == 1 and mailoutbox[0].attachments[0][2].startswith("text/calendar")

    def test_cannot_add_once_held(self, client, child, team_manager):
        """A held meeting takes no more invitees."""
        meeting = _book(child, team_manager)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        client.force_login(team_manager)
        url = reverse("meeting_invitations", args=[child.pk, meeting.pk])
        assert "Invite someone else" not in client.get(url).content.decode()
        assert client.post(url, {"step": "add", "add-name": "Late"}).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Participation


@pytest.mark.django_db
class TestParticipation:
    def test_outsider_and_colleague_get_404(self, client, child, team_manager, outsider, colleague):
        """Only the case manager, chair or a manager prepares the child's participation."""
        meeting = _book(child, team_manager)
        url = reverse("meeting_participation", args=[child.pk, meeting.pk])
        for user in (outsider, colleague):
            client.force_login(user)
            assert client.get(url).status_code == 404

    def test_shows_the_rule_and_records_views(self, client, child, team_manager, case_manager):
        """The 000 §1.2 rule for the type is shown; views not attending need who and when."""
        meeting = _book(child, team_manager, kind=MeetingKind.BAIL)
        client.force_login(case_manager)
        url = reverse("meeting_participation", args=[child.pk, meeting.pk])
        assert "asks whether they wish to attend" in client.get(url).content.decode()
        html = client.post(url, {"child_attending": "no"}).content.decode()
        assert (
            "Enter their views, as they will not attend" in html and "Choose who gathered their views" in html
        )
        future = timezone.localdate() + datetime.timedelta(days=3)
        data = {"child_attending": "no", "views": "Wants bail", "views_gathered_by": case_manager.pk}
        html = client.post(url, {**data, **_date("views_gathered_on", future)}).content.decode()
        assert "must be today or in the past" in html
        response = client.post(url, {**data, **_date("views_gathered_on", timezone.localdate())})
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.child_attending is False and meeting.views == "Wants bail"
        assert meeting.views_gathered_by == case_manager

    def test_closed_meeting_is_read_only(self, client, child, team_manager, case_manager):
        """A cancelled meeting shows what was recorded, and takes no changes."""
        meeting = _book(child, team_manager)
        services.meeting_cancel(meeting=meeting, user=team_manager, reason="Clash")
        client.force_login(case_manager)
        url = reverse("meeting_participation", args=[child.pk, meeting.pk])
        assert "record is closed" in client.get(url).content.decode()
        assert client.post(url, {"child_attending": "yes"}).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Compliance report


def _contact(child, author, *, date, outcome=Contact.Outcome.KEPT, **kw) -> Contact:
    """A contact row straight into the database."""
    return Contact.objects.create(
        child=child,
        author=author,
        worker=author,
        kind=Contact.Kind.FACE_TO_FACE,
        date=date,
        outcome=outcome,
        **kw,
    )


@pytest.mark.django_db
class TestComplianceReport:
    def _meeting(self, child, team_manager, **kw):
        """A compliance CMM three weeks ahead."""
        return _book(child, team_manager, kind=MeetingKind.COMPLIANCE, **kw)

    def test_outsider_colleague_and_other_kinds_get_404(
        self, client, child, team_manager, outsider, colleague
    ):
        """Only preparers of a compliance CMM see the report."""
        meeting = self._meeting(child, team_manager)
        url = reverse("meeting_compliance_report", args=[child.pk, meeting.pk])
        for user in (outsider, colleague):
            client.force_login(user)
            assert client.get(url).status_code == 404
        risk = _book(child, team_manager)
        client.force_login(team_manager)
        assert client.get(reverse("meeting_compliance_report", args=[child.pk, risk.pk])).status_code == 404

    def test_counts_match_the_contacts(self, client, child, team_manager, case_manager):
        """000 App. B: the live figures are the child's appointments in the period, with an action input each."""
        meeting = self._meeting(child, team_manager)
        start = meeting.compliance_period_start
        _contact(child, case_manager, date=start)
        _contact(child, case_manager, date=start + datetime.timedelta(days=1))
        failed = _contact(
            child, case_manager, date=start + datetime.timedelta(days=2),
            outcome=Contact.Outcome.UNACCEPTABLE_FAILURE, explanation="Overslept",
        )  # fmt: skip
        _contact(child, case_manager, date=start - datetime.timedelta(days=1))  # before the period
        client.force_login(case_manager)
        html = client.get(reverse("meeting_compliance_report", args=[child.pk, meeting.pk])).content.decode()
        assert 'Number of appointments given</dt><dd class="govuk-summary-list__value">3<' in html
        assert 'Number of appointments kept</dt><dd class="govuk-summary-list__value">2<' in html
        assert 'Number of unacceptable failures</dt><dd class="govuk-summary-list__value">1<' in html
        assert f'name="action_{failed.pk}"' in html and "Overslept" in html
        assert "Presumption against breach" not in html

    def test_looked_after_child_gets_the_presumption_warning(self, client, child, team_manager):
        """000 App. A: the presumption against breach for children in care."""
        child.looked_after = True
        child.save()
        meeting = self._meeting(child, team_manager)
        client.force_login(team_manager)
        html = client.get(reverse("meeting_compliance_report", args=[child.pk, meeting.pk])).content.decode()
        assert "Presumption against breach for children in care (000 App. A)" in html

    def test_submit_freezes_and_allows_resubmission(self, client, child, team_manager, case_manager):
        """Submitting keeps the figures; the page then shows them and offers a resubmission."""
        meeting = self._meeting(child, team_manager)
        start, end = meeting.compliance_period_start, meeting.compliance_period_end
        failed = _contact(child, case_manager, date=start, outcome=Contact.Outcome.UNACCEPTABLE_FAILURE)
        client.force_login(case_manager)
        url = reverse("meeting_compliance_report", args=[child.pk, meeting.pk])
        data = {"step": "submit", **_date("period_start", start), **_date("period_end", end)}
        html = client.post(url, data).content.decode()
        assert "Enter the intervention plan&#x27;s progress and barriers" in html
        data.update({f"action_{failed.pk}": "Home visit", "plan_progress": "Half the sessions done"})
        response = client.post(url, data)
        assert response.status_code == 302
        assert [str(m) for m in response.wsgi_request._messages] == [
            "Compliance report submitted to the chair"
        ]
        meeting.refresh_from_db()
        assert meeting.compliance_figures["unacceptable_failures"] == 1
        assert meeting.compliance_figures["non_compliance"][0]["action_taken"] == "Home visit"
        html = client.get(url).content.decode()
        assert "Submitted report" in html and "Resubmit the report" in html and "Home visit" in html

    def test_refresh_changes_the_period_without_saving(self, client, child, team_manager, case_manager):
        """ "Show the figures" recounts for the chosen period and saves nothing."""
        meeting = self._meeting(child, team_manager)
        old = meeting.compliance_period_start - datetime.timedelta(days=40)
        _contact(child, case_manager, date=old, outcome=Contact.Outcome.ACCEPTABLE_FAILURE)
        client.force_login(case_manager)
        url = reverse("meeting_compliance_report", args=[child.pk, meeting.pk])
        data = {
            "step": "refresh",
            **_date("period_start", old),
            **_date("period_end", meeting.compliance_period_end),
        }
        html = client.post(url, data).content.decode()
        assert 'Number of acceptable failures</dt><dd class="govuk-summary-list__value">1<' in html
        assert "There is a problem" not in html
        meeting.refresh_from_db()
        assert meeting.compliance_report_submitted_at is None
        data["period_start_1"] = "14"
        assert "Start of the period must be a real date" in client.post(url, data).content.decode()

    def test_late_submission_warns(self, client, child, team_manager, case_manager):
        """Less than 24 hours before the meeting: accepted, with a warning (000 §1.3)."""
        meeting = self._meeting(
            child, team_manager, days_ahead=0, starts_at=timezone.now() + datetime.timedelta(hours=3)
        )
        client.force_login(case_manager)
        url = reverse("meeting_compliance_report", args=[child.pk, meeting.pk])
        data = {
            "step": "submit", "plan_progress": "Progress",
            **_date("period_start", meeting.compliance_period_start),
            **_date("period_end", meeting.compliance_period_end),
        }  # fmt: skip
        response = client.post(url, data)
        assert "less than 24 hours before" in [str(m) for m in response.wsgi_request._messages][0]

    def test_finalised_meeting_is_read_only(self, client, child, team_manager, case_manager):
        """Once finalised the report cannot change."""
        meeting = self._meeting(child, team_manager)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.FINALISED)
        client.force_login(case_manager)
        url = reverse("meeting_compliance_report", args=[child.pk, meeting.pk])
        html = client.get(url).content.decode()
        assert "can no longer be changed" in html and "Submit the report" not in html
        assert client.post(url, {"step": "submit"}).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Cancel


@pytest.mark.django_db
class TestCancel:
    def test_outsider_and_case_manager_get_404(self, client, child, team_manager, outsider, case_manager):
        """Only a manager of the child's team cancels."""
        meeting = _book(child, team_manager)
        url = reverse("meeting_cancel", args=[child.pk, meeting.pk])
        for user in (outsider, case_manager):
            client.force_login(user)
            assert client.get(url).status_code == 404
            assert client.post(url, {"reason": "x"}).status_code == 404

    def test_manager_cancels_with_a_reason(self, client, child, team_manager):
        """The reason is required; the meeting is then cancelled and a second cancel is a 404."""
        meeting = _book(child, team_manager)
        client.force_login(team_manager)
        url = reverse("meeting_cancel", args=[child.pk, meeting.pk])
        assert "Enter why the meeting is cancelled" in client.post(url, {"reason": ""}).content.decode()
        response = client.post(url, {"reason": "Child in hospital"})
        assert response.status_code == 302 and response.url == reverse("meeting_list", args=[child.pk])
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.CANCELLED and meeting.cancelled_reason == "Child in hospital"
        assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Further offences and bail applications


@pytest.mark.django_db
class TestFurtherOffenceAndBail:
    def test_outsider_gets_404(self, client, child, outsider):
        """Both pages follow the child's access."""
        client.force_login(outsider)
        for name in ("further_offence_add", "bail_application_add"):
            assert client.get(reverse(name, args=[child.pk])).status_code == 404
            assert client.post(reverse(name, args=[child.pk]), {}).status_code == 404

    def test_further_offence_needs_a_date(self, client, child, case_manager):
        """A PSR court date or a sentence date is required; a future sentence date is refused."""
        client.force_login(case_manager)
        url = reverse("further_offence_add", args=[child.pk])
        html = client.post(url, {"description": "Theft"}).content.decode()
        assert "Enter the PSR court date or, if sentenced without a PSR, the sentence date" in html
        future = timezone.localdate() + datetime.timedelta(days=2)
        html = client.post(url, {"description": "Theft", **_date("sentence_date", future)}).content.decode()
        assert "Sentence date must be today or in the past" in html
        assert not FurtherOffence.objects.exists()

    def test_further_offence_names_the_cmm_now_due(self, client, child, case_manager):
        """Sentenced without a PSR: the message gives the re-offending CMM's deadline (15 working days, 000 §1.3)."""
        client.force_login(case_manager)
        sentenced = timezone.localdate() - datetime.timedelta(days=1)
        response = client.post(
            reverse("further_offence_add", args=[child.pk]),
            {"description": "Criminal damage", **_date("sentence_date", sentenced)},
            follow=True,
        )
        due = get_calendar().add_working_days(sentenced, 15)
        assert f"A re-offending CMM is now due by {due:%-d %B %Y} (000 §1.3)." in response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("meeting_list", args=[child.pk])
        assert FurtherOffence.objects.get().sentence_date == sentenced

    def test_bail_application_names_the_cmm_now_due(self, client, child, case_manager):
        """A bail application listed ahead: the bail strategy CMM is due the working day before it (000 §1.3)."""
        client.force_login(case_manager)
        url = reverse("bail_application_add", args=[child.pk])
        past = timezone.localdate() - datetime.timedelta(days=1)
        assert "must be today or in the future" in client.post(url, _date("bail_date", past)).content.decode()
        bail = timezone.localdate() + datetime.timedelta(days=10)
        response = client.post(url, {**_date("bail_date", bail), "court": "Youth court"}, follow=True)
        due = get_calendar().last_working_day_before(bail)
        assert f"A bail strategy CMM is now due by {due:%-d %B %Y} (000 §1.3)." in response.content.decode()

    def test_bad_date_is_a_form_error(self, client, child, case_manager):
        """A nonsense date is an error message, not a 500."""
        client.force_login(case_manager)
        data = {"bail_date_0": "99", "bail_date_1": "x", "bail_date_2": "99999999999999999999"}
        response = client.post(reverse("bail_application_add", args=[child.pk]), data)
        assert response.status_code == 200 and "There is a problem" in response.content.decode()


# ---------------------------------------------------------------------------------------------------
# Meetings in the top navigation


# Today at 2 pm in London: "held two hours ago" is today whatever hour the suite runs (at 1 am it
# would be yesterday evening, and the meeting would not be today's).
_LONDON = zoneinfo.ZoneInfo("Europe/London")
_TODAY_2PM = datetime.datetime.combine(
    datetime.datetime.now(_LONDON).date(), datetime.time(14, 0), tzinfo=_LONDON
)


@pytest.mark.django_db
class TestMeetingsMine:
    @time_machine.travel(_TODAY_2PM, tick=False)
    def test_case_manager_sees_their_meetings_and_owed_records(
        self, client, child, team_manager, case_manager
    ):
        """Meetings in the next 14 days the user is case manager for, and records still owed."""
        soon = _book(child, team_manager, days_ahead=15, reason="soon")
        later = _book(child, team_manager, days_ahead=40)
        held = _book(
            child, team_manager, days_ahead=0, starts_at=timezone.now() - datetime.timedelta(hours=2)
        )
        services.meeting_held_record(
            meeting=held, user=team_manager, held_at=held.starts_at, attended=[], attendees="TM"
        )
        client.force_login(case_manager)
        response = client.get(reverse("meetings_mine"))
        html = response.content.decode()
        assert response.status_code == 200
        assert reverse("meeting_detail", args=[child.pk, held.pk]) in html
        assert reverse("meeting_detail", args=[child.pk, later.pk]) not in html
        assert reverse("meeting_detail", args=[child.pk, soon.pk]) not in html  # 15 days: beyond the window
        assert "Held – record in progress" in html
        assert "Your team's booked meetings" not in html
        assert (
            'aria-current="page"><strong class="govuk-service-navigation__active-fallback">Meetings<' in html
        )

    def test_manager_sees_the_teams_booked_meetings(self, client, child, team_manager, north, case_manager):
        """A manager also sees every booked meeting of the team in the next two weeks."""
        ap = UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north)
        meeting = _book(child, team_manager, days_ahead=10, chair=ap)
        client.force_login(team_manager)
        html = client.get(reverse("meetings_mine")).content.decode()
        assert "Your team's booked meetings" in html
        assert reverse("meeting_detail", args=[child.pk, meeting.pk]) in html

    def test_outsider_sees_nothing_of_other_teams(self, client, child, team_manager, outsider):
        """Another team's worker sees none of this child's meetings."""
        meeting = _book(child, team_manager, days_ahead=5)
        client.force_login(outsider)
        html = client.get(reverse("meetings_mine")).content.decode()
        assert reverse("meeting_detail", args=[child.pk, meeting.pk]) not in html

    def test_query_count_does_not_grow(self, client, child, team_manager, north, case_manager):
        """Two meetings or twelve: the same number of queries."""
        client.force_login(team_manager)
        for day in range(2):
            _book(child, team_manager, days_ahead=3 + day)
        small = _count_queries(client, reverse("meetings_mine"))
        for day in range(10):
            other = ChildFactory(team=north, case_manager=case_manager)
            _book(other, team_manager, days_ahead=3 + day)
        assert _count_queries(client, reverse("meetings_mine")) == small


# ---------------------------------------------------------------------------------------------------
# Every page in a real browser, with axe-core (WCAG 2.2 AA), including its error states


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
class TestPagesAccessible:
    def _sign_in(self, tab, live_server, username):
        """Sign in through the form."""
        tab.goto(f"{live_server.url}/sign-in/")
        tab.get_by_label("Username").fill(username)
        tab.get_by_label("Password").fill("correct-horse-battery")
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url(lambda url: "/sign-in/" not in url)

    def _check(self, tab, url, button=None):
        """Open the page (and submit it empty when a button is named) and run axe-core on it."""
        tab.goto(url)
        assert_accessible(tab)
        if button:
            tab.get_by_role("button", name=button).first.click()
            tab.wait_for_load_state()
            assert_accessible(tab)

    def test_booking_pages_are_axe_clean(self, live_server, page, north, team_manager, case_manager):  # noqa: F811
        """The Meetings tab, booking (with the CSC section and errors), invitations, participation, the
        compliance report (looked after, with a failure), cancel, further offence, bail and "Meetings"."""
        child = ChildFactory(team=north, case_manager=case_manager, open_to_csc=True, looked_after=True)
        _obligation(child, "cmm.risk_review", title="Risk review CMM held", status="overdue")
        meeting = _book(child, team_manager, kind=MeetingKind.COMPLIANCE, days_ahead=3)
        _contact(
            child,
            case_manager,
            date=meeting.compliance_period_start,
            outcome=Contact.Outcome.UNACCEPTABLE_FAILURE,
        )
        _book(child, team_manager, invitees=[{"name": "Officer B", "agency": "Police"}])
        self._sign_in(page, live_server, "tm")
        base = live_server.url
        self._check(page, base + reverse("meeting_list", args=[child.pk]))
        self._check(page, base + reverse("meetings_mine"))
        book = reverse("meeting_book", args=[child.pk]) + "?kind=risk_review&obligation=cmm.risk_review"
        self._check(page, base + book, button="Book the meeting and send invitations")
        page.get_by_label("Day").fill(str(timezone.localdate().day))
        page.get_by_label("Month").fill(str(timezone.localdate().month))
        page.get_by_label("Year").fill(str(timezone.localdate().year))
        page.get_by_label("Start time").fill("23:59")
        page.get_by_role("button", name="Book the meeting and send invitations").click()
        page.wait_for_load_state()
        assert "less than two weeks away" in page.content()
        assert_accessible(page)
        m = meeting.pk
        self._check(page, base + reverse("meeting_invitations", args=[child.pk, m]), button="Invite and send")
        self._check(page, base + reverse("meeting_participation", args=[child.pk, m]), button="Save")
        self._check(
            page, base + reverse("meeting_compliance_report", args=[child.pk, m]), button="Submit the report"
        )
        self._check(page, base + reverse("meeting_cancel", args=[child.pk, m]), button="Cancel the meeting")
        self._check(
            page, base + reverse("further_offence_add", args=[child.pk]), button="Record the further offence"
        )
        self._check(
            page,
            base + reverse("bail_application_add", args=[child.pk]),
            button="Record the bail application",
        )
