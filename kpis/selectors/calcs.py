"""The snapshot measures (KPI 1-5 and 8): each a function of a snapshot's values (the contract in
outcomes/interventions.py) and its programme, giving (numerator, denominator) for one child, or None when
the child is not in the measure's denominator (the field was not recorded, or the measure does not apply).
Every numerator is a part of its denominator."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from cases.models import Programme

Counted = tuple[int | Decimal, int | Decimal] | None


def _part(values, key: str) -> dict | None:
    """One KPI field of a snapshot, or None when it was not recorded (or is not a mapping)."""
    part = values.get(key) if isinstance(values, dict) else None
    return part if isinstance(part, dict) else None


def yes(numerator: bool) -> Counted:
    """One child (or victim, or offence) in the denominator, and in the numerator when `numerator`."""
    return (1 if numerator else 0, 1)


def _suitable(key: str) -> Callable[[dict, Programme], Counted]:
    def calc(values, programme) -> Counted:
        part = _part(values, key)
        return None if part is None else yes(part.get("suitable") is True)

    return calc


def _custody_release(values, programme) -> Counted:
    """KPI 1 on release: the end snapshots of custody only."""
    return (
        _suitable("accommodation")(values, programme)
        if programme.kind == Programme.Kind.DTO_CUSTODY
        else None
    )


def _hours(values, programme) -> Counted:
    """KPI 2: hours a week attended of hours offered, children of compulsory school age with both."""
    ete = _part(values, "ete")
    if ete is None or ete.get("school_age") is not True:
        return None
    offered, attended = ete.get("hours_offered"), ete.get("hours_attended")
    if offered is None or attended is None:
        return None
    offered, attended = Decimal(str(offered)), Decimal(str(attended))
    return (min(attended, offered), offered)  # hours beyond those offered do not push past 100%


def _send(numerator: Callable[[dict, dict], bool] | None) -> Callable[[dict, Programme], Counted]:
    """KPI 3: `numerator` None is "identified" of those assessed; else a test of children with SEND."""

    def calc(values, programme) -> Counted:
        send = _part(values, "send")
        if send is None:
            return None
        if numerator is None:
            return yes(send.get("identified") is True)
        if send.get("identified") is not True:
            return None
        return yes(numerator(send, values))

    return calc


def _in_suitable_ete(send, values) -> bool:
    ete = _part(values, "ete")
    return ete is not None and ete.get("suitable") is True


def _formal_plan(send, values) -> bool:
    return send.get("plan") not in (None, "", "none") and send.get("plan_current") is True


def _health(key: str, stage: str) -> Callable[[dict, Programme], Counted]:
    """KPI 4 and 5: need of those screened; offered of those in need; attending of those offered."""

    def calc(values, programme) -> Counted:
        part = _part(values, key)
        if part is None or part.get("screened") is False:
            return None
        need, offered = part.get("need_identified") is True, part.get("offered") is True
        if stage == "need":
            return yes(need)
        if stage == "offered":
            return yes(offered) if need else None
        return yes(part.get("attending") is True) if need and offered else None

    return calc


def _wider(kind: str) -> Callable[[dict, Programme], Counted]:
    def calc(values, programme) -> Counted:
        services = values.get("wider_services") if isinstance(values, dict) else None
        return None if not isinstance(services, list) else yes(kind in services)

    return calc


SNAPSHOT_CALCS: dict[str, Callable[[dict, Programme], Counted]] = {
    "1.suitable": _suitable("accommodation"),
    "1.custody_release": _custody_release,
    "2.suitable": _suitable("ete"),
    "2.hours": _hours,
    "3.identified": _send(None),
    "3.suitable_ete": _send(_in_suitable_ete),
    "3.formal_plan": _send(_formal_plan),
    "4.need": _health("mental_health", "need"),
    "4.offered": _health("mental_health", "offered"),
    "4.attending": _health("mental_health", "attending"),
    "5.need": _health("substance_misuse", "need"),
    "5.offered": _health("substance_misuse", "offered"),
    "5.attending": _health("substance_misuse", "attending"),
    "8.early_help": _wider("early_help"),
    "8.child_in_need": _wider("child_in_need"),
    "8.child_protection": _wider("child_protection"),
    "8.looked_after": _wider("looked_after"),
}
