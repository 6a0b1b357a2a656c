"""The exporter's base: ids, emails and case numbers looked up once; teams, staff, children and levels."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import timezone

from cases.models import Child, Team, User

from ..format import BY_NAME
from ..models import ImportedRecord
from ..values import LONDON


def _ids(kind: str) -> dict[int, str]:
    """The old system's id of each record an import made of this kind."""
    return {o: e for e, o in ImportedRecord.objects.filter(kind=kind).values_list("external_id", "object_id")}


def _yes(value) -> str:
    return "" if value is None else "yes" if value else "no"


def _at(value: datetime.datetime | None) -> str:
    return timezone.localtime(value, LONDON).strftime("%Y-%m-%d %H:%M:%S") if value else ""


class BaseExporter:
    """Look-ups shared by every kind's rows; a mixin per group of files adds its `<file>_rows`."""

    def __init__(self):
        self.emails = dict(User.objects.exclude(email="").values_list("pk", "email"))
        self.case_numbers = dict(Child.objects.values_list("pk", "case_number"))
        self.teams = dict(Team.objects.values_list("pk", "name"))

    def email(self, pk: int | None) -> str:
        """The email of a member of staff (blank for none, or one with no email)."""
        return self.emails.get(pk, "") if pk else ""

    def ext(self, kind: str):
        known = _ids(kind)
        return lambda pk: known.get(pk) or f"{BY_NAME[kind].prefix}{pk}"

    def teams_rows(self) -> Iterator[list]:
        for team in Team.objects.order_by("name"):
            yield [team.name, team.kind]

    def staff_rows(self) -> Iterator[list]:
        for u in User.objects.exclude(email="").order_by("pk"):
            yield [
                u.email,
                u.first_name,
                u.last_name,
                u.username,
                u.role,
                self.teams.get(u.team_id, "") if u.team_id else "",
                self.email(u.line_manager_id),
                u.gender,
                _yes(u.is_active),
                timezone.localdate(u.date_joined, LONDON),
            ]

    def children_rows(self) -> Iterator[list]:
        for c in Child.objects.order_by("pk"):
            yield [
                c.case_number,
                c.first_name,
                c.last_name,
                c.date_of_birth,
                c.gender_identity,
                _yes(c.gender_differs_from_birth),
                c.ethnicity,
                self.teams[c.team_id],
                self.email(c.case_manager_id),
                _yes(c.looked_after),
                _yes(c.open_to_csc),
                _yes(c.is_open),
            ]

    def levels_rows(self) -> Iterator[list]:
        """Each change of agreed levels, as the child's history records them (cases/facts.py reads the
        same history as the `risk_rated` fact: a row when all three are set and differ from the last)."""
        last: dict[int, tuple] = {}
        history = Child.history.order_by("id", "history_date", "history_id").values_list(
            "id", "history_date", "rosh", "saw", "lor"
        )
        for pk, when, *levels in history.iterator(chunk_size=5000):
            levels = tuple(levels)
            if pk in self.case_numbers and all(levels) and levels != last.get(pk):
                yield [self.case_numbers[pk], timezone.localdate(when, LONDON), *levels]
                last[pk] = levels
