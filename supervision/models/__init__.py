"""Staff supervision, case discussions and management oversight (000 §3-§6, 001 §2, §6.3-§6.4, 002, 003 §5.3, 004 §7).

- `SupervisionSession` is the Record of Supervision (000 App. C): a worker's formal supervision with their
  supervisor. Its personal wellbeing and performance sections are restricted (supervision/access.py).
  While not cancelled and not a group session, it states `staff_supervision_held` for the supervisee.
- `CaseDiscussion` is the Case Discussion Record (001 App. 5; 000 App. D the older form) on a child's
  file: held (states `case_discussion_held`, or `co_allocation_discussion` for co-allocated workers),
  then recorded on the file (states `case_discussion_recorded` and writes the "Management Oversight -
  Supervision" event, 004 §7). Its actions become tracked `core.Task`s.
- `OversightDecision` is a management decision outside formal supervision (004 §7, 002 "Management
  oversight and informal supervision"): states `oversight_decision` (dated when it was made) and
  `oversight_recorded` (dated when it was put on the file).
- `SupervisionFrequency` is a more frequent supervision agreed for a worker (002: new case managers).
- `OversightHolder` and `ClosureCheck` are the OOC / My Future oversight of 001 §6.3-§6.4, 000 §3.
"""

from .discussions import CaseDiscussion, DiscussionAction, OversightDecision
from .oocd import ClosureCheck, OversightHolder
from .sessions import FORMAL_METHODS, SupervisionFrequency, SupervisionMethod, SupervisionSession

__all__ = [
    "FORMAL_METHODS",
    "CaseDiscussion",
    "ClosureCheck",
    "DiscussionAction",
    "OversightDecision",
    "OversightHolder",
    "SupervisionFrequency",
    "SupervisionMethod",
    "SupervisionSession",
]
