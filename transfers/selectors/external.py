"""Placeholder: the transfers in/out and caretaking panel on the child's Transfers tab (owned by the external-transfers helper)."""


def external_panel_context(*, child, user) -> dict:
    """What templates/transfers/_external_panel.html needs; empty until built."""
    return {}
