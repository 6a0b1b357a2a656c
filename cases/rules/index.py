"""One timeline's facts indexed by type, and the look-ups the timeline walk (``timeline.py``) asks of
them: what satisfies a rule, what anchors it, when a programme is open and when a chain stops.
The readings these follow where the spec is open are listed in ``engine.py``."""

from __future__ import annotations

from operator import attrgetter

from .facts import Fact
from .profiles import Profile, Rule


class _Index:
    """One child's (or worker's) facts up to as_of, by type, with memoised look-ups."""

    __slots__ = ("profile", "cal", "as_of_o", "by_type", "_cands", "_periods", "_spans", "out")

    def __init__(self, profile: Profile, facts: list[Fact], as_of_o: int) -> None:
        """Index the facts (given in date then input order) by type; facts after as_of are ignored."""
        self.profile = profile
        self.cal = profile.calendar
        self.as_of_o = as_of_o
        by_type: dict[str, list[Fact]] = {}
        get = by_type.get
        for f in facts:
            if f.o > as_of_o:
                break  # sorted by date: the rest are after as_of too
            lst = get(f.type)
            if lst is None:
                by_type[f.type] = [f]
            else:
                lst.append(f)
        self.by_type = by_type
        self._cands: dict = {}
        self._periods: dict = {}
        self._spans: dict = {}
        self.out: list = []

    def candidates(
        self, rule: Rule, worker: object = None, field: str = "worker"
    ) -> tuple[list[int], list[Fact]]:
        """Facts that satisfy the rule (any of its met_by), sorted, with their ordinals; with ``worker``,
        only those whose ``field`` (the worker, or the rule's ``same`` field) has that value."""
        key = rule.met_id if worker is None else (rule.met_id, worker)
        hit = self._cands.get(key)
        if hit is not None:
            return hit
        met_by = rule.met_by
        if len(met_by) == 1 and not met_by[0].where and worker is None:
            found = self.by_type.get(met_by[0].type, [])  # already in (date, index) order
        else:
            found = []
            for m in met_by:
                facts = self.by_type.get(m.type, ())
                if len(m.where) == 1:  # the common filter, e.g. assessment == assetplus, inline
                    ((k, v),) = m.where
                    facts = [f for f in facts if f.f.get(k) == v]
                elif m.where:
                    facts = [f for f in facts if m.matches(f)]
                if worker is not None:
                    facts = [f for f in facts if f.f.get(field) == worker]
                found.extend(facts)
            if len(met_by) > 1:
                found.sort(key=_FACT_ORDER)
        hit = (list(map(_DATE_ORDER, found)), found)
        self._cands[key] = hit
        return hit

    def first_fact(self, matcher, lower_o: int) -> Fact | None:
        """The first fact matching ``matcher`` dated on or after ``lower_o``."""
        for f in self.by_type.get(matcher.type, ()):
            if f.o >= lower_o and matcher.matches(f):
                return f
        return None

    def anchor(self, rule: Rule, t: Fact) -> Fact | None:
        """What the rule's due date counts from for trigger ``t`` (None: nothing to count from yet)."""
        kind = rule.anchor_kind
        if kind == "first_fact":
            if rule.anchor_matcher is not None:
                return self.first_fact(rule.anchor_matcher, t.o)
            found = [f for m in rule.anchor_matchers if (f := self.first_fact(m, t.o)) is not None]
            return min(found, key=_FACT_ORDER) if found else None  # the earliest; a tie: input order
        if kind == "programme_end":
            return self.programme_end_fact(t)
        return t

    def programme_end_fact(self, start: Fact) -> Fact | None:
        """The programme_ended that closes this programme_started: the first of it on or after its date."""
        prog = start.f.get("programme")
        for f in self.by_type.get("programme_ended", ()):
            if f.o >= start.o and f.f.get("programme") == prog:
                return f
        return None

    def programme_end(self, start: Fact) -> int | None:
        """Ordinal of the programme_ended that closes this programme_started, if any."""
        end = self.programme_end_fact(start)
        return None if end is None else end.o

    def spans(self, programme: str) -> list[tuple[int, int | None]]:
        """(start, end or None) ordinals of each programme_started of ``programme``."""
        hit = self._spans.get(programme)
        if hit is None:
            hit = self._spans[programme] = [
                (s.o, self.programme_end(s))
                for s in self.by_type.get("programme_started", ())
                if s.f.get("programme") == programme
            ]
        return hit

    def open_on(self, programmes: tuple[str, ...], o: int) -> bool:
        """Whether one of these programmes is open on day ``o``: started on or before it and not
        ended before it (a programme is still open on the day it ends)."""
        for prog in programmes:
            for s_o, e_o in self.spans(prog):
                if s_o <= o and (e_o is None or o <= e_o):
                    return True
        return False

    def until(self, rule: Rule, t: Fact) -> int | None:
        """Where a rule's ``until`` stops the chain started by ``t``: the first such fact on or after
        it or, with or_no_programme_open, a programme_ended on or after it that leaves the child with
        no programme open (every programme started by then has ended by then)."""
        stop = None
        if rule.until is not None:
            found = self.first_fact(rule.until, t.o)
            stop = None if found is None else found.o
        if rule.until_no_programme:
            starts = self.by_type.get("programme_started", ())
            for e in self.by_type.get("programme_ended", ()):
                if e.o < t.o or (stop is not None and e.o >= stop):
                    continue
                still_open = False
                for s in starts:
                    if s.o > e.o:
                        break  # sorted by date: started after this end
                    end = self.programme_end(s)
                    if end is None or end > e.o:
                        still_open = True
                        break
                if not still_open:
                    stop = e.o
                    break
        return stop

    def periods(self, cond) -> list[tuple[int, Fact, int | None]]:
        """Spans (start ordinal, start fact, end ordinal or None) while the condition holds.

        The state on a day is the one left by the last fact of that day (fact order breaks ties).
        """
        hit = self._periods.get(cond.key)
        if hit is not None:
            return hit
        spans: list[tuple[int, Fact, int | None]] = []
        facts = self.by_type.get(cond.type, ())
        start: Fact | None = None
        n = len(facts)
        for j, f in enumerate(facts):
            if j + 1 < n and facts[j + 1].o == f.o:
                continue  # not the last fact of its day
            if cond.holds(f):
                if start is None:
                    start = f
            elif start is not None:
                spans.append((start.o, start, f.o))
                start = None
        if start is not None:
            spans.append((start.o, start, None))
        self._periods[cond.key] = spans
        return spans


_FACT_ORDER = attrgetter("o", "i")  # facts sort by date, then position in the input
_DATE_ORDER = attrgetter("o")  # the same order for facts already in input order (a stable sort)
