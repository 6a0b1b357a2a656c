"""The files of staff's own records and of management oversight: agreed supervision frequencies, leave and
its cover (per worker, STAFF_KINDS), management oversight decisions and OOC oversight holders (per child,
CHILD_KINDS).

Each mirrors the product's own form: SupervisionFrequencyForm (002 Frequency), PlannedLeaveForm,
CoverForm and UnplannedLeaveForm with the manager's follow-ups (003 §7), the management oversight form
(004 §7, 002) and the oversight holder form (001 §6.3-§6.4).
"""

from cases.models import Leave
from supervision.models import OversightDecision, SupervisionFrequency

from .base import CASE_NUMBER, CHOICE, DATE, DATETIME, EMAIL, YESNO, Column, Kind, choices_of

STAFF_RECORDS: tuple[Kind, ...] = (
    Kind(
        "supervision_frequencies",
        "Agreed supervision frequencies",
        "Frequency ID",
        (
            Column("Frequency ID", required=True, example="SF-12", max_length=60),
            Column("Worker email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
            Column(
                "Weeks",
                CHOICE,
                required=True,
                choices=choices_of(SupervisionFrequency.Weeks.choices),
                example="2",
                notes="0: back to the service's standard frequency",
            ),
            Column("From date", DATE, required=True, example="2024-02-05", notes="The latest in force"),
            Column(
                "Reason",
                required=True,
                example="New case manager: fortnightly for the first three months",
            ),
            Column(
                "Set by email",
                EMAIL,
                required=True,
                example="tess.adeyemi@yjs.example.gov.uk",
                notes="Someone other than the worker",
            ),
        ),
        feeds="Each worker's agreed supervision timescale (`supervision.agreed`, 002 Frequency).",
        prefix="SF",
    ),
    Kind(
        "leave",
        "Leave",
        "Leave ID",
        (
            Column("Leave ID", required=True, example="LV-301", max_length=60),
            Column("Worker email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
            Column(
                "Kind",
                CHOICE,
                required=True,
                choices=choices_of(Leave.Kind.choices),
                example="planned",
                notes="Unplanned: sickness or another absence (003 §7.2)",
            ),
            Column(
                "Start date",
                DATE,
                required=True,
                example="2024-08-05",
                notes="The first day; unplanned leave has already started",
            ),
            Column(
                "End date",
                DATE,
                example="2024-08-16",
                notes="The last day: required for planned leave; blank while an unplanned absence goes on",
            ),
            Column("Recorded by email", EMAIL, required=True, example="tess.adeyemi@yjs.example.gov.uk"),
            Column("Notes", example="Annual leave"),
            Column(
                "Cases reviewed on",
                DATE,
                example="",
                past=True,
                notes="Unplanned leave: the manager's first-week review of the cases (003 §7.2)",
            ),
            Column(
                "Reallocation considered on",
                DATE,
                example="",
                past=True,
                notes="Unplanned leave: the two-week reallocation decision (003 §7.2)",
            ),
            Column(
                "Reallocation decision",
                example="",
                notes="Required with the date reallocation was considered",
            ),
        ),
        feeds="Who is away (allocation and cover, 003 §7); unplanned leave's first-week review and "
        "two-week reallocation decision (003 §7.2); an open unplanned absence marks the worker absent.",
        prefix="LV",
    ),
    Kind(
        "leave_cover",
        "Cover during leave",
        "Cover ID",
        (
            Column(
                "Cover ID",
                required=True,
                example="LC-3011",
                max_length=60,
                notes="One cover per case in a leave",
            ),
            Column(
                "Leave ID",
                required=True,
                example="LV-301",
                notes="Planned leave in leave.csv or imported before",
            ),
            CASE_NUMBER,
            Column(
                "Cover worker email",
                EMAIL,
                required=True,
                example="jo.mensah@yjs.example.gov.uk",
                notes="Someone other than the worker on leave",
            ),
            Column(
                "Arrangements",
                required=True,
                example="Keep weekly appointments; tell the family who is covering",
                notes="Planned contacts and work during the leave (003 §7.1)",
            ),
        ),
        feeds="The named worker leading on each case during planned leave (003 §7.1).",
        prefix="LC",
    ),
    Kind(
        "oversight_decisions",
        "Management oversight decisions",
        "Decision ID",
        (
            Column("Decision ID", required=True, example="MO-410", max_length=60),
            CASE_NUMBER,
            Column(
                "Label",
                CHOICE,
                required=True,
                choices=choices_of(OversightDecision.Label.choices),
                example="panel",
                notes="004 §7's labels",
            ),
            Column("Panel name", example="MARP", max_length=120, notes="Required for a panel's decision"),
            Column("Manager email", EMAIL, required=True, example="tess.adeyemi@yjs.example.gov.uk"),
            Column("Decided at", DATETIME, required=True, example="2024-05-20 14:00", past=True),
            Column("Significant", YESNO, example="no", notes="A significant case decision or urgent matter"),
            Column(
                "Decision", required=True, example="Keep RoSH at High; police to share intelligence weekly"
            ),
            Column("Rationale", example="", notes="The analysis of risk behind the decision"),
            Column("Actions", example="", notes="SMART actions"),
            Column(
                "Recorded on",
                DATE,
                example="2024-05-21",
                past=True,
                notes="Put on the child's file. Blank: the day it was decided",
            ),
        ),
        feeds="The child's Oversight tab and timeline; the recording timescale where the service's "
        "profile has one (`oversight.recorded`, 004 §7.1, 002).",
        prefix="MO",
    ),
    Kind(
        "oversight_holders",
        "OOC oversight holders",
        "Holder ID",
        (
            Column("Holder ID", required=True, example="OH-77", max_length=60),
            CASE_NUMBER,
            Column(
                "Programme ID",
                required=True,
                example="ORD-88150",
                notes="The out-of-court or My Future programme, in programmes.csv or imported before",
            ),
            Column(
                "Holder email",
                EMAIL,
                required=True,
                example="tess.adeyemi@yjs.example.gov.uk",
                notes="A team manager or advanced practitioner (001 §6.3)",
            ),
            Column(
                "From date",
                DATE,
                required=True,
                example="2024-05-20",
                past=True,
                notes="While the programme ran: not before it started or after it ended",
            ),
            Column(
                "Decision ID",
                example="MO-411",
                notes="The decision behind it (label oversight_holder), in oversight_decisions.csv or "
                "imported before; each holder has its own",
            ),
        ),
        feeds="Who holds oversight of an OOC or My Future case, and is asked for its closure checks "
        "(001 §6.3-§6.4, 000 §3). Blank: the locality AP.",
        prefix="OH",
    ),
)
