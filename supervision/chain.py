"""Who the organisation model says supervises whom, and the chain report (000 §2, 001 §2, 002).

000 §2 and 001 §2 name each role's supervisor:

- the service manager is the top of the chain in this product (the Head of Service is outside it);
- team managers and the YJS development manager are supervised by the service manager (001 §2);
- seconded Futures ETE advisors by the seconded Futures ETE coordinator (000 §2.6, 001 §2);
- part-time mentors by the mentoring coordinator (000 §2.7, 001 §2);
- everyone else in a team by that team's team manager: APs, SCMs, CMs and YJSOs (000 §2.1), the seconded
  probation officer in South (§2.2), the volunteer coordinator in West (§2.3), the seconded police
  officer, PCSO and PLAS in North (§2.4), and in the Interventions team the intervention workers, the
  ETE coordinator, the mentoring coordinator, the part-time youth workers (§2.5) and the seconded Futures
  ETE coordinator. Students and business support are supervised in their team too. Seconded roles sit in
  the team whose team manager supervises them;
- administrators run the system and are not in the chain.

The chain itself is the recorded line manager, walked upwards (supervision/access.py). 002 asks for "an
unbroken chain of formal supervision": `chain_report` shows each member of staff's chain and its breaks.
It loads all staff and the overdue supervision obligations once and walks the chain in Python, so it runs
in a fixed number of queries however many staff there are.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from cases.models import Obligation, Role, Team, User

from .access import MAX_CHAIN

# Not in the chain: administrators run the system (they hold no cases and supervise no one).
OUTSIDE_CHAIN = frozenset({Role.ADMINISTRATOR})
# 001 §2: "The YJS Service Manager has supervisory responsibility for the three locality Team Managers,
# the Interventions Team Manager and the YJS Development Manager."
SUPERVISED_BY_SERVICE_MANAGER = frozenset({Role.TEAM_MANAGER, Role.DEVELOPMENT_MANAGER})
# 000 §2.6, §2.7 (001 §2): coordinators supervise the seconded advisors and the part-time mentors.
SUPERVISED_BY_COORDINATOR: dict[str, str] = {
    Role.FUTURES_ETE_ADVISOR: Role.FUTURES_ETE_COORDINATOR,
    Role.MENTOR: Role.MENTORING_COORDINATOR,
}
# The worker obligations that are formal supervision (cases/rules/policies/*.toml, 000 §4.1, 002).
SUPERVISION_CODES = ("supervision.staff", "supervision.agreed")
# How the report orders people within a team: the chain from the top down, then by name.
ROLE_ORDER: dict[str, int] = {
    role: i
    for i, role in enumerate(
        [
            Role.SERVICE_MANAGER,
            Role.DEVELOPMENT_MANAGER,
            Role.TEAM_MANAGER,
            Role.ADVANCED_PRACTITIONER,
            Role.SENIOR_CASE_MANAGER,
            Role.CASE_MANAGER,
            Role.YJS_OFFICER,
            Role.INTERVENTION_WORKER,
            Role.SECONDED_PROBATION,
            Role.SECONDED_POLICE,
            Role.VOLUNTEER_COORDINATOR,
            Role.ETE_COORDINATOR,
            Role.MENTORING_COORDINATOR,
            Role.MENTOR,
            Role.YOUTH_WORKER,
            Role.FUTURES_ETE_COORDINATOR,
            Role.FUTURES_ETE_ADVISOR,
            Role.STUDENT,
            Role.BUSINESS_SUPPORT,
        ]
    )
}

# Break codes. Structural breaks mean the recorded chain itself is wrong; the others need action in it.
NO_SUPERVISOR = "no_supervisor"
NO_EXPECTED = "no_expected"
DIFFERS = "differs"
INACTIVE = "inactive"
ABSENT = "absent"
LOOP = "loop"
NO_TOP = "no_top"
OVERDUE = "overdue"
STRUCTURAL = frozenset({NO_SUPERVISOR, NO_EXPECTED, DIFFERS, INACTIVE, LOOP, NO_TOP})


def _name(user: User) -> str:
    """A person as named in the report."""
    return user.get_full_name() or user.username


class Organisation:
    """Active staff indexed by role and team: what `expected_supervisor` looks people up in."""

    def __init__(self, staff):
        """Index the given staff (inactive people are ignored: they supervise no one)."""
        self.by_role_team: dict[tuple[str, int | None], list[User]] = defaultdict(list)
        self.by_role: dict[str, list[User]] = defaultdict(list)
        for user in sorted(staff, key=lambda u: (u.last_name, u.first_name, u.pk)):
            if not user.is_active:
                continue
            self.by_role_team[(user.role, user.team_id)].append(user)
            self.by_role[user.role].append(user)

    def in_team(self, role: str, team_id: int | None) -> list[User]:
        """Active staff with this role in this team."""
        return self.by_role_team.get((role, team_id), [])

    def anywhere(self, role: str) -> list[User]:
        """Active staff with this role in any team."""
        return self.by_role.get(role, [])


def expected_supervisors(user: User, org: Organisation) -> list[User]:
    """Everyone the policies would accept as this user's supervisor (000 §2, 001 §2); empty at the top,
    outside the chain, or when the organisation has no one in the supervising role."""
    role = user.role
    if role in OUTSIDE_CHAIN or role == Role.SERVICE_MANAGER:
        return []
    if role in SUPERVISED_BY_SERVICE_MANAGER:
        return org.anywhere(Role.SERVICE_MANAGER)
    if role in SUPERVISED_BY_COORDINATOR:
        coordinator = SUPERVISED_BY_COORDINATOR[role]
        # The coordinator of the worker's own team first; seconded coordinators may sit elsewhere.
        return [u for u in org.in_team(coordinator, user.team_id) if u.pk != user.pk] or [
            u for u in org.anywhere(coordinator) if u.pk != user.pk
        ]
    if user.team_id is None:
        return []
    return [u for u in org.in_team(Role.TEAM_MANAGER, user.team_id) if u.pk != user.pk]


def expected_supervisor(user: User, org: Organisation) -> User | None:
    """Who the organisation model says supervises this user: the recorded line manager when the policies
    accept them (a team with two TMs), otherwise the first candidate; None when there is none."""
    candidates = expected_supervisors(user, org)
    for candidate in candidates:
        if candidate.pk == user.line_manager_id:
            return candidate
    return candidates[0] if candidates else None


def needs_supervisor(user: User) -> bool:
    """Whether the role is supervised by someone in the chain (everyone but the top and administrators)."""
    return user.role not in OUTSIDE_CHAIN and user.role != Role.SERVICE_MANAGER


def _expected_text(user: User) -> str:
    """Who should supervise this role, for a break's message."""
    if user.role in SUPERVISED_BY_SERVICE_MANAGER:
        return "the service manager"
    if user.role in SUPERVISED_BY_COORDINATOR:
        return f"a {Role(SUPERVISED_BY_COORDINATOR[user.role]).label.lower()}"
    if user.team_id is None:
        return "a team manager (they are not in a team)"
    return "a team manager in their team"


@dataclass
class Break:
    """One break in a chain: what is wrong, at whose link, and whether the chain itself is wrong."""

    code: str
    text: str
    person: User

    @property
    def structural(self) -> bool:
        """Whether the recorded chain itself is wrong (not only action needed in it)."""
        return self.code in STRUCTURAL


@dataclass
class ChainRow:
    """One member of staff: their chain up (line manager, theirs, ...) and its breaks."""

    worker: User
    chain: list[User]
    expected: User | None
    breaks: list[Break] = field(default_factory=list)
    overdue_since: datetime.date | None = None

    @property
    def reaches_top(self) -> bool:
        """Whether the chain ends at the service manager (or the worker is the service manager)."""
        top = self.chain[-1] if self.chain else self.worker
        return top.role == Role.SERVICE_MANAGER

    @property
    def structural_breaks(self) -> list[Break]:
        """The breaks in the recorded chain itself."""
        return [b for b in self.breaks if b.structural]


@dataclass
class TeamChains:
    """The chain report's rows for one team."""

    team: Team | None
    rows: list[ChainRow]

    @property
    def break_count(self) -> int:
        """How many of the team's members have something to act on."""
        return sum(1 for row in self.rows if row.breaks)


def overdue_supervision_by_worker() -> dict[int, datetime.date]:
    """Each worker whose formal supervision is overdue, with the earliest overdue due date (one query)."""
    overdue: dict[int, datetime.date] = {}
    for worker_id, due in Obligation.objects.filter(
        child__isnull=True,
        worker__isnull=False,
        code__in=SUPERVISION_CODES,
        status=Obligation.Status.OVERDUE,
    ).values_list("worker_id", "due"):
        if due is not None and (worker_id not in overdue or due < overdue[worker_id]):
            overdue[worker_id] = due
    return overdue


def _walk(user: User, by_pk: dict[int, User]) -> tuple[list[User], bool]:
    """The chain above the user from the loaded staff, as access.chain_above walks it; and whether it
    loops back on itself."""
    chain: list[User] = []
    seen, current = {user.pk}, user
    while current.line_manager_id and len(chain) < MAX_CHAIN:
        if current.line_manager_id in seen:
            return chain, True
        above = by_pk.get(current.line_manager_id)
        if above is None:  # not loaded: cannot happen when every user is loaded
            break
        current = above
        seen.add(current.pk)
        chain.append(current)
    return chain, len(chain) >= MAX_CHAIN


def chain_row(
    user: User, *, by_pk: dict[int, User], org: Organisation, overdue: dict[int, datetime.date]
) -> ChainRow:
    """One member of staff's chain and every break in it (002 "unbroken chain of formal supervision")."""
    chain, loops = _walk(user, by_pk)
    row = ChainRow(worker=user, chain=chain, expected=expected_supervisor(user, org))
    row.overdue_since = overdue.get(user.pk)
    breaks = row.breaks
    # The worker's own link: recorded, as the policies say, and in post.
    if needs_supervisor(user):
        if not user.line_manager_id:
            breaks.append(Break(NO_SUPERVISOR, "No supervisor recorded", user))
        candidates = expected_supervisors(user, org)
        if not candidates:
            breaks.append(
                Break(
                    NO_EXPECTED,
                    f"No one in post to supervise them: the policies name {_expected_text(user)}",
                    user,
                )
            )
        elif user.line_manager_id and user.line_manager_id not in {c.pk for c in candidates}:
            recorded = by_pk.get(user.line_manager_id)
            # An inactive one is its own break below. The expected supervisor is always known here (there
            # are candidates: expected_supervisor picks one of them).
            if recorded is not None and recorded.is_active and row.expected is not None:
                breaks.append(
                    Break(
                        DIFFERS,
                        f"Recorded supervisor {_name(recorded)} is not who the policies name: "
                        f"{_name(row.expected)} ({row.expected.get_role_display()})",
                        user,
                    )
                )
    # Each link above: someone no longer in post breaks the chain for everyone below them; the
    # supervisor being away means the worker's supervision needs cover (003 §7, 002 Frequency).
    for person in chain:
        if not person.is_active:
            breaks.append(Break(INACTIVE, f"{_name(person)} is no longer active", person))
    if chain and chain[0].is_active and chain[0].is_absent:
        breaks.append(Break(ABSENT, f"Supervisor {_name(chain[0])} is absent: cover needed", chain[0]))
    if loops:
        breaks.append(Break(LOOP, "The chain loops back on itself", user))
    elif chain and chain[-1].role != Role.SERVICE_MANAGER:
        top = chain[-1]
        breaks.append(
            Break(NO_TOP, f"The chain stops at {_name(top)} and does not reach the service manager", top)
        )
    # Formal supervision overdue at any link (000 §4.1, 001 §2, 002 Frequency).
    for person in [user, *chain]:
        if person.pk in overdue:
            whose = "Their" if person.pk == user.pk else f"{_name(person)}'s"
            breaks.append(
                Break(OVERDUE, f"{whose} supervision is overdue (due {overdue[person.pk]:%-d %b %Y})", person)
            )
    return row


def staff_for_chains():
    """Every member of staff, with their team: the chain report's single staff query."""
    return list(User.objects.select_related("team").order_by("last_name", "first_name", "pk"))


def chain_report(*, team_id: int | None = None, staff=None, overdue=None) -> list[TeamChains]:
    """The chain of every active member of staff (not administrators) up to the service manager, and its
    breaks, grouped by team (002; 000 §2; 001 §2). `team_id` limits the rows to one team's members (the
    chain above them is still walked in full). Two queries: all staff, and the overdue supervisions."""
    staff = staff_for_chains() if staff is None else staff
    overdue = overdue_supervision_by_worker() if overdue is None else overdue
    by_pk = {u.pk: u for u in staff}
    org = Organisation(staff)
    groups: dict[int | None, list[ChainRow]] = defaultdict(list)
    teams: dict[int | None, Team | None] = {}
    for user in staff:
        if not user.is_active or user.role in OUTSIDE_CHAIN:
            continue
        if team_id is not None and user.team_id != team_id:
            continue
        groups[user.team_id].append(chain_row(user, by_pk=by_pk, org=org, overdue=overdue))
        teams[user.team_id] = user.team
    result = []
    for key, rows in groups.items():
        rows.sort(key=lambda r: (ROLE_ORDER.get(r.worker.role, 99), r.worker.last_name, r.worker.first_name))
        result.append(TeamChains(team=teams[key], rows=rows))
    # Service management first (the top of the chain), then the teams by name; no team last.
    result.sort(
        key=lambda g: (
            g.team is None,
            g.team is not None and g.team.kind != Team.Kind.SERVICE,
            g.team.name if g.team else "",
        )
    )
    return result
