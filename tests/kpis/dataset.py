"""The hand-worked dataset for 2026Q3 (1 July to 30 September 2026), and every figure worked out by hand.

Start cohort (interventions starting in Q3): Amara (YRO, 10 Jul), Bilal (Referral Order, 30 Sep: the
quarter's last day), Dara (DTO licence, 15 Aug; ETE not recorded), Idris (specific intervention, 1 Aug; no
start snapshot). Cyrus's YRO starts on 1 Oct: Q4, not counted. A PSR (not an intervention) is ignored.
End cohort (ending in Q3): Dara (DTO custody, released 15 Aug), Esme (out of court, completed 31 Jul; no
ethnicity; SEND not recorded), Faris (Youth Conditional Caution, breached 1 Sep; no end snapshot), Gwen
(out of court, 20 Sep, no closure reason). North holds Amara, Bilal, Faris, Gwen, Idris; South Dara, Esme,
Cyrus.
"""

import datetime
from decimal import Decimal

from cases.models import Programme
from demo.factories import ChildFactory, ProgrammeFactory
from outcomes.models import Snapshot

from .factories import (
    BoardMeetingFactory,
    OffenceFactory,
    SnapshotFactory,
    VictimFactory,
    attendance,
    ete,
    health,
    values,
)

D = datetime.date
K = Programme.Kind
QUARTER = "2026Q3"
START, END = Snapshot.Point.START, Snapshot.Point.END


def build_dataset(*, north, south, recorder) -> dict:
    """The children, programmes, snapshots, offences, victims and board meetings worked by hand below."""

    def child(first, team, ethnicity="White British", number=None):
        return ChildFactory(
            first_name=first, last_name="Kpitest", team=team, ethnicity=ethnicity, case_number=number
        )

    kids = {
        "amara": child("Amara", north, number="YJ700001"),
        "bilal": child("Bilal", north, number="YJ700002"),
        "cyrus": child("Cyrus", south, number="YJ700003"),
        "dara": child("Dara", south, number="YJ700004"),
        "esme": child("Esme", south, ethnicity="", number="YJ700005"),
        "faris": child("Faris", north, number="YJ700006"),
        "gwen": child("Gwen", north, number="YJ700007"),
        "idris": child("Idris", north, number="YJ700008"),
    }
    k = kids
    amara = ProgrammeFactory(child=k["amara"], kind=K.YRO, start_date=D(2026, 7, 10))
    SnapshotFactory(
        programme=amara,
        values=values(
            ete=ete(offered=25.0, attended=20.0),
            send={"identified": True, "plan": "ehcp", "plan_current": True},
            mental_health=health(need=True, offered=True, attending=True),
            wider_services=["early_help", "child_in_need"],
        ),
    )
    bilal = ProgrammeFactory(child=k["bilal"], kind=K.REFERRAL_ORDER, start_date=D(2026, 9, 30))
    SnapshotFactory(
        programme=bilal,
        values=values(
            accommodation={"kind": "bed_and_breakfast", "suitable": False},
            ete=ete("none", suitable=False),
            mental_health=health(need=True, offered=True, attending=False),
            substance_misuse=health(need=True, offered=False),
            wider_services=["child_protection"],
        ),
    )
    cyrus = ProgrammeFactory(child=k["cyrus"], kind=K.YRO, start_date=D(2026, 10, 1))
    SnapshotFactory(programme=cyrus, values=values(wider_services=["early_help"]))
    ProgrammeFactory(child=k["cyrus"], kind=K.PSR, start_date=D(2026, 8, 3), length_months=None)
    custody = ProgrammeFactory(
        child=k["dara"], kind=K.DTO_CUSTODY, start_date=D(2026, 1, 5), end_date=D(2026, 8, 15)
    )
    SnapshotFactory(programme=custody, point=START)  # before Q3: not counted
    SnapshotFactory(
        programme=custody,
        point=END,
        values=values(
            ete=ete("college", school_age=False, offered=15.0, attended=15.0),
            send={"identified": True, "plan": "none", "plan_current": False},
            substance_misuse=health(need=True, offered=True, attending=True),
            wider_services=["looked_after"],
        ),
    )
    licence = ProgrammeFactory(child=k["dara"], kind=K.DTO_LICENCE, start_date=D(2026, 8, 15))
    SnapshotFactory(
        programme=licence,
        missing=["ete"],
        values=values(
            substance_misuse=health(need=True, offered=True, attending=True),
            wider_services=["looked_after"],
        ),
    )
    esme = ProgrammeFactory(
        child=k["esme"],
        kind=K.OOCD_INTERVENTION,
        start_date=D(2026, 5, 1),
        end_date=D(2026, 7, 31),
        closure_reason="completed",
    )
    SnapshotFactory(programme=esme, point=START)
    SnapshotFactory(
        programme=esme,
        point=END,
        missing=["send"],
        values=values(ete=ete("training", school_age=False, offered=12.0, attended=16.0)),
    )
    faris = ProgrammeFactory(
        child=k["faris"],
        kind=K.OOCD_YCC,
        start_date=D(2026, 4, 10),
        end_date=D(2026, 9, 1),
        closure_reason="breached",
    )
    SnapshotFactory(programme=faris, point=START)
    gwen = ProgrammeFactory(
        child=k["gwen"], kind=K.OOCD_INTERVENTION, start_date=D(2026, 6, 1), end_date=D(2026, 9, 20)
    )
    SnapshotFactory(
        programme=gwen,
        point=END,
        values=values(
            accommodation={"kind": "no_fixed_abode", "suitable": False},
            ete=ete("none", suitable=False, offered=10.0, attended=5.0),
            send={"identified": True, "plan": "sen_support", "plan_current": False},
            mental_health=health(need=True, offered=True, attending=False),
            wider_services=["early_help"],
        ),
    )
    ProgrammeFactory(child=k["idris"], kind=K.SPECIFIC_INTERVENTION, start_date=D(2026, 8, 1))

    offence = {"recorded_by": recorder}
    OffenceFactory(child=k["amara"], programme=amara, serious_violence=True, gravity=6, **offence)
    OffenceFactory(child=k["amara"], programme=amara, gravity=2, **offence)
    OffenceFactory(child=k["bilal"], serious_violence=True, gravity=5, proven_on=D(2026, 9, 30), **offence)
    OffenceFactory(child=k["dara"], programme=licence, gravity=0, proven_on=D(2026, 7, 1), **offence)
    OffenceFactory(child=k["cyrus"], serious_violence=True, proven_on=D(2026, 10, 1), **offence)

    victim = {"recorded_by": recorder}
    VictimFactory(child=k["amara"], programme=amara, views_sought=True, information_given=True, rj_offered=True, rj_taken_part=True, **victim)  # fmt: skip
    VictimFactory(child=k["amara"], programme=amara, views_sought=True, rj_offered=True, **victim)
    VictimFactory(child=k["bilal"], consented=False, **victim)
    VictimFactory(child=k["dara"], programme=licence, consented=None, **victim)
    VictimFactory(child=k["cyrus"], identified_on=D(2026, 10, 1), **victim)

    first = BoardMeetingFactory(held_on=D(2026, 7, 15), recorded_by=recorder)
    last = BoardMeetingFactory(held_on=D(2026, 9, 30), recorded_by=recorder)
    later = BoardMeetingFactory(held_on=D(2026, 10, 1), recorded_by=recorder)
    attendance(first, "police", senior=True)
    attendance(last, "police")
    attendance(first, "health")
    attendance(last, "health", attended=False)
    attendance(later, "education", senior=True)
    return kids


# (code, point) -> (numerator, denominator) for all children, worked by hand from the docstring's cohorts.
EXPECTED = {
    ("1.suitable", "start"): (2, 3),  # Amara yes, Bilal no, Dara yes
    ("1.suitable", "end"): (2, 3),  # Dara yes, Esme yes, Gwen no (Faris: no snapshot)
    ("1.custody_release", "end"): (1, 1),  # Dara
    ("2.suitable", "start"): (1, 2),  # Amara; Bilal no; Dara's ETE not recorded
    ("2.suitable", "end"): (2, 3),  # Dara, Esme; Gwen no
    ("2.hours", "start"): (Decimal("20"), Decimal("25")),  # Amara's 20 of 25
    ("2.hours", "end"): (Decimal("5"), Decimal("10")),  # Gwen's 5 of 10 (Dara and Esme over school age)
    ("3.identified", "start"): (1, 3),  # Amara
    ("3.identified", "end"): (2, 2),  # Dara, Gwen (Esme's SEND not recorded)
    ("3.suitable_ete", "start"): (1, 1),
    ("3.suitable_ete", "end"): (1, 2),  # Dara yes, Gwen no
    ("3.formal_plan", "start"): (1, 1),  # Amara's EHCP for this year
    ("3.formal_plan", "end"): (0, 2),  # Dara none; Gwen's plan is last year's
    ("4.need", "start"): (2, 3),
    ("4.need", "end"): (1, 3),
    ("4.offered", "start"): (2, 2),
    ("4.offered", "end"): (1, 1),
    ("4.attending", "start"): (1, 2),
    ("4.attending", "end"): (0, 1),
    ("5.need", "start"): (2, 3),  # Bilal, Dara
    ("5.need", "end"): (1, 3),  # Dara
    ("5.offered", "start"): (1, 2),
    ("5.offered", "end"): (1, 1),
    ("5.attending", "start"): (1, 1),
    ("5.attending", "end"): (1, 1),
    ("6.completed", "quarter"): (1, 3),  # Esme; Faris breached, Gwen no reason
    ("6.not_completed", "quarter"): (2, 3),
    ("7.police.attended", "quarter"): (2, 2),
    ("7.police.senior", "quarter"): (1, 2),
    ("7.health.attended", "quarter"): (1, 2),
    ("7.health.senior", "quarter"): (0, 2),
    ("7.education.attended", "quarter"): (0, 2),  # only at the October meeting
    ("7.probation.attended", "quarter"): (0, 2),
    ("8.early_help", "start"): (1, 3),
    ("8.early_help", "end"): (1, 3),
    ("8.child_in_need", "start"): (1, 3),
    ("8.child_in_need", "end"): (0, 3),
    ("8.child_protection", "start"): (1, 3),
    ("8.child_protection", "end"): (0, 3),
    ("8.looked_after", "start"): (1, 3),
    ("8.looked_after", "end"): (1, 3),
    ("9.children", "quarter"): (2, 3),  # Amara, Bilal of Amara, Bilal, Dara
    ("9.offences", "quarter"): (2, 4),
    ("10.consented", "quarter"): (2, 4),
    ("10.views_sought", "quarter"): (2, 2),
    ("10.information_given", "quarter"): (1, 2),
    ("10.rj_offered", "quarter"): (2, 2),
    ("10.rj_taken_part", "quarter"): (1, 2),
}
# The same, by team and programme type, for a few lines: (code, point, group name) -> (numerator, denominator).
EXPECTED_LINES = {
    ("1.suitable", "start", "North locality team"): (1, 2),
    ("1.suitable", "start", "South locality team"): (1, 1),
    ("1.suitable", "start", "Youth Rehabilitation Order"): (1, 1),
    ("1.suitable", "start", "Referral Order"): (0, 1),
    ("6.completed", "quarter", "North locality team"): (0, 2),
    ("6.completed", "quarter", "South locality team"): (1, 1),
    ("9.children", "quarter", "Not linked to a programme"): (1, 1),
    ("10.consented", "quarter", "Youth Rehabilitation Order"): (2, 2),
}
