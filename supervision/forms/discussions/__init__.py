"""Forms for case discussions (001 App. 5; 000 App. D) and management oversight (004 §7, 002), one
module per form:

- `case`: the Case Discussion Record on its own page (`DiscussionForm`);
- `in_session`: a case discussion as one fieldset of the one-page Record of Supervision;
- `actions`: its agreed actions (the shared agreed-action form in App. 5's words);
- `decisions`: a management decision outside formal supervision (`OversightDecisionForm`).
"""

from .actions import DISCUSSION_ACTIONS, discussion_action_form
from .case import KIND_HINTS, MAX_TEXT, DiscussionForm, StaffChoiceField, staff_label
from .decisions import DECISION_LABELS, LABEL_HINTS, OversightDecisionForm

__all__ = [
    "DECISION_LABELS",
    "DISCUSSION_ACTIONS",
    "KIND_HINTS",
    "LABEL_HINTS",
    "MAX_TEXT",
    "DiscussionForm",
    "OversightDecisionForm",
    "StaffChoiceField",
    "discussion_action_form",
    "staff_label",
]
