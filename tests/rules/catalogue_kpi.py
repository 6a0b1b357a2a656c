"""Catalogue cases for the service's KPI snapshot codes (issue 21): every profile carries them.

kpi.start_snapshot: 15 working days after kpi_intervention_started; kpi.end_snapshot: 10 working days
after kpi_intervention_ended; each met only by a kpi_snapshot_completed of the same intervention and
point. Bank holidays in England used here: 2024-03-29/04-01 (Easter), 2024-05-27, 2024-12-25/26,
2025-01-01.
"""


def F(type_, date, **fields):
    """A fact."""
    return {"type": type_, "date": date, **fields}


KPI_CASES = [
    dict(
        id="kpi-start-easter",
        # Thu 21 Mar 2024 + 15 wd: 22 (1), 25-28 (5), skip Good Friday 29 Mar and Easter Monday 1 Apr,
        # 2-5 Apr (9), 8-12 (14), Mon 15 Apr (15).
        facts=[
            F("kpi_intervention_started", "2024-03-21", intervention=7, programme="yro"),
            F("kpi_snapshot_completed", "2024-04-10", intervention=7, point="start"),
        ],
        as_of="2024-04-20",
        code="kpi.start_snapshot",
        expect=[("2024-04-15", "met", "2024-04-10", 0)],
    ),
    dict(
        id="kpi-start-other-intervention-does-not-meet",
        # Two interventions the same day: only the snapshot of intervention 8 is complete, so 9's is
        # overdue; an end snapshot of 9 does not meet its start.
        facts=[
            F("kpi_intervention_started", "2024-03-21", intervention=8),
            F("kpi_intervention_started", "2024-03-21", intervention=9),
            F("kpi_snapshot_completed", "2024-03-22", intervention=8, point="start"),
            F("kpi_snapshot_completed", "2024-03-25", intervention=9, point="end"),
        ],
        as_of="2024-04-20",
        code="kpi.start_snapshot",
        expect=[("2024-04-15", "met", "2024-03-22", 0), ("2024-04-15", "overdue", None, 1)],
    ),
    dict(
        id="kpi-start-leap-day",
        # Wed 28 Feb 2024 + 15 wd: Thu 29 Feb (1), Fri 1 Mar (2), 4-8 (7), 11-15 (12), 18-20 (15).
        facts=[
            F("kpi_intervention_started", "2024-02-28", intervention="A-1"),
            F("kpi_snapshot_completed", "2024-02-29", intervention="A-1", point="start"),
        ],
        as_of="2024-03-01",
        code="kpi.start_snapshot",
        expect=[("2024-03-20", "met", "2024-02-29", 0)],
    ),
    dict(
        id="kpi-end-month-end-bank-holiday",
        # Fri 24 May 2024 + 10 wd: skip Spring bank holiday Mon 27 May, 28-31 (4), 3-7 Jun (9), Mon 10 Jun
        # (10). Completed the next day: met late.
        facts=[
            F("kpi_intervention_started", "2023-11-24", intervention=3),
            F("kpi_intervention_ended", "2024-05-24", intervention=3),
            F("kpi_snapshot_completed", "2024-06-11", intervention=3, point="end"),
        ],
        as_of="2024-06-30",
        code="kpi.end_snapshot",
        expect=[("2024-06-10", "met_late", "2024-06-11", 1)],
    ),
    dict(
        id="kpi-end-christmas",
        # Fri 20 Dec 2024 + 10 wd: 23, 24 (2), skip 25/26, 27, 30, 31 (5), skip 1 Jan 2025, 2, 3 (7), 6-8
        # (10): Wed 8 Jan. The start snapshot does not meet the end.
        facts=[
            F("kpi_intervention_started", "2024-06-03", intervention=4, programme="dto_custody"),
            F("kpi_snapshot_completed", "2024-06-04", intervention=4, point="start"),
            F("kpi_intervention_ended", "2024-12-20", intervention=4, programme="dto_custody"),
        ],
        as_of="2025-01-02",
        code="kpi.end_snapshot",
        expect=[("2025-01-08", "open", None, 2)],
    ),
]
