"""Models for: Staff supervision, case discussions and management oversight (000 §3-§6, 002, 004).

Thin for now: the app exists from the start so later work has its home (architecture.md).
"""
