"""Issue 17: who books a CMM (001 §6.2), its minimum attendance, the booking horizon, combined CSC meetings
recorded after they happened, every error at once, and a next meeting later than the rules' due date.

Dates are worked by hand: a 12-month YRO from Mon 5 Jan 2026 with Medium levels has its first risk
review due Mon 23 Mar 2026 (11 weeks); a review held Wed 20 May 2026 puts the next one at Wed 5 Aug 2026.
The booking horizon is six months (`cmm.booking_horizon`): booked on Fri 1 May 2026, the last day is
Sun 1 Nov 2026 (calendar months, not moved: it is a limit, not a due date).
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Assessment, Obligation, Programme, RiskLevel, Role
from core.models import OutboxMessage
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory
from meetings import booking_rules, selectors, services
from meetings.models import Meeting, MeetingKind

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 5, 1, 9, tzinfo=LONDON)  # Friday 1 May 2026


def at(year, month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


@pytest.fixture
def scm(north):
    """North's senior case manager, on duty: gatekept the child's assessment."""
    return UserFactory(
        username="scm", role=Role.SENIOR_CASE_MANAGER, team=north, first_name="Sam", last_name="Duty"
    )


@pytest.fixture
def ap(north):
    """North's advanced practitioner."""
    return UserFactory(
        username="ap", role=Role.ADVANCED_PRACTITIONER, team=north, first_name="Ada", last_name="Ap"
    )


@pytest.fixture
def yro_child(north, case_manager):
    """A North child on a 12-month YRO from Mon 5 Jan 2026, Medium levels: 11-weekly risk reviews."""
    with time_machine.travel(at(2026, 1, 5, 9), tick=False):
        child = ChildFactory(
            team=north,
            case_manager=case_manager,
            rosh=RiskLevel.MEDIUM,
            saw=RiskLevel.MEDIUM,
            lor=RiskLevel.MEDIUM,
        )
        ProgrammeFactory(
            child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2026, 1, 5), length_months=12
        )
    return child


def gatekept(child, by, author):
    """The child's assessment, gatekept by `by` (001 §6, App. 1)."""
    return Assessment.objects.create(
        child=child, kind=Assessment.Kind.ASSETPLUS, stage=Assessment.Stage.INITIAL, author=author,
        gatekept_by=by, gatekept_on=datetime.date(2026, 4, 1),
    )  # fmt: skip


def book(child, user, *, chair, starts_at=None, **kw) -> Meeting:
    values = {
        "kind": MeetingKind.RISK_REVIEW,
        "starts_at": starts_at or at(2026, 5, 20),
        "chair": chair,
        "case_manager": child.case_manager,
        "venue": "Locality office",
        "now": NOW,
    }
    values.update(kw)
    return services.meeting_book(child=child, user=user, **values)


def held(meeting, user, when):
    return services.meeting_held_record(
        meeting=meeting, user=user, held_at=when, attended=[], attendees="Chair, case manager", now=when
    )


@pytest.mark.django_db
class TestWhoBooks:
    def test_initial_cmm_is_booked_by_the_gatekeeper_a_senior_case_manager(
        self, yro_child, scm, team_manager, colleague, case_manager
    ):
        """001 §6.2: the senior case manager on duty who gatekept books the initial CMM (a TM chairs);
        the team manager, not the gatekeeper, is refused, with the gatekeeper named."""
        gatekept(yro_child, scm, case_manager)
        assert booking_rules.can_open_booking(user=scm, child=yro_child)
        with pytest.raises(ValidationError) as refused:
            book(yro_child, team_manager, chair=team_manager, panel_members=[colleague])
        assert "booked by the gatekeeper of the child's assessment, Sam Duty (001 §6.2)" in str(refused.value)
        meeting = book(yro_child, scm, chair=team_manager, panel_members=[colleague])
        assert meeting.booked_by == scm and meeting.chair == team_manager

    def test_an_absent_gatekeeper_is_covered_by_a_team_manager(
        self, yro_child, scm, team_manager, colleague, case_manager
    ):
        gatekept(yro_child, scm, case_manager)
        scm.is_absent = True
        scm.save()
        assert (
            book(yro_child, team_manager, chair=team_manager, panel_members=[colleague]).booked_by
            == team_manager
        )

    def test_a_case_manager_without_gatekeeping_cannot_open_the_page(
        self, client, yro_child, case_manager, scm
    ):
        gatekept(yro_child, scm, case_manager)
        client.force_login(case_manager)
        assert client.get(reverse("meeting_book", args=[yro_child.pk])).status_code == 404
        client.force_login(scm)
        assert client.get(reverse("meeting_book", args=[yro_child.pk])).status_code == 200

    def test_later_cmms_are_booked_by_the_chair(
        self, yro_child, team_manager, ap, colleague, scm, case_manager
    ):
        """After the first CMM is held, the booker chairs the new one or chaired the last one."""
        with time_machine.travel(at(2026, 5, 20, 12), tick=False):
            first = book(yro_child, team_manager, chair=team_manager, panel_members=[colleague],
                         short_notice_reason="Overdue")  # fmt: skip
            held(first, team_manager, at(2026, 5, 20))
        later = {"starts_at": at(2026, 7, 20), "panel_members": [colleague], "now": at(2026, 5, 21, 9)}
        with pytest.raises(ValidationError, match="Later CMMs are booked by their chair"):
            book(yro_child, ap, chair=team_manager, **later)
        assert book(yro_child, ap, chair=ap, **later).chair == ap  # the AP books it to chair it
        assert book(yro_child, team_manager, chair=ap, **later).booked_by == team_manager  # the last chair
        assert not booking_rules.can_open_booking(user=scm, child=yro_child)  # no longer the initial CMM


@pytest.mark.django_db
class TestBookingChecks:
    def test_minimum_attendance_needs_a_panel_member_or_a_reason(self, yro_child, team_manager, colleague):
        """001 §6.2: chair, case manager and a standing panel member; the chair ticked as one is not one."""
        with pytest.raises(ValidationError) as refused:
            book(yro_child, team_manager, chair=team_manager, panel_members=[team_manager])
        assert set(refused.value.message_dict) == {"panel_members"}
        meeting = book(yro_child, team_manager, chair=team_manager, no_panel_member_reason="Both on leave")
        assert meeting.no_panel_member_reason == "Both on leave"
        with_panel = book(yro_child, team_manager, chair=team_manager, panel_members=[colleague],
                          no_panel_member_reason="ignored")  # fmt: skip
        assert with_panel.no_panel_member_reason == ""

    def test_1_january_2099_is_refused_before_any_invitation(self, yro_child, team_manager, colleague):
        """The horizon: six months ahead, to Sun 1 Nov 2026 (booked on Fri 1 May 2026)."""
        assert booking_rules.horizon(NOW.date()) == datetime.date(2026, 11, 1)
        with pytest.raises(ValidationError) as refused:
            book(yro_child, team_manager, chair=team_manager, panel_members=[colleague], starts_at=at(2099, 1, 1),
                 invitees=[{"name": "PC A", "agency": "Police", "email": "pc@police.invalid"}])  # fmt: skip
        assert refused.value.message_dict["date"] == [
            "Date of the meeting must be within six months of today, by 1 November 2026: CMMs are held at most "
            "three months apart (001 §6.2), so a later date is most likely a mistake"
        ]
        assert not Meeting.objects.exists() and not OutboxMessage.objects.exists()
        assert book(yro_child, team_manager, chair=team_manager, panel_members=[colleague],
                    starts_at=at(2026, 11, 1)).pk  # fmt: skip

    def test_every_problem_at_once(self, yro_child, case_manager, team_manager):
        """One refusal names who books, where, when and the panel together."""
        with pytest.raises(ValidationError) as refused:
            book(yro_child, case_manager, chair=team_manager, venue="", starts_at=at(2099, 1, 1))
        assert set(refused.value.message_dict) == {"__all__", "venue", "date", "panel_members"}


@pytest.mark.django_db
class TestCombinedCscAfterTheEvent:
    @pytest.fixture
    def csc_child(self, north, case_manager):
        return ChildFactory(team=north, case_manager=case_manager, open_to_csc=True, rosh=RiskLevel.MEDIUM,
                            saw=RiskLevel.MEDIUM)  # fmt: skip

    def test_recorded_after_it_happened_with_no_notice_reason(self, csc_child, team_manager):
        """CSC arranged it (000 §1.4): a date last week is accepted, with no YJS notice reason or panel."""
        meeting = book(csc_child, team_manager, chair=team_manager, starts_at=at(2026, 4, 24),
                       csc_meeting_type=Meeting.CscMeetingType.CORE_GROUP,
                       csc_decision=Meeting.CscDecision.COMBINE)  # fmt: skip
        assert meeting.is_csc_combined and meeting.short_notice_reason == ""
        assert meeting.invitations.filter(sent_at__isnull=True).count() == 0
        with time_machine.travel(at(2026, 5, 1, 12), tick=False):
            held(meeting, team_manager, at(2026, 4, 24))
        assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD

    def test_too_long_ago_and_every_csc_error_at_once(self, csc_child, team_manager):
        with pytest.raises(ValidationError) as refused:
            book(csc_child, team_manager, chair=team_manager, starts_at=at(2025, 10, 1), kind=MeetingKind.COMPLIANCE,
                 csc_meeting_type=Meeting.CscMeetingType.CORE_GROUP, csc_decision="")  # fmt: skip
        errors = refused.value.message_dict
        assert set(errors) == {"date", "csc_meeting_type", "csc_decision"}
        assert "on or after 1 November 2025" in errors["date"][0]


@pytest.mark.django_db
class TestNextMeetingLaterThanDue:
    def test_record_and_booking_page_warn(self, client, yro_child, team_manager, colleague):
        """Held Wed 20 May 2026: the next risk review is due Wed 5 Aug 2026; 12 Aug is warned about."""
        with time_machine.travel(at(2026, 5, 20, 12), tick=False):
            meeting = book(yro_child, team_manager, chair=team_manager, panel_members=[colleague],
                           short_notice_reason="Overdue")  # fmt: skip
            held(meeting, team_manager, at(2026, 5, 20))
            services.meeting_record_update(
                meeting=meeting, user=team_manager, data={"next_meeting_at": at(2026, 8, 5, 14)}
            )
            meeting.refresh_from_db()
            due = selectors.next_review_due(meeting=meeting)
            assert (due.due, due.code) == (datetime.date(2026, 8, 5), "cmm.risk_review")
            assert selectors.next_meeting_late(meeting=meeting) is None
            services.meeting_record_update(
                meeting=meeting, user=team_manager, data={"next_meeting_at": at(2026, 8, 12, 14)}
            )
            meeting.refresh_from_db()
            assert selectors.next_meeting_late(meeting=meeting).due == datetime.date(2026, 8, 5)
            client.force_login(team_manager)
            detail = client.get(reverse("meeting_detail", args=[yro_child.pk, meeting.pk])).content.decode()
            assert "The next meeting is later than the rules ask" in detail and "5 August 2026" in detail
            section = client.get(
                reverse("meeting_section", args=[yro_child.pk, meeting.pk, "next"])
            ).content.decode()
            assert (
                "The rules ask for the child&#x27;s next review by" in section or "next review by" in section
            )
            assert 'id="next-meeting-late"' in section
            Obligation.objects.create(
                child=yro_child, code="cmm.risk_review", title="CMM to review RoSH/SaW held",
                due=datetime.date(2026, 8, 5), status="open", basis="000 §1.3", position=0,
                as_of=datetime.date(2026, 5, 20),
            )  # fmt: skip
            url = (
                reverse("meeting_book", args=[yro_child.pk]) + "?kind=risk_review&obligation=cmm.risk_review"
            )
            page = client.get(url).content.decode()
            assert 'id="previous-next-meeting"' in page and "12 August 2026" in page


@pytest.mark.django_db
def test_booking_form_shows_every_error_at_once(client, yro_child, team_manager):
    """One submit: the venue, the 2099 date and the missing panel member are all in the error summary."""
    client.force_login(team_manager)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("meeting_book", args=[yro_child.pk]),
            {"kind": "risk_review", "date_0": 1, "date_1": 1, "date_2": 2099, "time": "10:00",
             "duration_minutes": "60", "chair": team_manager.pk, "case_manager": yro_child.case_manager_id},
        )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    for message in (
        "Enter a venue or an online meeting link",
        "Date of the meeting must be within six months of today, by 1 November 2026",
        "Choose at least one standing panel member, or say why none is invited",
    ):
        assert message in html, message
