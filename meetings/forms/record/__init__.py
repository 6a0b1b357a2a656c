"""Forms for holding and recording a meeting, the CMM Record of 001 App. 4 (000 App. A), one module per
page: that it was held (held), its sections (sections) and its agreed actions (actions)."""
