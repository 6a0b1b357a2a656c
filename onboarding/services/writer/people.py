"""Writing teams, staff and children (matched on name, email and case number) and the children's levels."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.models import Allocation, Child, Gender, Team, User
from cases.services.rollup import child_months_stale, worker_months_stale
from core.audit import audit_record
from core.models import AuditEntry

from ...models import ImportedRecord
from ...validate import Row
from ...values import LONDON
from ..invites import staff_invite
from .base import LEVEL_NAMES, BaseWriter, clean_without_queries, set_changed


class PeopleWriter(BaseWriter):
    """Teams, staff, children, their co-workers and their dated levels."""

    def people(self) -> None:
        """Teams and staff (in the caller's transaction): every child depends on them."""
        self.rows = self.all_rows
        self.teams()
        self.staff()

    def teams(self) -> None:
        existing = {t.name.lower(): t for t in Team.objects.all()}
        for row in self.rows.get("teams", []):
            kind = row["Team kind"] or Team.Kind.LOCALITY
            team = existing.get(row["Team name"].lower())
            if team is None:
                team = Team(name=row["Team name"], kind=kind)
                team.full_clean()
                team.save()
                self.count("teams", created=1)
            elif set_changed(team, {"kind": kind}):
                team.full_clean()
                team.save()
                self.count("teams", updated=1)
            else:
                self.count("teams", unchanged=1)
        self.team_by_name = {t.name.lower(): t for t in Team.objects.all()}

    def staff(self) -> None:
        rows = self.rows.get("staff", [])
        users = {u.email.lower(): u for u in User.objects.exclude(email="")}
        updated: set[int] = set()
        for row in rows:
            team = self.team_by_name.get((row["Team"] or "").lower())
            values = {
                "first_name": row["First name"],
                "last_name": row["Last name"],
                "role": row["Role"],
                "team": team,
                "gender": row["Gender"] or Gender.NOT_STATED,
                "is_active": row["Active"] is not False,
            }
            user = users.get(row["Email"])
            started = row["Started on"]
            if started is not None and (
                user is None or timezone.localdate(user.date_joined, LONDON) != started
            ):
                values["date_joined"] = datetime.datetime.combine(started, datetime.time(9), LONDON)
            if user is None:
                user = User(username=row["Username"], email=row["Email"], **values)
                # ADR 0011: no usable password; the person sets one through the invitation.
                user.set_unusable_password()
                clean_without_queries(user)
                user.save()
                users[user.email] = user
                self.new_staff.append(user)
                self.count("staff", created=1)
                continue
            old_team = user.team_id
            changed = set_changed(user, values)
            if changed:
                clean_without_queries(user)
                user.save()
                if old_team != user.team_id:
                    worker_months_stale(worker_id=user.pk)  # ADR 0020: their own obligations' team moved
            if changed:
                updated.add(user.pk)
        # Line managers once everyone is here (a manager may come after their staff in the file).
        for row in rows:
            user = users[row["Email"]]
            manager = users.get(row["Line manager email"] or "")
            if user.line_manager_id != (manager.pk if manager else None):
                user.line_manager = manager
                user.save(update_fields=["line_manager"])
                updated.add(user.pk)
        for row in rows:
            user = users[row["Email"]]
            if user in self.new_staff:
                continue
            self.count("staff", **({"updated": 1} if user.pk in updated else {"unchanged": 1}))
        for user in self.new_staff:
            audit_record(
                user=self.by,
                action=AuditEntry.Action.CREATE,
                obj=user,
                description=f"Imported from {self.source}",
            )
            if user.is_active:
                staff_invite(user=user, by=self.by)
        self.staff_by_email = {u.email.lower(): u.pk for u in User.objects.exclude(email="")}
        self.workers.update(users[row["Email"]].pk for row in rows)

    def children(self) -> None:
        levels: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows.get("levels", []):
            levels[row["Case number"]].append(row)
        co_workers = self._open_co_workers()
        numbers = {r["Case number"] for r in self.rows.get("children", [])}
        existing = {c.case_number: c for c in Child.objects.filter(case_number__in=numbers)}
        new, updated = [], 0
        for row in self.rows.get("children", []):
            values = {
                "first_name": row["First name"],
                "last_name": row["Last name"],
                "date_of_birth": row["Date of birth"],
                "gender_identity": row["Gender identity"] or Gender.NOT_STATED,
                "gender_differs_from_birth": bool(row["Gender differs from birth"]),
                "ethnicity": row["Ethnicity"] or "",
                "team_id": self.team_by_name[row["Team"].lower()].pk,
                "looked_after": bool(row["Looked after"]),
                "open_to_csc": bool(row["Open to CSC"]),
                "is_open": row["Open"] is not False,
            }
            number = row["Case number"]
            latest = max(levels[number], key=lambda r: r["Agreed on"], default=None)
            if latest is not None:
                values.update({"rosh": latest["RoSH"], "saw": latest["SaW"], "lor": latest["LoR"]})
            values["case_manager_id"] = self.staff_pk(row["Case manager email"])
            child = existing.get(number)
            if child is None:
                child = Child(case_number=number, **values)
                clean_without_queries(child)
                new.append(child)
                continue
            old_team = child.team_id
            if set_changed(child, values):
                clean_without_queries(child)
                child.save()
                updated += 1
                self.children_audit[child.pk] = "updated"
                self.touched.add(child.pk)
                if old_team != child.team_id:
                    child_months_stale(child_id=child.pk)  # ADR 0020: the child's obligations moved team
        # The history row of a new child is dated now; its levels' history is dated below.
        bulk_create_with_history(new, Child, batch_size=500, default_user=self.by, default_date=self.now)
        for child in new:
            self.children_audit[child.pk] = "created"
            self.touched.add(child.pk)
        self.count("children", created=len(new), updated=updated, unchanged=len(numbers) - len(new) - updated)
        named = {r["Case number"] for rows in self.rows.values() for r in rows}
        self.child_pk = dict(Child.objects.filter(case_number__in=named).values_list("case_number", "pk"))
        self._remember(numbers)
        self._co_workers(co_workers)
        self._levels(levels)

    def _remember(self, numbers: set[str]) -> None:
        """Each child written by an import, by case number (ImportedRecord kind "children"), so erasing the
        child finds the runs' reports that name it (onboarding/erasure.py)."""
        pks = {n: self.child_pk[n] for n in numbers if n in self.child_pk}
        have = set(
            ImportedRecord.objects.filter(kind="children", external_id__in=pks).values_list(
                "external_id", "object_id"
            )
        )
        for number, pk in pks.items():
            if (number, pk) not in have:
                ImportedRecord.objects.filter(kind="children", external_id=number).delete()
                ImportedRecord.objects.create(kind="children", external_id=number, object_id=pk)

    def _open_co_workers(self) -> dict[str, set[int]]:
        """Each child in allocations.csv: the workers of their open co-allocations (003 §5)."""
        co_workers: dict[str, set[int]] = {}
        for row in self.rows.get("allocations", []):
            workers = co_workers.setdefault(row["Case number"], set())
            worker = self.staff_pk(row["Worker email"])
            if row["Role"] == Allocation.Role.CO_WORKER and not row["Ended on"] and worker is not None:
                workers.add(worker)
        return co_workers

    def _co_workers(self, wanted: dict[str, set[int]]) -> None:
        through = Child.co_workers.through
        have: dict[int, set[int]] = defaultdict(set)
        pks = [self.child_pk[n] for n in wanted if n in self.child_pk]
        for child_id, user_id in through.objects.filter(child_id__in=pks).values_list("child_id", "user_id"):
            have[child_id].add(user_id)
        add, remove = [], []
        for number, workers in wanted.items():
            pk = self.child_pk.get(number)
            if pk is None or have[pk] == workers:
                continue
            add += [through(child_id=pk, user_id=w) for w in workers - have[pk]]
            remove += [(pk, w) for w in have[pk] - workers]
            self.touched.add(pk)
        through.objects.bulk_create(add, batch_size=1000)
        for child_id, user_id in remove:
            through.objects.filter(child_id=child_id, user_id=user_id).delete()

    def _levels(self, levels: dict[str, list[Row]]) -> None:
        """Each agreed change of levels as a history row on its day (the `risk_rated` fact, cases/facts.py);
        a change already in the child's history is left alone."""
        model = Child.history.model
        pks = [self.child_pk[n] for n in levels if n in self.child_pk]
        have = defaultdict(set)
        for pk, when, *lv in model.objects.filter(id__in=pks).values_list("id", "history_date", *LEVEL_NAMES):
            have[pk].add((timezone.localdate(when, LONDON), tuple(lv)))
        tracked = [f.attname for f in model.tracked_fields]
        children = Child.objects.in_bulk(pks)
        rows, created, unchanged = [], 0, 0
        for number, agreed in levels.items():
            child = children.get(self.child_pk.get(number))
            if child is None:
                continue
            for order, row in enumerate(sorted(agreed, key=lambda r: r["Agreed on"])):
                lv = (row["RoSH"], row["SaW"], row["LoR"])
                if (row["Agreed on"], lv) in have[child.pk]:
                    unchanged += 1
                    continue
                when = datetime.datetime.combine(row["Agreed on"], datetime.time(12), LONDON)
                fields = {name: getattr(child, name) for name in tracked}
                fields.update(dict(zip(LEVEL_NAMES, lv, strict=True)))
                rows.append(
                    model(
                        **fields,
                        history_date=when + datetime.timedelta(seconds=order),
                        history_type="~",
                        history_user_id=self.by.pk if self.by else None,
                        history_change_reason=f"Levels agreed (imported from {self.source})"[:100],
                    )
                )
                created += 1
                self.touched.add(child.pk)
        model.objects.bulk_create(rows, batch_size=1000)
        self.count("levels", created=created, unchanged=unchanged)
