"""Demo data for transfers into and out of the service and caretaking (003 §12, App. A-B).

Children taken in from other areas are new to the service, so they get their own records ("TI" case
numbers, as transfer_in_create gives them): one taken in on a caretaking basis from Derbyshire YJS about
six weeks ago, one received yesterday (working day) awaiting review, one rejected with its reasons, one
caretaken for over three months (the §12.1 full-transfer prompt) and a looked-after one (no prompt,
§12.2). Two North children are moving out to Leicester City YJS: one with the request sent, one whose
parent is subject to a parenting order (§12.9-§12.11). Rows are created directly: seed_demo recomputes
every child's obligations after build().

Host contacts are left out of the demo for now: transfers/facts.py's `_fact(kind, day, **extra)` is
called with `kind=` for a host contact, which raises TypeError when obligations are computed (reported).
"""

import datetime

from cases.models import Allocation, Child, Event, EventType, Programme, RiskLevel, Team
from cases.rules.calendar import get_calendar
from transfers.models import CaretakingAgreement, HostContact, TransferIn, TransferOut
from transfers.selectors.external import review_default

from .common import birthday

CAL = get_calendar()
NUMBER_PREFIX = "TI"
OURS = ["assessments", "planning", "non_compliance", "updates"]
HOMES = ["psr", "last_assetplus", "care_plan", "breach"]


def clear() -> None:
    """Remove this module's demo rows before seed_demo rebuilds the service."""
    HostContact.objects.all().delete()
    TransferOut.objects.all().delete()
    CaretakingAgreement.objects.all().delete()
    TransferIn.objects.all().delete()
    Child.objects.filter(case_number__startswith=NUMBER_PREFIX).delete()


def _docs(**missing) -> dict:
    """The App. A checklist: every document attached, N/A where allowed and not relevant, and `missing`
    as {code: reason} answered No."""
    result = {}
    for code, _label, na_allowed in TransferIn.DOCUMENTS:
        answer = (
            "na" if na_allowed and code in ("referral_order", "custody_planning", "psychiatric") else "yes"
        )
        result[code] = {"answer": answer, "reason": ""}
    for code, reason in missing.items():
        result[code] = {"answer": "no", "reason": reason}
    return result


def _wd_before(today: datetime.date, days: int) -> datetime.date:
    """A working day about `days` calendar days before today."""
    return CAL.on_or_before(today - datetime.timedelta(days=days))


def _event(child, author, day, summary, details="", source="") -> None:
    """A TRANSFER case note (its facts come from the record)."""
    Event.objects.create(
        child=child,
        author=author,
        event_type=EventType.TRANSFER,
        occurred_on=day,
        summary=summary[:200],
        details=details,
        source=source,
    )


def _transfer_in(
    *, team, recorder, received_on, first, last, dob, home_yjs, case_id, looked_after=False, **extra
):
    """A Transfer In Summary and the child's new record in the receiving team."""
    transfer_in = TransferIn.objects.create(
        team=team,
        received_on=received_on,
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        home_yjs=home_yjs,
        home_case_id=case_id,
        proposed_address=extra.pop("address", "14 Sample Row, Nottingham NG7 1ZZ"),
        living_with=extra.pop("living_with", "Aunt"),
        living_with_relationship="Maternal aunt",
        parental_responsibility_name="Parent (fictional)",
        home_case_manager=f"Case manager, {home_yjs} (fictional), 01234 000000",
        order_type=extra.pop("order_type", "Referral Order, 9 months"),
        order_start=received_on - datetime.timedelta(days=120),
        order_length="9 months",
        offence_details=extra.pop(
            "offence", "Theft from a shop with a co-defendant; no specific victims at risk."
        ),
        order_summary="Engaged with reparation; victim awareness work outstanding.",
        looked_after=looked_after,
        csc_advised=TransferIn.YesNoNa.YES if looked_after else TransferIn.YesNoNa.NA,
        social_worker="Social worker (fictional), home local authority" if looked_after else "",
        documents=extra.pop("documents", _docs()),
        missing_reasons=extra.pop("missing_reasons", ""),
        recorded_by=recorder,
        **extra,
    )
    child = Child.objects.create(
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        team=team,
        case_number=f"{NUMBER_PREFIX}{transfer_in.pk:06d}",
        looked_after=looked_after,
        rosh=RiskLevel.MEDIUM,
        saw=RiskLevel.LOW,
        lor=RiskLevel.MEDIUM,
    )
    transfer_in.child = child
    transfer_in.save(update_fields=["child"])
    _event(
        child,
        recorder,
        received_on,
        f"Transfer in summary received from {home_yjs}",
        source=f"transfer_in:{transfer_in.pk}",
    )
    return transfer_in


def _decide(transfer_in, manager, status, day, reasons="", communicated_on=None) -> None:
    """The TM/AP's decision (003 §12.4) with its event."""
    transfer_in.status = status
    transfer_in.decided_by = manager
    transfer_in.decided_on = day
    transfer_in.decision_reasons = reasons
    transfer_in.communicated_on = communicated_on
    transfer_in.save()
    label = {
        TransferIn.Status.ACCEPTED: "accepted on a caretaking basis",
        TransferIn.Status.REJECTED: "rejected: record closed",
        TransferIn.Status.STAYED: "stayed",
    }[status]
    _event(
        transfer_in.child,
        manager,
        day,
        f"Transfer in from {transfer_in.home_yjs} {label}",
        details=reasons,
        source=f"transfer_in:{transfer_in.pk}",
    )


def _confirm(transfer_in, manager, day) -> None:
    """App. A: the supervision requirements confirmed to the home YJS."""
    transfer_in.requirements = (
        "Seen weekly by our case manager for the first month, then fortnightly; home YJS keeps breach."
    )
    transfer_in.requirements_confirmed_on = day
    transfer_in.save(update_fields=["requirements", "requirements_confirmed_on"])
    _event(
        transfer_in.child,
        manager,
        day,
        f"Supervision requirements confirmed to {transfer_in.home_yjs}",
        source=f"transfer_in:{transfer_in.pk}",
    )


def _caretake(transfer_in, manager, worker, starts_on, *, reviewed_on=None) -> CaretakingAgreement:
    """App. B agreement from `starts_on`, our worker allocated as case manager."""
    child = transfer_in.child
    review_on = review_default(starts_on)
    agreement = CaretakingAgreement.objects.create(
        child=child,
        transfer_in=transfer_in,
        case_manager=worker,
        home_yjs=transfer_in.home_yjs,
        home_officer=f"Responsible officer, {transfer_in.home_yjs}",
        starts_on=starts_on,
        our_responsibilities=OURS,
        home_responsibilities=HOMES,
        contact_frequency="Weekly face to face (RoSH medium, SaW low), reviewed at the caretaking review",
        review_on=review_on,
        host_signed_name=manager.get_full_name(),
        host_signed_role=manager.get_role_display(),
        host_signed_on=starts_on,
        home_signed_name=f"Team manager, {transfer_in.home_yjs}",
        home_signed_role="Team manager",
        home_signed_on=starts_on,
        created_by=manager,
    )
    if reviewed_on:
        agreement.reviewed_on = reviewed_on
        agreement.review_on = review_default(reviewed_on)
        agreement.review_notes = (
            f"{reviewed_on:%-d %B %Y}: Placement stable; child likely to stay for the rest of the order."
        )
        agreement.save(update_fields=["reviewed_on", "review_on", "review_notes"])
        _event(
            child, manager, reviewed_on, "Caretaking agreement reviewed", source=f"caretaking:{agreement.pk}"
        )
    child.case_manager = worker
    child.save(update_fields=["case_manager"])
    Allocation.objects.create(
        child=child,
        worker=worker,
        role=Allocation.Role.CASE_MANAGER,
        started_on=starts_on,
        allocated_by=manager,
        reason="Case manager named in the caretaking agreement (003 App. B)",
    )
    _event(
        child,
        manager,
        starts_on,
        f"Caretaking agreement with {transfer_in.home_yjs} from {starts_on:%-d %b %Y}",
        source=f"caretaking:{agreement.pk}",
    )
    return agreement


def build(*, staff, today, rnd) -> None:
    """Add this module's demo rows (after children, meetings and supervision exist)."""
    by_name = {u.username: u for u in staff}
    teams = {t.name.split()[0]: t for t in Team.objects.filter(kind=Team.Kind.LOCALITY)}
    north, south, west = teams.get("North"), teams.get("South"), teams.get("West")
    if not (north and south and west):
        return
    tm_n, ap_n, bs_n = by_name["tm.north"], by_name["ap.north"], by_name["bs.north"]
    tm_s, ap_s = by_name["tm.south"], by_name["ap.south"]

    # 1. Taken in from Derbyshire YJS on a caretaking basis about six weeks ago (003 §12.5, App. B).
    received_on = _wd_before(today, 42)
    derbyshire = _transfer_in(
        team=south,
        recorder=by_name["bs.south"],
        received_on=received_on,
        first="Casey",
        last="Moorland",
        dob=birthday(today, 15, 110),
        home_yjs="Derbyshire YJS",
        case_id="DBY-20417",
    )
    decided = CAL.add_working_days(received_on, 1)
    _decide(derbyshire, ap_s, TransferIn.Status.ACCEPTED, decided)
    _confirm(derbyshire, ap_s, CAL.add_working_days(received_on, 2))
    _caretake(derbyshire, tm_s, by_name["cm.south.2"], decided)

    # 2. Received one working day ago, waiting for the TM/AP's review; the PSR is missing.
    _transfer_in(
        team=north,
        recorder=bs_n,
        received_on=CAL.subtract_working_days(today, 1),
        first="Robin",
        last="Ashdale",
        dob=birthday(today, 14, 300),
        home_yjs="Lincolnshire YJS",
        case_id="LIN-7781",
        order_type="YRO with supervision and activity requirements, 12 months",
        documents=_docs(psr="Sentenced without a PSR; the stand-down report is attached instead"),
        high_risk=True,
        high_risk_details="Violence towards a former partner's sibling: victim lives in Lincoln.",
        safeguarding=True,
        safeguarding_details="Exploitation concerns in the home area.",
    )

    # 3. Rejected with reasons communicated to the home YJS (003 §12.4).
    rejected_on = _wd_before(today, 20)
    rejected = _transfer_in(
        team=west,
        recorder=by_name["bs.west"],
        received_on=rejected_on,
        first="Morgan",
        last="Fenwick",
        dob=birthday(today, 16, 40),
        home_yjs="Staffordshire YJS",
        case_id="STF-0932",
        documents=_docs(assetplus="Last AssetPlus is eight months old", contacts="To follow"),
        missing_reasons="Home YJS to send the updated AssetPlus and record of contacts.",
    )
    _decide(
        rejected,
        by_name["tm.west"],
        TransferIn.Status.REJECTED,
        CAL.add_working_days(rejected_on, 1),
        reasons="The young person has not moved: the proposed address is a respite placement for two weeks. "
        "AssetPlus is eight months old. Re-request if the move becomes permanent.",
        communicated_on=CAL.add_working_days(rejected_on, 1),
    )
    rejected.child.is_open = False
    rejected.child.save(update_fields=["is_open"])

    # 4. Caretaken for over three months: the full-transfer presumption prompts (003 §12.1).
    long_received = _wd_before(today, 125)
    long_stay = _transfer_in(
        team=north,
        recorder=bs_n,
        received_on=long_received,
        first="Jamie",
        last="Holloway",
        dob=birthday(today, 15, 230),
        home_yjs="Derby City YJS",
        case_id="DCY-55120",
    )
    starts = CAL.add_working_days(long_received, 1)
    _decide(long_stay, tm_n, TransferIn.Status.ACCEPTED, starts)
    _confirm(long_stay, tm_n, CAL.add_working_days(long_received, 2))
    _caretake(long_stay, tm_n, by_name["cm.north.3"], starts, reviewed_on=CAL.add_working_days(starts, 40))

    # 4b. Looked after, caretaken for over three months: the home YOT keeps case management (§12.2).
    lac_received = _wd_before(today, 110)
    lac = _transfer_in(
        team=north,
        recorder=bs_n,
        received_on=lac_received,
        first="Alexis",
        last="Brackwood",
        dob=birthday(today, 14, 65),
        home_yjs="Leicestershire YJS",
        case_id="LEI-3029",
        looked_after=True,
        living_with="Foster carers",
    )
    lac_starts = CAL.add_working_days(lac_received, 2)
    _decide(lac, ap_n, TransferIn.Status.ACCEPTED, lac_starts)
    _confirm(lac, ap_n, CAL.add_working_days(lac_received, 2))
    _caretake(lac, ap_n, by_name["cm.north.4"], lac_starts, reviewed_on=CAL.add_working_days(lac_starts, 45))

    # 5-6. North children moving out to Leicester City YJS (003 §12.6, §12.9-§12.11).
    movers = list(
        Child.objects.filter(team=north, is_open=True, case_manager__isnull=False)
        .exclude(case_number__startswith="YJ9000")
        .exclude(case_number__startswith=NUMBER_PREFIX)
        .exclude(internal_transfers__isnull=False)
        .order_by("pk")[:2]
    )
    if len(movers) < 2:
        return
    moving, parent = movers
    if moving.case_manager is None or parent.case_manager is None:  # never: the query asks for one
        return
    known = CAL.subtract_working_days(today, 3)
    sent = CAL.add_working_days(known, 1)
    out = TransferOut.objects.create(
        child=moving,
        status=TransferOut.Status.REQUESTED,
        kind=TransferOut.Kind.TRANSFER,
        host_area="Leicester City YJS",
        host_contact="Duty team manager, Leicester City YJS (fictional)",
        move_known_on=known,
        new_address="3 Example Close, Leicester LE1 9ZZ",
        assetplus_updated_on=known,
        yot_request_on=sent,
        requested_on=sent,
        requested_by=moving.case_manager,
    )
    _event(
        moving,
        moving.case_manager,
        known,
        "Moving to Leicester City YJS: full transfer to be requested",
        source=f"transfer_out:{out.pk}",
    )
    _event(
        moving,
        moving.case_manager,
        sent,
        "Full transfer requested from Leicester City YJS",
        source=f"transfer_out:{out.pk}",
    )

    Programme.objects.create(
        child=parent,
        kind=Programme.Kind.PARENTING_ORDER,
        start_date=today - datetime.timedelta(days=50),
        length_months=12,
        created_by=tm_n,
    )
    known = CAL.subtract_working_days(today, 2)
    out = TransferOut.objects.create(
        child=parent,
        status=TransferOut.Status.REQUESTED,
        kind=TransferOut.Kind.TRANSFER,
        host_area="Leicester City YJS",
        move_known_on=known,
        new_address="8 Sample Street, Leicester LE2 0ZZ",
        assetplus_updated_on=known,
        yot_request_on=known,
        requested_on=CAL.add_working_days(known, 1),
        parenting_order=True,
        parenting_simultaneous=True,
        parenting_documents=["summary", "assessment", "contacts"],
        requested_by=parent.case_manager,
    )
    _event(
        parent,
        parent.case_manager,
        known,
        "Moving to Leicester City YJS with the parenting order: full transfer to be requested",
        source=f"transfer_out:{out.pk}",
    )
