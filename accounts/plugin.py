"""What staff sign-in plugs into the core (core.registry): its header links."""

from core.registry import HeaderLink, NavSection, registry

from . import permissions  # noqa: F401  (registers the named permissions)


def register() -> None:
    """The managers' staff sign-in page and everyone's own account page."""
    registry.add_header_link(
        HeaderLink(
            "staff_sign_in",
            "Staff sign-in",
            "staff_sign_in_list",
            146,
            "accounts.manage_staff_sign_in",
            group="service",
        )
    )
    registry.add_header_link(
        HeaderLink("account", "Your account", "account", 160, "accounts.manage_own_account", group="account")
    )
    # Someone's own sign-in pages are "Your account"; a manager's pages about a colleague's sign-in are
    # "Staff sign-in" (issue 20: the current section on every page).
    registry.add_nav_section(NavSection("account", modules=("accounts.",)))
    registry.add_nav_section(
        NavSection(
            "staff_sign_in", url_names=("staff_sign_in*", "staff_two_factor_reset", "staff_password_link")
        )
    )
