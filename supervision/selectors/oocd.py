"""Reads for out-of-court (OOC) and My Future oversight (001 §6.3, §6.4; 000 §3, §5).

- Who holds oversight: the latest `OversightHolder` for the child's open OOC / My Future programme,
  else the default, the locality AP (001 §6.3 "Oversight will usually be held by the locality AP").
- Who may decide it, ask for closure checks and review them.
- The open prompts for a TM discussion, the closure checks waiting for a user, and the panel on the
  child's Oversight tab.
"""

from dataclasses import dataclass

from django.db.models import Field, OuterRef, Q, QuerySet, Subquery

from cases.models import MANAGER_ROLES, Child, Programme, Role, User
from cases.selectors.core import children_for_user
from core.models import Task

from ..models import ClosureCheck, OversightHolder

# 001 §6.3 (OOC with intervention, Youth Conditional Caution) and §6.4 (My Future). An OOC with no
# intervention has no YJS oversight to hold.
OVERSIGHT_KINDS = (
    Programme.Kind.OOCD_INTERVENTION,
    Programme.Kind.OOCD_YCC,
    Programme.Kind.MY_FUTURE,
)

# What the AP checks before closure (000 §3.5, §5.3; 001 §6.3, §6.4), in the order they are shown.
CLOSURE_CHECKS = ("delivered", "plan_completed", "review_assessment", "exit_planning", "levels_reviewed")

DEFAULT_LABEL = "default (locality AP)"


def prompt_prefix(child_pk: int) -> str:
    """The Task.source prefix of a child's oversight prompts ("oversight-prompt:<child>:<n>")."""
    return f"oversight-prompt:{child_pk}:"


def _check_label(name: str) -> str:
    """A closure check's label: its field's verbose name."""
    field = ClosureCheck._meta.get_field(name)
    if not isinstance(field, Field):  # the reverse side of a relation has no verbose name
        raise TypeError(f"{name!r} is not a field of ClosureCheck")
    return str(field.verbose_name)


def closure_check_labels() -> dict[str, str]:
    """Each closure check's field name and its label (the model's verbose name)."""
    return {name: _check_label(name) for name in CLOSURE_CHECKS}


def oversight_programmes(*, child: Child) -> QuerySet[Programme]:
    """The child's open OOC and My Future programmes, latest first (001 §6.3, §6.4)."""
    return Programme.objects.filter(child=child, kind__in=OVERSIGHT_KINDS, end_date__isnull=True).order_by(
        "-start_date", "-pk"
    )


def oversight_programme(*, child: Child) -> Programme | None:
    """The child's open OOC or My Future programme (the latest if there are two), or None."""
    return oversight_programmes(child=child).first()


def holder_candidates(*, child: Child) -> QuerySet[User]:
    """Who may hold oversight: the active TMs and APs of the child's team (001 §6.3), APs first."""
    return User.objects.filter(is_active=True, role__in=list(MANAGER_ROLES), team_id=child.team_id).order_by(
        "role", "last_name", "first_name", "pk"
    )


def team_member(*, child: Child, role: str) -> User | None:
    """The first active member of the child's team with this role (the locality AP, TM or business support)."""
    return (
        User.objects.filter(is_active=True, role=role, team_id=child.team_id)
        .order_by("last_name", "first_name", "pk")
        .first()
    )


@dataclass
class HolderInfo:
    """Who holds oversight of a programme, and whether it was decided or is the default."""

    programme: Programme
    holder: User | None
    record: OversightHolder | None

    @property
    def is_default(self) -> bool:
        """No decision recorded: the locality AP holds it (001 §6.3)."""
        return self.record is None

    @property
    def since(self):
        """The date a recorded decision took effect; None for the default."""
        return self.record.from_date if self.record else None

    @property
    def decision(self):
        """The oversight decision on the child's file behind it, if any."""
        return self.record.decision if self.record else None

    @property
    def label(self) -> str:
        """How the holding is described on the page."""
        return DEFAULT_LABEL if self.is_default else "decided"


def oversight_holder_current(child: Child, programme: Programme | None = None) -> HolderInfo | None:
    """Who holds oversight of the child's open OOC / My Future programme; None if there is none open.

    The latest recorded OversightHolder for the programme, else the locality AP of the child's team
    (001 §6.3; §6.4 says My Future is "decided on a case by case basis", so a decision overrides it).
    """
    programme = programme or oversight_programme(child=child)
    if programme is None:
        return None
    record = (
        OversightHolder.objects.filter(programme=programme)
        .select_related("holder", "decision")
        .order_by("-from_date", "-pk")
        .first()
    )
    if record is not None:
        return HolderInfo(programme=programme, holder=record.holder, record=record)
    return HolderInfo(
        programme=programme,
        holder=team_member(child=child, role=Role.ADVANCED_PRACTITIONER),
        record=None,
    )


def is_team_manager(*, user, child: Child) -> bool:
    """A TM or AP of the child's team, or the service manager."""
    if not user.is_active:
        return False
    if user.role == Role.SERVICE_MANAGER:
        return True
    return user.role in MANAGER_ROLES and user.team_id is not None and user.team_id == child.team_id


def can_decide_holder(*, user, child: Child) -> bool:
    """Who decides who holds oversight: a TM or AP of the child's team, or the service manager (000 §3.6)."""
    return is_team_manager(user=user, child=child)


def can_request_closure(*, user, child: Child) -> bool:
    """Who asks the AP for closure checks: the child's case manager (001 §6.3 "the YJS worker") or a manager."""
    return (user.is_active and child.case_manager_id == user.pk) or is_team_manager(user=user, child=child)


def can_review_closure(*, user, check: ClosureCheck, holder: HolderInfo | None = None) -> bool:
    """Who reviews closure checks: the oversight holder, a TM or AP of the child's team, or the service manager."""
    if is_team_manager(user=user, child=check.child):
        return True
    holder = holder or oversight_holder_current(check.child, check.programme)
    return bool(user.is_active and holder and holder.holder and holder.holder.pk == user.pk)


def open_prompts(*, child: Child) -> QuerySet[Task]:
    """The child's oversight prompts not yet done (001 §6.3, 000 §3.6)."""
    return Task.objects.filter(
        child=child, source__startswith=prompt_prefix(child.pk), done_on__isnull=True
    ).select_related("assignee")


def closure_check_get(*, child: Child, pk) -> ClosureCheck:
    """One of the child's closure checks; raises ClosureCheck.DoesNotExist (the view turns it into 404)."""
    return ClosureCheck.objects.select_related(
        "child", "programme", "requested_by", "checked_by", "task"
    ).get(child=child, pk=pk)


def closure_checks_for_programme(*, programme: Programme) -> QuerySet[ClosureCheck]:
    """A programme's closure checks, latest first."""
    return ClosureCheck.objects.filter(programme=programme).select_related("requested_by", "checked_by")


def closure_checks_waiting(*, user) -> QuerySet[ClosureCheck]:
    """Closure checks requested and waiting for the user: as the programme's oversight holder, or as a
    TM or AP of the child's team (the service manager sees all). Children outside the user's scope are
    never listed (one predicate with child_get_for_user)."""
    latest_holder = (
        OversightHolder.objects.filter(programme=OuterRef("programme"))
        .order_by("-from_date", "-pk")
        .values("holder")[:1]
    )
    qs = (
        ClosureCheck.objects.filter(status=ClosureCheck.Status.REQUESTED)
        .filter(child__in=children_for_user(user=user))
        .annotate(holder_id=Subquery(latest_holder))
        .select_related("child", "child__team", "programme", "requested_by")
        .order_by("requested_on", "pk")
    )
    if user.role == Role.SERVICE_MANAGER:
        return qs
    mine = Q(holder_id=user.pk) | Q(task__assignee=user)
    if user.role in MANAGER_ROLES and user.team_id:
        mine |= Q(child__team_id=user.team_id)
    return qs.filter(mine)


def oocd_panel_context(*, child, user) -> dict:
    """What templates/supervision/_oocd_panel.html needs, under one key `oocd`; empty for a child with no
    open OOC or My Future programme, so nothing is rendered (001 §6.3, §6.4)."""
    programmes = list(oversight_programmes(child=child))
    if not programmes:
        return {}
    manager = is_team_manager(user=user, child=child)
    items = []
    for programme in programmes:
        holder = oversight_holder_current(child, programme)
        checks = list(closure_checks_for_programme(programme=programme)[:1])
        latest = checks[0] if checks else None
        requested = latest if latest and latest.status == ClosureCheck.Status.REQUESTED else None
        if requested is not None:
            requested.child = child  # already fetched: no query for it
        items.append(
            {
                "programme": programme,
                "holder": holder,
                "latest_check": latest,
                "can_request": requested is None and can_request_closure(user=user, child=child),
                "can_review": requested is not None
                and can_review_closure(user=user, check=requested, holder=holder),
                "requested": requested,
            }
        )
    return {
        "oocd": {
            "items": items,
            "prompts": list(open_prompts(child=child)),
            "can_change": manager,
        }
    }
