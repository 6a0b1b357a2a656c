"""What staff sign-in plugs into the core (core.registry): its header links."""

from core.registry import HeaderLink, registry

from . import permissions  # noqa: F401  (registers the named permissions)


def register() -> None:
    """The managers' staff sign-in page and everyone's own account page."""
    registry.add_header_link(
        HeaderLink(
            "staff_sign_in", "Staff sign-in", "staff_sign_in_list", 146, "accounts.manage_staff_sign_in"
        )
    )
    registry.add_header_link(
        HeaderLink("account", "Your account", "account", 160, "accounts.manage_own_account")
    )
