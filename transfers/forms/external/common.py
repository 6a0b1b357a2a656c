"""What the forms for transfers into and out of the service share: their textarea (003 §12, App. A-B)."""

from functools import partial

from core.forms import gov_textarea

MAX_TEXT = 10000

# App. A and App. B's free text: four rows, up to MAX_TEXT characters.
textarea = partial(gov_textarea, rows=4, max_length=MAX_TEXT)
