"""Supervision records become facts (timescales.md "Facts"): the only place that knows the mapping.

- A case discussion states `case_discussion_held` on the day it was held (with `significant` and `at`),
  and `case_discussion_recorded` on the day its record went on the child's file. A co-allocated
  workers' discussion states `co_allocation_discussion` instead (003 §5.3): it is peer supervision, not
  a management case discussion.
- An oversight decision states `oversight_decision` when it was made and `oversight_recorded` when it
  was put on the file (004 §7.1, 002).
- A worker states `worker_started` (when they joined, for anyone with a supervisor), each formal
  supervision `staff_supervision_held` (not group sessions: 002 "Group Supervision"), and each agreed
  frequency `supervision_frequency_set`.
"""

from django.utils import timezone

from .models import (
    FORMAL_METHODS,
    CaseDiscussion,
    OversightDecision,
    SupervisionFrequency,
    SupervisionSession,
)


def _at(value) -> str:
    """A datetime as a local ISO 8601 string to the second, as facts carry it."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def discussion_facts(*, child) -> list[dict]:
    """The child's case discussions and oversight decisions as facts."""
    facts: list[dict[str, object]] = []
    for kind, held_on, held_at, significant, status, recorded_on in CaseDiscussion.objects.filter(
        child=child
    ).values_list("kind", "held_on", "held_at", "significant", "status", "recorded_on"):
        if kind == CaseDiscussion.Kind.CO_ALLOCATED:
            facts.append({"type": "co_allocation_discussion", "date": held_on.isoformat()})
            continue
        fact: dict[str, object] = {
            "type": "case_discussion_held",
            "date": held_on.isoformat(),
            "significant": significant,
        }
        if held_at:
            fact["at"] = _at(held_at)
        facts.append(fact)
        if status == CaseDiscussion.Status.RECORDED and recorded_on:
            facts.append({"type": "case_discussion_recorded", "date": recorded_on.isoformat()})
    for decided_at, significant, recorded_on in OversightDecision.objects.filter(child=child).values_list(
        "decided_at", "significant", "recorded_on"
    ):
        facts.append(
            {
                "type": "oversight_decision",
                "date": timezone.localdate(decided_at).isoformat(),
                "at": _at(decided_at),
                "significant": significant,
            }
        )
        facts.append({"type": "oversight_recorded", "date": recorded_on.isoformat()})
    return facts


def worker_supervision_facts(*, worker) -> list[dict]:
    """A worker's start, formal supervisions and agreed frequencies (000 §4.1, 001 §2, 002)."""
    facts = []
    if worker.line_manager_id and worker.is_active:
        facts.append(
            {
                "type": "worker_started",
                "worker": worker.pk,
                "date": timezone.localdate(worker.date_joined).isoformat(),
            }
        )
    for held_on in (
        SupervisionSession.objects.filter(supervisee=worker, method__in=FORMAL_METHODS)
        .exclude(status=SupervisionSession.Status.CANCELLED)
        .values_list("held_on", flat=True)
    ):
        facts.append({"type": "staff_supervision_held", "worker": worker.pk, "date": held_on.isoformat()})
    for weeks, from_date in SupervisionFrequency.objects.filter(worker=worker).values_list(
        "weeks", "from_date"
    ):
        facts.append(
            {
                "type": "supervision_frequency_set",
                "worker": worker.pk,
                "weeks": weeks,
                "date": from_date.isoformat(),
            }
        )
    return facts
