"""Models for: Internal transfers, transfers in and out, caretaking agreements (003 §11-§12).

Thin for now: the app exists from the start so later work has its home (architecture.md).
"""
