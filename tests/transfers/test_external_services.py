"""Transfers into and out of the service, caretaking and host contacts (003 §12.1-§12.11, App. A-B):
the App. A checklist, the TM/AP's decision, the timescales (2 working days to confirm requirements,
1 working day to request from the host area, caretaking review within three months), the looked-after
rule, the full-transfer presumption, parenting orders, and closing on transfer."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.models import Child, Event, EventType, Obligation, Programme, Role
from core.models import AuditEntry
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory
from transfers.models import CaretakingAgreement, HostContact, TransferIn, TransferOut
from transfers.selectors import external as selectors
from transfers.services import external as services

LONDON = ZoneInfo("Europe/London")
D = datetime.date


def docs(answer: str = "yes", **override) -> dict:
    """Every App. A document answered `answer` (N/A falls back to Yes where N/A is not allowed)."""
    result = {}
    for code, _label, na_allowed in TransferIn.DOCUMENTS:
        value = answer if (answer != "na" or na_allowed) else "yes"
        result[code] = {"answer": value, "reason": ""}
    result.update(override)
    return result


def summary(**override) -> dict:
    """A complete Transfer In Summary (App. A) as transfer_in_create arguments."""
    data = {
        "first_name": "Jordan",
        "last_name": "Incomer",
        "date_of_birth": D(2010, 5, 4),
        "home_yjs": "Derbyshire YJS",
        "home_case_id": "DY12345",
        "proposed_address": "1 Test Street, Nottingham NG1 1AA",
        "home_case_manager": "Sam Home, Derbyshire YJS",
        "order_type": "Referral Order, 9 months",
        "offence_details": "Theft from a shop; no specific victims at risk.",
        "looked_after": False,
    }
    data.update(override)
    return data


def received(user, team, day, **override) -> TransferIn:
    """A transfer in recorded through the service, received on `day`."""
    return services.transfer_in_create(
        user=user,
        team=team,
        received_on=day,
        documents=override.pop("documents", docs()),
        **summary(**override),
    )


@pytest.fixture
def ap(north):
    """North's advanced practitioner."""
    return UserFactory(username="ap", role=Role.ADVANCED_PRACTITIONER, team=north)


@pytest.fixture
def pinned():
    """Tue 10 Mar 2026, 14:00 London time."""
    with time_machine.travel(datetime.datetime(2026, 3, 10, 14, 0, tzinfo=LONDON), tick=False):
        yield


def obligation(child, code) -> Obligation | None:
    """The child's stored obligation with this code."""
    return Obligation.objects.filter(child=child, code=code).first()


class TestDocumentChecklist:
    def test_all_yes_passes(self):
        """Every document attached: no errors."""
        assert services.documents_errors(docs()) == {}

    def test_no_without_reason_is_refused(self):
        """App. A: "If no is indicated, please provide a reason for the missing document"."""
        errors = services.documents_errors(docs(psr={"answer": "no", "reason": ""}))
        assert set(errors) == {"psr"} and "reason" in errors["psr"]

    def test_no_with_its_own_reason_or_the_overall_reasons_passes(self):
        """A reason beside the document, or the overall reasons for missing paperwork, will do."""
        assert services.documents_errors(docs(psr={"answer": "no", "reason": "Not yet written"})) == {}
        assert services.documents_errors(docs(psr={"answer": "no", "reason": ""}), "PSR to follow") == {}

    def test_na_only_where_allowed(self):
        """N/A is refused for Yes/No documents (the summary itself, CPS papers) and allowed for AssetPlus."""
        errors = services.documents_errors(
            docs(summary={"answer": "na"}, cps={"answer": "na"}, assetplus={"answer": "na"})
        )
        assert set(errors) == {"summary", "cps"}
        assert "cannot be marked N/A" in errors["summary"]

    def test_every_document_needs_an_answer(self):
        """An unanswered document is refused."""
        documents = docs()
        del documents["sen"]
        assert set(services.documents_errors(documents)) == {"sen"}

    def test_service_refuses_an_incomplete_checklist(self, team_manager, north, pinned):
        """The service checks the checklist too: nothing is saved."""
        with pytest.raises(ValidationError) as exc:
            received(team_manager, north, D(2026, 3, 9), documents=docs(contacts={"answer": "no"}))
        assert "doc_contacts" in exc.value.message_dict
        assert not TransferIn.objects.exists() and not Child.objects.exists()


class TestTransferInCreate:
    def test_opens_the_child_in_the_receiving_team(
        self, team_manager, north, pinned, django_capture_on_commit_callbacks
    ):
        """The child's record opens in the receiving team with no case manager, a TI case number, an
        event and an audit entry; the received date is not in the future."""
        with django_capture_on_commit_callbacks(execute=True):
            transfer_in = received(team_manager, north, D(2026, 3, 9), looked_after=True)
        child = transfer_in.child
        assert child.team == north and child.case_manager is None and child.is_open and child.looked_after
        assert child.case_number == f"TI{transfer_in.pk:06d}"
        assert child.first_name == "Jordan" and child.date_of_birth == D(2010, 5, 4)
        event = Event.objects.get(child=child, event_type=EventType.TRANSFER)
        assert event.summary == "Transfer in summary received from Derbyshire YJS"
        assert AuditEntry.objects.filter(child=child, object_type="transferin").exists()
        with pytest.raises(ValidationError):
            received(team_manager, north, D(2026, 3, 11))

    def test_business_support_of_the_team_may_record_others_may_not(self, north, south, pinned):
        """Business support records for their own team; a case manager, or another team, cannot."""
        bs = UserFactory(username="bs", role=Role.BUSINESS_SUPPORT, team=north)
        assert received(bs, north, D(2026, 3, 9)).team == north
        with pytest.raises(ValidationError):
            received(bs, south, D(2026, 3, 9))
        cm = UserFactory(username="cm2", role=Role.CASE_MANAGER, team=north)
        with pytest.raises(ValidationError):
            received(cm, north, D(2026, 3, 9))

    def test_confirm_due_two_working_days_after_receipt_across_christmas(
        self, team_manager, north, django_capture_on_commit_callbacks
    ):
        """App. A: received Thu 24 Dec 2026; 25 Dec and the substitute Boxing Day (Mon 28 Dec) are bank
        holidays, so the requirements are due Wed 30 Dec 2026 (transfer_in.confirm)."""
        with time_machine.travel(datetime.datetime(2026, 12, 24, 15, 0, tzinfo=LONDON), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                transfer_in = received(team_manager, north, D(2026, 12, 24))
            due = obligation(transfer_in.child, "transfer_in.confirm")
            assert due is not None and due.due == D(2026, 12, 30) and due.status != Obligation.Status.MET
            assert selectors.transfer_in_confirm_due(transfer_in) == D(2026, 12, 30)
            with django_capture_on_commit_callbacks(execute=True):
                services.transfer_in_requirements_confirm(
                    transfer_in=transfer_in,
                    user=team_manager,
                    requirements="Seen weekly by North; home YJS keeps breach.",
                    confirmed_on=D(2026, 12, 24),
                )
            met = obligation(transfer_in.child, "transfer_in.confirm")
            assert met.status == Obligation.Status.MET and met.met_on == D(2026, 12, 24)

    def test_requirements_need_text_and_a_real_date(self, team_manager, north, pinned):
        """Blank requirements, a future date or one before receipt are refused."""
        transfer_in = received(team_manager, north, D(2026, 3, 9))
        for requirements, day, key in [
            ("", D(2026, 3, 10), "requirements"),
            ("Weekly", D(2026, 3, 11), "confirmed_on"),
            ("Weekly", D(2026, 3, 6), "confirmed_on"),
        ]:
            with pytest.raises(ValidationError) as exc:
                services.transfer_in_requirements_confirm(
                    transfer_in=transfer_in, user=team_manager, requirements=requirements, confirmed_on=day
                )
            assert key in exc.value.message_dict


class TestDecision:
    def test_reject_needs_reasons_and_the_date_communicated(self, team_manager, north, pinned):
        """003 §12.4: reasons clearly recorded and communicated; nothing changes without them."""
        transfer_in = received(team_manager, north, D(2026, 3, 9))
        with pytest.raises(ValidationError) as exc:
            services.transfer_in_decide(transfer_in=transfer_in, user=team_manager, decision="reject")
        assert {"reasons", "communicated_on"} <= set(exc.value.message_dict)
        with pytest.raises(ValidationError) as exc:
            services.transfer_in_decide(
                transfer_in=transfer_in, user=team_manager, decision="reject", reasons="No AssetPlus"
            )
        assert set(exc.value.message_dict) == {"communicated_on"}
        transfer_in.refresh_from_db()
        assert transfer_in.status == TransferIn.Status.RECEIVED

    def test_stay_needs_reasons(self, team_manager, north, pinned):
        """A stay, like a rejection, records its reasons (003 §12.4)."""
        transfer_in = received(team_manager, north, D(2026, 3, 9))
        with pytest.raises(ValidationError) as exc:
            services.transfer_in_decide(
                transfer_in=transfer_in, user=team_manager, decision="stay", communicated_on=D(2026, 3, 10)
            )
        assert set(exc.value.message_dict) == {"reasons"}
        stayed = services.transfer_in_decide(
            transfer_in=transfer_in,
            user=team_manager,
            decision="stay",
            reasons="AssetPlus more than a month old",
            communicated_on=D(2026, 3, 10),
        )
        assert stayed.status == TransferIn.Status.STAYED and stayed.child.is_open

    def test_reject_closes_the_child_with_an_event(self, team_manager, north, pinned):
        """A rejected transfer closes the child's record here, on the timeline."""
        transfer_in = received(team_manager, north, D(2026, 3, 9))
        services.transfer_in_decide(
            transfer_in=transfer_in,
            user=team_manager,
            decision="reject",
            reasons="Not resident in our area",
            communicated_on=D(2026, 3, 10),
        )
        child = Child.objects.get(pk=transfer_in.child_id)
        assert not child.is_open
        assert Event.objects.filter(child=child, summary__contains="rejected").exists()
        with pytest.raises(ValidationError):
            services.transfer_in_decide(transfer_in=transfer_in, user=team_manager, decision="accept")

    def test_only_the_receiving_teams_tm_or_ap_decides(
        self, team_manager, case_manager, north, south, pinned
    ):
        """A case manager, or another team's manager, cannot decide."""
        transfer_in = received(team_manager, north, D(2026, 3, 9))
        south_tm = UserFactory(username="south_tm", role=Role.TEAM_MANAGER, team=south)
        for user in (case_manager, south_tm):
            with pytest.raises(ValidationError):
                services.transfer_in_decide(transfer_in=transfer_in, user=user, decision="accept")

    def test_accept_has_no_required_reasons(self, ap, team_manager, north, pinned):
        """Accepted on a caretaking basis by the AP (003 §12.5)."""
        transfer_in = received(team_manager, north, D(2026, 3, 9))
        accepted = services.transfer_in_decide(transfer_in=transfer_in, user=ap, decision="accept")
        assert accepted.status == TransferIn.Status.ACCEPTED and accepted.decided_by == ap
        assert selectors.accepted_transfer_in(child=accepted.child) == accepted


class TestReviewDates:
    @pytest.mark.parametrize(
        "start, latest",
        [
            (D(2027, 1, 31), D(2027, 4, 30)),  # 31 Jan -> 30 Apr (April has 30 days)
            (D(2023, 11, 30), D(2024, 2, 29)),  # leap year: 30 Nov -> 29 Feb 2024
            (D(2026, 11, 30), D(2027, 2, 28)),  # not a leap year: 28 Feb 2027
            (D(2026, 12, 31), D(2027, 3, 31)),  # month end to month end across the year
            (D(2026, 5, 1), D(2026, 8, 1)),
        ],
    )
    def test_latest_review_is_three_calendar_months_on(self, start, latest):
        """003 §12.1, App. B: no later than three months after the start, clamped to the month's end."""
        assert selectors.review_latest(start) == latest
        assert services.review_errors(starts_on=start, review_on=latest, noun="Date of review") is None
        message = services.review_errors(
            starts_on=start, review_on=latest + datetime.timedelta(days=1), noun="Date of review"
        )
        assert message and "no later than three months" in message

    def test_review_must_be_after_the_start(self):
        """A review on or before the start is refused."""
        assert services.review_errors(starts_on=D(2026, 3, 2), review_on=D(2026, 3, 2), noun="Date of review")

    def test_default_review_is_the_latest_working_day(self):
        """Blank review date: three months on, moved back to a working day (Sat 1 Aug 2026 -> Fri 31 Jul)."""
        assert selectors.review_default(D(2026, 5, 1)) == D(2026, 7, 31)
        assert selectors.review_default(D(2027, 1, 31)) == D(2027, 4, 30)


def accepted_child(team_manager, north, day, **override):
    """A transfer in received and accepted on `day`."""
    transfer_in = received(team_manager, north, day, **override)
    return services.transfer_in_decide(
        transfer_in=transfer_in, user=team_manager, decision="accept", decided_on=day
    )


def agree(child, user, worker, starts_on, **kw):
    """A caretaking agreement through the service."""
    data = {
        "home_yjs": "Derbyshire YJS",
        "home_officer": "Sam Home",
        "starts_on": starts_on,
        "contact_frequency": "Weekly face to face",
        "our_responsibilities": ["assessments", "updates"],
        "home_responsibilities": ["psr", "breach"],
    }
    data.update(kw)
    return services.caretaking_create(child=child, user=user, case_manager=worker, **data)


class TestCaretaking:
    def test_agreement_with_default_review_and_allocation(
        self, team_manager, case_manager, north, pinned, django_capture_on_commit_callbacks
    ):
        """App. B: the review defaults to the latest working day three months on; our case manager is
        allocated; caretaking.review is due three months after the start and met by the review."""
        transfer_in = accepted_child(team_manager, north, D(2026, 3, 2))
        child = transfer_in.child
        child.rosh = child.saw = "low"
        child.save()
        with django_capture_on_commit_callbacks(execute=True):
            agreement, problems = agree(
                child, team_manager, case_manager, D(2026, 3, 2), transfer_in=transfer_in
            )
        assert problems == []
        assert agreement.review_on == D(2026, 6, 2)
        child.refresh_from_db()
        assert child.case_manager == case_manager
        due = obligation(child, "caretaking.review")
        assert due is not None and due.due == D(2026, 6, 2) and due.status != Obligation.Status.MET
        with django_capture_on_commit_callbacks(execute=True):
            services.caretaking_review(
                agreement=agreement, user=team_manager, reviewed_on=D(2026, 3, 10), notes="Settled"
            )
        agreement.refresh_from_db()
        assert agreement.reviewed_on == D(2026, 3, 10) and agreement.review_on == D(2026, 6, 10)
        assert obligation(child, "caretaking.review").status == Obligation.Status.MET

    def test_review_more_than_three_months_on_is_refused(self, team_manager, case_manager, north, pinned):
        """Start 30 Nov 2025: 28 Feb 2026 is allowed, 1 Mar 2026 is not (003 §12.1)."""
        child = accepted_child(team_manager, north, D(2025, 11, 28)).child
        with pytest.raises(ValidationError) as exc:
            agree(child, team_manager, case_manager, D(2025, 11, 30), review_on=D(2026, 3, 1))
        assert "review_on" in exc.value.message_dict
        agreement, _ = agree(child, team_manager, case_manager, D(2025, 11, 30), review_on=D(2026, 2, 28))
        assert agreement.review_on == D(2026, 2, 28)
        with pytest.raises(ValidationError):
            agree(child, team_manager, case_manager, D(2025, 12, 1))  # one in force already

    def test_next_review_no_more_than_three_months_after_the_review(
        self, team_manager, case_manager, north, pinned
    ):
        """Reviewed 31 Jan 2026: the next review by 30 Apr 2026 at the latest."""
        child = accepted_child(team_manager, north, D(2026, 1, 5)).child
        agreement, _ = agree(child, team_manager, case_manager, D(2026, 1, 5))
        with pytest.raises(ValidationError) as exc:
            services.caretaking_review(
                agreement=agreement,
                user=team_manager,
                reviewed_on=D(2026, 1, 31),
                notes="Fine",
                next_review_on=D(2026, 5, 1),
            )
        assert "next_review_on" in exc.value.message_dict
        services.caretaking_review(
            agreement=agreement,
            user=team_manager,
            reviewed_on=D(2026, 1, 31),
            notes="Fine",
            next_review_on=D(2026, 4, 30),
        )

    def test_only_the_teams_tm_or_ap(self, team_manager, case_manager, north, pinned):
        """A case manager cannot make the agreement."""
        child = accepted_child(team_manager, north, D(2026, 3, 2)).child
        with pytest.raises(ValidationError):
            agree(child, case_manager, case_manager, D(2026, 3, 2))

    def test_presumption_after_three_months_not_before(self, team_manager, case_manager, north, pinned):
        """003 §12.1: from three months' residence, full transfer is presumed."""
        child = accepted_child(team_manager, north, D(2025, 12, 1)).child
        agreement, _ = agree(child, team_manager, case_manager, D(2025, 12, 10))
        assert not selectors.presumption_applies(agreement=agreement, looked_after=False, today=D(2026, 3, 9))
        assert selectors.presumption_applies(agreement=agreement, looked_after=False, today=D(2026, 3, 10))

    def test_looked_after_no_presumption_and_no_full_transfer(
        self, team_manager, case_manager, north, pinned
    ):
        """003 §12.2: a looked-after child stays the home YOT's responsibility: no prompt, no full transfer."""
        child = accepted_child(team_manager, north, D(2025, 10, 1), looked_after=True).child
        agreement, _ = agree(child, team_manager, case_manager, D(2025, 10, 1))
        looked_after = selectors.is_looked_after(child=child, agreement=agreement)
        assert looked_after
        assert not selectors.presumption_applies(agreement=agreement, looked_after=looked_after)
        with pytest.raises(ValidationError) as exc:
            services.caretaking_end(
                agreement=agreement, user=team_manager, outcome="full_transfer", ended_on=D(2026, 3, 10)
            )
        assert "12.2" in exc.value.message_dict["outcome"][0]

    def test_end_as_full_transfer_or_returned(self, team_manager, case_manager, north, pinned):
        """Full transfer keeps the record open; a return to the home YJS closes it."""
        child = accepted_child(team_manager, north, D(2025, 11, 3)).child
        agreement, _ = agree(child, team_manager, case_manager, D(2025, 11, 3))
        services.caretaking_end(
            agreement=agreement, user=team_manager, outcome="full_transfer", ended_on=D(2026, 3, 9)
        )
        agreement.refresh_from_db()
        child.refresh_from_db()
        assert agreement.status == CaretakingAgreement.Status.FULL_TRANSFER and child.is_open
        assert not selectors.presumption_applies(agreement=agreement, looked_after=False)
        other = accepted_child(team_manager, north, D(2026, 1, 5)).child
        second, _ = agree(other, team_manager, case_manager, D(2026, 1, 5))
        services.caretaking_end(
            agreement=second, user=team_manager, outcome="returned", ended_on=D(2026, 3, 9)
        )
        other.refresh_from_db()
        assert not other.is_open

    def test_allocation_problems_are_returned_not_raised(self, team_manager, case_manager, north, pinned):
        """A very high RoSH child for a Band A worker needs the allocation checks: the agreement is saved
        and the problem is handed to the Allocation tab."""
        child = accepted_child(team_manager, north, D(2026, 3, 2)).child
        child.rosh = "very_high"
        child.save()
        agreement, problems = agree(child, team_manager, case_manager, D(2026, 3, 2))
        child.refresh_from_db()
        assert agreement.pk and problems and child.case_manager is None


def move_out(child, user, **kw) -> TransferOut:
    """A move out through the service."""
    data = {
        "kind": TransferOut.Kind.TRANSFER,
        "host_area": "Leicester City YJS",
        "move_known_on": D(2026, 3, 9),
    }
    data.update(kw)
    return services.transfer_out_create(child=child, user=user, **data)


class TestTransferOut:
    def test_request_due_one_working_day_after_the_move_was_known(
        self, child, case_manager, django_capture_on_commit_callbacks
    ):
        """003 §12.6: known Thu 31 Dec 2026; New Year's Day is a bank holiday: due Mon 4 Jan 2027."""
        with time_machine.travel(datetime.datetime(2026, 12, 31, 10, 0, tzinfo=LONDON), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                out = move_out(child, case_manager, move_known_on=D(2026, 12, 31))
            due = obligation(child, "transfer_out.request")
            assert due.due == D(2027, 1, 4) and out.status == TransferOut.Status.NEEDED
            assert selectors.transfer_out_request_due(out) == D(2027, 1, 4)
        with time_machine.travel(datetime.datetime(2027, 1, 4, 10, 0, tzinfo=LONDON), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                services.transfer_out_update(
                    transfer_out=out,
                    user=case_manager,
                    status=TransferOut.Status.REQUESTED,
                    requested_on=D(2027, 1, 4),
                )
            assert obligation(child, "transfer_out.request").status == Obligation.Status.MET

    def test_outsider_and_colleague_cannot_record(self, child, outsider, colleague, pinned):
        """Only the case manager or the team's TM/AP."""
        for user in (outsider, colleague):
            with pytest.raises(ValidationError):
                move_out(child, user)

    def test_one_move_at_a_time(self, child, case_manager, pinned):
        """A second open move is refused."""
        move_out(child, case_manager)
        with pytest.raises(ValidationError):
            move_out(child, case_manager)

    def test_open_parenting_order_marks_the_move(self, child, case_manager, pinned):
        """003 §12.9: an open parenting order on the record moves with the child's order."""
        ProgrammeFactory(child=child, kind=Programme.Kind.PARENTING_ORDER, start_date=D(2026, 1, 5))
        assert move_out(child, case_manager).parenting_order

    def test_parenting_documents_required_before_transferred(self, child, case_manager, pinned):
        """003 §12.11: every document, and the simultaneous transfer, before TRANSFERRED."""
        out = move_out(child, case_manager, parenting_order=True, requested_on=D(2026, 3, 9))
        base = {
            "transfer_out": out,
            "user": case_manager,
            "status": TransferOut.Status.TRANSFERRED,
            "requested_on": D(2026, 3, 9),
            "outcome_on": D(2026, 3, 10),
        }
        with pytest.raises(ValidationError) as exc:
            services.transfer_out_update(**base, parenting_documents=["summary", "plan"])
        assert {"parenting_simultaneous", "parenting_documents"} <= set(exc.value.message_dict)
        out.refresh_from_db()
        assert out.status == TransferOut.Status.REQUESTED
        all_docs = [c for c, _ in TransferOut.PARENTING_DOCUMENTS]
        done = services.transfer_out_update(**base, parenting_simultaneous=True, parenting_documents=all_docs)
        assert done.status == TransferOut.Status.TRANSFERRED

    def test_transferred_closes_programmes_and_record(self, child, case_manager, pinned):
        """TRANSFERRED: open programmes close as transferred (OOC too), the record closes, with events."""
        yro = ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2025, 9, 1))
        ooc = ProgrammeFactory(child=child, kind=Programme.Kind.OOCD_INTERVENTION, start_date=D(2026, 2, 2))
        ended = ProgrammeFactory(
            child=child, kind=Programme.Kind.PSR, start_date=D(2025, 6, 2), end_date=D(2025, 8, 1)
        )
        out = move_out(child, case_manager, requested_on=D(2026, 3, 9))
        services.transfer_out_update(
            transfer_out=out,
            user=case_manager,
            status=TransferOut.Status.TRANSFERRED,
            requested_on=D(2026, 3, 9),
            outcome_on=D(2026, 3, 10),
        )
        for programme in (yro, ooc):
            programme.refresh_from_db()
            assert programme.end_date == D(2026, 3, 10)
            assert programme.closure_reason == Programme.ClosureReason.TRANSFERRED
        ended.refresh_from_db()
        assert ended.closure_reason == ""
        child.refresh_from_db()
        assert not child.is_open
        assert Event.objects.filter(
            child=child, summary="Transferred to Leicester City YJS: record closed"
        ).exists()
        with pytest.raises(ValidationError):
            services.transfer_out_update(
                transfer_out=out, user=case_manager, status=TransferOut.Status.WITHDRAWN
            )

    def test_caretaken_needs_responsibilities_in_writing(self, child, case_manager, pinned):
        """003 §12.7: which area does what, recorded in writing."""
        out = move_out(child, case_manager, kind=TransferOut.Kind.CARETAKING, requested_on=D(2026, 3, 9))
        kw = {
            "transfer_out": out,
            "user": case_manager,
            "status": TransferOut.Status.CARETAKEN,
            "requested_on": D(2026, 3, 9),
            "outcome_on": D(2026, 3, 10),
        }
        with pytest.raises(ValidationError) as exc:
            services.transfer_out_update(**kw)
        assert "responsibilities" in exc.value.message_dict
        services.transfer_out_update(**kw, responsibilities="Leicester: weekly contact; we keep breach.")
        child.refresh_from_db()
        assert child.is_open

    def test_outcome_needs_the_request(self, child, case_manager, pinned):
        """The host cannot answer a request never sent."""
        out = move_out(child, case_manager)
        with pytest.raises(ValidationError) as exc:
            services.transfer_out_update(
                transfer_out=out,
                user=case_manager,
                status=TransferOut.Status.DECLINED,
                outcome_on=D(2026, 3, 10),
            )
        assert "requested_on" in exc.value.message_dict


class TestHostContacts:
    def test_needs_a_host_providing_contact(self, child, case_manager, pinned):
        """003 §12.8: logged only while a host area provides contact (requested or caretaken), against that
        move, with an event on the child's timeline."""
        with pytest.raises(ValidationError):
            services.host_contact_create(
                child=child,
                user=case_manager,
                date=D(2026, 3, 9),
                kind="phone",
                host_worker="Lee",
                summary="Call",
            )
        move_out(child, case_manager, kind=TransferOut.Kind.CARETAKING, requested_on=D(2026, 3, 9))
        contact = services.host_contact_create(
            child=child,
            user=case_manager,
            date=D(2026, 3, 10),
            kind=HostContact.Kind.FACE_TO_FACE,
            host_worker="Lee Host",
            summary="Home visit; settled.",
        )
        assert contact.transfer_out.host_area == "Leicester City YJS"
        assert Event.objects.filter(child=child, source=f"host_contact:{contact.pk}").exists()
        with pytest.raises(ValidationError) as exc:
            services.host_contact_create(
                child=child,
                user=case_manager,
                date=D(2026, 3, 11),
                kind="phone",
                host_worker="Lee",
                summary="x",
            )
        assert "date" in exc.value.message_dict

    def test_colleague_without_the_case_cannot_log(self, child, case_manager, colleague, pinned):
        """Only those holding or managing the case log the host's contacts."""
        move_out(child, case_manager, kind=TransferOut.Kind.CARETAKING, requested_on=D(2026, 3, 9))
        with pytest.raises(ValidationError):
            services.host_contact_create(
                child=child, user=colleague, date=D(2026, 3, 10), kind="phone", host_worker="Lee", summary="x"
            )


class TestPanelContext:
    def test_constant_queries_and_content(self, child, case_manager, team_manager, pinned):
        """The panel's context costs the same however many records the child has."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        out = move_out(child, case_manager, kind=TransferOut.Kind.CARETAKING, requested_on=D(2026, 3, 9))

        def count():
            with CaptureQueriesContext(connection) as ctx:
                context = selectors.external_panel_context(child=child, user=team_manager)
            return len(ctx.captured_queries), context

        for i in range(2):
            HostContact.objects.create(
                child=child,
                transfer_out=out,
                date=D(2026, 3, 1 + i),
                kind="phone",
                host_worker="L",
                summary="s",
                recorded_by=case_manager,
            )
        few, context = count()
        assert context["ext_can_host_contact"] and not context["ext_can_transfer_out"]
        for i in range(4):
            HostContact.objects.create(
                child=child,
                transfer_out=out,
                date=D(2026, 3, 3 + i),
                kind="phone",
                host_worker="L",
                summary="s",
                recorded_by=case_manager,
            )
        many, context = count()
        assert few == many and len(context["ext_host_contacts"]) == 6
        other = ChildFactory(team=child.team)
        assert selectors.external_panel_context(child=other, user=team_manager)["ext_can_transfer_out"]
