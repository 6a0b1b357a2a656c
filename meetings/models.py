"""Models for: Case Management Meetings, combined CSC meetings, compliance reports and their records (000 §1, 001 §6.2).

Thin for now: the app exists from the start so later work has its home (architecture.md).
"""
