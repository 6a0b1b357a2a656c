"""Reads for court tracking (003 §9-§10, App. C): who may do what, the screening proposals, the lists.

Access follows the child: a child page first calls `cases.selectors.core.child_get_for_user` (404 outside
the user's scope), then these helpers fetch the child's own records (404 if not the child's). The lists
use the same predicate (`children_for_user`), so a list and a page never disagree.
"""

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from cases.allocation import JUNIOR_ROLES, SENIOR_ROLES
from cases.models import HIGH_LEVELS, Child, Obligation, Programme, Role, User
from cases.selectors.core import children_for_user

from ..models import AwaitingHearing, Band, CrownCourtTracking, Seriousness

# 003 §10.1: the Court lead TM/AP screens; the service manager may act for any team.
COURT_MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER, Role.SERVICE_MANAGER})
# The obligations Crown Court tracking places (timescales.md; 003 §9.2, §9.4, case tracking principles).
CROWN_COURT_CODES = ("crown_court.allocate", "contact.initial", "contact.monthly", "contact.face_to_face")
# The roles that hold each band (brief: Band B = senior case manager or AP; Band A = case manager or
# YJS officer). A team manager holding the case is senior too (cases/allocation.py SENIOR_ROLES).
BAND_ROLES = {
    Band.B: [Role.SENIOR_CASE_MANAGER, Role.ADVANCED_PRACTITIONER],
    Band.A: [Role.CASE_MANAGER, Role.YJS_OFFICER],
}


# ---------------------------------------------------------------------------------------------------
# The screening (003 §9.2; App. C)


def proposed_band(*, seriousness: str, rosh: str, saw: str) -> str:
    """003 §9.2: Band B when the alleged offence is of high seriousness or RoSH or SaW is High or Very
    High ("If deemed to pose a high risk of harm or safety and well-being a Band B Case Manager should
    be allocated"); Band A otherwise."""
    if seriousness == Seriousness.HIGH or rosh in HIGH_LEVELS or saw in HIGH_LEVELS:
        return Band.B
    return Band.A


def band_reasons(*, seriousness: str, rosh: str, saw: str) -> list[str]:
    """Why the screening proposes Band B (empty for Band A), in words for the page."""
    reasons = []
    if seriousness == Seriousness.HIGH:
        reasons.append("the alleged offence is of high seriousness")
    if rosh in HIGH_LEVELS:
        reasons.append(f"RoSH is {rosh.replace('_', ' ')}")
    if saw in HIGH_LEVELS:
        reasons.append(f"SaW is {saw.replace('_', ' ')}")
    return reasons


def app_c_suggests_offer(*, adjournment: bool | None, risk: bool | None, no_agencies: bool | None) -> bool:
    """App. C: "If yes to questions 1 or 2 and question 3, consider offering the young person a My
    Futures intervention prior to Court" (an indicator: the manager decides)."""
    return bool((adjournment or risk) and no_agencies)


def worker_band(worker: User | None) -> str | None:
    """The band a worker holds a case at: B for a senior case manager, AP or team manager; A for a case
    manager or YJS officer; None for anyone else (a student, an intervention worker) or nobody."""
    if worker is None:
        return None
    if worker.role in SENIOR_ROLES:
        return Band.B
    if worker.role in JUNIOR_ROLES:
        return Band.A
    return None


def band_check(*, tracking: CrownCourtTracking, worker: User | None) -> dict:
    """Whether the allocated case manager's band matches the screening decision (003 §9.2).

    Returns {"status": "unallocated" | "match" | "above" | "mismatch", "message": str}. A Band B worker on
    a Band A decision is above what is needed, not a mismatch; a Band A (or unbanded) worker on a Band B
    decision is a mismatch."""
    if worker is None:
        return {"status": "unallocated", "message": "No case manager is allocated yet."}
    held = worker_band(worker)
    if held == tracking.band:
        return {"status": "match", "message": f"{worker} holds {Band(held).label}: matches the screening."}
    if held == Band.B and tracking.band == Band.A:
        return {
            "status": "above",
            "message": f"{worker} is a Band B worker: the screening decided Band A is enough.",
        }
    return {
        "status": "mismatch",
        "message": f"{worker} ({worker.get_role_display()}) does not hold {Band(tracking.band).label}, "
        "which the screening decided (003 §9.2).",
    }


# ---------------------------------------------------------------------------------------------------
# Who may do what


def is_court_manager(user: User) -> bool:
    """A team manager, advanced practitioner or the service manager (003 §10.1 "Court lead TM/AP")."""
    return bool(user.is_active and user.role in COURT_MANAGER_ROLES)


def manages_child(*, user: User, child: Child) -> bool:
    """The TM/AP of the child's team, or the service manager (003 §9.2, §9.5, §9.7)."""
    if not user.is_active:
        return False
    if user.role == Role.SERVICE_MANAGER:
        return True
    return user.role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER) and user.team_id == child.team_id


def can_add_crown_court(*, user: User, child: Child) -> bool:
    """Start Crown Court tracking: the TM/AP of the child's team, the service manager, or the team's
    business support (003 §9.6 "Business support upon allocation will add a Crown Court Tracking
    Programme")."""
    if manages_child(user=user, child=child):
        return True
    return bool(user.is_active and user.role == Role.BUSINESS_SUPPORT and user.team_id == child.team_id)


def can_override_band(*, user: User, child: Child) -> bool:
    """Only a manager confirms a band other than the screening's proposal (003 §9.2)."""
    return manages_child(user=user, child=child)


def can_update_tracking(*, user: User, child: Child) -> bool:
    """Record the next hearing, the principles, the home YJS, or the outcome: whoever tracks the case
    (the case manager or a co-worker), the team's managers and business support, the service manager."""
    if can_add_crown_court(user=user, child=child):
        return True
    if not user.is_active:
        return False
    return user.pk == child.case_manager_id or child.co_workers.filter(pk=user.pk).exists()


# Programmes that are not the child's own work with the YJS: a parenting order is the parent's (003 §12.11).
NOT_THE_CHILDS = (Programme.Kind.PARENTING_ORDER,)


def open_programmes(child: Child) -> list[Programme]:
    """The child's programmes still open (not a parenting order), earliest first: a child on one already
    has a YJS worker and its obligations, so My Futures would be a second, parallel programme (003 §10)."""
    return list(
        child.programmes.filter(end_date__isnull=True)
        .exclude(kind__in=NOT_THE_CHILDS)
        .order_by("start_date", "pk")
    )


def programmes_words(programmes: list[Programme]) -> str:
    """ "Youth Rehabilitation Order since 3 March 2025 and ..." for messages and the timeline."""
    parts = [f"{p.get_kind_display()} since {p.start_date:%-d %B %Y}" for p in programmes]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else ""


def already_on_programme_message(child: Child, programmes: list[Programme]) -> str:
    """Why My Futures is not offered to a child already on a programme (003 §10.3, §9.3)."""
    holder = f", case manager {child.case_manager}" if child.case_manager_id else ""
    return (
        f"{child.full_name} is already on a programme ({programmes_words(programmes)}{holder}): their "
        "case manager supports them to this hearing. My Futures would start a second, parallel programme "
        "with the same obligations, so it is not offered: choose No offer."
    )


def has_open_bss(child: Child) -> bool:
    """An open bail supervision and support programme (003 §9.1: then tracking is not needed)."""
    return child.programmes.filter(
        kind=Programme.Kind.BAIL_SUPERVISION_SUPPORT, end_date__isnull=True
    ).exists()


def _open_q(prefix: str = "") -> Q:
    """A tracking still running: not ended, and its programme (if any) not closed (the query form of
    `CrownCourtTracking.is_open`)."""
    return Q(**{f"{prefix}ended_on__isnull": True}) & (
        Q(**{f"{prefix}programme__isnull": True}) | Q(**{f"{prefix}programme__end_date__isnull": True})
    )


def open_tracking_for(child: Child) -> CrownCourtTracking | None:
    """The child's running Crown Court tracking, if any."""
    return child.crown_court_trackings.filter(_open_q()).first()


# ---------------------------------------------------------------------------------------------------
# The child's records


def crown_trackings_for_child(*, child: Child) -> QuerySet[CrownCourtTracking]:
    """The child's Crown Court trackings, latest first."""
    return child.crown_court_trackings.select_related("programme", "oversight_by").order_by(
        "-first_appearance_at", "-pk"
    )


def awaiting_for_child(*, child: Child) -> QuerySet[AwaitingHearing]:
    """The child's Magistrates' Court awaiting-hearing entries, latest hearing first."""
    return child.awaiting_hearings.select_related("screened_by", "programme").order_by("-hearing_on", "-pk")


def crown_court_get(*, child: Child, pk) -> CrownCourtTracking:
    """One of the child's Crown Court trackings (the child already checked); 404 otherwise."""
    try:
        return child.crown_court_trackings.select_related("programme", "oversight_by", "recorded_by").get(
            pk=pk
        )
    except (CrownCourtTracking.DoesNotExist, ValueError, TypeError):
        raise Http404("No Crown Court tracking found") from None


def court_obligations(*, child: Child) -> list[Obligation]:
    """The child's Crown Court tracking obligations, in the rules module's order."""
    return list(child.obligations.filter(code__in=CROWN_COURT_CODES).order_by("position"))


# ---------------------------------------------------------------------------------------------------
# The court lead's lists (003 §10.1, App. C)


def awaiting_get_for_user(*, user: User, pk) -> AwaitingHearing:
    """An awaiting-hearing entry for a child the user may see; 404 otherwise."""
    try:
        return (
            AwaitingHearing.objects.select_related(
                "child", "child__team", "child__case_manager", "screened_by", "programme", "created_by"
            )
            .filter(child__in=children_for_user(user=user))
            .get(pk=pk)
        )
    except (AwaitingHearing.DoesNotExist, ValueError, TypeError):
        raise Http404("No such awaiting hearing") from None


def awaiting_list(*, user: User, decision: str = "") -> QuerySet[AwaitingHearing]:
    """The children awaiting a Magistrates' Court hearing in the user's scope: not yet screened first,
    then by hearing date (003 §10.1); optionally one decision. A fixed number of queries."""
    qs = AwaitingHearing.objects.filter(child__in=children_for_user(user=user))
    if decision in AwaitingHearing.Decision.values:
        qs = qs.filter(decision=decision)
    return (
        qs.select_related("child", "child__team", "child__case_manager", "screened_by", "programme")
        .annotate(
            pending_first=Case(
                When(decision=AwaitingHearing.Decision.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            # Already on a programme (003 §10): screened, but not offered a second, parallel one.
            on_programme=Exists(
                Programme.objects.filter(child_id=OuterRef("child_id"), end_date__isnull=True).exclude(
                    kind__in=NOT_THE_CHILDS
                )
            ),
        )
        .order_by("pending_first", "hearing_on", "pk")
    )


def crown_open_list(*, user: User) -> QuerySet[CrownCourtTracking]:
    """The Crown Court trackings running in the user's scope, next hearing first (unknown last)."""
    return (
        CrownCourtTracking.objects.filter(_open_q(), child__in=children_for_user(user=user))
        .select_related("child", "child__team", "child__case_manager", "programme")
        .order_by(F("next_hearing_on").asc(nulls_last=True), "first_appearance_at", "pk")
    )


def awaiting_counts(*, user: User) -> dict[str, int]:
    """How many entries of each decision are in the user's scope (one query), for the filter."""
    rows = (
        AwaitingHearing.objects.filter(child__in=children_for_user(user=user))
        .values("decision")
        .annotate(n=Count("pk"))
    )
    counts = {value: 0 for value in AwaitingHearing.Decision.values}
    for row in rows:
        counts[row["decision"]] = row["n"]
    return counts


def child_by_case_number(*, user: User, case_number: str) -> Child | None:
    """The child with this case number if the user may see them; None otherwise (never disclosed)."""
    number = (case_number or "").strip()
    if not number:
        return None
    return children_for_user(user=user).filter(case_number__iexact=number).select_related("team").first()
