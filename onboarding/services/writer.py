"""Writing a checked import set: teams, staff and children matched on name, email and case number; their
history matched on the old system's ids (ImportedRecord). A row whose record already holds its values
is left alone, so running the same files again changes nothing (ADR 0021).

Runs inside the caller's one transaction. Rows are written in bulk: at 5,000 children with three years
of history a row-by-row import spent minutes in per-row validation queries, so each object is
`full_clean`ed without its foreign keys and uniqueness, which the check (onboarding.validate) and the
look-ups here have already settled.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable

from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.models import Allocation, Assessment, Child, Contact, Event, Gender, Plan, Programme, Team, User
from cases.services.rollup import child_months_stale, worker_months_stale
from core.audit import audit_record
from core.models import AuditEntry
from mappa.models import MappaLevel, MappaRecord
from meetings.models import Meeting
from supervision.models import CaseDiscussion, SupervisionSession

from ..format import BY_NAME
from ..models import ImportedRecord
from ..report import Report
from ..validate import Checked, Row
from ..values import LONDON
from .invites import staff_invite

LEVEL_NAMES = ("rosh", "saw", "lor")


def _clean(obj: models.Model) -> None:
    """Field validation without the per-row queries (foreign keys and uniqueness are settled in bulk)."""
    fks = [f.name for f in obj._meta.fields if isinstance(f, models.ForeignKey)]
    obj.full_clean(exclude=fks, validate_unique=False, validate_constraints=False)


def _changed(obj: models.Model, values: dict) -> list[str]:
    """The fields whose value differs; set on the object."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


class Writer:
    """One import's writes; `touched` collects the children whose obligations must be recomputed."""

    def __init__(self, checked: Checked, *, by: User | None, source_name: str):
        self.rows = checked.rows
        self.report: Report = checked.report
        self.by = by
        self.source = source_name
        self.now = timezone.now()
        self.touched: set[int] = set()
        # Staff whose own obligations (supervision, 000 §4.1) are worked out again after the import.
        self.workers: set[int] = set()
        self.new_staff: list[User] = []
        self.children_audit: dict[int, str] = {}

    def count(self, kind: str, *, created=0, updated=0, unchanged=0) -> None:
        c = self.report.counts(kind)
        c.created += created
        c.updated += updated
        c.unchanged += unchanged

    def run(self, progress: Callable[[str, int, int], None]) -> None:
        steps = [
            "teams",
            "staff",
            "children",
            "programmes",
            "allocations",
            "assessments",
            "plans",
            "contacts",
            "case_notes",
            "cmms",
            "case_discussions",
            "mappa",
            "supervision",
        ]
        for number, kind in enumerate(steps):
            progress(f"Writing {kind.replace('_', ' ')}", number, len(steps))
            getattr(self, kind)()
        progress("Writing the audit log", len(steps), len(steps))
        for child_id, what in self.children_audit.items():
            audit_record(
                user=self.by,
                action=AuditEntry.Action.CREATE if what == "created" else AuditEntry.Action.UPDATE,
                obj=Child(pk=child_id),
                child=Child(pk=child_id),
                description=f"Imported ({what}) from {self.source}",
            )

    # -- teams and staff ---------------------------------------------------------------------------------
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
            elif _changed(team, {"kind": kind}):
                team.full_clean()
                team.save()
                self.count("teams", updated=1)
            else:
                self.count("teams", unchanged=1)
        self.team_by_name = {t.name.lower(): t for t in Team.objects.all()}

    def staff(self) -> None:
        rows = self.rows.get("staff", [])
        users = {u.email.lower(): u for u in User.objects.exclude(email="")}
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
                _clean(user)
                user.save()
                users[user.email] = user
                self.new_staff.append(user)
                self.count("staff", created=1)
                continue
            old_team = user.team_id
            changed = _changed(user, values)
            if changed:
                _clean(user)
                user.save()
                if old_team != user.team_id:
                    worker_months_stale(worker_id=user.pk)  # ADR 0020: their own obligations' team moved
            user._import_changed = bool(changed)
        # Line managers once everyone is here (a manager may come after their staff in the file).
        for row in rows:
            user = users[row["Email"]]
            manager = users.get(row["Line manager email"] or "")
            if user.line_manager_id != (manager.pk if manager else None):
                user.line_manager = manager
                user.save(update_fields=["line_manager"])
                user._import_changed = True
        for row in rows:
            user = users[row["Email"]]
            if user in self.new_staff:
                continue
            self.count(
                "staff", **({"updated": 1} if getattr(user, "_import_changed", False) else {"unchanged": 1})
            )
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

    def staff_pk(self, email: str | None) -> int | None:
        return self.staff_by_email.get(email) if email else None

    # -- children and their levels -----------------------------------------------------------------------
    def children(self) -> None:
        levels: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows.get("levels", []):
            levels[row["Case number"]].append(row)
        co_workers = self._open_co_workers()
        existing = {c.case_number: c for c in Child.objects.all()}
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
                _clean(child)
                new.append(child)
                continue
            old_team = child.team_id
            if _changed(child, values):
                _clean(child)
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
        in_file = {r["Case number"] for r in self.rows.get("children", [])}
        self.count("children", created=len(new), updated=updated, unchanged=len(in_file) - len(new) - updated)
        self.child_pk = dict(Child.objects.values_list("case_number", "pk"))
        self._co_workers(co_workers)
        self._levels(levels)

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
        for child_id, user_id in through.objects.values_list("child_id", "user_id"):
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

    # -- the history keyed by the old system's ids -------------------------------------------------------
    def _by_external_id(
        self, kind: str, model, build: Callable[[Row], dict | None], *, history: bool
    ) -> None:
        mapping = dict(ImportedRecord.objects.filter(kind=kind).values_list("external_id", "object_id"))
        existing = model.objects.in_bulk(list(mapping.values()))
        new, new_ids, changed, fields = [], [], [], set()
        unchanged = 0
        for row in self.rows.get(kind, []):
            values = build(row)
            if values is None:
                continue
            ext = row.values[self.key(kind)]
            obj = existing.get(mapping.get(ext))
            if obj is None:
                obj = model(**values)
                _clean(obj)
                new.append(obj)
                new_ids.append(ext)
                continue
            names = _changed(obj, values)
            if names:
                _clean(obj)
                changed.append(obj)
                fields.update(names)
                self._touch(obj)
            else:
                unchanged += 1
        if history:
            bulk_create_with_history(new, model, batch_size=500, default_user=self.by, default_date=self.now)
        else:
            model.objects.bulk_create(new, batch_size=500)
        if changed:
            model.objects.bulk_update(changed, sorted(fields), batch_size=500)
        ImportedRecord.objects.filter(kind=kind, external_id__in=new_ids).delete()  # a record deleted since
        ImportedRecord.objects.bulk_create(
            [
                ImportedRecord(kind=kind, external_id=e, object_id=o.pk)
                for e, o in zip(new_ids, new, strict=True)
            ],
            batch_size=1000,
        )
        for obj in new:
            self._touch(obj)
        self.count(kind, created=len(new), updated=len(changed), unchanged=unchanged)
        self.created_objects = new

    def _touch(self, obj: models.Model) -> None:
        """Note whose obligations the record changes: its child's, or (a supervision) its worker's."""
        if getattr(obj, "child_id", None):
            self.touched.add(obj.child_id)
        if getattr(obj, "supervisee_id", None):
            self.workers.add(obj.supervisee_id)

    @staticmethod
    def key(kind: str) -> str:
        return BY_NAME[kind].key

    def programme_pk(self, ext: str | None) -> int | None:
        return self.programme_by_ext.get(ext) if ext else None

    def programmes(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            if child is None:
                return None
            return {
                "child_id": child,
                "kind": row["Kind"],
                "start_date": row["Start date"],
                "length_months": row["Length (months)"],
                "end_date": row["End date"],
                "court_date": row["Court date"],
                "panel_date": row["Panel date"],
                "custody_threshold": bool(row["Custody threshold"]),
                "iss": bool(row["ISS"]),
                "custody_months": row["Custody (months)"],
                "assessed_for_court": bool(row["Assessed for court"]),
                "release_date": row["Release date"],
                "closure_reason": row["Closure reason"] or "",
            }

        self._by_external_id("programmes", Programme, build, history=True)
        self.programme_by_ext = dict(
            ImportedRecord.objects.filter(kind="programmes").values_list("external_id", "object_id")
        )

    def allocations(self) -> None:
        stamped: dict[str, datetime.datetime] = {}

        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            worker = self.staff_pk(row["Worker email"])
            allocated_by = self.staff_pk(row["Allocated by email"]) or worker
            if child is None or worker is None:
                return None
            if row["Allocated at"]:
                stamped[row["Allocation ID"]] = row["Allocated at"]
            return {
                "child_id": child,
                "worker_id": worker,
                "role": row["Role"],
                "started_on": row["Started on"],
                "ended_on": row["Ended on"],
                "allocated_by_id": allocated_by,
                "reason": f"Imported from {self.source}"[:200],
            }

        self._by_external_id("allocations", Allocation, build, history=False)
        # The time of an allocation places the 48-hour rules (cases/facts.py): kept as the old system had it.
        if stamped:
            ids = dict(
                ImportedRecord.objects.filter(kind="allocations", external_id__in=stamped).values_list(
                    "external_id", "object_id"
                )
            )
            rows = Allocation.objects.in_bulk(list(ids.values()))
            moved = []
            for ext, at in stamped.items():
                allocation = rows.get(ids.get(ext))
                if allocation is not None and allocation.created_at != at:
                    allocation.created_at = at
                    moved.append(allocation)
            Allocation.objects.bulk_update(moved, ["created_at"], batch_size=500)

    def assessments(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            if child is None or self.staff_pk(row["Author email"]) is None:
                return None
            return {
                "child_id": child,
                "programme_id": self.programme_pk(row["Programme ID"]),
                "kind": row["Kind"],
                "stage": row["Stage"],
                "status": row["Status"],
                "author_id": self.staff_pk(row["Author email"]),
                "rosh": row["RoSH"] or "",
                "saw": row["SaW"] or "",
                "lor": row["LoR"] or "",
                "gatekept_by_id": self.staff_pk(row["Gatekept by email"]),
                "gatekept_on": row["Gatekept on"],
                "completed_by_id": self.staff_pk(row["Signed off by email"]),
                "completed_on": row["Completed on"],
                "levels_agreed": row["Levels agreed"],
            }

        self._by_external_id("assessments", Assessment, build, history=True)

    def plans(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            if child is None or self.staff_pk(row["Author email"]) is None:
                return None
            return {
                "child_id": child,
                "programme_id": self.programme_pk(row["Programme ID"]),
                "kind": row["Kind"],
                "is_review": bool(row["Review"]),
                "completed_on": row["Completed on"],
                "objectives": row["Objectives"],
                "next_review": row["Next review"],
                "author_id": self.staff_pk(row["Author email"]),
            }

        self._by_external_id("plans", Plan, build, history=True)

    def contacts(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            if child is None or self.staff_pk(row["Author email"]) is None:
                return None
            return {
                "child_id": child,
                "programme_id": self.programme_pk(row["Programme ID"]),
                "kind": row["Kind"],
                "is_appointment": row["Appointment"] is not False,
                "date": row["Date"],
                "time": row["Time"],
                "outcome": row["Outcome"],
                "explanation": row["Explanation"] or "",
                "worker_id": self.staff_pk(row["Worker email"]),
                "author_id": self.staff_pk(row["Author email"]),
            }

        self._by_external_id("contacts", Contact, build, history=True)

    def case_notes(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            if child is None or self.staff_pk(row["Author email"]) is None:
                return None
            # Imported as read-only history: a note, never a record's own entry (source stays blank, so
            # the types that state a fact still meet their obligations: cases/facts.py EVENT_FACTS).
            return {
                "child_id": child,
                "event_type": row["Type"],
                "occurred_on": row["Date"],
                "summary": row["Summary"],
                "details": row["Details"] or "",
                "author_id": self.staff_pk(row["Author email"]),
            }

        self._by_external_id("case_notes", Event, build, history=False)

    def cmms(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            chair = self.staff_pk(row["Chair email"])
            if child is None or chair is None:
                return None
            finalised = row["Minutes completed on"]
            return {
                "child_id": child,
                "kind": row["Reason"],
                "status": Meeting.Status.FINALISED if finalised else Meeting.Status.HELD,
                "starts_at": row["Held at"],
                "held_at": row["Held at"],
                "chair_id": chair,
                "case_manager_id": self.staff_pk(row["Case manager email"]) or chair,
                "booked_by_id": chair,
                "csc_meeting_type": row["CSC meeting type"] or "",
                "actions_recorded_on": row["Actions recorded on"],
                "finalised_on": finalised,
                "finalised_by_id": chair if finalised else None,
                "mappa_minutes_sent_on": row["Minutes sent to MAPPA on"],
                "next_meeting_at": row["Next meeting at"],
            }

        self._by_external_id("cmms", Meeting, build, history=True)

    def case_discussions(self) -> None:
        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            manager = self.staff_pk(row["Manager email"])
            worker = self.staff_pk(row["Worker email"])
            if child is None or manager is None or worker is None:
                return None
            recorded = row["Recorded on"]
            return {
                "child_id": child,
                "kind": row["Kind"],
                "held_on": row["Held on"],
                "held_at": row["Held at"],
                "manager_id": manager,
                "worker_id": worker,
                "significant": bool(row["Significant"]),
                "status": CaseDiscussion.Status.RECORDED if recorded else CaseDiscussion.Status.DRAFT,
                "recorded_on": recorded,
                "recorded_by_id": manager if recorded else None,
                "created_by_id": manager,
            }

        self._by_external_id("case_discussions", CaseDiscussion, build, history=True)

    def mappa(self) -> None:
        levels: dict[str, tuple] = {}

        def build(row: Row) -> dict | None:
            child = self.child_pk.get(row["Case number"])
            recorded_by = self.staff_pk(row["Recorded by email"])
            if child is None or recorded_by is None:
                return None
            level = int(row["Level"]) if row["Level"] else None
            if level:
                levels[row["MAPPA ID"]] = (level, row["Level set on"], recorded_by)
            return {
                "child_id": child,
                "category": int(row["Category"]),
                "criterion": row["Criterion"],
                "identified_on": row["Identified on"],
                "form_h_sent_on": row["Form H sent on"],
                "current_level": level,
                "ended_on": row["Ended on"],
                "recorded_by_id": recorded_by,
            }

        self._by_external_id("mappa", MappaRecord, build, history=True)
        # The current level as a level set on its day (001 §8: each setting is kept as history).
        ids = dict(
            ImportedRecord.objects.filter(kind="mappa", external_id__in=levels).values_list(
                "external_id", "object_id"
            )
        )
        have = set(
            MappaLevel.objects.filter(record_id__in=ids.values()).values_list("record_id", "level", "set_on")
        )
        new = []
        for ext, (level, set_on, by) in levels.items():
            record = ids.get(ext)
            if record is not None and (record, level, set_on) not in have:
                new.append(MappaLevel(record_id=record, level=level, set_on=set_on, set_by_id=by))
        bulk_create_with_history(new, MappaLevel, batch_size=500, default_user=self.by, default_date=self.now)
        self.touched.update(
            MappaRecord.objects.filter(pk__in=[n.record_id for n in new]).values_list("child_id", flat=True)
        )

    def supervision(self) -> None:
        def build(row: Row) -> dict | None:
            worker = self.staff_pk(row["Worker email"])
            supervisor = self.staff_pk(row["Supervisor email"])
            if worker is None or supervisor is None:
                return None
            status = row["Status"] or SupervisionSession.Status.FINALISED
            return {
                "supervisee_id": worker,
                "supervisor_id": supervisor,
                "held_on": row["Held on"],
                "method": row["Method"],
                "status": status,
                "next_date": row["Next supervision on"],
                "created_by_id": supervisor,
                "finalised_on": row["Held on"] if status == SupervisionSession.Status.FINALISED else None,
                "finalised_by_id": supervisor if status == SupervisionSession.Status.FINALISED else None,
            }

        self._by_external_id("supervision", SupervisionSession, build, history=True)
