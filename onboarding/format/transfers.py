"""The files of transfers (003 §11-§12, App. A-B) and MAPPA's history (001 §8): internal transfers,
transfers in, caretaking agreements, transfers out, every MAPPA level set, and the register's shares.

A file's status is the record's own (transfers/models), with the dates and people of each step the
product's forms record; the check (onboarding/validate/transfers.py) holds them to the state machine."""

from mappa.models import Level
from transfers.models import CaretakingAgreement, InternalTransfer, MoveTerm, TransferIn, TransferOut

from .base import CASE_NUMBER, CHOICE, DATE, EMAIL, LEVELS, NUMBER, TEXT, YESNO, Column, Kind, choices_of

CM = "sam.okafor@yjs.example.gov.uk"
TM = "tess.adeyemi@yjs.example.gov.uk"
YES_NO_NA = choices_of(TransferIn.YesNoNa.choices)


def _id(name: str, example: str) -> Column:
    return Column(name, required=True, example=example, notes="The old system's id", max_length=60)


def _on(name: str, example: str = "", notes: str = "", *, required: bool = False) -> Column:
    """A date something happened: not after the day of the import."""
    return Column(name, DATE, required=required, example=example, notes=notes, past=True)


def _email(name: str, example: str = CM, notes: str = "", *, required: bool = False) -> Column:
    return Column(name, EMAIL, required=required, example=example, notes=notes)


def _text(name: str, example: str = "", notes: str = "", *, required=False, max_length=None) -> Column:
    return Column(name, TEXT, required=required, example=example, notes=notes, max_length=max_length)


def _codes(pairs) -> str:
    return ", ".join(f"`{code}`" for code, *_rest in pairs)


INTERNAL_TRANSFERS = Kind(
    "internal_transfers",
    "Internal transfers",
    "Transfer ID",
    (
        _id("Transfer ID", "IT-301"),
        CASE_NUMBER,
        Column(
            "Status",
            CHOICE,
            required=True,
            choices=choices_of(InternalTransfer.Status.choices),
            example="allocated",
            notes="Each status needs its step's dates and people (003 §11.4-§11.7)",
        ),
        _text("From team", "North locality team", "The child's team when proposed", required=True),
        _text("To team", "South locality team", "Another locality team", required=True),
        _email("From case manager email", notes="The case manager when proposed"),
        _email("Proposed by email", required=True),
        _on("Proposed on", "2024-05-01", required=True),
        _text("New address", "12 Example Road, Sampletown", "003 §11.2", required=True),
        Column(
            "Move term", CHOICE, choices=choices_of(MoveTerm.choices), example="long", notes="Blank: unknown"
        ),
        _text("Time left on the order", "7 months"),
        _text("Effect on safety and wellbeing", "Placement more stable", "003 §11.2", required=True),
        _text("Effect on RoSH management", "None expected", "003 §11.2", required=True),
        _text("Continuity and stability", ""),
        _text("Detriment of a change of worker", ""),
        _text("Child's views", "Happy to meet a new worker", "003 §11.2", required=True),
        _on("Home visit on", "2024-05-03", "003 §11.3: required to endorse"),
        _on("Review assessment on", "2024-05-06", "003 §11.3: required to endorse"),
        _on("MAPPA endorsed on", "", "003 §11.5: MAPPA level 2 or 3"),
        _on("Escalated on", "", "003 §11.4: required when escalated"),
        _text("Escalation reason", "", "Required when escalated"),
        _email("Endorsed by email", TM, "Required from endorsed on; blank before (003 §11.4)"),
        _on("Endorsed on", "2024-05-07", "transfer_agreed (003 §11.4)"),
        _text("Decision notes", ""),
        _email(
            "New case manager email",
            "jo.ember@yjs.example.gov.uk",
            "Required from allocated on; blank before; of the To team",
        ),
        _email(
            "Allocated by email", TM, "The receiving team's manager; required from allocated on; blank before"
        ),
        _on("Allocated on", "2024-05-08", "reallocated (003 §11.4)"),
        _on("Three-way meeting on", "", "Completed: the formal transfer date (003 §11.7)"),
        _text("Meeting notes", ""),
        Column("Enforcement pending", YESNO, example="no", notes="003 §11.7: settled before completion"),
        _text("Enforcement notes", ""),
        _text("Closed reason", "", "Required when declined or withdrawn"),
    ),
    feeds="Internal transfer timescales: allocation and the three-way meeting (003 §11.4-§11.7).",
    prefix="IT",
)

TRANSFERS_IN = Kind(
    "transfers_in",
    "Transfers in",
    "Transfer in ID",
    (
        _id("Transfer in ID", "TI-88"),
        CASE_NUMBER,
        _text("Receiving team", "North locality team", "Blank: the child's team"),
        Column(
            "Status",
            CHOICE,
            required=True,
            choices=choices_of(TransferIn.Status.choices),
            example="accepted",
            notes="A decision needs who decided and when (003 §12.4)",
        ),
        _on("Received on", "2024-04-02", "All the documents received (App. A)", required=True),
        _text("First name", "", "Blank: the child's", max_length=80),
        _text("Last name", "", "Blank: the child's", max_length=80),
        Column("Date of birth", DATE, example="", notes="Blank: the child's", past=True),
        _text("Home YJS", "Example City YJS", required=True, max_length=120),
        _text("Home case ID", "ECY-2231", required=True, max_length=40),
        _text("Proposed address", "4 Sample Close, Sampletown SA1 1AA", required=True),
        _text("Living with", "Aunt", max_length=120),
        _text("Relationship to the child", "Maternal aunt", max_length=120),
        _text("Parental responsibility", "", "Name of the person with it", max_length=120),
        _text("Parental responsibility address", ""),
        _text("Social worker", "", "Name, address, phone, email"),
        Column("CSC advised", CHOICE, choices=YES_NO_NA, example="na", notes="Blank: na"),
        _text("Home case manager", "", "Name, address, phone, email"),
        _text("Order type", "Referral Order, 9 months", required=True, max_length=200),
        Column("Order start", DATE, example="2024-01-10"),
        _text("Order length", "9 months", max_length=60),
        Column("IOM", YESNO, example="no"),
        Column("High risk", YESNO, example="no", notes="High or very high risk of harm: rate RoSH, SaW, LoR"),
        _text("High risk details", ""),
        Column("RoSH", CHOICE, choices=LEVELS, example=""),
        Column("SaW", CHOICE, choices=LEVELS, example=""),
        Column("LoR", CHOICE, choices=LEVELS, example=""),
        Column("MAPPA category", CHOICE, choices=(("1", "1"), ("2", "2"), ("3", "3")), example=""),
        Column("MAPPA level", CHOICE, choices=choices_of(Level.choices), example="", notes="With a category"),
        Column("Home MAPPA agreed", CHOICE, choices=YES_NO_NA, example="", notes="Blank: na"),
        Column("MAPPA co-ordinator alerted", CHOICE, choices=YES_NO_NA, example="", notes="Blank: na"),
        Column("Safeguarding", YESNO, example="no"),
        _text("Safeguarding details", ""),
        Column("Child protection plan", YESNO, example="no"),
        _text("Child protection details", ""),
        Column("Looked after", YESNO, example="no", notes="By the home local authority"),
        _text("Offence details", "Theft from a shop; no specific victims", required=True),
        _text("Order summary", ""),
        _text(
            "Documents missing",
            "psr: awaiting the court",
            "App. A documents not received, separated by semicolons, each with its reason after a colon; "
            f"codes {_codes(TransferIn.DOCUMENTS)}. The others were received unless not applicable",
        ),
        _text(
            "Documents not applicable",
            "referral_order; custody_planning",
            "App. A documents that do not apply, separated by semicolons (only those N/A may be)",
        ),
        _text("Missing paperwork reasons", ""),
        _email("Decided by email", TM, "The TM/AP (003 §12.4); required once decided"),
        _on("Decided on", "2024-04-03", "Required once decided"),
        _text("Decision reasons", "", "Required when stayed or rejected"),
        _on("Reasons communicated on", "", "Required when stayed or rejected"),
        _text("Supervision requirements", "Seen weekly for the first month", "Required with the date"),
        _on("Requirements confirmed on", "2024-04-04", "App. A: the requirements confirmed"),
        _email("Recorded by email", required=True),
    ),
    feeds="The transfer in timescales: the TM/AP's review and the requirements confirmed (003 §12.4, App. A).",
    prefix="TI",
)

CARETAKING = Kind(
    "caretaking",
    "Caretaking agreements",
    "Agreement ID",
    (
        _id("Agreement ID", "CA-41"),
        CASE_NUMBER,
        _text(
            "Transfer in ID",
            "TI-88",
            "The accepted transfer in it follows, in transfers_in.csv; one agreement per transfer in",
        ),
        Column(
            "Status",
            CHOICE,
            required=True,
            choices=choices_of(CaretakingAgreement.Status.choices),
            example="active",
            notes="Ended statuses need the end date (003 §12.1)",
        ),
        _email("Case manager email", required=True, notes="Our case manager"),
        _text("Home YJS", "Example City YJS", required=True, max_length=120),
        _text("Home officer", "Responsible officer, Example City YJS", required=True, max_length=120),
        _on("Starts on", "2024-04-03", "We assume caretaking responsibilities", required=True),
        _text(
            "Our responsibilities",
            "assessments; planning",
            f"Separated by semicolons: {_codes(CaretakingAgreement.OUR_RESPONSIBILITIES)}",
        ),
        _text("Our other responsibilities", ""),
        _text(
            "Home responsibilities",
            "psr; breach",
            f"Separated by semicolons: {_codes(CaretakingAgreement.HOME_RESPONSIBILITIES)}",
        ),
        _text("Home other responsibilities", ""),
        _text("Contact frequency", "Weekly face to face", "003 §12.5", required=True, max_length=200),
        Column(
            "Review by",
            DATE,
            example="2024-07-03",
            notes="The next review, no later than three months on (003 §12.1). Blank: the latest allowed",
        ),
        _text(
            "Reviews held on",
            "",
            "Every review's date (YYYY-MM-DD or DD/MM/YYYY), separated by semicolons",
        ),
        _text("Review notes", ""),
        _text("Host signed name", "Tess Adeyemi", max_length=120),
        _text("Host signed role", "Team manager", max_length=120),
        _on("Host signed on", "2024-04-03"),
        _text("Home signed name", "", max_length=120),
        _text("Home signed role", "", max_length=120),
        _on("Home signed on", ""),
        _on("Ended on", "", "Required once ended"),
        _email("Agreed by email", TM, "The TM/AP who recorded it", required=True),
    ),
    feeds="The caretaking review (003 §12.1, App. B).",
    prefix="CA",
)

TRANSFERS_OUT = Kind(
    "transfers_out",
    "Transfers out",
    "Transfer out ID",
    (
        _id("Transfer out ID", "TO-12"),
        CASE_NUMBER,
        Column(
            "Status",
            CHOICE,
            required=True,
            choices=choices_of(TransferOut.Status.choices),
            example="requested",
            notes="Each status needs what its step records (003 §12.6-§12.11); transferred: the programmes open then ended",
        ),
        Column(
            "Kind", CHOICE, required=True, choices=choices_of(TransferOut.Kind.choices), example="transfer"
        ),
        _text("Host area", "Example City YJS", required=True, max_length=120),
        _text("Host contact", ""),
        _on("Move known on", "2024-08-01", required=True),
        _text("New address", ""),
        _on("AssetPlus updated on", "2024-08-01", "003 §12.6"),
        _on("YOT request on", "", "'YOT to YOT Transfer' request completed on AssetPlus"),
        _on("Requested on", "2024-08-02", "Request sent to the host area; required from requested"),
        Column("Parenting order", YESNO, example="no", notes="A parent is subject to a Parenting Order"),
        Column("Parenting order moves with it", YESNO, example="", notes="003 §12.9"),
        _text(
            "Parenting documents",
            "",
            f"Provided, separated by semicolons (003 §12.11): {_codes(TransferOut.PARENTING_DOCUMENTS)}",
        ),
        _text("Responsibilities", "", "Agreed in writing; required when caretaken (003 §12.7)"),
        _on("Outcome on", "", "The host area's answer; required when caretaken, transferred or declined"),
        _text("Outcome notes", ""),
        _email("Requested by email", required=True),
    ),
    feeds="The transfer out request (003 §12.6).",
    prefix="TO",
)

MAPPA_LEVELS = Kind(
    "mappa_levels",
    "MAPPA levels",
    "Level ID",
    (
        _id("Level ID", "ML-7"),
        CASE_NUMBER,
        _text("MAPPA ID", "MP-55", "The MAPPA record in mappa.csv", required=True, max_length=60),
        Column("Level", CHOICE, required=True, choices=choices_of(Level.choices), example="1"),
        _on("Set on", "2024-06-10", required=True),
        _text("Reason", "Initial level on identification"),
        _email("Set by email", required=True),
    ),
    feeds="Every level set, kept as history (001 §8); level 1 meetings run from each level 1 set.",
    prefix="ML",
)

REGISTER_SHARES = Kind(
    "register_shares",
    "MAPPA register shares",
    "Share ID",
    (
        _id("Share ID", "RS-2024Q2"),
        _text("Quarter", "2024-Q2", "YYYY-Qn: one share per quarter", required=True, max_length=7),
        _on("Shared on", "2024-06-28", "On or after the quarter started", required=True),
        _email("Shared by email", TM, "The development or service manager", required=True),
        Column("Rows", NUMBER, example="4", notes="Open MAPPA records shared. Blank: 0"),
    ),
    feeds="The MAPPA register's quarterly share with the MAPPA unit (001 §8): that quarter's task is done.",
    prefix="RS",
)

TRANSFERS: tuple[Kind, ...] = (
    MAPPA_LEVELS,
    INTERNAL_TRANSFERS,
    TRANSFERS_IN,
    CARETAKING,
    TRANSFERS_OUT,
    REGISTER_SHARES,
)
