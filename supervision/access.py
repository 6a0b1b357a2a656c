"""Who may see and do what in supervision (000 §2, 001 §2, 002 "unbroken chain of formal supervision").

The chain is the recorded line manager, walked upwards. A Record of Supervision is seen by the
supervisee, the supervisor, anyone above the supervisee in the chain, and the team managers and APs
of the supervisee's team (for cover); its personal wellbeing and performance sections only by the
first three (issue 6, 000 App. C). Case discussions and oversight decisions follow the child: whoever
may see the child may read them (child_get_for_user first).
"""

from django.http import Http404

from cases.models import MANAGER_ROLES, Role, User

from .models import SupervisionSession

# The chain is short (CM → TM → SM); a longer walk means a loop in the data.
MAX_CHAIN = 12


def chain_above(user: User) -> list[User]:
    """The user's line manager, theirs, and so on up; stops at a loop (flagged by the chain report)."""
    chain: list[User] = []
    seen, current = {user.pk}, user
    while current.line_manager_id and len(chain) < MAX_CHAIN:
        if current.line_manager_id in seen:
            break
        above = current.line_manager
        if above is None:  # cannot happen: line_manager_id is set (a missing row raises DoesNotExist)
            break
        current = above
        seen.add(current.pk)
        chain.append(current)
    return chain


def is_above(viewer: User, worker: User) -> bool:
    """Whether the viewer is above the worker in the supervision chain."""
    return any(person.pk == viewer.pk for person in chain_above(worker))


def can_supervise(viewer: User, worker: User) -> bool:
    """Who may prepare for and record a worker's supervision: anyone above them in the chain (the line
    manager, or the next one up while they are absent), or the service manager."""
    if viewer.pk == worker.pk or not viewer.is_active:
        return False
    return viewer.role == Role.SERVICE_MANAGER or is_above(viewer, worker)


def can_see_restricted(viewer: User, session: SupervisionSession) -> bool:
    """The personal wellbeing and performance sections: supervisee, supervisor, those above in the chain."""
    if viewer.pk in (session.supervisee_id, session.supervisor_id):
        return True
    return viewer.role == Role.SERVICE_MANAGER or is_above(viewer, session.supervisee)


def can_see_session(viewer: User, session: SupervisionSession) -> bool:
    """The rest of the record: also the team managers and APs of the supervisee's team."""
    if can_see_restricted(viewer, session):
        return True
    supervisee = session.supervisee
    if viewer.role not in MANAGER_ROLES or viewer.team_id is None or viewer.team_id != supervisee.team_id:
        return False
    # Never someone the supervisee supervises: an AP does not read their own team manager's record.
    return not is_above(supervisee, viewer)


def can_edit_session(viewer: User, session: SupervisionSession) -> bool:
    """The supervisor (or someone above the supervisee) writes the record until it is finalised."""
    if not session.is_draft:
        return False
    return viewer.pk == session.supervisor_id or can_supervise(viewer, session.supervisee)


def session_get_for_user(*, user: User, pk) -> SupervisionSession:
    """A Record of Supervision the user may see; 404 otherwise (never a 403: its existence is private)."""
    session = (
        SupervisionSession.objects.select_related(
            "supervisee", "supervisee__team", "supervisee__line_manager", "supervisor", "finalised_by"
        )
        .defer("pdf")
        .filter(pk=pk)
        .first()
    )
    if session is None or not can_see_session(user, session):
        raise Http404("No such supervision record")
    return session


def session_get_for_edit(*, user: User, pk) -> SupervisionSession:
    """A draft record the user may write; 404 for anyone else (and for a finalised or cancelled record)."""
    session = session_get_for_user(user=user, pk=pk)
    if not can_edit_session(user, session):
        raise Http404("No such supervision record")
    return session


def worker_get_for_supervision(*, user: User, pk) -> User:
    """A worker whose supervision the user may prepare and record; 404 otherwise."""
    worker = User.objects.select_related("team", "line_manager").filter(pk=pk, is_active=True).first()
    if worker is None or not can_supervise(user, worker):
        raise Http404("No such member of staff")
    return worker
