"""Reads for assessments and their sign-off (001 §3-§6, App. 1): the child's stages, one stage, the queue."""

from django.db.models import Q, QuerySet
from django.http import Http404

from core.models import AuditEntry

from .. import signoff
from ..models import Assessment, Role, User
from .core import children_for_user

_RELATED = ("child", "child__team", "programme", "author", "assigned_to", "completed_by", "gatekept_by")


def assessments_for_child(*, child) -> QuerySet[Assessment]:
    """A child's assessment stages, newest first, with the people named on them (one query)."""
    return (
        Assessment.objects.filter(child=child)
        .select_related("programme", "author", "assigned_to", "completed_by", "gatekept_by")
        .order_by("-created_at", "-pk")
    )


def assessment_get_for_user(*, user, child, pk) -> Assessment:
    """One stage of a child the user can already see; 404 otherwise (also for malformed ids)."""
    try:
        return (
            Assessment.objects.select_related(*_RELATED, "levels_agreed_with").filter(child=child).get(pk=pk)
        )
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404("No assessment found") from None


def assessment_for_panel_ap(*, user, child_pk, pk) -> Assessment:
    """An OOCD assessment of another team's child that the user signs off as the panel AP (001 §6.3,
    `signoff.panel_grant`); 404 otherwise, so nothing else of the child is disclosed."""
    try:
        assessment = Assessment.objects.select_related(*_RELATED, "levels_agreed_with").get(
            pk=pk, child_id=child_pk, kind=Assessment.Kind.OOCD, assigned_to=user
        )
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404("No assessment found") from None
    if not signoff.panel_grant(user, assessment):
        raise Http404("No assessment found")
    return assessment


def assessment_actions(*, assessment) -> QuerySet[AuditEntry]:
    """What has been done to a stage (created, edited, sent, returned, completed), oldest first."""
    return (
        # By child first, so the (child, -at) index narrows the append-only audit table.
        AuditEntry.objects.filter(
            child_id=assessment.child_id, object_type="assessment", object_id=str(assessment.pk)
        )
        .exclude(action=AuditEntry.Action.VIEW)
        .select_related("user")
        .order_by("at", "pk")
    )


def _previously_high(*, assessment) -> bool:
    """001 App. 1: was the child ever known High/Very High RoSH or SaW (levels history or completed stages)?"""
    high = list(signoff.HIGH_LEVELS)
    child = assessment.child
    if child.history.filter(Q(rosh__in=high) | Q(saw__in=high)).exists():
        return True
    earlier = Assessment.objects.filter(child=child, status=Assessment.Status.COMPLETED)
    if assessment.pk:
        earlier = earlier.exclude(pk=assessment.pk)
    return earlier.filter(Q(rosh__in=high) | Q(saw__in=high)).exists()


def _psr_gatekeeper(*, assessment) -> User | None:
    """The TM/AP who gatekept the child's last completed AssetPlus stage, if that stage was a PSR one."""
    last = (
        Assessment.objects.filter(
            child_id=assessment.child_id, kind=Assessment.Kind.ASSETPLUS, status=Assessment.Status.COMPLETED
        )
        .exclude(stage__in=signoff.HOUSEKEEPING_STAGES)
        .exclude(pk=assessment.pk)
        .select_related("gatekept_by")
        .order_by("-completed_on", "-pk")
        .first()
    )
    if last is None or last.stage != Assessment.Stage.PSR:
        return None
    person = last.gatekept_by
    if person is None or not person.is_active or person.role not in signoff.TM_AP_ROLES:
        return None
    return person


def sign_off_requirement_for(*, assessment) -> signoff.Requirement:
    """Gather what 001 App. 1 needs to know about the child and decide who completes this stage."""
    is_assetplus = assessment.kind == Assessment.Kind.ASSETPLUS
    stage = assessment.stage
    child = assessment.child
    return signoff.requirement(
        kind=assessment.kind,
        stage=stage,
        rosh=assessment.rosh,
        saw=assessment.saw,
        current_rosh=child.rosh,
        current_saw=child.saw,
        previously_high=is_assetplus
        and stage == Assessment.Stage.INITIAL
        and _previously_high(assessment=assessment),
        psr_gatekeeper=_psr_gatekeeper(assessment=assessment)
        if is_assetplus and stage in signoff.POST_SENTENCE_STAGES
        else None,
    )


def sign_off_candidates(*, assessment, include: User | None = None) -> QuerySet[User]:
    """People who could be named to sign this stage off: the role, in the child's team, not the author.

    `include` adds the person the rule names (a PSR gatekeeper, 001 App. 1) even if now in another team.
    """
    roles = signoff.ROLES_FOR.get(assessment.sign_off_by)
    if not roles:
        return User.objects.none()
    q = Q(team_id=assessment.child.team_id, role__in=roles, is_active=True)
    if assessment.kind == Assessment.Kind.OOCD and Role.ADVANCED_PRACTITIONER in roles:
        # 001 §6.3: the AP attending the OOC panel, whichever team they are from.
        q |= Q(role=Role.ADVANCED_PRACTITIONER, is_active=True)
    if include is not None:
        q |= Q(pk=include.pk)
    return (
        User.objects.filter(q)
        .exclude(pk=assessment.author_id)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )


def levels_agreement_candidates(*, assessment) -> QuerySet[User]:
    """001 App. 1: the locality TMs and APs a duty worker agrees an apparent High's levels with."""
    return User.objects.filter(
        team_id=assessment.child.team_id, role__in=signoff.TM_AP_ROLES, is_active=True
    ).order_by("last_name", "first_name", "pk")


def _waiting_q(user) -> Q | None:
    """The stages waiting for sign-off that `user` may act on, as a filter (mirrors signoff.may_act)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    kinds = [kind for kind, roles in signoff.ROLES_FOR.items() if user.role in roles]
    if not kinds:
        return None
    mine = Q(assigned_to=user)
    if user.team_id:
        unavailable = (
            Q(assigned_to__isnull=True) | Q(assigned_to__is_absent=True) | Q(assigned_to__is_active=False)
        )
        mine |= Q(child__team_id=user.team_id) & unavailable
    return Q(status=Assessment.Status.AWAITING_SIGN_OFF, sign_off_by__in=kinds) & mine & ~Q(author=user)


def sign_off_waiting(*, user) -> QuerySet[Assessment]:
    """Stages waiting for this user's sign-off, including an absent colleague's, oldest request first."""
    q = _waiting_q(user)
    if q is None:
        return Assessment.objects.none()
    visible = Q(child_id__in=children_for_user(user=user).values("pk"))
    if user.role == Role.ADVANCED_PRACTITIONER:
        # 001 §6.3: OOCD assessments the user was named to sign off as the panel AP, whatever the team.
        visible |= Q(kind=Assessment.Kind.OOCD, assigned_to=user)
    return Assessment.objects.filter(q, visible).select_related(*_RELATED).order_by("submitted_at", "pk")


def sign_off_requests(*, user) -> QuerySet[Assessment]:
    """The user's own stages sent for sign-off or returned to them, most recently sent first."""
    return (
        Assessment.objects.filter(
            author=user,
            status__in=[Assessment.Status.AWAITING_SIGN_OFF, Assessment.Status.RETURNED],
            # An author who has since lost access to the child (moved team) no longer sees it.
            child__in=children_for_user(user=user),
        )
        .select_related(*_RELATED)
        .order_by("-submitted_at", "-pk")
    )


def sign_off_counts(*, user) -> dict:
    """How many stages wait for the user's sign-off and how many of their own are out (two queries)."""
    return {
        "waiting": sign_off_waiting(user=user).count(),
        "requests": sign_off_requests(user=user).count(),
    }
