"""What differs for the co-allocated workers' discussion (003 §5.3): the case manager and a co-allocated
worker hold it outside supervision, and it goes on the file under its own heading."""

from django.core.exceptions import ValidationError

from cases.models import Child, EventType, User

from ...models import CaseDiscussion, SupervisionSession
from ...selectors import discussions as selectors

NOT_IN_SUPERVISION = "A co-allocated workers' discussion is not part of a supervision."
# The basis of the tasks its agreed actions become.
TASK_BASIS = "003 §5.3, 001 App. 5"


def check_may_hold_co_allocated(*, child: Child, user: User, session: SupervisionSession | None) -> None:
    """Outside supervision, for a child with a co-allocated worker, by the case manager or a co-allocated
    worker (003 §5.3); a refusal is a ValidationError."""
    if session is not None:
        raise ValidationError(NOT_IN_SUPERVISION)
    co_ids = selectors.co_worker_ids(child)
    if not co_ids:
        raise ValidationError("This child has no co-allocated worker (003 §5.3).")
    if not selectors.can_hold_co_discussion(user=user, child=child, co_ids=co_ids):
        raise ValidationError(
            "Only the case manager or a co-allocated worker can record the co-allocated workers' discussion."
        )


def co_allocated_file_entry(discussion: CaseDiscussion) -> tuple[str, str]:
    """The event type and summary it goes on the child's file under (003 §5.3)."""
    # A User's str is their full name, or their username without one.
    return (
        EventType.CO_ALLOCATION_DISCUSSION,
        f"Co-allocated workers' discussion: {discussion.manager} and {discussion.worker}",
    )
