"""Inputs shared by the rules tests."""

# The worked example at the foot of spec/timescales.md.
WORKED_EXAMPLE = {
    "policy": "nottinghamshire",
    "as_of": "2024-06-03",
    "facts": [
        {"type": "programme_started", "programme": "yro", "date": "2024-01-08", "length_months": 12},
        {"type": "risk_rated", "date": "2024-01-26", "rosh": "medium", "saw": "low", "lor": "medium"},
        {"type": "assessment_completed", "assessment": "assetplus", "date": "2024-01-25"},
    ],
}
