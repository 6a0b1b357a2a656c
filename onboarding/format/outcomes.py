"""The files of a child's KPI facts (issue 21, ADR 0022): accommodation, education, special needs, health
screenings, wider services, offences and victims; and the management board's meetings (a service file).

Each dated record is its own row (its history kept as rows: a move, a new school, a later screening), so
the KPI snapshots the product takes at each intervention's start and end (outcomes/snapshots.py) read the
same records as they did in the old system. `Recorded at` keeps the time each record was entered there:
a snapshot is complete from the day its last fact was on the record, which dates the `kpi.start_snapshot`
and `kpi.end_snapshot` obligations.
"""

from outcomes.models import (
    Accommodation,
    BoardAttendance,
    Education,
    HealthNeed,
    Offence,
    SpecialNeed,
    VictimContact,
    WiderService,
)

from .base import CASE_NUMBER, CHOICE, DATE, DATETIME, EMAIL, TEXT, YESNO, Column, Kind, choices_of

RECORDED_BY = Column(
    "Recorded by email", EMAIL, required=True, example="omar.quillfeather@yjs.example.gov.uk"
)
RECORDED_AT = Column(
    "Recorded at",
    DATETIME,
    example="2025-12-01 11:20",
    past=True,
    notes="When it was entered in the old system (UK time): a KPI snapshot is complete from the day its "
    "last fact was entered. Blank: the time of the import",
)
NOTES = Column("Notes", example="")
UNTIL = Column("Until", DATE, example="", notes="Blank while it still holds")
HOURS_NOTES = "Hours a week, from 0 to 60, at most one decimal place (like 25 or 12.5)"
GRAVITY = tuple((str(n), str(n)) for n in range(1, 9))
# The board's statutory partners, each with two columns: attendance and data brought (KPI 7).
PARTNER_NAMES: dict[str, str] = {
    BoardAttendance.Partner.CHILDRENS_SERVICES: "Children's services",
    BoardAttendance.Partner.EDUCATION: "Education",
    BoardAttendance.Partner.POLICE: "Police",
    BoardAttendance.Partner.PROBATION: "Probation",
    BoardAttendance.Partner.HEALTH: "Health",
}
ATTENDANCE = (
    ("absent", "Did not attend"),
    ("attended", "Attended"),
    ("senior", "Attended, by someone senior enough to commit resources"),
)


def attendance_column(partner: str) -> str:
    return f"{PARTNER_NAMES[partner]} attendance"


def data_column(partner: str) -> str:
    return f"{PARTNER_NAMES[partner]} data"


def _from(example: str, name: str = "From") -> Column:
    return Column(name, DATE, required=True, example=example, past=True)


OUTCOMES: tuple[Kind, ...] = (
    Kind(
        "accommodation",
        "Accommodation",
        "Accommodation ID",
        (
            Column("Accommodation ID", required=True, example="ACC-301", max_length=60),
            CASE_NUMBER,
            Column(
                "Type",
                CHOICE,
                required=True,
                choices=choices_of(Accommodation.Kind.choices),
                example="parents",
            ),
            Column("Suitable", YESNO, required=True, example="yes", notes="The YJB's KPI 1"),
            _from("2025-06-02"),
            UNTIL,
            NOTES,
            RECORDED_BY,
            RECORDED_AT,
        ),
        feeds="KPI 1: suitable accommodation at each intervention's start and end (its snapshots).",
        prefix="KA",
    ),
    Kind(
        "education",
        "Education, training and employment",
        "ETE ID",
        (
            Column("ETE ID", required=True, example="ETE-410", max_length=60),
            CASE_NUMBER,
            Column(
                "Provision",
                CHOICE,
                required=True,
                choices=choices_of(Education.Provision.choices),
                example="mainstream_school",
            ),
            Column("Hours offered", TEXT, example="25", notes=HOURS_NOTES),
            Column("Hours attended", TEXT, example="20.5", notes=f"{HOURS_NOTES}; not more than offered"),
            Column("Suitable", YESNO, required=True, example="yes"),
            _from("2025-09-03"),
            UNTIL,
            NOTES,
            RECORDED_BY,
            RECORDED_AT,
        ),
        feeds="KPI 2 and 3: ETE and hours at each intervention's start and end (its snapshots).",
        prefix="KE",
    ),
    Kind(
        "special_needs",
        "Special educational needs (SEND, ALN)",
        "SEND ID",
        (
            Column("SEND ID", required=True, example="SEN-52", max_length=60),
            CASE_NUMBER,
            Column(
                "Identified",
                YESNO,
                example="yes",
                notes="Blank: yes. no: assessed and none found (then the plan is none)",
            ),
            Column("Need", example="Speech, language and communication", max_length=200),
            Column(
                "Plan", CHOICE, required=True, choices=choices_of(SpecialNeed.Plan.choices), example="ehcp"
            ),
            Column(
                "Plan academic year",
                example="2025/26",
                max_length=7,
                notes="Like 2025/26; required with a plan",
            ),
            _from("2025-09-03"),
            UNTIL,
            NOTES,
            RECORDED_BY,
            RECORDED_AT,
        ),
        feeds="KPI 3: SEND and a current formal learning plan (its snapshots).",
        prefix="KS",
    ),
    Kind(
        "health_needs",
        "Health screenings",
        "Screening ID",
        (
            Column("Screening ID", required=True, example="HS-77", max_length=60),
            CASE_NUMBER,
            Column(
                "Area",
                CHOICE,
                required=True,
                choices=choices_of(HealthNeed.Area.choices),
                example="mental_health",
            ),
            _from("2025-11-24", "Screened on"),
            Column(
                "Need identified", YESNO, required=True, example="yes", notes="A need for an intervention"
            ),
            Column(
                "Intervention",
                example="CAMHS assessment",
                max_length=200,
                notes="Planned or offered; only where a need was found",
            ),
            Column("Offered on", DATE, example="2025-12-01", notes="Planned or offered on"),
            Column("Attending", YESNO, example="yes", notes="Blank: not known yet"),
            Column("Until", DATE, example="", notes="The day a later screening replaced it"),
            NOTES,
            RECORDED_BY,
            RECORDED_AT,
        ),
        feeds="KPI 4 and 5: mental health and substance misuse screenings, offers and attendance.",
        prefix="KH",
    ),
    Kind(
        "wider_services",
        "Wider services",
        "Service ID",
        (
            Column("Service ID", required=True, example="WS-19", max_length=60),
            CASE_NUMBER,
            Column(
                "Service",
                CHOICE,
                required=True,
                choices=choices_of(WiderService.Kind.choices),
                example="early_help",
            ),
            _from("2025-04-14"),
            UNTIL,
            NOTES,
            RECORDED_BY,
            RECORDED_AT,
        ),
        feeds="KPI 8: Early Help, Child in Need, Child Protection, looked after (its snapshots).",
        prefix="KW",
    ),
    Kind(
        "offences",
        "Offences",
        "Offence ID",
        (
            Column("Offence ID", required=True, example="OF-2201", max_length=60),
            CASE_NUMBER,
            Column("Offence", required=True, example="Theft from a shop", max_length=200),
            Column(
                "Category",
                CHOICE,
                required=True,
                choices=choices_of(Offence.Category.choices),
                example="theft",
            ),
            Column(
                "Gravity", CHOICE, required=True, choices=GRAVITY, example="2", notes="The YJB score, 1 to 8"
            ),
            Column("Serious violence", YESNO, example="no", notes="Blank: no"),
            Column("Committed on", DATE, required=True, example="2025-10-20", past=True),
            Column("Proven on", DATE, example="2025-12-01", notes="The outcome or sentence date"),
            Column(
                "Programme ID",
                example="ORD-1",
                notes="The child's own order it led to, in programmes.csv or imported before",
            ),
            NOTES,
            RECORDED_BY,
            RECORDED_AT,
        ),
        feeds="KPI 9: offences proven, gravity and serious violence.",
        prefix="KO",
    ),
    Kind(
        "victim_contacts",
        "Victims",
        "Victim ID",
        (
            Column("Victim ID", required=True, example="VC-88", max_length=60),
            CASE_NUMBER,
            Column(
                "Victim reference",
                required=True,
                example="VR-00031",
                max_length=40,
                notes="The police or victim service's reference, with a digit; never a name",
            ),
            Column(
                "Victim kind",
                CHOICE,
                choices=choices_of(VictimContact.Kind.choices),
                example="business",
                notes="Blank: person",
            ),
            Column("Identified on", DATE, required=True, example="2025-12-03", past=True),
            Column("Offence ID", example="OF-2201", notes="The child's offence, in offences.csv"),
            Column("Consented", YESNO, example="yes", notes="To be contacted. Blank: not asked yet"),
            Column("Views sought", YESNO, example="yes", notes="Blank: no"),
            Column("Information given", YESNO, example="yes", notes="Blank: no"),
            Column("RJ offered", YESNO, example="yes", notes="Restorative justice. Blank: no"),
            Column("RJ taken part", YESNO, example="no", notes="Blank: no"),
            Column(
                "Programme ID", example="ORD-1", notes="The child's own, in programmes.csv or imported before"
            ),
            Column("Notes", example="", notes="Never the victim's name"),
            RECORDED_BY,
            RECORDED_AT,
        ),
        feeds="KPI 10: victims contacted, their views, information and restorative justice.",
        prefix="KV",
    ),
    Kind(
        "board_meetings",
        "Management board meetings",
        "Board meeting ID",
        (
            Column("Board meeting ID", required=True, example="BRD-12", max_length=60),
            Column(
                "Held on", DATE, required=True, example="2026-02-17", past=True, notes="One meeting a day"
            ),
            *(
                column
                for partner in PARTNER_NAMES
                for column in (
                    Column(
                        attendance_column(partner),
                        CHOICE,
                        required=True,
                        choices=ATTENDANCE,
                        example="senior",
                    ),
                    Column(
                        data_column(partner),
                        YESNO,
                        example="yes",
                        notes="Brought their agency's data. Blank: no",
                    ),
                )
            ),
            NOTES,
            RECORDED_BY,
        ),
        feeds="KPI 7: each statutory partner's attendance at the management board, and its seniority.",
        prefix="KB",
    ),
)
