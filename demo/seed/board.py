"""The demo's management board (KPI 7): a meeting every quarter, each statutory partner's attendance and
data improving a little year on year."""

from __future__ import annotations

import datetime
import random

from outcomes.models import BoardAttendance, BoardMeeting

from .common import CAL, kpi_trend


def board_build(rnd: random.Random, today: datetime.date, recorder: int, since: datetime.date) -> None:
    """The management board every quarter: the middle month's third Tuesday, attendance improving."""
    meetings, rows = [], []
    year, month = since.year, 2
    while True:
        first = datetime.date(year, month, 1)
        tuesday = first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 14)
        held = CAL.on_or_before(tuesday)
        if held > today:
            break
        if held >= since:
            meetings.append(BoardMeeting(held_on=held, recorded_by_id=recorder, notes=""))
        month += 3
        if month > 12:
            year, month = year + 1, month - 12
    BoardMeeting.objects.bulk_create(meetings)
    for meeting in BoardMeeting.objects.order_by("held_on"):
        better = kpi_trend(meeting.held_on, today)
        for partner, _ in BoardAttendance.Partner.choices:
            base = {
                "police": 0.9,
                "childrens_services": 0.92,
                "education": 0.7,
                "health": 0.65,
                "probation": 0.8,
            }[partner]
            attended = rnd.random() < base + 1.5 * better
            rows.append(
                BoardAttendance(
                    meeting=meeting, partner=partner, attended=attended,
                    senior=attended and rnd.random() < 0.7 + 2 * better,
                    contributed_data=attended and rnd.random() < 0.5 + 3 * better,
                )
            )  # fmt: skip
    BoardAttendance.objects.bulk_create(rows, batch_size=1000)
