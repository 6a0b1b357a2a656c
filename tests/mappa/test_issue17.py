"""Issue 17, MAPPA (001 §8): category 2 needs 12 months or more custody; Form H is outstanding (My work,
a notification at once, the tab, the register) until sent; the register carries what the MAPPA unit needs
and each level 1 child's next meeting due; a level 1 meeting is chaired by the team manager, or by whoever
the service agrees with that agreement recorded."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts.models import Notification
from cases.models import Gender, Programme, Role
from demo.factories import ProgrammeFactory, UserFactory
from mappa.models import Criterion, MappaRecord
from mappa.selectors import register as reg
from mappa.services import records as services
from meetings import services as meeting_services
from meetings.models import MeetingKind

pytestmark = pytest.mark.django_db
COL = {key: i for i, (_, key) in enumerate(reg.COLUMNS)}


def _today() -> datetime.date:
    return timezone.localdate()


def _date(prefix: str, value: datetime.date) -> dict:
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def _record(child, user, *, criterion=Criterion.OTHER_DANGEROUS, level=1, days_ago=10, **kw) -> MappaRecord:
    return services.mappa_record_create(
        child=child,
        user=user,
        criterion=criterion,
        offence=kw.pop("offence", "Wounding with intent"),
        identified_on=_today() - datetime.timedelta(days=days_ago),
        level=level,
        **kw,
    )


# ---------------------------------------------------------------------------------------------------
# Category 2: 12 months or more custody


@pytest.mark.parametrize("criterion", [Criterion.SCH15_CUSTODY, Criterion.CUSTODY_HOSPITAL_TRANSFER])
def test_category_2_custody_criteria_need_twelve_months(child, team_manager, criterion):
    """001 §8: "sentenced to 12 months or more custody": 8 months is refused with what would fit; a
    missing length is asked for; 12 months exactly qualifies."""
    with pytest.raises(ValidationError, match="8 months does not qualify.*category 3"):
        _record(child, team_manager, criterion=criterion, custody_months=8)
    with pytest.raises(ValidationError, match="Enter the length of the custodial sentence"):
        _record(child, team_manager, criterion=criterion)
    assert not MappaRecord.objects.exists()
    record = _record(child, team_manager, criterion=criterion, custody_months=12)
    assert record.category == 2 and record.custody_months == 12


def test_hospital_order_and_other_categories_need_no_custody(child, team_manager):
    """The s.37 hospital order is category 2 without custody; category 1 and 3 never ask for it (a length
    given for them is not kept)."""
    assert _record(child, team_manager, criterion=Criterion.HOSPITAL_ORDER).category == 2
    services.mappa_record_end(
        record=MappaRecord.objects.get(), user=team_manager, ended_on=_today(), reason="Order ended"
    )
    record = _record(child, team_manager, criterion=Criterion.OTHER_DANGEROUS, custody_months=4)
    assert record.category == 3 and record.custody_months is None


def test_form_refuses_short_custody_beside_the_field_and_starts_from_the_record(client, child, team_manager):
    """The form shows the refusal against the length and keeps the answers; the length starts from the
    longest DTO custody on the child's record."""
    ProgrammeFactory(child=child, kind=Programme.Kind.DTO_CUSTODY, start_date=_today(), custody_months=18)
    client.force_login(team_manager)
    url = reverse("mappa_record_new", args=[child.pk])
    assert 'name="custody_months" value="18"' in client.get(url).content.decode()
    data = {
        "criterion": Criterion.SCH15_CUSTODY,
        "custody_months": "6",
        "offence": "Robbery (Schedule 15)",
        **_date("identified_on", _today()),
        "level": "1",
    }
    page = client.post(url, data).content.decode()
    assert "There is a problem" in page and "6 months does not qualify" in page
    assert 'value="Robbery (Schedule 15)"' in page
    assert not MappaRecord.objects.exists()
    assert client.post(url, {**data, "custody_months": "24"}).status_code == 302
    assert MappaRecord.objects.get().custody_months == 24


# ---------------------------------------------------------------------------------------------------
# Form H: outstanding from eligibility until sent


def test_form_h_prompts_the_team_managers_at_once_and_clears_when_sent(
    client, child, team_manager, case_manager, django_capture_on_commit_callbacks
):
    """Recording eligibility raises "Waiting for you" for the team's TM at once (not the case manager, who
    cannot record it), lists it on their My work and the tab; recording Form H ends the wait, and the
    notification then says so."""
    with django_capture_on_commit_callbacks(execute=True):
        record = _record(child, team_manager)
    notes = Notification.objects.filter(kind=Notification.Kind.WAITING)
    assert list(notes.values_list("recipient", "code", "link")) == [
        (team_manager.pk, "mappa.form_h", reverse("mappa_form_h", args=[child.pk, record.pk]))
    ]
    obligation = child.obligations.get(code="mappa.form_h")
    assert obligation.due is None and obligation.is_outstanding  # no invented timescale (timescales.md)
    client.force_login(team_manager)
    page = client.get(reverse("my_work")).content.decode()
    assert 'id="waiting-for-you"' in page and "Send MAPPA Form H" in page
    tab = client.get(reverse("child_mappa", args=[child.pk])).content.decode()
    assert 'id="form-h-outstanding"' in tab
    with django_capture_on_commit_callbacks(execute=True):
        services.mappa_form_h_record(record=record, user=team_manager, sent_on=_today())
    assert notes.count() == 1  # nothing raised twice
    assert "Send MAPPA Form H" not in client.get(reverse("my_work")).content.decode()
    assert (
        'id="form-h-outstanding"' not in client.get(reverse("child_mappa", args=[child.pk])).content.decode()
    )
    listing = client.get(reverse("notifications")).content.decode()
    assert "Waiting for you" in listing and "No longer waiting" in listing
    client.force_login(case_manager)
    assert "Send MAPPA Form H" not in client.get(reverse("my_work")).content.decode()


# ---------------------------------------------------------------------------------------------------
# The register: what the MAPPA unit needs, and the next level 1 meeting due


def test_register_export_carries_what_the_mappa_unit_needs(
    client, child, team_manager, django_capture_on_commit_callbacks
):
    """Index offence, date of birth, gender, category, level, Form H date and the next meeting due."""
    child.gender_identity = Gender.FEMALE
    child.save()
    with django_capture_on_commit_callbacks(execute=True):
        record = _record(
            child, team_manager, criterion=Criterion.SCH15_CUSTODY, custody_months=30, offence="Robbery"
        )
        services.mappa_form_h_record(record=record, user=team_manager, sent_on=_today())
    client.force_login(team_manager)
    rows = list(csv.reader(io.StringIO(client.get(reverse("mappa_export_csv")).content.decode("utf-8-sig"))))
    row = rows[1]
    due = child.obligations.get(code="mappa.meeting").due
    assert row[COL["offence"]] == "Robbery"
    assert row[COL["date_of_birth"]] == child.date_of_birth.isoformat()
    assert row[COL["gender"]] == "Female"
    assert (row[COL["category"]], row[COL["level"]]) == ("2", "1")
    assert row[COL["custody_months"]] == "30"
    assert row[COL["form_h_sent_on"]] == _today().isoformat()
    assert row[COL["next_due"]] == due.isoformat()


def test_register_page_shows_the_next_meeting_due_even_when_one_is_booked(
    client, child, team_manager, django_capture_on_commit_callbacks
):
    """A level 1 child's row says when the next meeting is due (11 weeks, the CMM timescale) and, apart,
    the meeting booked."""
    with django_capture_on_commit_callbacks(execute=True):
        _record(child, team_manager, days_ago=10)
        meeting_services.meeting_book(
            child=child,
            user=team_manager,
            kind=MeetingKind.MAPPA_LEVEL_1,
            starts_at=timezone.now() + datetime.timedelta(days=21),
            chair=team_manager,
            case_manager=child.case_manager,
            venue="YJS office",
        )
    due = child.obligations.get(code="mappa.meeting").due
    client.force_login(team_manager)
    page = client.get(reverse("mappa_register")).content.decode()
    assert f"Next due: {due:%-d %b %Y}" in page
    assert "Next booked:" in page and "not booked" not in page


# ---------------------------------------------------------------------------------------------------
# Level 1 meetings are chaired by the team manager (001 §8)


def _book(child, user, chair, **kw):
    return meeting_services.meeting_book(
        child=child,
        user=user,
        kind=kw.pop("kind", MeetingKind.MAPPA_LEVEL_1),
        starts_at=timezone.now() + datetime.timedelta(days=21),
        chair=chair,
        case_manager=child.case_manager,
        venue="YJS office",
        **kw,
    )


def test_level_1_meeting_chaired_by_the_tm_or_with_the_agreement_recorded(child, team_manager, north):
    """The team manager chairs with nothing more; an AP chairs only with the service's agreement recorded;
    a risk review CMM needs no agreement (001 §6.2 lets an AP chair)."""
    ap = UserFactory(username="ap.n", role=Role.ADVANCED_PRACTITIONER, team=north)
    _record(child, team_manager)
    assert _book(child, team_manager, team_manager).chair_agreement == ""
    with pytest.raises(ValidationError, match="chaired by the team manager .001 §8.*agreed"):
        _book(child, team_manager, ap)
    meeting = _book(
        child, team_manager, ap, chair_agreement="Agreed with Sam (service manager) on 2 March: TM on leave"
    )
    assert meeting.chair == ap and "TM on leave" in meeting.chair_agreement
    assert (
        _book(
            child, ap, ap, kind=MeetingKind.RISK_REVIEW, no_panel_member_reason="The panel is on leave"
        ).chair_agreement
        == ""
    )


def test_booking_page_asks_for_the_agreement(client, child, team_manager, north):
    """The booking form refuses an AP chair without the agreement, in the summary and beside the field,
    keeping the answers; with it the meeting is booked and its page shows the agreement."""
    ap = UserFactory(username="ap.n", role=Role.ADVANCED_PRACTITIONER, team=north)
    _record(child, team_manager)
    client.force_login(team_manager)
    url = reverse("meeting_book", args=[child.pk]) + "?kind=mappa_level_1&obligation=mappa.meeting"
    day = _today() + datetime.timedelta(days=21)
    data = {
        "kind": MeetingKind.MAPPA_LEVEL_1,
        **_date("date", day),
        "time": "10:00",
        "duration_minutes": "60",
        "venue": "YJS office",
        "chair": str(ap.pk),
        "case_manager": str(child.case_manager_id),
    }
    page = client.post(url, data).content.decode()
    assert "There is a problem" in page and "record who in the service agreed" in page
    response = client.post(url, {**data, "chair_agreement": "Agreed with the service manager: TM on leave"})
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert 'id="chair-agreement"' in detail and "TM on leave" in detail
