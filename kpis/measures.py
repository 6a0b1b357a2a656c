"""The YJB's ten key performance indicators and their measures, defined once (issue 21).

Each measure has a code, a title, the words for its numerator and its denominator, where its figures come
from and what it counts. The KPI page, the CSV and XLSX exports, the `kpi_report` command and the
quarterly return's summary all take their words from this table, so they cannot say different things;
the arithmetic is in kpis/selectors/figures.py, one function per measure code.

Points: "start" figures come from the start snapshots of the interventions that started in the quarter,
"end" figures from the end snapshots of those that ended in it (outcomes.Snapshot); "quarter" figures
are the quarter's own events (out-of-court interventions ended, offences proven, victims identified,
board meetings held).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

START, END, QUARTER = "start", "end", "quarter"
POINT_LABELS = {START: "Start of intervention", END: "End of intervention", QUARTER: "In the quarter"}
SNAPSHOT_POINTS = (START, END)


@dataclass(frozen=True)
class Kpi:
    """One of the ten KPIs."""

    number: int
    title: str
    summary: str


@dataclass(frozen=True)
class Measure:
    """One numerator over one denominator of a KPI."""

    code: str
    kpi: int
    title: str
    numerator: str
    denominator: str
    source: str
    unit: str = "children"
    points: tuple[str, ...] = SNAPSHOT_POINTS
    # Whether a figure has children behind it to list (board attendance has none).
    drill: bool = True


KPIS = (
    Kpi(1, "Accommodation", "Children in the community and released from custody with suitable accommodation"),
    Kpi(2, "Education, training and employment", "Children in a suitable education, training or employment arrangement, and the hours school-age children attend"),
    Kpi(3, "Special educational needs and disabilities (SEND/ALN)", "Children with an identified need who are in suitable ETE and have a formal learning plan for the current academic year"),
    Kpi(4, "Mental health and emotional wellbeing", "Children screened with a need for an intervention; of those, offered one; of those, attending"),
    Kpi(5, "Substance misuse", "Children screened with a need for specialist treatment; of those, offered it; of those, attending"),
    Kpi(6, "Out-of-court disposals", "Out-of-court interventions that ended in the quarter: completed and not completed"),
    Kpi(7, "Management board attendance", "Each statutory partner's attendance at the YJS management board, and at a senior level"),
    Kpi(8, "Wider services", "Children on an Early Help plan, a Child in Need or Child Protection plan, or looked after"),
    Kpi(9, "Serious violence", "Children with a serious violence offence proven in the quarter"),
    Kpi(10, "Victims", "Victims identified in the quarter: consent to contact, views sought, information given, restorative justice"),
)  # fmt: skip

SNAP = "The snapshots taken at the start and end of each intervention"
CUSTODY_END = "The snapshots taken at the end of DTO / section 91 custody (release from custody)"

_MEASURES = [
    Measure("1.suitable", 1, "Suitable accommodation", "children in suitable accommodation", "children whose accommodation is recorded", f"{SNAP}: accommodation"),
    Measure("1.custody_release", 1, "Suitable accommodation on release from custody", "children released to suitable accommodation", "children released from custody whose accommodation is recorded", f"{CUSTODY_END}: accommodation", points=(END,)),
    Measure("2.suitable", 2, "In suitable ETE", "children in a suitable education, training or employment arrangement", "children whose ETE is recorded", f"{SNAP}: ETE"),
    Measure("2.hours", 2, "Hours attended by school-age children", "hours a week attended", "hours a week offered", f"{SNAP}: ETE hours, children of compulsory school age with both recorded", unit="hours a week"),
    Measure("3.identified", 3, "SEND or ALN identified", "children with an identified special educational need or disability", "children whose SEND is recorded", f"{SNAP}: SEND"),
    Measure("3.suitable_ete", 3, "Of those, in suitable ETE", "children with SEND in suitable ETE", "children with an identified SEND", f"{SNAP}: SEND and ETE"),
    Measure("3.formal_plan", 3, "Of those, a formal learning plan for this academic year", "children with SEND with a formal plan (EHCP, IDP or SEN support) for the current academic year", "children with an identified SEND", f"{SNAP}: SEND plan"),
    Measure("4.need", 4, "Mental health need identified", "children screened with a need for an intervention", "children screened", f"{SNAP}: mental health"),
    Measure("4.offered", 4, "Of those, intervention planned or offered", "children offered an intervention", "children with an identified need", f"{SNAP}: mental health"),
    Measure("4.attending", 4, "Of those, attending", "children attending the intervention", "children offered an intervention", f"{SNAP}: mental health"),
    Measure("5.need", 5, "Substance misuse need identified", "children screened with a need for specialist treatment", "children screened", f"{SNAP}: substance misuse"),
    Measure("5.offered", 5, "Of those, treatment planned or offered", "children offered treatment", "children with an identified need", f"{SNAP}: substance misuse"),
    Measure("5.attending", 5, "Of those, attending", "children attending treatment", "children offered treatment", f"{SNAP}: substance misuse"),
    Measure("6.completed", 6, "Completed", "out-of-court interventions completed", "out-of-court interventions that ended", "Programmes (out of court with intervention, Youth Conditional Caution) ended in the quarter: closure reason", unit="children", points=(QUARTER,)),
    Measure("6.not_completed", 6, "Not completed", "out-of-court interventions ended without completion", "out-of-court interventions that ended", "Programmes (out of court with intervention, Youth Conditional Caution) ended in the quarter: closure reason", unit="children", points=(QUARTER,)),
    Measure("8.early_help", 8, "Early Help plan", "children on an Early Help plan", "children whose snapshot was taken", f"{SNAP}: wider services"),
    Measure("8.child_in_need", 8, "Child in Need plan", "children on a Child in Need plan", "children whose snapshot was taken", f"{SNAP}: wider services"),
    Measure("8.child_protection", 8, "Child Protection plan", "children on a Child Protection plan", "children whose snapshot was taken", f"{SNAP}: wider services"),
    Measure("8.looked_after", 8, "Looked after", "children looked after", "children whose snapshot was taken", f"{SNAP}: wider services"),
    Measure("9.children", 9, "Children with a serious violence offence proven", "children with a serious violence offence proven in the quarter", "children with any offence proven in the quarter", "Offences proven in the quarter", points=(QUARTER,)),
    Measure("9.offences", 9, "Serious violence offences proven", "serious violence offences proven in the quarter", "offences proven in the quarter", "Offences proven in the quarter", unit="offences", points=(QUARTER,)),
    Measure("10.consented", 10, "Consented to be contacted", "victims who consented to be contacted", "victims identified in the quarter", "Victims identified in the quarter", unit="victims", points=(QUARTER,)),
    Measure("10.views_sought", 10, "Asked for their views", "victims asked for their views", "victims who consented to be contacted", "Victims identified in the quarter", unit="victims", points=(QUARTER,)),
    Measure("10.information_given", 10, "Given information about the case", "victims given information", "victims who consented to be contacted", "Victims identified in the quarter", unit="victims", points=(QUARTER,)),
    Measure("10.rj_offered", 10, "Offered restorative justice", "victims offered restorative justice", "victims who consented to be contacted", "Victims identified in the quarter", unit="victims", points=(QUARTER,)),
    Measure("10.rj_taken_part", 10, "Took part in restorative justice", "victims who took part in restorative justice", "victims offered restorative justice", "Victims identified in the quarter", unit="victims", points=(QUARTER,)),
]  # fmt: skip

# KPI 7: two measures for each statutory partner on the board (outcomes.BoardAttendance.Partner).
PARTNERS = (
    ("childrens_services", "Local authority children's services"),
    ("education", "Education"),
    ("police", "Police"),
    ("probation", "Probation"),
    ("health", "Health"),
)
BOARD = "Management board meetings held in the quarter, and who attended"
for _key, _name in PARTNERS:
    _MEASURES += [
        Measure(f"7.{_key}.attended", 7, f"{_name}: attended", f"meetings {_name.lower()} attended", "meetings held in the quarter", BOARD, unit="meetings", points=(QUARTER,), drill=False),
        Measure(f"7.{_key}.senior", 7, f"{_name}: attended at a senior level", f"meetings {_name.lower()} attended by someone senior enough to commit resources", "meetings held in the quarter", BOARD, unit="meetings", points=(QUARTER,), drill=False),
    ]  # fmt: skip

MEASURES: tuple[Measure, ...] = tuple(sorted(_MEASURES, key=lambda m: m.kpi))  # stable: the table's order
BY_CODE = {m.code: m for m in MEASURES}
KPI_BY_NUMBER = {k.number: k for k in KPIS}


def measures_of(kpi: int) -> list[Measure]:
    """The measures of one KPI, in the table's order."""
    return [m for m in MEASURES if m.kpi == kpi]


def percent(numerator, denominator) -> Decimal | None:
    """The percentage to one decimal place (half up), or None when the denominator is 0."""
    if not denominator:
        return None
    value = Decimal(str(numerator)) * 100 / Decimal(str(denominator))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent_text(numerator, denominator) -> str:
    """`75.0%`, or `–` when the denominator is 0 (the page's and exports' words for no figure)."""
    value = percent(numerator, denominator)
    return "–" if value is None else f"{value}%"
