"""Demo data for transfers in and out and caretaking: placeholder until built (owned by the helper that builds it)."""


def clear() -> None:
    """Remove this module's demo rows before seed_demo rebuilds the service."""


def build(*, staff, today, rnd) -> None:
    """Add this module's demo rows (after children, meetings and supervision exist)."""
