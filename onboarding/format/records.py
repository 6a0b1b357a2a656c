"""The files of a child's history, each row keyed by the old system's id: programmes, allocations,
assessments, plans, contacts, case notes, CMMs, case discussions, MAPPA status; and supervision."""

from cases.models import Allocation, Assessment, Contact, EventType, Plan, Programme
from mappa.models import Category, Criterion, Level
from meetings.models import Meeting, MeetingKind
from supervision.models import CaseDiscussion, SupervisionMethod, SupervisionSession

from .base import (
    CASE_NUMBER,
    CHOICE,
    DATE,
    DATETIME,
    EMAIL,
    LEVELS,
    NUMBER,
    TIME,
    YESNO,
    Column,
    Kind,
    choices_of,
)

RECORDS: tuple[Kind, ...] = (
    Kind(
        "programmes",
        "Programmes and orders",
        "Programme ID",
        (
            Column(
                "Programme ID", required=True, example="ORD-88120", notes="The old system's id", max_length=60
            ),
            CASE_NUMBER,
            Column("Kind", CHOICE, required=True, choices=choices_of(Programme.Kind.choices), example="yro"),
            Column(
                "Start date",
                DATE,
                required=True,
                example="2024-02-12",
                notes="Sentence, panel, allocation or request date, as the 001 §6 table says (a panel "
                "already arranged may be in the future)",
            ),
            Column(
                "Length (months)", NUMBER, example="12", notes="Required for Referral Orders, YROs and DTOs"
            ),
            Column("End date", DATE, example="", past=True, notes="Blank while the order runs"),
            Column("Court date", DATE, example="2024-03-01", notes="Required for a pre-sentence report"),
            Column("Panel date", DATE, example="", notes="Referral Order: initial panel"),
            Column("Custody threshold", YESNO, example="no", notes="Referral Order"),
            Column("ISS", YESNO, example="no", notes="YRO with Intensive Supervision and Surveillance"),
            Column("Custody (months)", NUMBER, example="", notes="DTO: custodial part"),
            Column(
                "Assessed for court", YESNO, example="no", notes="Bail supervision: AssetPlus done for court"
            ),
            Column("Release date", DATE, example="", notes="DTO custody: expected release"),
            Column(
                "Closure reason",
                CHOICE,
                choices=choices_of(Programme.ClosureReason.choices),
                example="",
                notes="With an end date",
            ),
        ),
        feeds="The 001 §6 timescales table: assessments, plans, CMMs, contacts and panels of each order.",
        prefix="P",
    ),
    Kind(
        "allocations",
        "Allocations and co-allocations",
        "Allocation ID",
        (
            Column("Allocation ID", required=True, example="AL-2231", max_length=60),
            CASE_NUMBER,
            Column("Worker email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
            Column(
                "Role",
                CHOICE,
                required=True,
                choices=choices_of(Allocation.Role.choices),
                example="case_manager",
                notes="One open case_manager row per child at most",
            ),
            Column("Started on", DATE, required=True, example="2024-02-13", past=True),
            Column("Ended on", DATE, example="", past=True, notes="Blank while allocated"),
            Column(
                "Allocated by email",
                EMAIL,
                example="tess.adeyemi@yjs.example.gov.uk",
                notes="Blank: the importer",
            ),
            Column(
                "Allocated at",
                DATETIME,
                example="2024-02-13 10:30",
                past=True,
                notes="The time of the allocation, for the 48-hour rules (UK time)",
            ),
        ),
        feeds="The case manager and co-workers (003 §2-§5); the 48-hour and co-allocation rules; caseloads.",
        prefix="A",
    ),
    Kind(
        "assessments",
        "Assessments",
        "Assessment ID",
        (
            Column("Assessment ID", required=True, example="AS-5120", max_length=60),
            CASE_NUMBER,
            Column(
                "Kind",
                CHOICE,
                required=True,
                choices=choices_of(Assessment.Kind.choices),
                example="assetplus",
            ),
            Column(
                "Stage",
                CHOICE,
                required=True,
                choices=choices_of(Assessment.Stage.choices),
                example="initial",
            ),
            Column(
                "Status",
                CHOICE,
                required=True,
                choices=choices_of(Assessment.Status.choices),
                example="completed",
            ),
            Column("Author email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
            Column("RoSH", CHOICE, choices=LEVELS, example="medium"),
            Column("SaW", CHOICE, choices=LEVELS, example="medium"),
            Column("LoR", CHOICE, choices=LEVELS, example="low"),
            Column("Gatekept by email", EMAIL, example="tess.adeyemi@yjs.example.gov.uk"),
            Column("Gatekept on", DATE, example="2024-02-20", past=True),
            Column("Signed off by email", EMAIL, example="tess.adeyemi@yjs.example.gov.uk"),
            Column("Completed on", DATE, example="2024-03-04", past=True, notes="Required when completed"),
            Column("Levels agreed", YESNO, example="yes", notes="The signer agreed the proposed levels"),
            Column("Programme ID", example="ORD-88120", notes="The order it was for, in programmes.csv"),
        ),
        feeds="AssetPlus and OOCD timescales: gatekeeping and completion (001 App. 1, §6 table).",
        prefix="AS",
    ),
    Kind(
        "plans",
        "Plans and reviews",
        "Plan ID",
        (
            Column("Plan ID", required=True, example="PL-771", max_length=60),
            CASE_NUMBER,
            Column(
                "Kind", CHOICE, required=True, choices=choices_of(Plan.Kind.choices), example="intervention"
            ),
            Column("Review", YESNO, example="no", notes="yes: a review of an earlier plan"),
            Column("Completed on", DATE, required=True, example="2024-03-10", past=True),
            Column("Objectives", required=True, example="Attend education; victim awareness sessions"),
            Column("Next review", DATE, example="2024-06-10"),
            Column("Author email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
            Column("Programme ID", example="ORD-88120"),
        ),
        feeds="Plan and plan review timescales (001 §6 table).",
        prefix="PL",
    ),
    Kind(
        "contacts",
        "Contacts and appointments",
        "Contact ID",
        (
            Column("Contact ID", required=True, example="CT-90211", max_length=60),
            CASE_NUMBER,
            Column(
                "Kind",
                CHOICE,
                required=True,
                choices=choices_of(Contact.Kind.choices),
                example="face_to_face",
            ),
            Column(
                "Appointment", YESNO, example="yes", notes="Blank: yes (an appointment given to the child)"
            ),
            Column("Date", DATE, required=True, example="2024-03-12", notes="In the past unless booked"),
            Column("Time", TIME, example="14:30"),
            Column(
                "Outcome",
                CHOICE,
                required=True,
                choices=choices_of(Contact.Outcome.choices),
                example="kept",
                notes="A failure needs the explanation given (000 App. B)",
            ),
            Column("Explanation", example=""),
            Column("Worker email", EMAIL, example="sam.okafor@yjs.example.gov.uk"),
            Column("Author email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
            Column("Programme ID", example="ORD-88120"),
        ),
        feeds="Contact levels and failures to comply (000 §1.3, App. B).",
        prefix="C",
    ),
    Kind(
        "case_notes",
        "Case notes",
        "Note ID",
        (
            Column("Note ID", required=True, example="EV-120004", max_length=60),
            CASE_NUMBER,
            Column("Type", CHOICE, required=True, choices=choices_of(EventType.choices), example="note"),
            Column("Date", DATE, required=True, example="2024-03-15", past=True),
            Column("Summary", required=True, example="Home visit with mum present", max_length=200),
            Column("Details", example=""),
            Column("Author email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
        ),
        feeds="The timeline, as read-only history; types that state a fact (CMM actions, oversight, "
        "panels, YJAF uploads...) meet their obligations (cases/facts.py).",
        prefix="N",
    ),
    Kind(
        "cmms",
        "CMMs held",
        "Meeting ID",
        (
            Column("Meeting ID", required=True, example="CMM-3310", max_length=60),
            CASE_NUMBER,
            Column(
                "Reason",
                CHOICE,
                required=True,
                choices=choices_of(MeetingKind.choices),
                example="risk_review",
                notes="The CMM type (000 §1.1, 001 §6.1); MAPPA level 1 meetings too (001 §8)",
            ),
            Column("Held at", DATETIME, required=True, example="2024-04-18 10:00", past=True),
            Column("Chair email", EMAIL, required=True, example="tess.adeyemi@yjs.example.gov.uk"),
            Column(
                "Case manager email", EMAIL, example="sam.okafor@yjs.example.gov.uk", notes="Blank: the chair"
            ),
            Column(
                "CSC meeting type",
                CHOICE,
                choices=choices_of(Meeting.CscMeetingType.choices),
                example="",
                notes="A CSC meeting that took the CMM's place (000 §1.4, 001 §6.5)",
            ),
            Column(
                "Actions recorded on",
                DATE,
                example="2024-04-19",
                past=True,
                notes="000 §1.3: the actions recorded",
            ),
            Column("Minutes completed on", DATE, example="2024-04-24", past=True, notes="001 §6.2"),
            Column("Minutes sent to MAPPA on", DATE, example="", past=True, notes="MAPPA level 1 (001 §8)"),
            Column(
                "Next meeting at", DATETIME, example="2024-07-04 10:00", notes="The next CMM, if arranged"
            ),
        ),
        feeds="The CMM timescales: risk review, compliance, release and the 48-hour actions and minutes "
        "(000 §1, 001 §6.2).",
        prefix="M",
    ),
    Kind(
        "case_discussions",
        "Case discussions",
        "Discussion ID",
        (
            Column("Discussion ID", required=True, example="CD-1207", max_length=60),
            CASE_NUMBER,
            Column(
                "Kind",
                CHOICE,
                required=True,
                choices=choices_of(CaseDiscussion.Kind.choices),
                example="supervision",
            ),
            Column("Held on", DATE, required=True, example="2024-05-07", past=True),
            Column(
                "Held at", DATETIME, example="", past=True, notes="When the time of day matters (24 hours)"
            ),
            Column("Manager email", EMAIL, required=True, example="tess.adeyemi@yjs.example.gov.uk"),
            Column("Worker email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
            Column("Significant", YESNO, example="no", notes="A significant case decision or urgent matter"),
            Column("Recorded on", DATE, example="2024-05-08", past=True, notes="Put on the child's file"),
        ),
        feeds="Case discussion and management oversight timescales (000 §4, 001 §6.3-§6.4, 002); "
        "co-allocated workers' discussions (003 §5.3).",
        prefix="D",
    ),
    Kind(
        "mappa",
        "MAPPA status",
        "MAPPA ID",
        (
            Column("MAPPA ID", required=True, example="MP-55", max_length=60),
            CASE_NUMBER,
            Column("Category", CHOICE, required=True, choices=choices_of(Category.choices), example="2"),
            Column(
                "Criterion", CHOICE, required=True, choices=choices_of(Criterion.choices), example="custody"
            ),
            Column("Identified on", DATE, required=True, example="2024-06-03", past=True),
            Column("Form H sent on", DATE, example="2024-06-10", past=True),
            Column(
                "Level", CHOICE, choices=choices_of(Level.choices), example="1", notes="The current level"
            ),
            Column("Level set on", DATE, example="2024-06-10", past=True, notes="Required with a level"),
            Column("Ended on", DATE, example="", past=True, notes="No longer managed under MAPPA"),
            Column("Recorded by email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
        ),
        feeds="MAPPA eligibility, Form H and level 1 meetings (001 §8); the MAPPA register.",
        prefix="MP",
    ),
    Kind(
        "supervision",
        "Supervision per worker",
        "Session ID",
        (
            Column("Session ID", required=True, example="SUP-801", max_length=60),
            Column("Worker email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
            Column("Supervisor email", EMAIL, required=True, example="tess.adeyemi@yjs.example.gov.uk"),
            Column("Held on", DATE, required=True, example="2024-05-14", past=True),
            Column(
                "Method",
                CHOICE,
                required=True,
                choices=choices_of(SupervisionMethod.choices),
                example="one_to_one",
            ),
            Column(
                "Status",
                CHOICE,
                choices=choices_of(SupervisionSession.Status.choices),
                example="finalised",
                notes="Blank: finalised",
            ),
            Column("Next supervision on", DATE, example="2024-06-11"),
        ),
        feeds="Each worker's formal supervision timescale (000 §4.1, 002); group sessions do not count.",
        prefix="S",
    ),
)
