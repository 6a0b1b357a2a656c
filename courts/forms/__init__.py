"""Forms for court tracking (003 §9-§10, App. C), GOV.UK patterns through crispy-forms-gds (core.forms):
`crown_court` (Crown Court tracking, 003 §9) and `magistrates` (the awaiting-hearing list and its App. C
screening, 003 §10).

No GOV.UK conditional reveals (axe rejects aria-expanded on radios): every field is shown, and a field
that only applies sometimes says so in its hint.
"""

from functools import partial

from core.forms import gov_textarea

# Court notes are shorter than a record's sections.
MAX_TEXT = 5000
court_textarea = partial(gov_textarea, rows=4, max_length=MAX_TEXT)
