"""What the cases app plugs into the core (core.registry): the child's own record tabs, its header
links and where its obligations are done. Called once from CasesConfig.ready()."""

from core.erasure import history_eraser
from core.registry import ChildTab, HeaderLink, registry

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
        HeaderLink("my_work", "My work", "my_work", 30, "cases.view_own_work"),
        HeaderLink("caseload", "Caseload", "caseload", 50, "cases.view_caseload"),
        HeaderLink("sign_off", "Sign-off", "sign_off_queue", 110, "cases.view_own_work"),
        HeaderLink("leave", "Leave", "leave_list", 120, "cases.do_case_work"),
        HeaderLink("policy", "Policy timescales", "policy_timescales", 130, "cases.view_policy_timescales"),
        HeaderLink("audit", "Audit log", "audit_log", 140, "cases.view_audit_log"),
        HeaderLink("staff", "Staff access", "staff_changes", 145, "cases.manage_staff"),
        HeaderLink("admin", "Administration", "admin:index", 150, "cases.administer"),
    ):
        registry.add_header_link(link)
    registry.add_work_links(*LINKS)
    # Steps waiting on the user that other apps register (a transfer's endorsement, allocation or
    # escalation, 003 §11.4; Form H, 001 §8): "Waiting for you" on My work.
    registry.add_my_work_section("waiting", waiting_for_user)


def waiting_for_user(*, user, today):
    """The steps waiting on this user now, oldest first (core.registry waiting work)."""
    return registry.waiting_for(user)
