"""The files of a child's court history: Crown Court tracking and hearings awaited (003 §9-§10, App. C),
further offences and bail applications (the CMMs they call, 000 §1.3)."""

from courts.models import AwaitingHearing, Band, CrownCourtTracking, Seriousness
from courts.services import END_REASONS

from .base import CASE_NUMBER, CHOICE, DATE, DATETIME, EMAIL, LEVELS, YESNO, Column, Kind, choices_of

PRINCIPLE_CODES = ", ".join(f"`{code}`" for code, _ in CrownCourtTracking.PRINCIPLES)

COURTS: tuple[Kind, ...] = (
    Kind(
        "crown_court",
        "Crown Court tracking",
        "Tracking ID",
        (
            Column("Tracking ID", required=True, example="CC-310", max_length=60),
            CASE_NUMBER,
            Column(
                "First appearance at",
                DATETIME,
                required=True,
                example="2024-05-02 10:00",
                past=True,
                notes="At the Crown Court (UK time): the 48-hour allocation runs from it (003 §9.2)",
            ),
            Column(
                "Court",
                example="Nottingham Crown Court",
                max_length=120,
                notes="Blank: Nottingham Crown Court",
            ),
            Column("Offence", required=True, example="Robbery", max_length=200, notes="The alleged offence"),
            Column(
                "Seriousness",
                CHOICE,
                required=True,
                choices=choices_of(Seriousness.choices),
                example="medium",
            ),
            Column("RoSH at screening", CHOICE, choices=LEVELS, example="medium"),
            Column("SaW at screening", CHOICE, choices=LEVELS, example="low"),
            Column(
                "Band",
                CHOICE,
                required=True,
                choices=choices_of(Band.choices),
                example="a",
                notes="The screening decision (003 §9.2): Band B for high seriousness or a High or Very High "
                "RoSH or SaW; the other band needs screening notes",
            ),
            Column("Screening notes", example=""),
            Column("Next hearing on", DATE, example="2024-06-20", notes="May be in the future"),
            Column(
                "Principles done",
                example="details_given; monthly_contact",
                notes=f"The case tracking principles done (003 §9), separated by `;`: {PRINCIPLE_CODES}",
            ),
            Column(
                "Oversight decision",
                example="Case manager to attend the trial",
                notes="Management oversight: trial attendance and welfare support (003 §9.5)",
            ),
            Column("Oversight by email", EMAIL, example="tess.adeyemi@yjs.example.gov.uk"),
            Column("Oversight on", DATE, example="2024-05-06", past=True, notes="Required with a decision"),
            Column("Home YJS", example="", max_length=120, notes="A child from out of area (003 §9.7)"),
            Column("Ended on", DATE, example="", past=True, notes="Blank while the tracking runs"),
            Column(
                "Outcome", example="", max_length=200, notes="At the Crown Court; required with an end date"
            ),
            Column(
                "How it ended",
                CHOICE,
                choices=tuple((str(r.value), str(r.label)) for r in END_REASONS),
                example="",
                notes="Blank: sentenced. Closes the programme this row starts (blank Programme ID)",
            ),
            Column("Recorded by email", EMAIL, required=True, example="tess.adeyemi@yjs.example.gov.uk"),
            Column(
                "Programme ID",
                example="",
                notes="Its `crown_court_tracking` programme in programmes.csv; blank: the import starts it "
                "on the first appearance's day (and ends it with the tracking)",
            ),
        ),
        feeds="Crown Court tracking's timescales (003 §9): allocation, first contact, regular contact and face "
        "to face; the child's Court tab.",
        prefix="CC",
    ),
    Kind(
        "hearings_awaited",
        "Hearings awaited (Magistrates' Court)",
        "Hearing ID",
        (
            Column("Hearing ID", required=True, example="AH-77", max_length=60),
            CASE_NUMBER,
            Column(
                "Hearing on",
                DATE,
                required=True,
                example="2024-07-15",
                notes="The next hearing (may be in the future)",
            ),
            Column(
                "Court",
                example="Nottingham Magistrates' Court",
                max_length=120,
                notes="Blank: Nottingham Magistrates' Court",
            ),
            Column("Offence", required=True, example="Criminal damage", max_length=200),
            Column(
                "Listed on",
                DATE,
                required=True,
                example="2024-05-20",
                past=True,
                notes="Added to the court lead's list (from the 'Future Court' report)",
            ),
            Column("Adjournment over six weeks", YESNO, example="yes", notes="App. C question 1"),
            Column("Risk to others", YESNO, example="no", notes="App. C question 2"),
            Column("No other agencies", YESNO, example="yes", notes="App. C question 3"),
            Column("Circumstances", example="", notes="003 §10.2"),
            Column(
                "Decision",
                CHOICE,
                choices=choices_of(AwaitingHearing.Decision.choices),
                example="offer",
                notes="Blank: pending (not yet screened); any other needs the screening and App. C answers",
            ),
            Column("Screened by email", EMAIL, example="tess.adeyemi@yjs.example.gov.uk"),
            Column("Screened on", DATE, example="2024-05-21", past=True),
            Column("Decision notes", example=""),
            Column(
                "Answered on",
                DATE,
                example="",
                past=True,
                notes="The child's answer to the offer: for an accepted offer without a Programme ID, "
                'My Futures starts that day (003 §10.3); kept in the decision notes ("Declined on ...")',
            ),
            Column("Added by email", EMAIL, required=True, example="tess.adeyemi@yjs.example.gov.uk"),
            Column(
                "Programme ID",
                example="",
                notes="An accepted offer: its `my_future` programme in programmes.csv",
            ),
        ),
        feeds="The court lead's Magistrates' Court list and the My Futures offer (003 §10, App. C); an "
        "accepted offer's My Future programme and its timescales.",
        prefix="AH",
    ),
    Kind(
        "further_offences",
        "Further offences",
        "Offence ID",
        (
            Column("Offence ID", required=True, example="FO-12", max_length=60),
            CASE_NUMBER,
            Column("Description", required=True, example="Theft from a shop"),
            Column("Offence date", DATE, example="2024-04-02", past=True),
            Column(
                "PSR court date",
                DATE,
                example="2024-05-14",
                notes="A pre-sentence report requested: the CMM is held before it (may be in the future)",
            ),
            Column(
                "Sentence date",
                DATE,
                example="",
                past=True,
                notes="Sentenced without a PSR: the re-offending CMM runs from it",
            ),
            Column("Recorded on", DATE, required=True, example="2024-04-10", past=True),
            Column("Recorded by email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
        ),
        feeds="The re-offending CMM (000 §1.3): before the PSR court date, or after the sentence.",
        prefix="FO",
    ),
    Kind(
        "bail_applications",
        "Bail applications",
        "Application ID",
        (
            Column("Application ID", required=True, example="BA-4", max_length=60),
            CASE_NUMBER,
            Column("Bail date", DATE, required=True, example="2024-05-28", notes="May be in the future"),
            Column("Court", example="County Youth Court", max_length=120),
            Column("Notes", example=""),
            Column("Recorded on", DATE, required=True, example="2024-05-20", past=True),
            Column("Recorded by email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk"),
        ),
        feeds="The bail strategy CMM, held before the bail application (000 §1.3).",
        prefix="BA",
    ),
)
