"""Allocation by policy (003 §2-§6): the pure checks, the services, the workload selector and the pages."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import allocation as policy
from cases.models import (
    Allocation,
    Child,
    Event,
    EventType,
    Gender,
    Leave,
    Obligation,
    Programme,
    RiskLevel,
    Role,
    User,
)
from cases.selectors import allocation as allocation_selectors
from cases.services import allocation as allocation_services
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory

LOAD = {"cases": 3, "co_allocated": 0, "weighted": 6, "capacity": 24}


def worker(role=Role.CASE_MANAGER, gender=Gender.FEMALE, **kwargs):
    """An unsaved worker: the pure checks need no database."""
    return User(username="w", first_name="Pat", last_name="Worker", role=role, gender=gender, **kwargs)


def kid(**kwargs):
    """An unsaved child with low levels unless told otherwise."""
    values = {"first_name": "Sam", "last_name": "Example", "rosh": RiskLevel.LOW, "saw": RiskLevel.LOW}
    values.update(kwargs)
    return Child(**values)


def by_code(checks):
    """The checks keyed by code."""
    return {c["code"]: c for c in checks}


class TestWeights:
    def test_case_weight_by_higher_level_and_intensity(self):
        """Weight is the higher of RoSH/SaW (1-4), +1 when intensive, halved (rounded up) when co-allocated."""
        assert policy.case_weight("", "") == 1
        assert policy.case_weight(RiskLevel.LOW, RiskLevel.HIGH) == 3
        assert policy.case_weight(RiskLevel.VERY_HIGH, RiskLevel.LOW, intensive=True) == 5
        assert policy.case_weight(RiskLevel.HIGH, "", co_allocated=True) == 2
        # Intensive counts before halving: a co-worker on a Medium remand carries (2 + 1 + 1) // 2.
        assert policy.case_weight(RiskLevel.MEDIUM, "", intensive=True, co_allocated=True) == 2
        assert policy.co_weight(4) == 2 and policy.co_weight(3) == 2

    def test_capacity_default_and_override(self):
        """A blank capacity uses the role's default; a set one wins (003 §2.1)."""
        assert policy.capacity_for(worker(Role.YJS_OFFICER)) == 18
        assert policy.capacity_for(worker(Role.STUDENT)) == 6
        assert policy.capacity_for(worker(Role.CASE_MANAGER, capacity=10)) == 10


class TestChecks:
    def test_capacity_under(self):
        """Within capacity including this case: pass, no rationale (003 §2.1)."""
        check = by_code(policy.allocation_checks(kid(), worker(), "case_manager", LOAD, child_weight=3))[
            "capacity"
        ]
        assert check["ok"] and not check["needs_rationale"]
        assert "with this case 9 of 24" in check["message"]

    def test_capacity_over_needs_rationale(self):
        """Going over capacity with this case is an exception needing a rationale (003 §2.1)."""
        load = {**LOAD, "weighted": 22}
        check = by_code(policy.allocation_checks(kid(), worker(), "case_manager", load, child_weight=3))[
            "capacity"
        ]
        assert not check["ok"] and check["needs_rationale"] and check["basis"] == "003 §2.1"

    def test_absent_worker_needs_rationale(self):
        """An absent worker is allocated only with grounds that their return is imminent (003 §2.1)."""
        checks = by_code(
            policy.allocation_checks(kid(), worker(is_absent=True), "case_manager", LOAD, child_weight=1)
        )
        assert not checks["absent"]["ok"] and checks["absent"]["needs_rationale"]
        present = by_code(policy.allocation_checks(kid(), worker(), "case_manager", LOAD, child_weight=1))
        assert present["absent"]["ok"]

    def test_girl_to_male_needs_rationale(self):
        """A girl allocated a male case manager needs a rationale recorded after consulting her (003 §2.2)."""
        checks = by_code(
            policy.allocation_checks(
                kid(gender_identity=Gender.FEMALE),
                worker(gender=Gender.MALE),
                "case_manager",
                LOAD,
                child_weight=1,
            )
        )
        assert not checks["gender"]["ok"] and checks["gender"]["needs_rationale"]
        assert checks["gender"]["rationale_error"].startswith(
            "Enter the rationale for allocating a girl to a male case manager"
        )

    def test_girl_to_female_ok(self):
        """A girl allocated a female case manager passes (003 §2.2)."""
        checks = by_code(
            policy.allocation_checks(
                kid(gender_identity=Gender.FEMALE), worker(), "case_manager", LOAD, child_weight=1
            )
        )
        assert checks["gender"]["ok"] and not checks["gender"]["needs_rationale"]

    def test_boy_has_no_gender_check(self):
        """The 003 §2.2 check applies to girls only."""
        checks = by_code(
            policy.allocation_checks(
                kid(gender_identity=Gender.MALE),
                worker(gender=Gender.MALE),
                "case_manager",
                LOAD,
                child_weight=1,
            )
        )
        assert "gender" not in checks

    def test_differs_from_birth_always_needs_wishes(self):
        """A child whose gender identity differs from birth: their wishes are always recorded (003 §2.3)."""
        checks = by_code(
            policy.allocation_checks(
                kid(gender_differs_from_birth=True), worker(), "case_manager", LOAD, child_weight=1
            )
        )
        assert (
            checks["gender_identity"]["needs_rationale"] and checks["gender_identity"]["basis"] == "003 §2.3"
        )
        assert policy.check_status(checks["gender_identity"]) == "record"

    def test_high_risk_to_band_a_needs_rationale(self):
        """High RoSH to a Band A case manager needs a rationale (003 §4.1)."""
        checks = by_code(
            policy.allocation_checks(kid(rosh=RiskLevel.HIGH), worker(), "case_manager", LOAD, child_weight=3)
        )
        assert not checks["high_risk"]["ok"] and checks["high_risk"]["needs_rationale"]

    @pytest.mark.parametrize(
        "role", [Role.SENIOR_CASE_MANAGER, Role.ADVANCED_PRACTITIONER, Role.TEAM_MANAGER]
    )
    def test_high_risk_to_senior_ok(self, role):
        """Very High SaW to a Band B SCM (or an AP or TM) passes (003 §4.1)."""
        checks = by_code(
            policy.allocation_checks(
                kid(saw=RiskLevel.VERY_HIGH), worker(role), "case_manager", LOAD, child_weight=4
            )
        )
        assert checks["high_risk"]["ok"]

    def test_student_blocked_without_primary_worker(self):
        """A student case manager without a non-student co-worker is refused (003 §6.1)."""
        checks = by_code(
            policy.allocation_checks(kid(), worker(Role.STUDENT), "case_manager", LOAD, child_weight=1)
        )
        assert checks["student"]["blocking"] and not checks["student"]["needs_rationale"]
        assert "Allocate a primary worker" in checks["student"]["message"]
        ok = by_code(
            policy.allocation_checks(
                kid(), worker(Role.STUDENT), "case_manager", LOAD, child_weight=1, has_primary_worker=True
            )
        )
        assert ok["student"]["ok"] and not ok["student"]["blocking"]

    def test_ap_co_allocation_note(self):
        """Co-allocating to an AP notes that management supervision must be by a TM (003 §5.5)."""
        checks = by_code(
            policy.allocation_checks(
                kid(), worker(Role.ADVANCED_PRACTITIONER), "co_worker", LOAD, child_weight=1
            )
        )
        assert checks["ap_supervision"]["info"] and checks["ap_supervision"]["ok"]
        assert "team manager" in checks["ap_supervision"]["message"]
        assert "gender" not in checks and "high_risk" not in checks

    def test_missing_rationales(self):
        """Only checks needing a rationale and lacking one are reported."""
        checks = policy.allocation_checks(kid(), worker(is_absent=True), "case_manager", LOAD, child_weight=1)
        assert set(policy.missing_rationales(checks, {})) == {"absent"}
        assert policy.missing_rationales(checks, {"absent": "Back on Monday"}) == {}


class TestCoAllocationPrompt:
    def test_prompt_for_high_case_with_band_a(self):
        """High RoSH held by a Band A worker with no Band B/AP co-worker prompts co-allocation (003 §5.1)."""
        child = kid(rosh=RiskLevel.HIGH, case_manager=worker())
        prompt = policy.co_allocation_prompt(child, [])
        assert prompt and prompt["basis"] == "003 §5.1"

    def test_no_prompt_when_scm_co_worker(self):
        """A senior case manager co-worker satisfies 003 §5.1."""
        child = kid(saw=RiskLevel.VERY_HIGH, case_manager=worker(Role.YJS_OFFICER))
        assert policy.co_allocation_prompt(child, [worker(Role.SENIOR_CASE_MANAGER)]) is None

    def test_no_prompt_for_low_or_senior_holder(self):
        """Low levels, or a senior case manager holding, need no prompt."""
        assert policy.co_allocation_prompt(kid(case_manager=worker()), []) is None
        assert (
            policy.co_allocation_prompt(
                kid(rosh=RiskLevel.HIGH, case_manager=worker(Role.SENIOR_CASE_MANAGER)), []
            )
            is None
        )


@pytest.mark.django_db
class TestServices:
    def test_reallocation_keeps_history_and_ends_previous(self, child, team_manager, colleague, case_manager):
        """Reallocating ends the previous case manager allocation and keeps both rows."""
        child.rosh = child.saw = RiskLevel.LOW
        child.gender_identity = Gender.MALE
        child.save()
        first = allocation_services.case_allocate(
            child=child,
            worker=colleague,
            role="case_manager",
            started_on=datetime.date(2024, 3, 1),
            allocated_by=team_manager,
            reason="New order",
        )
        second = allocation_services.case_allocate(
            child=child,
            worker=case_manager,
            role="case_manager",
            started_on=datetime.date(2024, 5, 1),
            allocated_by=team_manager,
            reason="Caseload balancing",
        )
        first.refresh_from_db()
        child.refresh_from_db()
        assert first.ended_on == datetime.date(2024, 5, 1) and second.ended_on is None
        assert child.case_manager == case_manager
        assert Allocation.objects.filter(child=child).count() == 2

    def test_missing_rationale_saves_nothing(self, child, team_manager, north):
        """A girl allocated to a male worker without a rationale raises and saves nothing (003 §2.2)."""
        child.gender_identity = Gender.FEMALE
        child.rosh = child.saw = RiskLevel.LOW
        child.save()
        male = UserFactory(role=Role.CASE_MANAGER, team=north, gender=Gender.MALE)
        with pytest.raises(ValidationError) as exc:
            allocation_services.case_allocate(
                child=child,
                worker=male,
                role="case_manager",
                started_on=datetime.date(2024, 3, 1),
                allocated_by=team_manager,
                reason="Reallocation",
            )
        assert "gender" in exc.value.message_dict
        assert not Allocation.objects.exists() and not Event.objects.exists()

    def test_event_details_contain_rationale(self, child, team_manager, north):
        """The ALLOCATION event lists each exception with its rationale; the checks are stored too."""
        child.gender_identity = Gender.FEMALE
        child.rosh = child.saw = RiskLevel.LOW
        child.save()
        male = UserFactory(role=Role.CASE_MANAGER, team=north, gender=Gender.MALE)
        allocation = allocation_services.case_allocate(
            child=child,
            worker=male,
            role="case_manager",
            started_on=datetime.date(2024, 3, 1),
            allocated_by=team_manager,
            reason="Reallocation",
            rationales={"gender": "She asked for this worker, who knows the family."},
        )
        event = Event.objects.get(child=child, event_type=EventType.ALLOCATION)
        assert event.source == f"allocation:{allocation.pk}"
        assert "She asked for this worker" in event.details and "003 §2.2" in event.details
        stored = {c["code"]: c for c in allocation.checks}
        assert stored["gender"]["ok"] is False and stored["gender"]["rationale"].startswith("She asked")

    def test_co_allocation_obligation_due_in_five_days(
        self, child, team_manager, north, django_capture_on_commit_callbacks
    ):
        """A co-allocation becomes `co_allocated`: the agreement is due 5 days after it (003 §5.3)."""
        scm = UserFactory(role=Role.SENIOR_CASE_MANAGER, team=north)
        started = timezone.localdate() - datetime.timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            allocation_services.case_allocate(
                child=child,
                worker=scm,
                role="co_worker",
                started_on=started,
                allocated_by=team_manager,
                reason="High RoSH practice supervision",
            )
        assert child.co_workers.filter(pk=scm.pk).exists()
        ob = Obligation.objects.get(child=child, code="co_allocation.recorded")
        assert ob.due == started + datetime.timedelta(days=5) and ob.status == "open"
        assert Obligation.objects.filter(child=child, code="co_allocation.discussion").exists()

    def test_student_with_primary_worker(self, child, team_manager, north):
        """A student case manager with a primary worker in the same submission creates both allocations (003 §6.1)."""
        child.rosh = child.saw = RiskLevel.LOW
        child.gender_identity = Gender.MALE
        child.save()
        student = UserFactory(role=Role.STUDENT, team=north)
        primary = UserFactory(role=Role.SENIOR_CASE_MANAGER, team=north)
        with pytest.raises(ValidationError):
            allocation_services.case_allocate(
                child=child,
                worker=student,
                role="case_manager",
                started_on=datetime.date(2024, 3, 1),
                allocated_by=team_manager,
                reason="Placement",
            )
        allocation_services.case_allocate(
            child=child,
            worker=student,
            role="case_manager",
            started_on=datetime.date(2024, 3, 1),
            allocated_by=team_manager,
            reason="Placement",
            primary_worker=primary,
        )
        roles = set(Allocation.objects.filter(child=child).values_list("worker_id", "role"))
        assert roles == {(student.pk, "case_manager"), (primary.pk, "co_worker")}
        assert list(child.co_workers.all()) == [primary]

    def test_end_co_allocation(self, child, team_manager, north):
        """Ending a co-allocation closes the row, removes the co-worker and records where it was agreed (003 §5.4)."""
        scm = UserFactory(role=Role.SENIOR_CASE_MANAGER, team=north)
        allocation_services.case_allocate(
            child=child,
            worker=scm,
            role="co_worker",
            started_on=datetime.date(2024, 3, 1),
            allocated_by=team_manager,
            reason="High risk",
        )
        allocation_services.co_allocation_end(
            child=child,
            worker=scm,
            ended_on=datetime.date(2024, 6, 1),
            ended_by=team_manager,
            agreed_at="in supervision",
            reason="RoSH now medium",
        )
        assert Allocation.objects.get(worker=scm).ended_on == datetime.date(2024, 6, 1)
        assert not child.co_workers.exists()
        assert Event.objects.filter(child=child, details__contains="in supervision").exists()


@pytest.mark.django_db
class TestWorkloadSelector:
    def test_counts_and_weights(self, north):
        """Cases held and co-worked are counted and weighted as documented in cases/allocation.py."""
        a = UserFactory(role=Role.CASE_MANAGER, team=north)
        b = UserFactory(role=Role.SENIOR_CASE_MANAGER, team=north, capacity=30)
        high = ChildFactory(
            team=north, case_manager=a, rosh=RiskLevel.HIGH, saw=RiskLevel.LOW, co_workers=[b]
        )
        ProgrammeFactory(child=high, kind=Programme.Kind.YRO, iss=True)
        ChildFactory(team=north, case_manager=a, rosh=RiskLevel.LOW, saw=RiskLevel.MEDIUM)
        ChildFactory(team=north, case_manager=a, rosh=RiskLevel.LOW, saw=RiskLevel.LOW, is_open=False)
        loads = allocation_selectors.workload_for_workers(workers=[a, b])
        assert loads[a.pk] == {
            "cases": 2,
            "co_allocated": 0,
            "weighted": 4 + 2,
            "capacity": 24,
            "on_leave": False,
        }
        assert (
            loads[b.pk]["co_allocated"] == 1
            and loads[b.pk]["weighted"] == 2
            and loads[b.pk]["capacity"] == 30
        )

    def test_query_count_constant(self, north):
        """The workload selector runs the same number of queries for 2 workers as for 12 with many cases."""
        few = UserFactory.create_batch(2, team=north)
        for w in few:
            ChildFactory.create_batch(2, team=north, case_manager=w)
        with CaptureQueriesContext(connection) as small:
            allocation_selectors.workload_for_workers(workers=few)
        many = UserFactory.create_batch(12, team=north)
        for w in many:
            ChildFactory.create_batch(4, team=north, case_manager=w, co_workers=[few[0]])
        with CaptureQueriesContext(connection) as large:
            allocation_selectors.workload_for_workers(workers=few + many)
        assert len(small.captured_queries) == len(large.captured_queries) == 1

    def test_one_worker_holding_co_working_and_on_leave(self, north, team_manager):
        """Cases held, co-worked and leave today come from one read (a UNION ALL, issue 19): a worker who
        holds one case, co-works another and is on leave today has all three counted, and a worker
        whose leave ended yesterday is not on leave."""
        a = UserFactory(role=Role.CASE_MANAGER, team=north)
        b = UserFactory(role=Role.CASE_MANAGER, team=north)
        ChildFactory(team=north, case_manager=a, rosh=RiskLevel.VERY_HIGH, saw=RiskLevel.LOW)
        ChildFactory(team=north, case_manager=b, rosh=RiskLevel.MEDIUM, saw=RiskLevel.LOW, co_workers=[a])
        today = datetime.date(2026, 11, 23)
        Leave.objects.create(
            worker=a, kind=Leave.Kind.PLANNED, start_date=today, end_date=today, recorded_by=team_manager
        )
        Leave.objects.create(
            worker=b,
            kind=Leave.Kind.PLANNED,
            start_date=today - datetime.timedelta(days=5),
            end_date=today - datetime.timedelta(days=1),
            recorded_by=team_manager,
        )
        loads = allocation_selectors.workload_for_workers(workers=[a, b], today=today)
        assert loads[a.pk] == {
            "cases": 1,
            "co_allocated": 1,
            "weighted": 4 + 1,
            "capacity": 24,
            "on_leave": True,
        }
        assert (loads[b.pk]["cases"], loads[b.pk]["co_allocated"], loads[b.pk]["on_leave"]) == (1, 0, False)


def step1(worker, role="case_manager", primary="", started=None, reason="Caseload balancing", action="check"):
    """The step-1 POST data."""
    started = started or timezone.localdate()
    return {
        "worker": str(worker.pk),
        "role": role,
        "primary_worker": str(primary.pk) if primary else "",
        "started_on_0": str(started.day),
        "started_on_1": str(started.month),
        "started_on_2": str(started.year),
        "reason": reason,
        "action": action,
    }


@pytest.mark.django_db
class TestViews:
    def test_outsider_gets_404(self, client, outsider, child, colleague):
        """Someone outside the child's team gets 404 on every allocation page."""
        child.co_workers.add(colleague)
        client.force_login(outsider)
        for url in (
            reverse("child_allocation", args=[child.pk]),
            reverse("child_allocate", args=[child.pk]),
            reverse("co_allocation_end", args=[child.pk, colleague.pk]),
        ):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url

    def test_case_manager_sees_but_cannot_allocate(self, client, case_manager, child, colleague):
        """A case manager sees the allocation tab but gets 404 on allocating or ending a co-allocation."""
        child.co_workers.add(colleague)
        client.force_login(case_manager)
        page = client.get(reverse("child_allocation", args=[child.pk]))
        assert page.status_code == 200 and "Allocate or reallocate" not in page.content.decode()
        assert client.get(reverse("child_allocate", args=[child.pk])).status_code == 404
        assert client.post(reverse("child_allocate", args=[child.pk]), step1(colleague)).status_code == 404
        assert client.get(reverse("co_allocation_end", args=[child.pk, colleague.pk])).status_code == 404

    def test_prompt_links_to_event_form(self, client, case_manager, child):
        """A High case held by Band A shows the 003 §5.1 prompt with links to record agreement and discussion."""
        child.rosh = RiskLevel.HIGH
        child.save()
        client.force_login(case_manager)
        content = client.get(reverse("child_allocation", args=[child.pk])).content.decode()
        assert "003 §5.1" in content
        assert f"/children/{child.pk}/events/new/?type=co_allocation_agreement" in content
        assert "?type=co_allocation_discussion" in content

    def test_check_step_shows_checks(self, client, team_manager, child, north):
        """Step 2 shows the policy checks with exception tags and a rationale box for each exception."""
        child.gender_identity = Gender.FEMALE
        child.rosh = child.saw = RiskLevel.LOW
        child.save()
        male = UserFactory(role=Role.CASE_MANAGER, team=north, gender=Gender.MALE)
        client.force_login(team_manager)
        page = client.get(reverse("child_allocate", args=[child.pk])).content.decode()
        assert str(male) in page and "weighted" in page
        content = client.post(reverse("child_allocate", args=[child.pk]), step1(male)).content.decode()
        assert "003 §2.2" in content and "Exception" in content and 'name="rationale_gender"' in content
        assert not Allocation.objects.exists()

    def test_confirm_without_rationale_saves_nothing(self, client, team_manager, child, north):
        """Confirming without the required rationale re-renders with an error summary and saves nothing."""
        child.gender_identity = Gender.FEMALE
        child.rosh = child.saw = RiskLevel.LOW
        child.save()
        male = UserFactory(role=Role.CASE_MANAGER, team=north, gender=Gender.MALE)
        client.force_login(team_manager)
        response = client.post(reverse("child_allocate", args=[child.pk]), step1(male, action="confirm"))
        content = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in content
        assert "Enter the rationale for allocating a girl to a male case manager" in content
        assert not Allocation.objects.exists()
        child.refresh_from_db()
        assert child.case_manager != male

    def test_confirm_with_rationale_allocates(self, client, team_manager, child, north):
        """With every rationale given, confirming allocates and returns to the allocation tab."""
        child.gender_identity = Gender.FEMALE
        child.rosh = child.saw = RiskLevel.LOW
        child.save()
        male = UserFactory(role=Role.CASE_MANAGER, team=north, gender=Gender.MALE)
        client.force_login(team_manager)
        data = step1(male, action="confirm") | {"rationale_gender": "Consulted her; she chose this worker."}
        response = client.post(reverse("child_allocate", args=[child.pk]), data)
        assert response.status_code == 302
        child.refresh_from_db()
        assert child.case_manager == male
        assert Allocation.objects.get(child=child).checks

    def test_student_confirm_refused(self, client, team_manager, child, north):
        """Confirming a student as case manager with no primary worker is refused with an error (003 §6.1)."""
        student = UserFactory(role=Role.STUDENT, team=north)
        client.force_login(team_manager)
        check = client.post(reverse("child_allocate", args=[child.pk]), step1(student)).content.decode()
        assert "Allocate a primary worker" in check and 'value="confirm"' not in check
        response = client.post(reverse("child_allocate", args=[child.pk]), step1(student, action="confirm"))
        assert "govuk-error-summary" in response.content.decode()
        assert not Allocation.objects.exists()

    def test_bad_input_rerenders(self, client, team_manager, child):
        """Malformed ids and dates re-render step 1 with errors, never a 500."""
        client.force_login(team_manager)
        data = {
            "worker": "abc",
            "role": "boss",
            "started_on_0": "31",
            "started_on_1": "2",
            "started_on_2": "x",
        }
        response = client.post(reverse("child_allocate", args=[child.pk]), data | {"action": "confirm"})
        assert response.status_code == 200
        content = response.content.decode()
        assert "Choose a worker from the list" in content and "govuk-error-summary" in content
        assert client.get(reverse("co_allocation_end", args=[child.pk, 999999])).status_code == 404

    def test_future_start_date_refused(self, client, team_manager, child, colleague):
        """The start date cannot be in the future."""
        client.force_login(team_manager)
        future = timezone.localdate() + datetime.timedelta(days=3)
        content = client.post(
            reverse("child_allocate", args=[child.pk]), step1(colleague, started=future)
        ).content.decode()
        assert "Start date must be today or in the past" in content

    def test_end_co_allocation_page(self, client, team_manager, child, north):
        """The TM ends a co-allocation with where it was agreed and why."""
        scm = UserFactory(role=Role.SENIOR_CASE_MANAGER, team=north)
        child.co_workers.add(scm)
        client.force_login(team_manager)
        url = reverse("co_allocation_end", args=[child.pk, scm.pk])
        assert "govuk-error-summary" in client.post(url, {}).content.decode()
        today = timezone.localdate()
        response = client.post(
            url,
            {
                "agreed_at": "in supervision",
                "ended_on_0": today.day,
                "ended_on_1": today.month,
                "ended_on_2": today.year,
                "reason": "Risk reduced",
            },
        )
        assert response.status_code == 302 and not child.co_workers.exists()

    def test_allocation_page_query_count_constant(self, client, team_manager, child, north):
        """The allocation tab runs the same number of queries with 2 history rows as with 20."""
        client.force_login(team_manager)
        workers = UserFactory.create_batch(20, team=north)

        def add(n):
            """N co-allocations with their history rows."""
            for w in workers[:n]:
                Allocation.objects.create(
                    child=child,
                    worker=w,
                    role="co_worker",
                    started_on=datetime.date(2024, 1, 1),
                    allocated_by=team_manager,
                )
                child.co_workers.add(w)

        url = reverse("child_allocation", args=[child.pk])
        add(2)
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        Allocation.objects.all().delete()
        child.co_workers.clear()
        add(20)
        with CaptureQueriesContext(connection) as large:
            assert client.get(url).status_code == 200
        assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.django_db
class TestTruthfulMessages:
    """Issue 16: two managers allocating the same child at once. The child's row is locked before the
    current allocation is read (select_for_update in case_allocate), so on PostgreSQL the second waits
    for the first and then sees it; the sequential case below is the second manager's form loaded
    before the first allocation."""

    @pytest.fixture(autouse=True)
    def no_rationale_needed(self, child, colleague):
        """A low-risk boy and a male colleague: no policy check asks for a rationale (factories pick
        genders at random)."""
        child.gender_identity = Gender.MALE
        child.rosh = child.saw = RiskLevel.LOW
        child.save()
        colleague.gender = Gender.MALE
        colleague.save()

    def _open_page(self, client, child) -> str:
        """The case manager the allocation page shows, as its hidden field carries it."""
        page = client.get(reverse("child_allocate", args=[child.pk])).content.decode()
        return re.search(r'name="seen_case_manager" value="(\d*)"', page).group(1)

    def test_replacing_an_allocation_made_since_the_page_opened_says_so(
        self, client, team_manager, service_manager, case_manager, colleague, child, north
    ):
        """The second manager's allocation replaces the first's; one open allocation; the message and the
        timeline say "Reallocated from" the first manager's choice, and who made it."""
        newcomer = UserFactory(
            role=Role.CASE_MANAGER, team=north, first_name="Nadia", last_name="Newcomer", gender=Gender.MALE
        )
        client.force_login(service_manager)
        seen = self._open_page(client, child)
        assert seen == str(case_manager.pk)
        allocation_services.case_allocate(  # the team manager, meanwhile
            child=child, worker=colleague, role="case_manager", started_on=timezone.localdate(),
            allocated_by=team_manager, reason="Caseload balancing",
        )  # fmt: skip
        data = step1(newcomer, action="confirm") | {"seen_case_manager": seen}
        response = client.post(reverse("child_allocate", args=[child.pk]), data)
        assert response.status_code == 302, response.content.decode()
        [message] = [str(m) for m in response.wsgi_request._messages]
        assert message.startswith(f"Reallocated from {colleague} to {newcomer} as case manager.")
        assert f"{team_manager} had allocated {colleague} after you opened this page" in message
        assert list(
            Allocation.objects.filter(child=child, role="case_manager", ended_on__isnull=True).values_list(
                "worker", flat=True
            )
        ) == [newcomer.pk]
        summaries = list(
            Event.objects.filter(child=child, event_type=EventType.ALLOCATION).values_list(
                "summary", flat=True
            )
        )
        assert f"Reallocated from {colleague} to {newcomer} as case manager" in summaries

    def test_the_same_worker_allocated_meanwhile_is_nothing_to_save(
        self, client, team_manager, service_manager, colleague, child
    ):
        """Both managers chose the same worker: the second is told it was already done, and nothing is saved."""
        client.force_login(service_manager)
        seen = self._open_page(client, child)
        allocation_services.case_allocate(
            child=child, worker=colleague, role="case_manager", started_on=timezone.localdate(),
            allocated_by=team_manager, reason="Caseload balancing",
        )  # fmt: skip
        count = Allocation.objects.count()
        data = step1(colleague, action="confirm") | {"seen_case_manager": seen}
        html = client.post(reverse("child_allocate", args=[child.pk]), data).content.decode()
        assert "is already the case manager: someone allocated them after you opened this page" in html
        assert Allocation.objects.count() == count

    def test_an_ordinary_reallocation_says_whom_it_replaced(
        self, client, team_manager, case_manager, child, north
    ):
        """No one else in between: a plain success naming the case manager replaced."""
        newcomer = UserFactory(
            role=Role.CASE_MANAGER, team=north, first_name="Nadia", last_name="Newcomer", gender=Gender.MALE
        )
        client.force_login(team_manager)
        seen = self._open_page(client, child)
        data = step1(newcomer, action="confirm") | {"seen_case_manager": seen}
        response = client.post(reverse("child_allocate", args=[child.pk]), data)
        assert response.status_code == 302, response.content.decode()
        assert [str(m) for m in response.wsgi_request._messages] == [
            f"Reallocated from {case_manager} to {newcomer} as case manager"
        ]
