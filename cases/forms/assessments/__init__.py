"""Forms for assessment stages and their sign-off, with the RoSH and SaW decision frameworks (001 App. 1-3).

- frameworks: the App. 2 and App. 3 frameworks, and what a worker's answers point to;
- stage: the draft stage (AssessmentForm);
- sign_off: request sign-off, return for changes, complete the stage.
"""

from .frameworks import FRAMEWORKS, LEVEL_LABELS, LEVEL_ORDER, framework_field, framework_suggestion
from .sign_off import CompleteForm, RequestSignOffForm, ReturnForm
from .stage import AssessmentForm

__all__ = [
    "FRAMEWORKS",
    "LEVEL_LABELS",
    "LEVEL_ORDER",
    "AssessmentForm",
    "CompleteForm",
    "RequestSignOffForm",
    "ReturnForm",
    "framework_field",
    "framework_suggestion",
]
