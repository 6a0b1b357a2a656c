"""Models for: MAPPA eligibility, levels, Form H and level 1 meetings (001 §8).

Thin for now: the app exists from the start so later work has its home (architecture.md).
"""
