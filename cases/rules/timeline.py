"""The timeline walk behind ``engine.compute``: one child's (or worker's) facts, in date order, against
the rules their facts can trigger, giving each rule's occurrences, due dates and whether they were met.
The readings it follows where the spec is open are listed in ``engine.py``."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from operator import itemgetter

from .calendar import add_months_raw
from .facts import Fact
from .index import _Index
from .profiles import CODE_BITS, Rule

_NO_DUE = 1 << 40  # sorts after every real date ordinal


class _Timeline(_Index):
    """One child's (or worker's) facts, indexed once, and the obligations they create."""

    __slots__ = ()

    # -- generation ----------------------------------------------------------------------------

    def run(self) -> list[dict]:
        """Evaluate every rule whose trigger type occurs; return the sorted obligations."""
        by_type = self.by_type
        started = by_type.get("programme_started")
        programmes = frozenset([f.f["programme"] for f in started]) if started else frozenset()
        for rule in self.profile.rules_for_types(frozenset(by_type), programmes):
            triggers = by_type[rule.trigger_type]
            if rule.recurring:
                self._recurring(rule, triggers)
            else:
                self._one_shot(rule, triggers)
        out = self.out
        # (due day << CODE_BITS | code rank, obligation): by due day then code, and (a stable
        # sort on the integer alone) ties stay in the order they were generated.
        out.sort(key=_SORT_KEY)
        return [item[1] for item in out]

    def _one_shot(self, rule: Rule, triggers: list[Fact]) -> None:
        """A deadline (or window) per triggering fact."""
        cal = self.cal
        as_of_o = self.as_of_o
        out = self.out
        append = out.append
        iso_get = _ISO.get
        choice = rule.due
        assert choice is not None  # a one-shot rule has a due
        single = choice.single
        anchored = rule.anchor_kind != "trigger"
        during = rule.during
        earliest_choice = rule.earliest
        check = not rule.unconditional
        per_worker = rule.per_worker
        same = rule.same
        code, title, basis = rule.code, rule.title, rule.basis
        code_rank = rule.sort_key
        # Per worker (or per `same` field), each trigger has its own candidates (looked up below).
        shared_ords, shared_cands = ([], []) if per_worker or same else self.candidates(rule)
        worker = None
        for t in triggers:
            if check and not rule.triggered_by(t):
                continue
            if during is not None and not self.open_on(during, t.o):
                continue  # e.g. a planning meeting while no remand is open
            anchor = t
            if anchored:
                found = self.anchor(rule, t)
                if found is None:
                    continue  # e.g. no initial panel held (or programme ended) yet: nothing is due yet
                anchor = found
            off = single or choice.resolve(t)
            if off is None:
                continue
            due_s = None
            due_at = None  # the due instant, for hours after a fact with ``at``
            if off.from_field is None:
                at = anchor.at
                if at is None or off.unit != "hours" or off.kind != "after":
                    due = off.memo.get(anchor.o)
                    if due is None:
                        due = off.apply(cal, anchor.o, None)
                else:  # hours after an instant: an instant (memoised with its day and text)
                    due_at, due_o, due_s = off.instant(at)
                    due = due_o
            else:
                value = anchor.f.get(off.from_field)
                if value is None:
                    continue
                due = off.apply(cal, value.toordinal(), None)
            earliest = None
            if earliest_choice is not None:
                eoff = earliest_choice.resolve(t)
                if eoff is not None:
                    ebase = eoff.base(anchor)
                    if ebase is not None:
                        earliest = eoff.apply(cal, ebase[0], None)
            # Due as a day ordinal (for sorting and the status), its text, and whether it is an
            # instant (a datetime already in Europe/London) rather than a day.
            if due is None:
                due_o = _NO_DUE
            elif due_s is None:
                due_o = due
            # Satisfying facts: on or after the trigger's date; for windows on or after earliest;
            # for a deadline before its trigger's date (OOCD gatekeeping) earlier facts count too.
            if earliest is not None:
                lower = earliest
            else:
                lower = anchor.o
                if due is not None and due_o < lower:
                    lower = None
            if per_worker:
                worker = t.f.get("worker")
                ords, cands = self.candidates(rule, worker)
            elif same is not None:
                ords, cands = self.candidates(rule, t.f.get(same), same)
            else:
                ords, cands = shared_ords, shared_cands
            fact = None
            if cands:
                j = 0 if lower is None else bisect_left(ords, lower)
                if j < len(cands):
                    fact = cands[j]
            # The obligation, its status judged at as_of (the same shape as _chain's).
            if due is None:
                status = "met" if fact is not None else "open"
            else:
                if due_at is None:  # a day
                    due_s = iso_get(due_o) or iso(due_o)
                    on_time = fact is not None and fact.o <= due_o
                else:  # an instant, already expressed in Europe/London
                    on_time = fact is not None and (
                        fact.at <= due_at if fact.at is not None else fact.o <= due_o
                    )
                if fact is not None:
                    status = "met" if on_time else "met_late"
                else:
                    status = "overdue" if as_of_o > due_o else "open"
            ob = {
                "code": code,
                "title": title,
                "due": due_s,
                "earliest": None if earliest is None else iso(earliest),
                "status": status,
                "met_on": None if fact is None else (iso_get(fact.o) or iso(fact.o)),
                "basis": basis,
                "trigger": anchor.i,
                # Why this date (the offset and the fact it counts from): engine.compute keeps it only
                # when asked to explain, for the product's "Why this date?" line (issue 20).
                "_why": (off, anchor.i),
            }
            if per_worker:
                ob["worker"] = worker
            append(((due_o << CODE_BITS) | code_rank, ob))

    def _recurring(self, rule: Rule, triggers: list[Fact]) -> None:
        """Recurring chains: one per trigger (or per condition span), per the spec's Recurring rules."""
        kind = rule.anchor_kind
        if kind == "condition_start":
            # Each span of the condition is its own chain, anchored on the fact that started it.
            for _s_o, s_fact, e_o in self.periods(rule.condition):
                if rule.triggered_by(s_fact):
                    self._chain(rule, s_fact, s_fact, e_o)
            return
        for t in triggers:
            if not rule.triggered_by(t):
                continue
            stop = self.programme_end(t) if (rule.stops_at_end and t.type == "programme_started") else None
            if rule.until is not None or rule.until_no_programme:
                until = self.until(rule, t)
                if until is not None:
                    stop = until if stop is None else min(stop, until)
            if rule.lasts is not None:
                amount, unit = rule.lasts
                if unit == "months":
                    lasts_o = add_months_raw(t.d, amount).toordinal()
                else:
                    lasts_o = t.o + amount * (7 if unit == "weeks" else 1)
                stop = lasts_o if stop is None else min(stop, lasts_o)
            if kind == "later_of_trigger_and_condition":
                for s_o, s_fact, e_o in self.periods(rule.condition):
                    if e_o is not None and e_o <= t.o:
                        continue  # the condition had stopped before the programme began
                    if stop is not None and s_o > stop:
                        break
                    anchor = t if s_o <= t.o else s_fact  # tie: the programme anchors
                    chain_stop = e_o if stop is None else (stop if e_o is None else min(stop, e_o))
                    self._chain(rule, t, anchor, chain_stop)
                continue
            if rule.during is not None and not self.open_on(rule.during, t.o):
                continue
            found = self.anchor(rule, t)
            if found is None:
                continue
            self._chain(rule, t, found, stop)

    def _chain(self, rule: Rule, trigger: Fact, anchor: Fact, stop: int | None) -> None:
        """Occurrences of one chain: each due one interval after the previous one was met."""
        assert rule.first is not None and rule.every is not None  # a recurring rule has both
        first = rule.first.resolve(trigger)
        every = rule.every.resolve(trigger)
        if first is None or every is None:
            return
        cal = self.cal
        as_of_o = self.as_of_o
        worker = trigger.f.get("worker") if rule.per_worker else None
        ords, cands = self.candidates(rule, worker)
        n = len(cands)
        # Each occurrence is met by the first candidate on or after its base day that no earlier
        # occurrence used and that is not the anchor. Candidates are used in order, and every
        # candidate between the base day and the last one used is used already, so the search
        # resumes just after the last one used (skipping the anchor, which never meets).
        anchor_i = anchor.i
        base_o = anchor.o
        j = bisect_left(ords, base_o)
        off = first
        trig: int | None = anchor_i
        why_i = anchor_i
        out = self.out
        code, title, basis = rule.code, rule.title, rule.basis
        code_rank = rule.sort_key
        per_worker = rule.per_worker
        iso_get = _ISO.get
        memo = off.memo
        while True:
            due = memo.get(base_o)
            if due is None:  # chains count in days: always a day ordinal
                due = off.apply(cal, base_o, None)
                assert due is not None  # every recurrence states a timescale
            if j < n and cands[j].i == anchor_i:
                j += 1
            fact = cands[j] if j < n else None
            if stop is not None and due > stop and (fact is None or fact.o > stop):
                return  # its condition ended before it fell due and it was not met by then
            # Emitted inline (this is the hot loop of a batch): same shape as _one_shot's.
            if fact is None:
                status = "overdue" if as_of_o > due else "open"
                met_on = None
            else:
                status = "met" if fact.o <= due else "met_late"
                met_on = iso_get(fact.o) or iso(fact.o)
            ob = {
                "code": code,
                "title": title,
                "due": iso_get(due) or iso(due),
                "earliest": None,
                "status": status,
                "met_on": met_on,
                "basis": basis,
                "trigger": trig,
                "_why": (off, why_i),
            }
            if per_worker:
                ob["worker"] = worker
            out.append(((due << CODE_BITS) | code_rank, ob))
            if fact is None or due > as_of_o:
                return  # an unmet occurrence has no successor; list one beyond as_of
            j += 1
            base_o = fact.o
            why_i = fact.i  # the next one counts from the fact that met this one
            off = every
            memo = every.memo
            trig = None


_ISO: dict[int, str] = {}


def iso(o: int) -> str:
    """ISO text of a day ordinal (memoised: the same few thousand days recur across timelines)."""
    s = _ISO.get(o)
    if s is None:
        if len(_ISO) > 100_000:
            _ISO.clear()
        s = _ISO[o] = date.fromordinal(o).isoformat()
    return s


_SORT_KEY = itemgetter(0)
