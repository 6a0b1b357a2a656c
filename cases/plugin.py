"""What the cases app plugs into the core (core.registry): the child's own record tabs, its header
links and where its obligations are done. Called once from CasesConfig.ready()."""

from core.erasure import history_eraser
from core.registry import ChildTab, HeaderLink, NavGroup, NavSection, registry

from . import permissions  # noqa: F401  (registers the named permissions)
from .record_sections import SECTIONS as RECORD_SECTIONS
from .worklinks import LINKS


def register() -> None:
    """The child's record tabs, in the order a worker uses them, and the case work's header links."""
    # Its sections of a child's whole record, for a subject access export (records/, UK GDPR Art. 15).
    for name, order, provider in RECORD_SECTIONS:
        registry.add_record_section(name, order, provider)
    # Erasure (retention/, UK GDPR Art. 17): the history tables the child's cascade leaves behind.
    registry.add_erasure(history_eraser("cases"))
    for tab in (
        ChildTab("child_detail", "Timeline", "timeline", 10),
        ChildTab("child_obligations", "What is due", "due", 20),
        ChildTab("child_programmes", "Programmes", "programmes", 30),
        ChildTab("child_assessments", "Assessments", "assessments", 40),
        ChildTab("child_plans", "Plans", "plans", 50),
        ChildTab("child_contacts", "Contacts", "contacts", 60),
        ChildTab("child_allocation", "Allocation", "allocation", 120),
        ChildTab("child_details", "Details", "details", 130),
    ):
        registry.add_child_tab(tab)
    for link in (
        HeaderLink("my_work", "My work", "my_work", 30, "cases.view_own_work", group="work"),
        HeaderLink("caseload", "Caseload", "caseload", 50, "cases.view_caseload", group="children"),
        HeaderLink("sign_off", "Sign-off", "sign_off_queue", 110, "cases.view_own_work", group="work"),
        HeaderLink("leave", "Leave", "leave_list", 120, "cases.do_case_work", group="work"),
        HeaderLink(
            "policy",
            "Policy timescales",
            "policy_timescales",
            130,
            "cases.view_policy_timescales",
            group="work",
        ),
        HeaderLink("audit", "Audit log", "audit_log", 140, "cases.view_audit_log", group="service"),
        HeaderLink("staff", "Staff access", "staff_changes", 145, "cases.manage_staff", group="service"),
        HeaderLink("admin", "Administration", "admin:index", 150, "cases.administer", group="service"),
    ):
        registry.add_header_link(link)
    # Issue 20: a navigation that fits on one line at 1280 px. My work with the queues of one's own work;
    # the caseload with the service's registers of children (transfers, court, MAPPA); the service
    # manager's and administrator's pages under one item.
    registry.add_nav_group(NavGroup("work", "My work"))
    registry.add_nav_group(NavGroup("children", "Caseload"))
    registry.add_nav_group(NavGroup("service", "Management"))
    # A child's record is the caseload's, except the sign-off steps (the Sign-off queue's work) and
    # the pages that are the user's own work (home, leave) or the service's (staff changes).
    registry.child_section = "caseload"
    for section in (
        NavSection("caseload", modules=("cases.",)),
        NavSection("my_work", url_names=("home",)),
        NavSection("sign_off", url_names=("assessment_return", "assessment_complete")),
        NavSection("leave", url_names=("leave_*",)),
        NavSection("staff", url_names=("staff_change_decide",)),
    ):
        registry.add_nav_section(section)
    registry.add_work_links(*LINKS)
    # Steps waiting on the user that other apps register (a transfer's endorsement, allocation or
    # escalation, 003 §11.4; Form H, 001 §8): "Waiting for you" on My work.
    registry.add_my_work_section("waiting", waiting_for_user)


def waiting_for_user(*, user, today):
    """The steps waiting on this user now, oldest first (core.registry waiting work)."""
    return registry.waiting_for(user)
