"""Saving the one-page Record of Supervision (000 App. C with its case discussions, 001 App. 5) in one
transaction: the record's own fields (`session_update`) and each case discussion held in it, created or
changed (`case_discussion_create` / `case_discussion_update`). Either everything on the page is saved or
nothing is: a refusal of any part rolls back the others and says which part it was (`RecordNotSaved`).

A discussion is one per child in a supervision: a new fieldset naming a child already discussed in this
record (a page sent twice, an autosave that created it a moment ago) changes that draft rather than add a
second one. A partial save (an autosave, ADR 0018) asks for nothing the record needs before it is
finalised (the leave gap, a written section), but refuses what no save may store (too long, a date in the
future, a stale version: ADR 0009).
"""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Child, User

from ..models import CaseDiscussion, SupervisionSession
from .discussions import case_discussion_create, case_discussion_update
from .sessions import session_update


@dataclasses.dataclass
class DiscussionInput:
    """One fieldset of the page: a saved draft (`discussion`, with the `version` the page was loaded at)
    or a new discussion of `child`; `data` is App. 5's sections and flags."""

    data: dict
    discussion: CaseDiscussion | None = None
    child: Child | None = None
    version: int | None = None


class RecordNotSaved(ValidationError):
    """A part of the page was refused, so nothing was saved: `parts` maps "session", or a fieldset's index
    in the list given, to its refusal (a ValidationError, perhaps a StaleVersion)."""

    def __init__(self, parts: dict[str | int, ValidationError]):
        super().__init__([message for exc in parts.values() for message in exc.messages])
        self.parts = parts


@dataclasses.dataclass
class RecordSaved:
    """What a save wrote: the record, and the draft each fieldset now writes (None: nothing to save)."""

    session: SupervisionSession
    discussions: list[CaseDiscussion | None]


def _existing_by_child(session: SupervisionSession) -> dict[int, CaseDiscussion]:
    """The record's draft case discussions, by child."""
    drafts = CaseDiscussion.objects.filter(
        session=session, status=CaseDiscussion.Status.DRAFT
    ).select_related("child")
    return {d.child_id: d for d in drafts.order_by("pk")}


def _save_discussion(
    *,
    item: DiscussionInput,
    session: SupervisionSession,
    user: User,
    by_child: dict[int, CaseDiscussion],
    partial: bool,
) -> CaseDiscussion | None:
    """Create or change one case discussion of the record; None when a partial save has nothing to keep
    (no child chosen yet, or every section blank)."""
    written = any(str(value).strip() for key, value in item.data.items() if isinstance(value, str))
    discussion, version = item.discussion, item.version
    if discussion is None and item.child is not None and item.child.pk in by_child:
        discussion, version = by_child[item.child.pk], None  # the same child again: its draft
    if partial and (not written or (discussion is None and item.child is None)):
        return discussion
    if discussion is not None:
        # Held in the supervision: on its date, should the record's date have been corrected.
        data = {
            **item.data,
            **({"held_on": session.held_on} if discussion.held_on != session.held_on else {}),
        }
        return case_discussion_update(discussion=discussion, user=user, version=version, **data)
    if item.child is None:
        raise ValidationError({"child": "Choose the child this case discussion is about"})
    created = case_discussion_create(
        child=item.child,
        user=user,
        session=session,
        kind=CaseDiscussion.Kind.SUPERVISION,
        held_on=session.held_on,
        manager=session.supervisor,
        worker=session.supervisee,
        **item.data,
    )
    by_child[item.child.pk] = created
    return created


@transaction.atomic
def session_record_save(
    *,
    session: SupervisionSession,
    user: User,
    fields: dict,
    discussions: list[DiscussionInput],
    version: int | None = None,
    partial: bool = False,
    today: datetime.date | None = None,
) -> RecordSaved:
    """Save the record's fields and its case discussions, all or nothing (000 App. C, 001 App. 5)."""
    parts: dict[str | int, ValidationError] = {}
    try:
        current = session_update(
            session=session, user=user, version=version, today=today, partial=partial, **fields
        )
    except ValidationError as exc:
        parts["session"] = exc
        current = session
    by_child = _existing_by_child(current)
    saved: list[CaseDiscussion | None] = []
    for index, item in enumerate(discussions):
        try:
            # Each in its own savepoint (the services are atomic), so one refusal leaves the rest to try.
            saved.append(
                _save_discussion(item=item, session=current, user=user, by_child=by_child, partial=partial)
            )
        except ValidationError as exc:
            parts[index] = exc
            saved.append(None)
    if parts:
        raise RecordNotSaved(parts)  # rolls back every part already written
    return RecordSaved(session=current, discussions=saved)


__all__ = ["DiscussionInput", "RecordNotSaved", "RecordSaved", "session_record_save"]
