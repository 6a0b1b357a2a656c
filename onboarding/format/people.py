"""The files about people: teams, staff, children and their agreed levels."""

from cases.models import Gender, Role, Team

from .base import CASE_NUMBER, CHOICE, DATE, EMAIL, LEVELS, YESNO, Column, Kind, choices_of

PEOPLE: tuple[Kind, ...] = (
    Kind(
        "teams",
        "Teams",
        "Team name",
        (
            Column("Team name", required=True, example="North locality team", max_length=80),
            Column(
                "Team kind",
                CHOICE,
                choices=choices_of(Team.Kind.choices),
                example="locality",
                notes="Blank: locality",
            ),
        ),
        feeds="Who sees which children; caseloads and the dashboards by team.",
    ),
    Kind(
        "staff",
        "Staff",
        "Email",
        (
            Column("Email", EMAIL, required=True, example="sam.okafor@yjs.example.gov.uk", max_length=254),
            Column("First name", required=True, example="Sam", max_length=150),
            Column("Last name", required=True, example="Okafor", max_length=150),
            Column(
                "Username",
                example="sam.okafor",
                notes="Blank: the part of the email before @",
                max_length=150,
            ),
            Column("Role", CHOICE, required=True, choices=choices_of(Role.choices), example="case_manager"),
            Column("Team", example="North locality team", notes="A team in teams.csv or already here"),
            Column(
                "Line manager email",
                EMAIL,
                example="tess.adeyemi@yjs.example.gov.uk",
                notes="Someone in staff.csv or already here; walks the supervision chain (000 §2, 002)",
            ),
            Column(
                "Gender",
                CHOICE,
                choices=choices_of(Gender.choices),
                example="female",
                notes="Blank: not stated",
            ),
            Column("Active", YESNO, example="yes", notes="Blank: yes. A leaver is imported as no"),
            Column(
                "Started on",
                DATE,
                example="2021-09-01",
                past=True,
                notes="When they joined the service; places their first supervision (000 §4.1, 002). "
                "Blank: the day of the import",
            ),
        ),
        feeds="Allocation (003 §2-§3), supervision (000 §4, 002), sign-off (001 App. 1).",
    ),
    Kind(
        "children",
        "Children",
        "Case number",
        (
            CASE_NUMBER,
            Column("First name", required=True, example="Jordan", max_length=80),
            Column("Last name", required=True, example="Blake", max_length=80),
            Column("Date of birth", DATE, required=True, example="2010-03-14", past=True),
            Column("Gender identity", CHOICE, choices=choices_of(Gender.choices), example="male"),
            Column("Gender differs from birth", YESNO, example="no", notes="003 §2.3"),
            Column("Ethnicity", example="White British", max_length=80),
            Column("Team", required=True, example="North locality team", notes="The child's locality team"),
            Column(
                "Case manager email",
                EMAIL,
                example="sam.okafor@yjs.example.gov.uk",
                notes="Who holds the case now (a closed case keeps its last); in staff. Their allocation "
                "history is allocations.csv",
            ),
            Column("Looked after", YESNO, example="no", notes="In care"),
            Column("Open to CSC", YESNO, example="yes", notes="Open to Children's Social Care (000 §1.4)"),
            Column("Open", YESNO, example="yes", notes="Blank: yes. A closed case is imported as no"),
        ),
        feeds="Every obligation is the child's; looked after and CSC decide the combined meetings (001 §6.5).",
    ),
    Kind(
        "levels",
        "Levels agreed",
        "Case number",
        (
            CASE_NUMBER,
            Column("Agreed on", DATE, required=True, example="2024-05-02", past=True),
            Column("RoSH", CHOICE, required=True, choices=LEVELS, example="medium"),
            Column("SaW", CHOICE, required=True, choices=LEVELS, example="high"),
            Column("LoR", CHOICE, required=True, choices=LEVELS, example="medium"),
        ),
        feeds="Each row is a change of agreed levels; the latest are the child's. They place the risk "
        "review CMMs and the contact levels (000 §1.3, 001 §4-§6).",
    ),
)
