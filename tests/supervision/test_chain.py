"""supervision/chain.py: who the organisation model says supervises each role (000 §2, 001 §2), and the chain
report's breaks (002 "unbroken chain of formal supervision")."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Obligation, Role, Team
from demo.factories import TeamFactory, UserFactory
from supervision import chain
from supervision.chain import Organisation, chain_report, expected_supervisor, expected_supervisors

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    """A small service: service management, a locality team (North) and the Interventions team, each member
    recorded with the line manager the policies name."""
    service = TeamFactory(name="Service management", kind=Team.Kind.SERVICE)
    north = TeamFactory(name="North locality team", kind=Team.Kind.LOCALITY)
    south = TeamFactory(name="South locality team", kind=Team.Kind.LOCALITY)
    ints = TeamFactory(name="Interventions team", kind=Team.Kind.INTERVENTIONS)
    people = {}

    def make(username, role, team, manager=None, **extra):
        """One member of staff, recorded under `manager`."""
        people[username] = UserFactory(
            username=username, role=role, team=team, line_manager=people.get(manager), **extra
        )
        return people[username]

    make("sm", Role.SERVICE_MANAGER, service)
    make("admin", Role.ADMINISTRATOR, service)
    make("devmgr", Role.DEVELOPMENT_MANAGER, service, "sm")
    make("tm.north", Role.TEAM_MANAGER, north, "sm")
    make("tm.south", Role.TEAM_MANAGER, south, "sm")
    make("tm.int", Role.TEAM_MANAGER, ints, "sm")
    for username, role in [
        ("ap", Role.ADVANCED_PRACTITIONER),
        ("scm", Role.SENIOR_CASE_MANAGER),
        ("cm", Role.CASE_MANAGER),
        ("yjso", Role.YJS_OFFICER),
        ("student", Role.STUDENT),
        ("bs", Role.BUSINESS_SUPPORT),
        ("police", Role.SECONDED_POLICE),  # 000 §2.4: North TM
    ]:
        make(username, role, north, "tm.north")
    make("spo", Role.SECONDED_PROBATION, south, "tm.south")  # 000 §2.2: South TM
    make("vc", Role.VOLUNTEER_COORDINATOR, south, "tm.south")  # 000 §2.3 (West in the demo): their TM
    for username, role in [
        ("iw", Role.INTERVENTION_WORKER),
        ("ete", Role.ETE_COORDINATOR),
        ("mcoord", Role.MENTORING_COORDINATOR),
        ("yw", Role.YOUTH_WORKER),
        ("fcoord", Role.FUTURES_ETE_COORDINATOR),
    ]:
        make(username, role, ints, "tm.int")  # 000 §2.5
    make("fadvisor", Role.FUTURES_ETE_ADVISOR, ints, "fcoord")  # 000 §2.6
    make("mentor", Role.MENTOR, ints, "mcoord")  # 000 §2.7
    return people


def _org(people):
    """The organisation model over everyone in the database."""
    return Organisation(list(chain.User.objects.all()))


EXPECTED = [
    ("devmgr", "sm"),  # 001 §2
    ("tm.north", "sm"),
    ("tm.int", "sm"),
    ("ap", "tm.north"),  # 000 §2.1
    ("scm", "tm.north"),
    ("cm", "tm.north"),
    ("yjso", "tm.north"),
    ("student", "tm.north"),
    ("bs", "tm.north"),
    ("police", "tm.north"),  # 000 §2.4
    ("spo", "tm.south"),  # 000 §2.2
    ("vc", "tm.south"),  # 000 §2.3: the TM of the team they sit in
    ("iw", "tm.int"),  # 000 §2.5
    ("ete", "tm.int"),
    ("mcoord", "tm.int"),
    ("yw", "tm.int"),
    ("fcoord", "tm.int"),
    ("fadvisor", "fcoord"),  # 000 §2.6
    ("mentor", "mcoord"),  # 000 §2.7
]


@pytest.mark.parametrize(("username", "supervisor"), EXPECTED)
def test_expected_supervisor_for_each_role(org, username, supervisor):
    """Each role's supervisor is the one 000 §2 and 001 §2 name."""
    assert expected_supervisor(org[username], _org(org)) == org[supervisor]


def test_the_top_and_administrators_have_no_supervisor(org):
    """The service manager is the top of the chain here; administrators are not in it."""
    organisation = _org(org)
    assert expected_supervisor(org["sm"], organisation) is None
    assert expected_supervisor(org["admin"], organisation) is None
    assert not chain.needs_supervisor(org["sm"]) and not chain.needs_supervisor(org["admin"])


def test_a_coordinator_in_another_team_is_accepted_when_none_in_the_team(org):
    """A seconded advisor whose coordinator sits elsewhere is still expected to report to that coordinator."""
    org["fadvisor"].team = org["cm"].team
    org["fadvisor"].save()
    assert expected_supervisor(org["fadvisor"], _org(org)) == org["fcoord"]


def test_two_team_managers_either_is_accepted(org):
    """A team with two TMs: the recorded one is accepted; otherwise the first is expected."""
    second = UserFactory(
        username="tm.north.2", role=Role.TEAM_MANAGER, team=org["cm"].team, line_manager=org["sm"]
    )
    org["cm"].line_manager = second
    org["cm"].save()
    organisation = _org(org)
    assert set(expected_supervisors(org["cm"], organisation)) == {org["tm.north"], second}
    assert expected_supervisor(org["cm"], organisation) == second


def _rows(**kwargs):
    """The chain report's rows by username."""
    return {row.worker.username: row for group in chain_report(**kwargs) for row in group.rows}


def _codes(row):
    """A row's break codes."""
    return {b.code for b in row.breaks}


def test_a_correct_chain_has_no_breaks(org):
    """Everyone recorded as the policies say, with supervision up to date: no breaks, and everyone reaches
    the service manager (administrators are not listed)."""
    rows = _rows()
    assert "admin" not in rows
    assert all(not row.breaks for row in rows.values()), {u: r.breaks for u, r in rows.items() if r.breaks}
    assert [u.username for u in rows["mentor"].chain] == ["mcoord", "tm.int", "sm"]
    assert all(row.reaches_top for row in rows.values())


def test_no_supervisor_recorded(org):
    """A case manager with no line manager: 'No supervisor recorded'."""
    org["cm"].line_manager = None
    org["cm"].save()
    row = _rows()["cm"]
    assert chain.NO_SUPERVISOR in _codes(row)
    assert not row.reaches_top
    assert all(b.structural for b in row.breaks)


def test_recorded_supervisor_differs_from_the_policies(org):
    """A mentor recorded under the Interventions TM rather than the mentoring coordinator (000 §2.7)."""
    org["mentor"].line_manager = org["tm.int"]
    org["mentor"].save()
    row = _rows()["mentor"]
    assert _codes(row) == {chain.DIFFERS}
    assert f"{org['mcoord'].get_full_name()} (Mentoring coordinator)" in row.breaks[0].text


def test_no_one_in_post_to_supervise(org):
    """A team with no team manager: the policies' supervisor is missing."""
    team = TeamFactory(name="West locality team", kind=Team.Kind.LOCALITY)
    lonely = UserFactory(username="cm.west", role=Role.CASE_MANAGER, team=team, line_manager=org["tm.north"])
    row = _rows()["cm.west"]
    assert chain.NO_EXPECTED in _codes(row)
    assert lonely.line_manager == org["tm.north"]


def test_inactive_supervisor(org):
    """The recorded TM has left: the chain is broken for everyone below them, and it is not also a mismatch."""
    org["tm.north"].is_active = False
    org["tm.north"].save()
    rows = _rows()
    assert "tm.north" not in rows  # only active staff are listed
    assert chain.INACTIVE in _codes(rows["cm"])
    assert chain.DIFFERS not in _codes(rows["cm"])
    assert chain.NO_EXPECTED in _codes(rows["cm"])  # no active TM left in North


def test_absent_supervisor_needs_cover(org):
    """The TM is off sick: their supervisees' supervision needs cover (not a structural break)."""
    org["tm.north"].is_absent = True
    org["tm.north"].save()
    rows = _rows()
    assert _codes(rows["cm"]) == {chain.ABSENT}
    assert "cover needed" in rows["cm"].breaks[0].text
    assert not rows["cm"].breaks[0].structural
    assert not rows["iw"].breaks  # another team's chain is unaffected


def test_a_loop(org):
    """The TM recorded as supervised by their own case manager: a loop, reported without hanging."""
    org["tm.north"].line_manager = org["cm"]
    org["tm.north"].save()
    rows = _rows()
    assert chain.LOOP in _codes(rows["cm"])
    assert chain.LOOP in _codes(rows["tm.north"])
    assert chain.DIFFERS in _codes(rows["tm.north"])


def test_chain_does_not_reach_the_service_manager(org):
    """The TM has no supervisor recorded: their team's chains stop at the TM."""
    org["tm.north"].line_manager = None
    org["tm.north"].save()
    rows = _rows()
    assert chain.NO_TOP in _codes(rows["cm"])
    assert chain.NO_SUPERVISOR in _codes(rows["tm.north"])
    assert not rows["cm"].reaches_top


def _overdue(worker, due, code="supervision.staff", status=Obligation.Status.OVERDUE):
    """A stored worker obligation (overdue supervision unless told otherwise)."""
    return Obligation.objects.create(
        worker=worker,
        code=code,
        title="Formal 1:1 supervision of the worker",
        due=due,
        status=status,
        basis="000 §4.1",
        position=1,
        as_of=datetime.date(2026, 3, 2),
    )


def test_overdue_supervision_at_each_link(org):
    """The worker's own supervision overdue, and the TM's above them, are both flagged on the worker's row;
    open supervision, other codes and a child's obligations are not."""
    _overdue(org["cm"], datetime.date(2026, 2, 1))
    _overdue(org["tm.north"], datetime.date(2026, 2, 20), code="supervision.agreed")
    _overdue(org["scm"], datetime.date(2026, 2, 1), status=Obligation.Status.OPEN)
    _overdue(org["yjso"], datetime.date(2026, 2, 1), code="leave.review_cases")
    rows = _rows()
    texts = [b.text for b in rows["cm"].breaks]
    assert [b.code for b in rows["cm"].breaks] == [chain.OVERDUE, chain.OVERDUE]
    assert texts[0] == "Their supervision is overdue (due 1 Feb 2026)"
    assert org["tm.north"].get_full_name() in texts[1]
    assert rows["cm"].overdue_since == datetime.date(2026, 2, 1)
    assert _codes(rows["scm"]) == {chain.OVERDUE}  # only the TM's, above them
    assert _codes(rows["yjso"]) == {chain.OVERDUE}
    assert not rows["iw"].breaks


def test_team_filter_keeps_the_full_chain(org):
    """A team manager's view: only their team's members, each chain still walked to the top."""
    groups = chain_report(team_id=org["cm"].team_id)
    assert [g.team.name for g in groups] == ["North locality team"]
    row = next(r for r in groups[0].rows if r.worker.username == "cm")
    assert [u.username for u in row.chain] == ["tm.north", "sm"]


def test_service_management_is_listed_first(org):
    """The report runs from the top of the chain down: service management, then the teams by name."""
    names = [g.team.name for g in chain_report()]
    assert names[0] == "Service management"
    assert names[1:] == sorted(names[1:])


def _count_queries(fn):
    """How many queries `fn` runs."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_chain_report_runs_in_a_constant_number_of_queries(org):
    """Loading all staff and the overdue obligations once: more staff, same queries."""
    team = org["cm"].team

    def report():
        """Read everything the page shows."""
        for group in chain_report():
            for row in group.rows:
                [b.text for b in row.breaks]
                [(p.get_full_name(), p.get_role_display()) for p in row.chain]
                str(group.team)

    for i in range(2):
        _overdue(
            UserFactory(username=f"extra{i}", team=team, line_manager=org["tm.north"]),
            datetime.date(2026, 1, 1),
        )
    few = _count_queries(report)
    for i in range(2, 8):
        _overdue(
            UserFactory(username=f"extra{i}", team=team, line_manager=org["tm.north"]),
            datetime.date(2026, 1, 1),
        )
    assert _count_queries(report) == few == 2
