"""GOV.UK forms for the KPI facts (issue 21): one per kind of record, and the management board's meeting.

Each form's `values()` are the model's fields for outcomes/services.py; `initial_for(record)` fills the form
from a stored record for a correction. Dates are GOV.UK date inputs, yes/no answers radios, free text has the
character count and a limit the server checks.
"""

from .base import DatedForm, RecordForm
from .board import BoardMeetingForm
from .records import FORMS

__all__ = ["FORMS", "BoardMeetingForm", "DatedForm", "RecordForm"]
