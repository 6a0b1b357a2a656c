"""Booking and preparing meetings (001 §6.2, 000 §1.2-§1.4, App. B) and the facts and obligations that
follow from meetings, further offences and bail applications (000 §1.3, timescales.md)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Contact, Event, EventType, Obligation, Programme, RiskLevel, Role
from cases.services.core import child_obligations_refresh
from core.models import AuditEntry
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory
from meetings import selectors, services
from meetings.facts import meeting_facts
from meetings.models import Invitation, Meeting, MeetingKind, Participation

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    """An aware datetime in London."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def book(child, user, *, days_ahead=21, **kw) -> Meeting:
    """A meeting booked through the service with sensible defaults (three weeks ahead, at the office)."""
    values = {
        "kind": MeetingKind.RISK_REVIEW,
        "starts_at": timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=days_ahead),
        "chair": user,
        "case_manager": child.case_manager,
        "venue": "YJS office, meeting room 2",
        "no_panel_member_reason": "No standing panel member free this week",
    }
    values.update(kw)
    return services.meeting_book(child=child, user=user, **values)


def stored(child) -> dict[str, Obligation]:
    """The child's stored obligations by code (the last of each code)."""
    return {o.code: o for o in Obligation.objects.filter(child=child).order_by("position")}


def contact(child, author, *, date, outcome=Contact.Outcome.KEPT, **kw) -> Contact:
    """A contact row straight into the database."""
    return Contact.objects.create(
        child=child, author=author, worker=author, kind=Contact.Kind.FACE_TO_FACE, date=date,
        outcome=outcome, **kw,
    )  # fmt: skip


@pytest.mark.django_db
class TestMeetingBook:
    def test_books_and_invites_everyone(
        self, child, team_manager, case_manager, colleague, mailoutbox, django_capture_on_commit_callbacks
    ):
        """001 §6.2: chair, case manager, panel and agencies are invited by email with a calendar entry,
        sent once the booking is committed."""
        with django_capture_on_commit_callbacks(execute=True):
            meeting = book(
                child,
                team_manager,
                panel_members=[colleague],
                invitees=[
                    {
                        "name": "Social worker A",
                        "agency": "Children's Social Care",
                        "email": "sw@csc.invalid",
                    },
                    {"name": "Officer B", "agency": "Police", "email": ""},
                ],
                for_obligation="cmm.risk_review",
            )
        assert meeting.status == Meeting.Status.BOOKED and meeting.for_obligation == "cmm.risk_review"
        assert meeting.participation == Participation.VIEWS_BEFORE
        assert (meeting.current_rosh, meeting.current_saw) == (child.rosh, child.saw)
        invitations = list(meeting.invitations.order_by("pk"))
        assert [i.role_in_meeting for i in invitations[:3]] == [
            "Chair",
            "Case manager",
            "Standing panel member",
        ]
        assert all(i.sent_at for i in invitations) and meeting.invitations_sent_at
        assert len(mailoutbox) == 4  # the officer without an email address gets it by hand
        assert sorted(m.to[0] for m in mailoutbox)[-1] == "tm@yjs.invalid"
        name, content, mimetype = mailoutbox[0].attachments[0]
        text = content.decode() if isinstance(content, bytes) else content
        assert mimetype.startswith("text/calendar") and "BEGIN:VEVENT" in text
        assert child.full_name not in mailoutbox[0].body  # initials and case number only
        event = Event.objects.get(source=meeting.source)
        assert event.event_type == EventType.CMM and event.summary.startswith("Invitations sent")
        assert AuditEntry.objects.filter(
            object_type="meeting", object_id=str(meeting.pk), action="create"
        ).exists()

    def test_core_attendee_invited_once(self, child, team_manager, case_manager):
        """A chair who is also ticked as a panel member gets one invitation."""
        meeting = book(child, team_manager, panel_members=[team_manager, case_manager])
        assert meeting.invitations.count() == 2

    def test_short_notice_needs_a_reason(self, child, team_manager):
        """001 §6.2: less than two weeks' notice needs a reason; with one it is booked."""
        with pytest.raises(ValidationError, match="two weeks"):
            book(child, team_manager, days_ahead=7)
        meeting = book(child, team_manager, days_ahead=7, short_notice_reason="Court date moved forward")
        assert meeting.short_notice_reason == "Court date moved forward"
        assert selectors.short_notice(starts_at=meeting.starts_at)

    def test_exactly_two_weeks_is_enough_notice(self, child, team_manager):
        """A meeting 14 days ahead is not short notice."""
        assert not selectors.short_notice(starts_at=timezone.now() + datetime.timedelta(days=14))
        book(child, team_manager, days_ahead=14)

    def test_case_manager_cannot_book(self, child, case_manager):
        """Only a TM or AP of the child's team books (001 §6.2)."""
        with pytest.raises(ValidationError, match="team manager"):
            book(child, case_manager, chair=case_manager)

    def test_manager_of_another_team_cannot_book(self, child, south):
        """A team manager of another team cannot book for this child."""
        other = UserFactory(username="south-tm", role=Role.TEAM_MANAGER, team=south)
        with pytest.raises(ValidationError):
            book(child, other)

    def test_chair_must_be_a_manager_of_the_team(self, child, team_manager, colleague):
        """The chair is a TM or AP of the child's team."""
        with pytest.raises(ValidationError, match="chair"):
            book(child, team_manager, chair=colleague)

    def test_advanced_practitioner_may_chair(self, child, team_manager, north):
        """An AP may chair where the TM is unavailable (001 §6.2)."""
        ap = UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north)
        assert book(child, team_manager, chair=ap).chair == ap

    def test_venue_or_link_required(self, child, team_manager):
        """A meeting happens somewhere: a venue or an online link."""
        with pytest.raises(ValidationError, match="venue"):
            book(child, team_manager, venue="")
        assert book(child, team_manager, venue="", online_link="https://meet.example.org/x").online_link

    def test_past_meeting_refused(self, child, team_manager):
        """A past meeting is recorded as held, not booked."""
        with pytest.raises(ValidationError, match="future"):
            book(child, team_manager, days_ahead=-3)

    def test_compliance_meeting_gets_the_report_period(self, child, team_manager):
        """A compliance CMM's report period is filled from the child's record (000 App. B)."""
        meeting = book(child, team_manager, kind=MeetingKind.COMPLIANCE)
        assert meeting.compliance_period_end == timezone.localdate(meeting.starts_at)
        assert meeting.compliance_period_start < meeting.compliance_period_end
        assert meeting.participation == Participation.MEET_TM

    def test_participation_by_kind(self):
        """000 §1.2: who gathers the child's views depends on the meeting type."""
        assert selectors.participation_for(MeetingKind.BAIL)[0] == Participation.ASKED_TO_ATTEND
        assert "team manager or AP gathers" in selectors.participation_for(MeetingKind.REOFFENDING)[1]
        assert selectors.participation_for(MeetingKind.MAPPA_LEVEL_1)[0] == Participation.VIEWS_BEFORE


@pytest.mark.django_db
class TestCscBooking:
    def test_combined_needs_an_open_csc_child_and_a_risk_review(self, child, team_manager):
        """000 §1.4: only a risk review, for a child open to CSC, with a decision."""
        csc = {"csc_meeting_type": Meeting.CscMeetingType.CORE_GROUP, "csc_decision": "combine"}
        with pytest.raises(ValidationError, match="not open"):
            book(child, team_manager, **csc)
        child.open_to_csc = True
        child.save()
        with pytest.raises(ValidationError, match="Only a risk review"):
            book(child, team_manager, kind=MeetingKind.BAIL, **csc)
        with pytest.raises(ValidationError, match="decision"):
            book(child, team_manager, csc_meeting_type=Meeting.CscMeetingType.CORE_GROUP)
        meeting = book(child, team_manager, **csc)
        assert meeting.is_csc_combined and meeting.title.startswith("Combined CSC meeting")

    def test_no_cmm_needed_only_for_low_rosh_medium_saw(self, child, team_manager):
        """000 §1.4: "no CMM needed" is for Low RoSH with SaW Medium or above, with the rationale."""
        child.open_to_csc, child.rosh, child.saw = True, RiskLevel.MEDIUM, RiskLevel.MEDIUM
        child.save()
        csc = {"csc_meeting_type": Meeting.CscMeetingType.CHILD_IN_NEED, "csc_decision": "no_cmm_needed"}
        with pytest.raises(ValidationError, match="Low RoSH"):
            book(child, team_manager, csc_decision_rationale="Reviewed at CIN", **csc)
        child.rosh = RiskLevel.LOW
        child.save()
        with pytest.raises(ValidationError, match="management entry"):
            book(child, team_manager, **csc)
        assert book(child, team_manager, csc_decision_rationale="Reviewed at CIN", **csc).csc_decision


@pytest.mark.django_db
class TestInvitations:
    def test_add_sends_at_once(self, child, team_manager, mailoutbox, django_capture_on_commit_callbacks):
        """An invitee added to a booked meeting is emailed now, with the calendar entry."""
        meeting = book(child, team_manager)
        assert mailoutbox == []  # nothing is emailed until the booking commits
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_add(
                meeting=meeting,
                user=team_manager,
                name="Nurse C",
                agency="Health",
                email="nurse@health.invalid",
            )
        invitation.refresh_from_db()
        assert invitation.sent_at is not None
        assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nurse@health.invalid"]
        assert mailoutbox[0].attachments[0][2].startswith("text/calendar")

    def test_add_refused_once_held(self, child, team_manager):
        """Invitations can only be added before the meeting is held."""
        meeting = book(child, team_manager)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        meeting.refresh_from_db()
        with pytest.raises(ValidationError):
            services.invitation_add(meeting=meeting, user=team_manager, name="Late person")

    def test_written_update_needs_its_text(self, child, team_manager, case_manager):
        """001 §6.2: an agency that cannot attend can send a written update; it must be entered."""
        meeting = book(child, team_manager, invitees=[{"name": "Teacher D", "agency": "School"}])
        invitation = meeting.invitations.get(name="Teacher D")
        with pytest.raises(ValidationError, match="written update"):
            services.invitation_response_record(
                invitation=invitation, user=case_manager, response=Invitation.Response.WRITTEN_UPDATE
            )
        services.invitation_response_record(
            invitation=invitation,
            user=case_manager,
            response=Invitation.Response.WRITTEN_UPDATE,
            written_update="  Attending well since September.  ",
        )
        invitation.refresh_from_db()
        assert invitation.written_update == "Attending well since September."
        assert AuditEntry.objects.filter(description__contains="Teacher D's reply").exists()


@pytest.mark.django_db
class TestParticipation:
    def test_views_needed_when_not_attending(self, child, team_manager, case_manager):
        """000 §1.2: if they do not attend, their views are gathered beforehand by a named person."""
        meeting = book(child, team_manager)
        with pytest.raises(ValidationError, match="views"):
            services.participation_record(
                meeting=meeting, user=case_manager, child_attending=False, views="",
                views_gathered_by=None, views_gathered_on=None,
            )  # fmt: skip
        meeting = services.participation_record(
            meeting=meeting, user=case_manager, child_attending=False, views="Wants to stay at college",
            views_gathered_by=case_manager, views_gathered_on=timezone.localdate(),
        )  # fmt: skip
        assert meeting.views == "Wants to stay at college" and meeting.views_gathered_by == case_manager

    def test_attending_needs_no_views(self, child, team_manager, case_manager):
        """A child who attends gives their views at the meeting."""
        meeting = services.participation_record(
            meeting=book(child, team_manager), user=case_manager, child_attending=True, views="",
            views_gathered_by=None, views_gathered_on=None,
        )  # fmt: skip
        assert meeting.child_attending is True

    def test_closed_record_refused(self, child, team_manager, case_manager):
        """A cancelled meeting's participation cannot change."""
        meeting = book(child, team_manager)
        services.meeting_cancel(meeting=meeting, user=team_manager, reason="Child in hospital")
        with pytest.raises(ValidationError, match="closed"):
            services.participation_record(
                meeting=meeting, user=case_manager, child_attending=True, views="",
                views_gathered_by=None, views_gathered_on=None,
            )  # fmt: skip


@pytest.mark.django_db
class TestComplianceReport:
    def test_figures_frozen_from_contacts(self, child, team_manager, case_manager):
        """000 App. B: the counts and failures come from the contacts and are kept as submitted."""
        meeting = book(child, team_manager, kind=MeetingKind.COMPLIANCE)
        start, end = datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)
        contact(child, case_manager, date=datetime.date(2026, 9, 2))
        failed = contact(
            child, case_manager, date=datetime.date(2026, 9, 9), outcome=Contact.Outcome.UNACCEPTABLE_FAILURE,
            explanation="None given",
        )  # fmt: skip
        contact(
            child, case_manager, date=datetime.date(2026, 9, 16), outcome=Contact.Outcome.ACCEPTABLE_FAILURE
        )
        meeting = services.compliance_report_submit(
            meeting=meeting, user=case_manager, period_start=start, period_end=end,
            actions_taken={str(failed.pk): "Warning letter sent"}, unacceptable_behaviour="",
            plan_progress="Reparation half done",
        )  # fmt: skip
        figures = meeting.compliance_figures
        assert (figures["appointments_given"], figures["kept"]) == (3, 1)
        assert (figures["acceptable_failures"], figures["unacceptable_failures"]) == (1, 1)
        assert figures["non_compliance"][0]["action_taken"] == "Warning letter sent"
        assert figures["non_compliance"][0]["date"] == "2026-09-09"
        contact(child, case_manager, date=datetime.date(2026, 9, 23))  # later records do not change it
        meeting.refresh_from_db()
        assert meeting.compliance_figures["appointments_given"] == 3
        assert not selectors.compliance_report_late(meeting=meeting)

    def test_late_report_is_accepted_and_flagged(self, child, team_manager, case_manager):
        """000 §1.3: less than 24 hours before the meeting is accepted but shown as late."""
        meeting = book(child, team_manager, kind=MeetingKind.COMPLIANCE)
        meeting = services.compliance_report_submit(
            meeting=meeting, user=case_manager, period_start=datetime.date(2026, 9, 1),
            period_end=datetime.date(2026, 9, 30), actions_taken={}, unacceptable_behaviour="",
            plan_progress="Some progress", now=meeting.starts_at - datetime.timedelta(hours=5),
        )  # fmt: skip
        assert selectors.compliance_report_late(meeting=meeting)

    def test_only_for_compliance_meetings_and_forward_periods(self, child, team_manager, case_manager):
        """Only a compliance CMM has a report, and its period runs forwards."""
        report = {
            "user": case_manager, "period_start": datetime.date(2026, 9, 30),
            "period_end": datetime.date(2026, 9, 1), "actions_taken": {}, "unacceptable_behaviour": "",
            "plan_progress": "Progress",
        }  # fmt: skip
        with pytest.raises(ValidationError, match="compliance"):
            services.compliance_report_submit(meeting=book(child, team_manager), **report)
        with pytest.raises(ValidationError, match="end of the period"):
            services.compliance_report_submit(
                meeting=book(child, team_manager, kind=MeetingKind.COMPLIANCE), **report
            )


@pytest.mark.django_db
class TestCancel:
    def test_cancel_needs_a_reason_and_a_manager(self, child, team_manager, case_manager):
        """Only a manager cancels a booked meeting, with the reason; it goes on the timeline."""
        meeting = book(child, team_manager, for_obligation="cmm.risk_review")
        with pytest.raises(ValidationError):
            services.meeting_cancel(meeting=meeting, user=case_manager, reason="Clash")
        with pytest.raises(ValidationError, match="why"):
            services.meeting_cancel(meeting=meeting, user=team_manager, reason=" ")
        meeting = services.meeting_cancel(meeting=meeting, user=team_manager, reason="Child moved placement")
        assert meeting.status == Meeting.Status.CANCELLED
        assert Event.objects.filter(source=meeting.source, summary__startswith="Cancelled").exists()
        with pytest.raises(ValidationError, match="booked"):
            services.meeting_cancel(meeting=meeting, user=team_manager, reason="Again")


@pytest.mark.django_db
class TestFurtherOffenceAndBail:
    def test_further_offence_needs_a_date(self, child, case_manager):
        """The rules need a PSR court date or a sentence date to place the CMM (000 §1.3)."""
        with pytest.raises(ValidationError, match="PSR court date"):
            services.further_offence_record(child=child, user=case_manager, description="Theft")

    def test_sentence_without_psr_gives_reoffending_cmm_15_working_days_after(
        self, child, case_manager, django_capture_on_commit_callbacks
    ):
        """000 §1.3: sentenced Fri 18 Dec 2026, no PSR: 15 working days skip 25, 28 Dec and 1 Jan → 13 Jan 2027."""
        with django_capture_on_commit_callbacks(execute=True):
            item = services.further_offence_record(
                child=child, user=case_manager, description="Criminal damage",
                sentence_date=datetime.date(2026, 12, 18), today=datetime.date(2026, 12, 18),
            )  # fmt: skip
        assert Event.objects.get(source=f"further_offence:{item.pk}").event_type == EventType.FURTHER_OFFENCE
        assert {"type": "reoffended", "date": "2026-12-18", "sentence_date": "2026-12-18"} in meeting_facts(
            child=child
        )
        child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2026, 12, 21))
        reoffending = stored(child)["cmm.reoffending"]
        assert reoffending.due == datetime.date(2027, 1, 13)
        assert reoffending.status == Obligation.Status.OPEN and reoffending.basis.startswith("000 §1.3")

    def test_psr_route_is_due_before_the_court_date(self, child, case_manager):
        """With a PSR court date of Mon 4 Jan 2027, the CMM is due the last working day before: 31 Dec."""
        services.further_offence_record(
            child=child, user=case_manager, description="Assault", psr_court_date=datetime.date(2027, 1, 4),
            sentence_date=datetime.date(2026, 12, 1), today=datetime.date(2026, 12, 1),
        )  # fmt: skip
        facts = [f for f in meeting_facts(child=child) if f["type"] == "reoffended"]
        assert facts == [{"type": "reoffended", "date": "2026-12-01", "psr_court_date": "2027-01-04"}]
        child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2026, 12, 2))
        assert stored(child)["cmm.reoffending"].due == datetime.date(2026, 12, 31)

    # Midday, so "half an hour ago" is the same day as the sentence (a fact before it would not count).
    @time_machine.travel(datetime.datetime(2026, 11, 18, 12, tzinfo=datetime.UTC))
    def test_reoffending_cmm_held_meets_it(self, child, team_manager, case_manager):
        """A re-offending CMM held before the deadline meets cmm.reoffending."""
        services.further_offence_record(
            child=child, user=case_manager, description="Theft", sentence_date=timezone.localdate(),
        )  # fmt: skip
        meeting = book(
            child, team_manager, kind=MeetingKind.REOFFENDING, days_ahead=0,
            starts_at=timezone.now() - datetime.timedelta(minutes=30), short_notice_reason="Urgent",
        )  # fmt: skip
        services.meeting_held_record(
            meeting=meeting, user=team_manager, held_at=meeting.starts_at, attended=[], attendees="TM, CM"
        )
        child_obligations_refresh(child_id=child.pk)
        assert stored(child)["cmm.reoffending"].status == Obligation.Status.MET

    def test_bail_application_gives_bail_cmm_before_the_date(self, child, case_manager):
        """000 §1.3: bail application Tue 29 Dec 2026: the bail strategy CMM is due Thu 24 Dec (25, 28 are holidays)."""
        item = services.bail_application_record(
            child=child, user=case_manager, bail_date=datetime.date(2026, 12, 29), court=" Youth court ",
            today=datetime.date(2026, 12, 21),
        )  # fmt: skip
        assert item.court == "Youth court"
        assert (
            Event.objects.get(source=f"bail_application:{item.pk}").event_type == EventType.BAIL_APPLICATION
        )
        assert {"type": "bail_application_planned", "date": "2026-12-21", "bail_date": "2026-12-29"} in (
            meeting_facts(child=child)
        )
        child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2026, 12, 21))
        bail = stored(child)["cmm.bail"]
        assert bail.due == datetime.date(2026, 12, 24) and bail.status == Obligation.Status.OPEN

    def test_bail_date_in_the_past_refused(self, child, case_manager):
        """A bail application is still to come."""
        with pytest.raises(ValidationError, match="today or later"):
            services.bail_application_record(
                child=child,
                user=case_manager,
                bail_date=datetime.date(2026, 1, 5),
                today=datetime.date(2026, 1, 6),
            )


@pytest.mark.django_db
class TestHeldMeetingObligations:
    def _child_on_a_yro(self, north, case_manager, **levels):
        """A child rated Medium on 15 Oct 2026, starting a 12-month YRO that day: risk reviews due 11-weekly."""
        with time_machine.travel(at(2026, 10, 15), tick=False):
            child = ChildFactory(
                team=north, case_manager=case_manager, rosh=RiskLevel.MEDIUM, saw=RiskLevel.MEDIUM,
                lor=RiskLevel.MEDIUM, **levels,
            )  # fmt: skip
            ProgrammeFactory(
                child=child, kind=Programme.Kind.YRO, start_date=datetime.date(2026, 10, 15), length_months=12
            )
        return child

    def test_held_risk_review_meets_it_and_starts_the_follow_ups(self, north, team_manager, case_manager):
        """000 §1.3, 001 §6.2: a risk review held Thu 24 Dec 2026 meets cmm.risk_review (due 31 Dec);
        actions are due 48 hours after (26 Dec, never moved) and minutes 5 working days after (5 Jan 2027)."""
        child = self._child_on_a_yro(north, case_manager)
        child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2026, 12, 10))
        assert stored(child)["cmm.risk_review"].due == datetime.date(2026, 12, 31)
        with time_machine.travel(at(2026, 12, 10), tick=False):
            meeting = book(child, team_manager, starts_at=at(2026, 12, 24), for_obligation="cmm.risk_review")
        with time_machine.travel(at(2026, 12, 24, 12), tick=False):
            services.meeting_held_record(
                meeting=meeting, user=team_manager, held_at=at(2026, 12, 24), attended=[], attendees="TM, CM"
            )
        facts = meeting_facts(child=child)
        assert {"type": "cmm_held", "reason": "risk_review", "date": "2026-12-24",
                "at": "2026-12-24T10:00:00+00:00"} in facts  # fmt: skip
        child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2026, 12, 24))
        obligations = stored(child)
        review = Obligation.objects.filter(child=child, code="cmm.risk_review").order_by("position").first()
        assert review.status == Obligation.Status.MET and review.met_on == datetime.date(2026, 12, 24)
        actions = obligations["cmm.actions_recorded"]
        assert actions.status == Obligation.Status.OPEN
        assert timezone.localtime(actions.due_at) == at(2026, 12, 26)
        assert obligations["cmm.minutes"].due == datetime.date(2027, 1, 5)
        assert obligations["cmm.minutes"].status == Obligation.Status.OPEN

    def test_actions_recorded_meets_the_48_hour_rule(self, north, team_manager, case_manager):
        """Recording the actions the next day meets cmm.actions_recorded."""
        child = self._child_on_a_yro(north, case_manager)
        with time_machine.travel(at(2026, 12, 10), tick=False):
            meeting = book(child, team_manager, starts_at=at(2026, 12, 24))
        with time_machine.travel(at(2026, 12, 24, 12), tick=False):
            services.meeting_held_record(
                meeting=meeting, user=team_manager, held_at=at(2026, 12, 24), attended=[], attendees="TM, CM"
            )
            services.meeting_actions_record(
                meeting=meeting, user=team_manager, today=datetime.date(2026, 12, 24)
            )
        child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2026, 12, 29))
        actions = stored(child)["cmm.actions_recorded"]
        assert actions.status == Obligation.Status.MET and actions.met_on == datetime.date(2026, 12, 24)

    def test_csc_combined_meeting_gives_the_assetplus_and_plan_updates(
        self, north, team_manager, case_manager
    ):
        """000 §1.4, 001 §6.5: a combined CSC meeting held Thu 24 Dec 2026 counts as the risk review and makes
        the AssetPlus review and plan update due 5 working days after, 5 Jan 2027 (bank holidays skipped)."""
        child = self._child_on_a_yro(north, case_manager, open_to_csc=True)
        with time_machine.travel(at(2026, 12, 10), tick=False):
            meeting = book(
                child, team_manager, starts_at=at(2026, 12, 24),
                csc_meeting_type=Meeting.CscMeetingType.CHILD_PROTECTION_CONFERENCE, csc_decision="combine",
            )  # fmt: skip
        with time_machine.travel(at(2026, 12, 24, 12), tick=False):
            services.meeting_held_record(
                meeting=meeting, user=team_manager, held_at=at(2026, 12, 24), attended=[], attendees="TM, SW"
            )
        assert meeting_facts(child=child) == [{"type": "csc_meeting_held", "date": "2026-12-24"}]
        child_obligations_refresh(child_id=child.pk, as_of=datetime.date(2026, 12, 24))
        obligations = stored(child)
        for code in ("assetplus.review_after_csc", "plan.update_after_csc"):
            assert obligations[code].due == datetime.date(2027, 1, 5)
            assert obligations[code].status == Obligation.Status.OPEN
        review = Obligation.objects.filter(child=child, code="cmm.risk_review").order_by("position").first()
        assert review.status == Obligation.Status.MET
        assert "cmm.minutes" not in obligations  # a CSC meeting is minuted by CSC, not as a CMM

    def test_mappa_meeting_is_also_the_risk_review(self, child, team_manager):
        """001 §8: a MAPPA level 1 meeting states mappa_meeting_held and a risk review cmm_held."""
        meeting = book(
            child, team_manager, kind=MeetingKind.MAPPA_LEVEL_1, days_ahead=0,
            starts_at=timezone.now() - datetime.timedelta(minutes=30), short_notice_reason="Urgent",
        )  # fmt: skip
        services.meeting_held_record(
            meeting=meeting, user=team_manager, held_at=meeting.starts_at, attended=[], attendees="TM"
        )
        types = [(f["type"], f.get("reason")) for f in meeting_facts(child=child)]
        assert types == [("mappa_meeting_held", None), ("cmm_held", "risk_review")]

    def test_booked_and_cancelled_meetings_state_nothing(self, child, team_manager):
        """Only a held meeting is a fact: booking or cancelling does not meet anything."""
        meeting = book(child, team_manager)
        assert meeting_facts(child=child) == []
        services.meeting_cancel(meeting=meeting, user=team_manager, reason="Clash")
        assert meeting_facts(child=child) == []
