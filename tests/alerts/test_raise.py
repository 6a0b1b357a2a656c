"""The sweep's alerts: due-soon and overdue selection at the boundaries (working days, bank holidays, the
October clock change), escalation, who is told, idempotence and all-or-nothing, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts import services
from alerts.models import Notification
from alerts.selectors import is_escalated, lead_working_days
from alerts.services import alerts_raise
from cases.models import Obligation, Role
from cases.rules.calendar import add_hours
from cases.worklinks import action_url
from demo.factories import ChildFactory, UserFactory

from .helpers import D, london, obligation

Kind = Notification.Kind
OVERDUE = Obligation.Status.OVERDUE


def sent(**filters) -> set[tuple]:
    """(recipient username, kind, code) for every notification matching the filters."""
    return set(Notification.objects.filter(**filters).values_list("recipient__username", "kind", "code"))


@pytest.mark.django_db
class TestDueSoon:
    def test_lead_working_days_across_the_late_may_bank_holiday(self, child):
        """Friday 23 May 2025, before the late-May bank holiday (Monday 26th): two working days ahead is
        Wednesday 28th (not Tuesday 27th), five is Monday 2 June. Due today counts; a day past the lead
        does not."""
        obligation(child=child, code="plan.intervention", due=D(2025, 5, 23))  # today
        obligation(child=child, code="plan.action", due=D(2025, 5, 28))  # 2 working days
        obligation(child=child, code="plan.professionals", due=D(2025, 5, 29))  # 3 working days
        obligation(child=child, code="cmm.compliance", due=D(2025, 6, 2))  # 5 working days
        obligation(child=child, code="cmm.bail", due=D(2025, 6, 3))  # 6 working days
        assert lead_working_days("plan.action") == 2 and lead_working_days("cmm.bail") == 5

        result = alerts_raise(now=london(2025, 5, 23, 6, 0))

        assert sent(kind=Kind.DUE_SOON) == {
            ("cm", Kind.DUE_SOON, "plan.intervention"),
            ("cm", Kind.DUE_SOON, "plan.action"),
            ("cm", Kind.DUE_SOON, "cmm.compliance"),
        }
        assert result["due_soon"] == 3 and result["raised"] == 3

    def test_lead_working_days_across_easter(self, child):
        """Thursday 17 April 2025: Good Friday and Easter Monday are not working days, so two working days
        ahead is Wednesday 23 April."""
        obligation(child=child, code="plan.action", due=D(2025, 4, 23))
        obligation(child=child, code="plan.intervention", due=D(2025, 4, 24))
        alerts_raise(now=london(2025, 4, 17, 6, 0))
        assert sent() == {("cm", Kind.DUE_SOON, "plan.action")}

    def test_longest_prefix_wins(self, settings, child):
        """A code-specific lead beats the family's, which beats the default."""
        settings.ALERT_LEAD_WORKING_DAYS = {"": 1, "plan.": 3, "plan.action": 0}
        assert lead_working_days("plan.action") == 0
        assert lead_working_days("plan.review") == 3
        assert lead_working_days("contact.initial") == 1

    def test_met_and_closed_are_left_alone(self, child, north, case_manager):
        """Met obligations, and obligations of a closed child, raise nothing."""
        obligation(child=child, code="plan.action", due=D(2025, 5, 23), status=Obligation.Status.MET)
        closed = ChildFactory(team=north, case_manager=case_manager, is_open=False)
        obligation(child=closed, code="plan.action", due=D(2025, 5, 20), status=OVERDUE)
        assert alerts_raise(now=london(2025, 5, 23, 6, 0))["raised"] == 0


@pytest.mark.django_db
class TestHourBased:
    def test_across_the_october_clock_change(self, child):
        """48 hours after Friday 24 October 2025 10:00 (BST) is Sunday 26th 09:00 (GMT): the clocks went
        back, so it ends an hour earlier on the wall clock. Due soon from 8 hours before (01:00 GMT);
        overdue once the time has passed (09:30 GMT), even though the status (by date) is still open."""
        due_at = add_hours(london(2025, 10, 24, 10, 0), 48)
        assert due_at.hour == 9 and due_at.utcoffset() == datetime.timedelta(0)
        obligation(child=child, code="cmm.actions_recorded", due=D(2025, 10, 26), due_at=due_at)

        # 01:00 happens twice that night: the first (BST, 00:00 UTC) is nine hours before; the second
        # (GMT, 01:00 UTC) is eight.
        first = london(2025, 10, 26, 1, 0).astimezone(datetime.UTC)
        second = london(2025, 10, 26, 1, 0).replace(fold=1).astimezone(datetime.UTC)
        assert (first.hour, second.hour) == (0, 1)
        assert alerts_raise(now=first, hour_based_only=True)["raised"] == 0
        assert alerts_raise(now=second, hour_based_only=True)["due_soon"] == 1
        assert alerts_raise(now=london(2025, 10, 26, 9, 0), hour_based_only=True)["raised"] == 0
        result = alerts_raise(now=london(2025, 10, 26, 9, 30), hour_based_only=True)
        assert result["overdue"] == 1 and result["overdue_manager"] == 1
        assert sent() == {
            ("cm", Kind.DUE_SOON, "cmm.actions_recorded"),
            ("cm", Kind.OVERDUE, "cmm.actions_recorded"),
            ("tm", Kind.OVERDUE_MANAGER, "cmm.actions_recorded"),
        }
        assert Notification.objects.filter(kind=Kind.OVERDUE).get().due_at == due_at

    def test_hourly_sweep_ignores_date_based_rows(self, child):
        """The hourly sweep judges only hour-based rows: a date-based overdue one waits for the daily."""
        obligation(child=child, code="plan.action", due=D(2025, 10, 20), status=OVERDUE)
        assert alerts_raise(now=london(2025, 10, 26, 9, 30), hour_based_only=True)["raised"] == 0
        assert alerts_raise(now=london(2025, 10, 26, 9, 30))["overdue"] == 1


@pytest.mark.django_db
class TestEscalation:
    def test_exactly_n_then_n_plus_one_working_days_with_a_bank_holiday(self, child, service_manager):
        """Due Tuesday 20 May 2025. Working days after it: 21, 22, 23, (26 is the bank holiday), 27, 28 →
        five by Wednesday 28th: not escalated; the sixth is Thursday 29th: escalated to the service manager."""
        obligation(child=child, code="plan.action", due=D(2025, 5, 20), status=OVERDUE)
        assert not is_escalated(due=D(2025, 5, 20), today=D(2025, 5, 28))
        assert is_escalated(due=D(2025, 5, 20), today=D(2025, 5, 29))

        alerts_raise(now=london(2025, 5, 28, 6, 0))
        assert not Notification.objects.filter(kind=Kind.ESCALATED).exists()
        result = alerts_raise(now=london(2025, 5, 29, 6, 0))
        assert result["escalated"] == 1 and result["raised"] == 1
        escalated = Notification.objects.get(kind=Kind.ESCALATED)
        assert escalated.recipient == service_manager
        assert "more than 5 working days" in escalated.message

    def test_every_active_service_manager(self, child, service_manager):
        """Each active service manager is told; an inactive one is not."""
        other = UserFactory(role=Role.SERVICE_MANAGER, team=service_manager.team)
        UserFactory(role=Role.SERVICE_MANAGER, team=service_manager.team, is_active=False)
        obligation(child=child, code="plan.action", due=D(2025, 1, 6), status=OVERDUE)
        alerts_raise(now=london(2025, 3, 3, 6, 0))
        assert set(Notification.objects.filter(kind=Kind.ESCALATED).values_list("recipient", flat=True)) == {
            service_manager.pk,
            other.pk,
        }


@pytest.mark.django_db
class TestRecipients:
    NOW = london(2025, 3, 3, 6, 0)  # Monday

    def test_case_manager_then_their_manager_when_overdue(self, child, team_manager, colleague):
        """Due soon: the case manager only. Overdue: the case manager, and their line manager ("overdue in
        your team"). Colleagues hear nothing. Messages name the child; links go where the work is done."""
        obligation(child=child, code="plan.action", due=D(2025, 3, 4), title="Action plan completed")
        obligation(child=child, code="cmm.compliance", due=D(2025, 2, 28), status=OVERDUE)
        alerts_raise(now=self.NOW)
        assert sent() == {
            ("cm", Kind.DUE_SOON, "plan.action"),
            ("cm", Kind.OVERDUE, "cmm.compliance"),
            ("tm", Kind.OVERDUE_MANAGER, "cmm.compliance"),
        }
        due_soon = Notification.objects.get(kind=Kind.DUE_SOON)
        assert due_soon.child == child and due_soon.due == D(2025, 3, 4)
        assert due_soon.key == f"due_soon:c{child.pk}:plan.action:2025-03-04"
        assert (
            due_soon.message
            == f"Action plan completed for Alex Testchild ({child.case_number}) is due 4 March 2025."
        )
        assert due_soon.link == action_url("plan.action", child.pk)
        manager = Notification.objects.get(kind=Kind.OVERDUE_MANAGER)
        assert case_manager_name(child) in manager.message
        assert manager.link == action_url("cmm.compliance", child.pk)

    def test_unallocated_child_goes_to_the_team_manager(self, north, team_manager, service_manager):
        """An unallocated child's alerts go to the team's team manager, overdue as their own work."""
        unallocated = ChildFactory(team=north, case_manager=None)
        obligation(child=unallocated, code="plan.action", due=D(2025, 3, 4))
        obligation(child=unallocated, code="plan.intervention", due=D(2025, 2, 27), status=OVERDUE)
        alerts_raise(now=self.NOW)
        assert sent() == {("tm", Kind.DUE_SOON, "plan.action"), ("tm", Kind.OVERDUE, "plan.intervention")}

    def test_absent_case_manager_cover(self, child, case_manager, team_manager):
        """While the case manager is absent, their line manager gets their alerts too (003 §7)."""
        case_manager.is_absent = True
        case_manager.save()
        obligation(child=child, code="plan.action", due=D(2025, 3, 4))
        obligation(child=child, code="cmm.compliance", due=D(2025, 2, 28), status=OVERDUE)
        alerts_raise(now=self.NOW)
        assert sent() == {
            ("cm", Kind.DUE_SOON, "plan.action"),
            ("tm", Kind.DUE_SOON, "plan.action"),
            ("cm", Kind.OVERDUE, "cmm.compliance"),
            ("tm", Kind.OVERDUE, "cmm.compliance"),  # told once, as cover, not also as "in your team"
        }

    def test_case_manager_who_has_left(self, child, case_manager):
        """An inactive case manager gets nothing; the child's team manager is responsible instead."""
        case_manager.is_active = False
        case_manager.save()
        obligation(child=child, code="plan.action", due=D(2025, 3, 4))
        alerts_raise(now=self.NOW)
        assert sent() == {("tm", Kind.DUE_SOON, "plan.action")}

    def test_case_manager_without_line_manager_falls_back_to_team_manager(self, north, team_manager):
        """Overdue work of a worker with no line manager goes to their child's team manager."""
        loner = UserFactory(username="loner", role=Role.CASE_MANAGER, team=north)
        held = ChildFactory(team=north, case_manager=loner)
        obligation(child=held, code="plan.action", due=D(2025, 2, 27), status=OVERDUE)
        alerts_raise(now=self.NOW)
        assert sent() == {("loner", Kind.OVERDUE, "plan.action"), ("tm", Kind.OVERDUE_MANAGER, "plan.action")}

    def test_worker_supervision_goes_to_their_supervisor(self, case_manager, team_manager):
        """A worker's supervision is arranged and recorded by their supervisor (000 §4.1), so the alerts go
        to the supervisor, due soon and overdue, linked to recording it; the worker is not told of work
        only someone else can do (issue 20), and sees it on My work."""
        obligation(worker=case_manager, code="supervision.staff", due=D(2025, 3, 5), title="Supervision")
        obligation(worker=case_manager, code="supervision.agreed", due=D(2025, 2, 20), status=OVERDUE)
        alerts_raise(now=self.NOW)
        assert sent() == {
            ("tm", Kind.DUE_SOON, "supervision.staff"),
            ("tm", Kind.OVERDUE, "supervision.agreed"),
        }
        theirs = Notification.objects.get(kind=Kind.DUE_SOON)
        assert theirs.worker == case_manager and theirs.child is None
        assert theirs.key == f"due_soon:w{case_manager.pk}:supervision.staff:2025-03-05"
        assert theirs.message == f"Supervision for {case_manager.get_full_name()} is due 5 March 2025."
        assert theirs.link == reverse("session_create", args=[case_manager.pk])

    def test_leave_follow_ups_of_an_absent_worker(self, case_manager, team_manager):
        """Unplanned leave follow-ups (003 §7.2) are the manager's work about the absent worker, so only the
        team's managers hear of them, on the leave pages; the worker off sick is not chased."""
        case_manager.is_absent = True
        case_manager.save()
        obligation(worker=case_manager, code="leave.review_cases", due=D(2025, 3, 4))
        alerts_raise(now=self.NOW)
        assert sent() == {("tm", Kind.DUE_SOON, "leave.review_cases")}
        assert set(Notification.objects.values_list("link", flat=True)) == {reverse("leave_list")}

    def test_inactive_workers_own_obligations_raise_nothing(self, case_manager):
        """Someone who has left is not chased about their own supervision."""
        case_manager.is_active = False
        case_manager.save()
        obligation(worker=case_manager, code="supervision.staff", due=D(2025, 2, 20), status=OVERDUE)
        assert alerts_raise(now=self.NOW)["raised"] == 0


def case_manager_name(child) -> str:
    """The child's case manager's full name."""
    return child.case_manager.get_full_name()


@pytest.mark.django_db
class TestIdempotentAndAtomic:
    NOW = london(2025, 3, 3, 6, 0)

    def test_running_twice_raises_nothing_twice(self, child, service_manager):
        """The second run finds every key already raised: nothing new, same totals."""
        obligation(child=child, code="plan.action", due=D(2025, 3, 4))
        obligation(child=child, code="cmm.compliance", due=D(2025, 1, 6), status=OVERDUE)
        first = alerts_raise(now=self.NOW)
        total = Notification.objects.count()
        second = alerts_raise(now=self.NOW)
        assert first["raised"] == total == 4  # due soon, overdue, overdue in team, escalated
        assert second["raised"] == 0 and second["obligations"] == first["obligations"] == 2
        assert Notification.objects.count() == total

    def test_due_soon_then_overdue_are_each_raised_once(self, child):
        """The same obligation is raised once as due soon and, when it goes overdue, once as overdue."""
        row = obligation(child=child, code="plan.action", due=D(2025, 3, 4))
        alerts_raise(now=self.NOW)
        alerts_raise(now=self.NOW + datetime.timedelta(days=1))
        Obligation.objects.filter(pk=row.pk).update(status=OVERDUE)
        alerts_raise(now=self.NOW + datetime.timedelta(days=2))
        alerts_raise(now=self.NOW + datetime.timedelta(days=3))
        assert sorted(
            Notification.objects.filter(recipient=child.case_manager).values_list("kind", flat=True)
        ) == [
            Kind.DUE_SOON,
            Kind.OVERDUE,
        ]

    def test_a_failure_while_raising_leaves_nothing(self, monkeypatch, child, case_manager):
        """Children's alerts are inserted, then the workers' insert fails: the whole raise is rolled back."""
        obligation(child=child, code="plan.action", due=D(2025, 3, 4))
        obligation(worker=case_manager, code="supervision.staff", due=D(2025, 3, 4))
        real = services._insert
        calls = []

        def insert(notifications):
            calls.append(len(notifications))
            if len(calls) == 2:
                raise RuntimeError("database went away")
            real(notifications)

        monkeypatch.setattr(services, "_insert", insert)
        with pytest.raises(RuntimeError):
            alerts_raise(now=self.NOW)
        assert calls == [1, 1]
        assert not Notification.objects.exists()
        monkeypatch.setattr(services, "_insert", real)
        assert alerts_raise(now=self.NOW)["raised"] == 2


@pytest.mark.django_db
def test_query_count_does_not_grow_with_obligations(north, team_manager, service_manager):
    """Raising for 2 or 10 children (each with an overdue and a due-soon obligation, to several people)
    takes the same number of queries."""

    def run(how_many):
        Notification.objects.all().delete()
        for i in range(how_many):
            worker = UserFactory(role=Role.CASE_MANAGER, team=north, line_manager=team_manager)
            held = ChildFactory(team=north, case_manager=worker)
            obligation(child=held, code="plan.action", due=D(2025, 3, 4))
            obligation(child=held, code="cmm.compliance", due=D(2025, 1, 6 + i % 3), status=OVERDUE)
            obligation(worker=worker, code="supervision.staff", due=D(2025, 3, 4))
        with CaptureQueriesContext(connection) as queries:
            result = alerts_raise(now=london(2025, 3, 3, 6, 0))
        assert result["raised"] == Notification.objects.count() > 0
        return len(queries)

    assert run(2) == run(10)
