"""The demo seed builds a realistic fictional service of a given size with years of history, and can
be run again."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from cases.allocation import capacity_for, case_weight
from cases.models import (
    Allocation,
    Assessment,
    Child,
    Contact,
    FactSnapshot,
    Gender,
    Leave,
    LeaveCover,
    Obligation,
    Plan,
    Programme,
    Role,
    Team,
    User,
)
from cases.selectors.assessments import sign_off_waiting
from core.audit import audit_record
from core.models import AuditEntry
from demo.factories import ChildFactory
from demo.management.commands import seed_demo
from demo.models import DemoSeed
from meetings.models import Meeting, MeetingKind
from supervision.models import CaseDiscussion
from transfers.models import TransferIn


@pytest.mark.django_db
def test_seed_demo_is_rerunnable(settings):
    """Two runs give the same staff and the requested children, with obligations computed."""
    settings.DEBUG = True
    call_command("seed_demo", "--children", "30", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    call_command("seed_demo", "--children", "30", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    # The requested children, plus cm.north.1's three fresh cases (a YRO, an OOCD and a custody case)
    # and the seven cases for tm.north's meetings (demo/seed/meeting_journeys.py), and the girl waiting
    # for allocation in South (demo/seed/journeys.py, README's team manager walk).
    # Plus the three Crown Court tracking children (demo/seed/courts.py) and the children taken in from
    # other areas (demo/seed/transfers_external.py: one per Transfer In Summary).
    assert (
        Child.objects.exclude(case_number__startswith="TI").exclude(case_number__startswith="YJ93").count()
        == 41
    )
    assert Child.objects.filter(case_number__startswith="YJ93").count() == 3
    assert Child.objects.filter(case_number__startswith="TI").count() == TransferIn.objects.count() == 5
    fresh = Programme.objects.filter(child__case_number__in=["YJ900001", "YJ900002", "YJ900003"])
    assert set(fresh.values_list("kind", flat=True)) == {
        Programme.Kind.YRO,
        Programme.Kind.OOCD_INTERVENTION,
        Programme.Kind.DTO_CUSTODY,
    }
    assert Team.objects.filter(kind=Team.Kind.LOCALITY).count() == 3
    # The first run's records went in bulk, their history with them: no deletion history piles up.
    assert not Child.history.filter(history_type="-").exists()
    assert Child.history.filter(history_type="+").count() == Child.objects.count()
    assert User.objects.filter(role=Role.SERVICE_MANAGER).count() == 1
    assert set(User.objects.values_list("role", flat=True)) >= {r.value for r in Role}
    assert Obligation.objects.exists()
    # The case work the issue asks the demo to exercise (assessments, sign-off, plans, contacts, leave).
    assert Assessment.objects.filter(status=Assessment.Status.COMPLETED).exists()
    assert Plan.objects.filter(is_review=False).exists()
    assert Contact.objects.filter(outcome=Contact.Outcome.KEPT).exists()
    assert Allocation.objects.count() >= Child.objects.exclude(case_manager=None).count()
    assert Leave.objects.filter(kind=Leave.Kind.UNPLANNED).exists()
    assert Obligation.objects.filter(worker__isnull=False, code="leave.review_cases").exists()
    assert (
        LeaveCover.objects.exists() or not Child.objects.filter(case_manager__username="cm.north.2").exists()
    )
    # An unbroken line-management chain: every locality worker reports, eventually, to the service manager.
    sm = User.objects.get(role=Role.SERVICE_MANAGER)
    for user in User.objects.exclude(role__in=[Role.SERVICE_MANAGER, Role.ADMINISTRATOR]):
        node, steps = user, 0
        while node.line_manager_id and steps < 5:
            node, steps = node.line_manager, steps + 1
        assert node == sm, user.username


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    """It replaces every child record, so it will not run with DEBUG off."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_fills_the_sign_off_queue(settings):
    """At the default size some reviews are waiting for a manager's sign-off (001 App. 1)."""
    settings.DEBUG = True
    call_command("seed_demo", "--children", "120", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    waiting = Assessment.objects.filter(status=Assessment.Status.AWAITING_SIGN_OFF)
    assert waiting.exists()
    assert all(
        a.assigned_to and a.assigned_to.role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER)
        for a in waiting
    )
    # The README: tm.north's Sign-off queue already holds reviews; every locality TM's and AP's has one.
    assert sign_off_waiting(user=User.objects.get(username="tm.north")).count() >= 3
    for signer in User.objects.filter(
        team__kind=Team.Kind.LOCALITY, role__in=[Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER]
    ):
        assert sign_off_waiting(user=signer).exists(), signer.username


@pytest.mark.django_db
def test_seed_demo_walk_through(settings):
    """What the README's walk-through starts from, even in a small demo: tm.north's Sign-off queue holds a
    review waiting, and YJ900003 started a 12-month DTO two days ago, six months in custody and then
    licence."""
    settings.DEBUG = True
    _seed(30)
    assert sign_off_waiting(user=User.objects.get(username="tm.north")).exists()
    dto = Programme.objects.get(child__case_number="YJ900003")
    assert dto.kind == Programme.Kind.DTO_CUSTODY
    assert (dto.length_months, dto.custody_months) == (12, 6)
    assert dto.start_date == datetime.date(2026, 11, 21)  # two days before TODAY
    assert dto.release_date == datetime.date(2027, 5, 21)  # six months on (a Friday)
    assert not Programme.objects.filter(child__case_number="YJ900003").exclude(pk=dto.pk).exists()


@pytest.mark.django_db
def test_seed_demo_meetings(settings):
    """The demo has a CMM history, the CMM types due for tm.north's fresh cases, a booked and a held meeting."""
    settings.DEBUG = True
    call_command("seed_demo", "--children", "60", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    assert Meeting.objects.filter(status=Meeting.Status.FINALISED, kind=MeetingKind.RISK_REVIEW).exists()
    due = set(
        Obligation.objects.filter(
            child__case_number__gte="YJ900004", status__in=["open", "overdue"], code__startswith="cmm."
        ).values_list("code", flat=True)
    )
    # 000 §1.3: a risk review, compliance, re-offending and bail CMM, and the held meeting's follow-ups.
    assert {"cmm.risk_review", "cmm.compliance", "cmm.reoffending", "cmm.bail", "cmm.minutes"} <= due
    assert Meeting.objects.filter(status=Meeting.Status.BOOKED, kind=MeetingKind.MAPPA_LEVEL_1).count() == 1
    assert Meeting.objects.filter(status=Meeting.Status.HELD, kind=MeetingKind.RELEASE).count() == 1


TODAY = datetime.date(2026, 11, 23)


def _seed(children: int, *extra: str) -> None:
    call_command(
        "seed_demo", "--children", str(children), "--today", TODAY.isoformat(), *extra, stdout=io.StringIO()
    )


def test_team_count_grows_with_the_service():
    """About 90 open children per locality team, at least three; every name is one word and unique."""
    assert seed_demo.team_count(50) == seed_demo.team_count(300) == 3
    assert seed_demo.team_count(1000) == 5
    assert seed_demo.team_count(5000) == 23
    names = seed_demo.locality_names(40)
    assert names[:3] == ["North", "South", "West"]
    assert len(set(names)) == 40 and all(name.isalnum() for name in names)


@pytest.mark.django_db
def test_seed_demo_has_years_of_history(settings):
    """Programmes start over the last three years; about a third to a half of the children are still
    open; the closed ones have ended programmes and the records that make their compliance figures."""
    settings.DEBUG = True
    _seed(60)
    bulk = Child.objects.filter(case_number__startswith="YJ24")
    assert bulk.count() == 60
    open_share = bulk.filter(is_open=True).count() / 60
    assert 0.3 <= open_share <= 0.55, open_share
    starts = Programme.objects.filter(child__in=bulk).values_list("start_date", flat=True)
    assert min(starts) >= TODAY - datetime.timedelta(days=3 * 366)
    assert min(starts) < TODAY - datetime.timedelta(days=2 * 365)  # the history reaches back
    for child in bulk.filter(is_open=False):
        last = child.programmes.order_by("-start_date", "-pk").first()
        assert last.end_date is not None and last.end_date <= TODAY, child.case_number
        assert last.closure_reason in Programme.ClosureReason.values
        assert not child.programmes.filter(end_date__isnull=True).exists()
    for child in bulk.filter(is_open=True):
        assert child.programmes.filter(end_date__isnull=True).exists(), child.case_number
    closed = bulk.filter(is_open=False)
    assert Contact.objects.filter(child__in=closed, outcome=Contact.Outcome.KEPT).exists()
    assert Assessment.objects.filter(child__in=closed, status=Assessment.Status.COMPLETED).exists()
    assert CaseDiscussion.objects.filter(child__in=closed).exists()
    # Nothing was recorded after a closed child's programme ended (a late pre-release review aside).
    for child in closed:
        end = child.programmes.order_by("-end_date").values_list("end_date", flat=True).first()
        assert not child.contacts.filter(date__gt=end).exists(), child.case_number
    # A DTO custody that reached release is followed by its licence.
    for custody in Programme.objects.filter(
        child__in=bulk, kind=Programme.Kind.DTO_CUSTODY, end_date__isnull=False
    ):
        assert custody.child.programmes.filter(
            kind=Programme.Kind.DTO_LICENCE, start_date=custody.end_date
        ).exists()
    # The compliance figures have a trend: obligations that fell due in each of the years were met,
    # met late or missed, for closed children as well as open ones.
    statuses = set(Obligation.objects.filter(child__in=closed).values_list("status", flat=True))
    assert {Obligation.Status.MET, Obligation.Status.MET_LATE} <= statuses
    for year in (TODAY.year - 2, TODAY.year - 1, TODAY.year):
        fell_due = Obligation.objects.filter(child__in=bulk, due__year=year)
        assert fell_due.filter(status=Obligation.Status.MET).exists(), year
        assert fell_due.filter(status=Obligation.Status.MET_LATE).exists(), year
    # Every child and worker has the facts the alerts sweep re-judges from.
    assert FactSnapshot.objects.filter(child__isnull=False).count() == Child.objects.count()
    # Each open allocated child is held by a case holder of their own team, a girl by a woman (003 §2.2).
    for child in bulk.filter(is_open=True, case_manager__isnull=False).select_related("case_manager"):
        assert child.case_manager.team_id == child.team_id
        assert child.case_manager.role in seed_demo.HOLDING_ROLES
    assert not bulk.filter(
        is_open=True, gender_identity=Gender.FEMALE, case_manager__gender=Gender.MALE
    ).exists()
    # Every team's sign-off queue has a review waiting, even in a small demo (001 App. 1).
    for team in Team.objects.filter(kind=Team.Kind.LOCALITY):
        assert Assessment.objects.filter(
            child__team=team, status=Assessment.Status.AWAITING_SIGN_OFF
        ).exists()
    # Children waiting for allocation came in within the last fortnight, not months ago.
    for child in bulk.filter(is_open=True, case_manager__isnull=True):
        assert child.programmes.get().start_date >= TODAY - datetime.timedelta(days=14)


@pytest.mark.django_db
def test_seed_demo_years_option(settings):
    """--years sets how far back the history reaches."""
    settings.DEBUG = True
    _seed(30, "--years", "1")
    starts = Programme.objects.filter(child__case_number__startswith="YJ24").values_list(
        "start_date", flat=True
    )
    assert min(starts) >= TODAY - datetime.timedelta(days=366)
    with pytest.raises(CommandError, match="--years"):
        _seed(30, "--years", "0")


@pytest.mark.django_db
def test_a_larger_service_has_more_teams_and_proportionate_caseloads(settings, monkeypatch):
    """More children give more locality teams, each fully staffed and managed by a TM reporting to the
    service manager, with the open children shared across teams and holders by capacity. (The open
    children per team is lowered so the test stays small: 120 children then make five teams.)"""
    settings.DEBUG = True
    monkeypatch.setattr(seed_demo, "OPEN_PER_TEAM", 10)
    _seed(120)
    teams = list(Team.objects.filter(kind=Team.Kind.LOCALITY).order_by("pk"))
    assert [t.name.split()[0] for t in teams] == ["North", "South", "West", "East", "Central"]
    sm = User.objects.get(username="sm")
    for team in teams:
        slug = team.name.split()[0].lower()
        tm = User.objects.get(username=f"tm.{slug}")
        assert tm.line_manager == sm and tm.team == team
        assert User.objects.get(username=f"cm.{slug}.5").line_manager == tm
        assert User.objects.filter(username=f"ap.{slug}", line_manager=tm).exists()
        assert Child.objects.filter(team=team, case_number__startswith="YJ24").count() == 24
    # Case holders share each team's open children by capacity: nobody far over, nobody idle while
    # another worker in the team is full.
    for team in teams:
        points = {}
        for child in Child.objects.filter(team=team, is_open=True, case_number__startswith="YJ24").exclude(
            case_manager=None
        ):
            points[child.case_manager_id] = points.get(child.case_manager_id, 0) + case_weight(
                child.rosh, child.saw
            )
        for user in User.objects.filter(pk__in=points):
            assert points[user.pk] <= capacity_for(user) + 4, user.username
    # A smaller service afterwards removes the teams and staff it no longer needs.
    monkeypatch.setattr(seed_demo, "OPEN_PER_TEAM", 90)
    _seed(30)
    assert Team.objects.filter(kind=Team.Kind.LOCALITY).count() == 3
    assert not User.objects.filter(username__startswith="tm.east").exists()


@pytest.mark.django_db
def test_seed_demo_refuses_a_database_it_did_not_create(settings, child, monkeypatch):
    """Issue 16: a database with a child seed_demo did not make is left alone; --force needs the typed
    confirmation naming the database, and a wrong answer changes nothing."""
    settings.DEBUG = True
    with pytest.raises(CommandError, match="refuses to replace"):
        call_command("seed_demo", "--children", "30", stdout=open("/dev/null", "w"))
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    with pytest.raises(CommandError, match="Not confirmed"):
        call_command("seed_demo", "--children", "30", "--force", stdout=open("/dev/null", "w"))
    assert Child.objects.get() == child


@pytest.mark.django_db
def test_seed_demo_keeps_audit_entries_it_did_not_write(settings, monkeypatch):
    """Re-seeding removes the demo's own audit entries, never one a person's work wrote; a child added
    after seeding makes the next run ask first."""
    settings.DEBUG = True
    call_command("seed_demo", "--children", "30", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    seed = DemoSeed.objects.get()
    someone = User.objects.get(username="cm.north.1")
    mine = audit_record(user=someone, action=AuditEntry.Action.VIEW, obj=someone, description="Viewed a page")
    assert mine.pk > seed.last_audit_id
    call_command("seed_demo", "--children", "30", "--today", "2024-06-03", stdout=open("/dev/null", "w"))
    assert AuditEntry.objects.filter(pk=mine.pk).exists()
    assert not AuditEntry.objects.filter(pk__gte=seed.first_audit_id, pk__lte=seed.last_audit_id).exists()
    ChildFactory(team=Team.objects.filter(kind=Team.Kind.LOCALITY).first())
    with pytest.raises(CommandError, match="refuses to replace"):
        call_command("seed_demo", "--children", "30", stdout=open("/dev/null", "w"))
