"""Court tracking pages (003 §9-§10, App. C): an outsider gets 404 everywhere, who may act, error
summaries that keep the user's input, the band mismatch flag, and query counts that do not grow with
the rows of the court lists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Programme, RiskLevel, Role
from core.models import AuditEntry
from courts import services
from courts.models import AwaitingHearing, Band, CrownCourtTracking, Seriousness
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory


def today() -> datetime.date:
    return timezone.localdate()


def an_hour_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)


@pytest.fixture
def tracking(child, team_manager):
    """A running Band B tracking of the North child, who is held by a Band A case manager."""
    return services.crown_court_start(
        child=child,
        user=team_manager,
        first_appearance_at=an_hour_ago(),
        offence="Wounding with intent",
        seriousness=Seriousness.HIGH,
        band=Band.B,
        rosh=child.rosh,
        saw=child.saw,
    )


@pytest.fixture
def hearing(child, team_manager):
    """The North child on the Magistrates' Court list."""
    return services.awaiting_hearing_add(
        user=team_manager,
        child=child,
        hearing_on=today() + datetime.timedelta(days=60),
        offence="Theft",
        listed_on=today(),
    )


def crown_post(**extra) -> dict:
    """A valid Crown Court tracking form: first appearance yesterday at 10:00, low seriousness."""
    day = today() - datetime.timedelta(days=1)
    data = {
        "first_on_0": day.day,
        "first_on_1": day.month,
        "first_on_2": day.year,
        "first_time": "10:00",
        "court": "Nottingham Crown Court",
        "offence": "Robbery of a phone",
        "seriousness": Seriousness.LOW,
        "rosh": RiskLevel.LOW,
        "saw": RiskLevel.MEDIUM,
        "band": Band.A,
        "screening_notes": "",
        "out_of_area_home_yjs": "",
    }
    data.update(extra)
    return data


def screen_post(**extra) -> dict:
    """A valid App. C screening that offers My Futures."""
    data = {
        "adjournment_over_six_weeks": "yes",
        "risk_to_others": "no",
        "no_other_agencies": "yes",
        "circumstances": "Long wait; CCE concerns",
        "decision": AwaitingHearing.Decision.OFFER,
        "decision_notes": "",
    }
    data.update(extra)
    return data


def date_parts(name: str, day: datetime.date) -> dict:
    """A GOV.UK date input's three parts."""
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


# ---------------------------------------------------------------------------------------------------
# Access


def test_outsider_gets_404_on_every_child_view(client, outsider, child, tracking, hearing):
    """Outside the user's scope every page is a 404, GET or POST, never a 403."""
    client.force_login(outsider)
    urls = [
        reverse("child_court", args=[child.pk]),
        reverse("crown_court_new", args=[child.pk]),
        reverse("crown_court_detail", args=[child.pk, tracking.pk]),
        reverse("crown_court_update", args=[child.pk, tracking.pk]),
        reverse("crown_court_update", args=[child.pk, tracking.pk]) + "?part=oversight",
        reverse("crown_court_update", args=[child.pk, tracking.pk]) + "?part=end",
        reverse("awaiting_hearing_screen", args=[hearing.pk]),
        reverse("awaiting_hearing_new"),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_other_teams_manager_gets_404(client, south, child, tracking, hearing):
    """A South team manager cannot see North's child, its tracking or its screening."""
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, team=south))
    assert client.get(reverse("crown_court_detail", args=[child.pk, tracking.pk])).status_code == 404
    assert client.get(reverse("awaiting_hearing_screen", args=[hearing.pk])).status_code == 404
    response = client.get(reverse("court_home"))
    assert response.status_code == 200
    assert child.full_name not in response.content.decode()


def test_tracking_of_another_child_is_404(client, team_manager, child, north, tracking):
    """A tracking reached through another child's URL is a 404."""
    other = ChildFactory(team=north)
    client.force_login(team_manager)
    assert client.get(reverse("crown_court_detail", args=[other.pk, tracking.pk])).status_code == 404
    assert client.get(reverse("crown_court_detail", args=[child.pk, 99999])).status_code == 404


def test_administrator_gets_404_on_court_home(client, administrator):
    """Administrators see no child records."""
    client.force_login(administrator)
    assert client.get(reverse("court_home")).status_code == 404


def test_case_manager_reads_but_cannot_screen_or_start(client, case_manager, child, tracking, hearing):
    """A case manager reads the court tab and tracks the case, but cannot screen, start tracking or
    record the §9.5 oversight."""
    client.force_login(case_manager)
    response = client.get(reverse("child_court", args=[child.pk]))
    assert response.status_code == 200
    assert "Start Crown Court tracking" not in response.content.decode()
    assert client.get(reverse("awaiting_hearing_screen", args=[hearing.pk])).status_code == 404
    assert (
        client.post(reverse("awaiting_hearing_screen", args=[hearing.pk]), screen_post()).status_code == 404
    )
    assert client.get(reverse("awaiting_hearing_new")).status_code == 404
    assert client.get(reverse("crown_court_new", args=[child.pk])).status_code == 404
    update = reverse("crown_court_update", args=[child.pk, tracking.pk])
    assert client.get(update + "?part=oversight").status_code == 404
    assert client.get(update).status_code == 200
    hearing.refresh_from_db()
    assert hearing.decision == AwaitingHearing.Decision.PENDING


def test_child_court_is_audited(client, case_manager, child, tracking):
    """Viewing the Court tab is audited against the child."""
    client.force_login(case_manager)
    client.get(reverse("child_court", args=[child.pk]))
    assert AuditEntry.objects.filter(
        child=child, user=case_manager, action=AuditEntry.Action.VIEW, description="Viewed court"
    ).exists()


# ---------------------------------------------------------------------------------------------------
# Crown Court tracking


def test_start_tracking_and_see_the_allocation_link(client, team_manager, child):
    """The TM starts tracking; the detail page shows the band required and the allocation link."""
    child.rosh, child.saw = RiskLevel.LOW, RiskLevel.MEDIUM
    child.save()
    client.force_login(team_manager)
    url = reverse("crown_court_new", args=[child.pk])
    page = client.get(url).content.decode()
    assert 'value="low" selected' in page  # RoSH pre-filled from the child
    response = client.post(url, crown_post())
    tracking = CrownCourtTracking.objects.get(child=child)
    assert response.status_code == 302
    assert response["Location"] == reverse("crown_court_detail", args=[child.pk, tracking.pk])
    assert tracking.programme.kind == Programme.Kind.CROWN_COURT_TRACKING
    assert tracking.programme.start_date == today() - datetime.timedelta(days=1)
    detail = client.get(response["Location"]).content.decode()
    assert reverse("child_allocation", args=[child.pk]) in detail
    assert "a case manager (Band A) or a YJS officer" in detail


def test_errors_keep_input(client, team_manager, child):
    """A missing answer shows the error summary and keeps what was typed."""
    client.force_login(team_manager)
    response = client.post(
        reverse("crown_court_new", args=[child.pk]), crown_post(seriousness="", offence="Arson of a shed")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Choose the seriousness" in page
    assert 'value="Arson of a shed"' in page
    assert "<title>Error: Start Crown Court tracking" in page and "Error: Error:" not in page
    assert not CrownCourtTracking.objects.exists()


def test_override_without_a_note_is_refused(client, team_manager, child):
    """High seriousness proposes Band B: choosing Band A needs a note."""
    client.force_login(team_manager)
    url = reverse("crown_court_new", args=[child.pk])
    page = client.post(url, crown_post(seriousness=Seriousness.HIGH, band=Band.A)).content.decode()
    assert "enter a note explaining why you decided" in page
    assert not CrownCourtTracking.objects.exists()
    client.post(url, crown_post(seriousness=Seriousness.HIGH, band=Band.A, screening_notes="Minor role"))
    assert CrownCourtTracking.objects.get(child=child).band == Band.A


def test_business_support_starts_at_the_proposal(client, north, child):
    """003 §9.6: business support of the team adds tracking; it cannot override the proposal."""
    client.force_login(UserFactory(role=Role.BUSINESS_SUPPORT, team=north))
    url = reverse("crown_court_new", args=[child.pk])
    page = client.post(url, crown_post(band=Band.B, screening_notes="x")).content.decode()
    assert "ask a team manager" in page
    assert client.post(url, crown_post()).status_code == 302


def test_bss_child_is_refused_with_a_message(client, team_manager, child):
    """003 §9.1: a child on BSS gets a clear refusal, on the page and on submission."""
    ProgrammeFactory(child=child, kind=Programme.Kind.BAIL_SUPERVISION_SUPPORT, start_date=today())
    client.force_login(team_manager)
    url = reverse("crown_court_new", args=[child.pk])
    page = client.get(url).content.decode()
    assert "bail supervision and support package" in page and "003 §9.1" in page
    response = client.post(url, crown_post())
    assert response.status_code == 200
    assert "bail supervision and support package" in response.content.decode()
    assert not CrownCourtTracking.objects.exists()


def test_detail_flags_a_band_mismatch(client, team_manager, child, tracking):
    """A Band B decision held by a Band A case manager is flagged in words, not only colour."""
    client.force_login(team_manager)
    page = client.get(reverse("crown_court_detail", args=[child.pk, tracking.pk])).content.decode()
    assert "Band mismatch" in page
    assert "does not hold Band B (senior) case manager" in page
    assert "Record<span" in page  # the §9.5 oversight link for the TM


def test_update_progress_oversight_and_end(client, team_manager, case_manager, child, tracking):
    """The case manager ticks principles; the TM records oversight; ending closes the programme."""
    update = reverse("crown_court_update", args=[child.pk, tracking.pk])
    client.force_login(case_manager)
    response = client.post(
        update,
        {
            **date_parts("next_hearing_on", today() + datetime.timedelta(days=20)),
            "principles": ["details_given", "prepared"],
            "out_of_area_home_yjs": "",
        },
    )
    assert response.status_code == 302
    tracking.refresh_from_db()
    assert tracking.principles == ["details_given", "prepared"]
    assert tracking.next_hearing_on == today() + datetime.timedelta(days=20)

    client.force_login(team_manager)
    page = client.post(
        update + "?part=oversight", {"trial_attendance": "", **date_parts("oversight_on", today())}
    )
    assert "Enter decision on trial attendance" in page.content.decode()
    response = client.post(
        update + "?part=oversight",
        {
            "trial_attendance": "Attend in person; welfare support each day",
            **date_parts("oversight_on", today()),
        },
    )
    assert response.status_code == 302
    tracking.refresh_from_db()
    assert tracking.oversight_by == team_manager

    response = client.post(
        update + "?part=end",
        {"closure_reason": "sentenced", "outcome": "YRO 12 months", **date_parts("ended_on", today())},
    )
    assert response.status_code == 302
    tracking.refresh_from_db()
    assert tracking.ended_on == today() and tracking.programme.end_date == today()
    # Once ended, nothing changes any more.
    assert client.get(update).status_code == 404


def test_end_with_a_bad_date_keeps_input(client, team_manager, child, tracking):
    """A date before the first appearance is refused by the service with the user's input kept."""
    client.force_login(team_manager)
    url = reverse("crown_court_update", args=[child.pk, tracking.pk]) + "?part=end"
    page = client.post(
        url,
        {
            "closure_reason": "other",
            "outcome": "Acquitted",
            **date_parts("ended_on", today() - datetime.timedelta(days=9)),
        },
    ).content.decode()
    assert "on or after the first appearance" in page and 'value="Acquitted"' in page


# ---------------------------------------------------------------------------------------------------
# Magistrates' Court tracking


def test_court_home_queries_do_not_grow(client, team_manager, north, child, tracking):
    """The court lists cost the same number of queries for 2 rows as for 6."""
    client.force_login(team_manager)

    def add(n):
        for i in range(n):
            kid = ChildFactory(team=north, case_manager=child.case_manager)
            AwaitingHearing.objects.create(
                child=kid,
                hearing_on=today() + datetime.timedelta(days=i),
                offence="Theft",
                listed_on=today(),
                created_by=team_manager,
            )
            CrownCourtTracking.objects.create(
                child=kid,
                first_appearance_at=an_hour_ago(),
                offence="Robbery",
                seriousness=Seriousness.LOW,
                band=Band.A,
                recorded_by=team_manager,
            )

    add(2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("court_home")).status_code == 200
    add(4)
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("court_home"))
    assert len(six.captured_queries) == len(two.captured_queries)
    assert response.content.decode().count("Not yet screened") >= 6


def test_court_home_orders_pending_first_and_filters(client, team_manager, child, north):
    """Not yet screened first, then by hearing date; the filter shows one decision."""
    other = ChildFactory(team=north, first_name="Zed", last_name="Screened")
    done = services.awaiting_hearing_add(
        user=team_manager, child=other, hearing_on=today(), offence="Affray", listed_on=today()
    )
    services.awaiting_hearing_screen(
        hearing=done,
        user=team_manager,
        adjournment_over_six_weeks=False,
        risk_to_others=False,
        no_other_agencies=False,
        decision=AwaitingHearing.Decision.NO_OFFER,
    )
    services.awaiting_hearing_add(
        user=team_manager,
        child=child,
        hearing_on=today() + datetime.timedelta(days=30),
        offence="Theft",
        listed_on=today(),
    )
    client.force_login(team_manager)
    page = client.get(reverse("court_home")).content.decode()
    assert page.index(child.full_name) < page.index("Zed Screened")
    filtered = client.get(reverse("court_home"), {"decision": "no_offer"}).content.decode()
    assert "Zed Screened" in filtered and child.full_name not in filtered
    assert AuditEntry.objects.filter(
        user=team_manager, description="Viewed the court tracking lists"
    ).exists()


def test_add_a_child_to_the_list(client, team_manager, child, outsider):
    """The TM picks a child by case number; an unknown or unseen number keeps the input with an error."""
    south_child = ChildFactory(team=outsider.team)
    client.force_login(team_manager)
    url = reverse("awaiting_hearing_new")
    data = {
        "case_number": south_child.case_number,
        **date_parts("hearing_on", today() + datetime.timedelta(days=50)),
        "court": "Nottingham Magistrates' Court",
        "offence": "Shoplifting",
        **date_parts("listed_on", today()),
    }
    page = client.post(url, data).content.decode()
    assert "Enter the case number of a child in your teams" in page and 'value="Shoplifting"' in page
    response = client.post(url, {**data, "case_number": child.case_number.lower()})
    hearing = AwaitingHearing.objects.get(child=child)
    assert response["Location"] == reverse("awaiting_hearing_screen", args=[hearing.pk])


def test_screening_requires_all_three_answers(client, team_manager, hearing):
    """App. C: each question must be answered; the answers given stay checked."""
    client.force_login(team_manager)
    url = reverse("awaiting_hearing_screen", args=[hearing.pk])
    page = client.post(url, screen_post(risk_to_others="")).content.decode()
    assert "There is a problem" in page
    assert "Answer whether the offence indicates a risk to others" in page
    assert "<title>Error: Magistrates' Court screening" in page
    assert 'value="Long wait; CCE concerns"' in page or "Long wait; CCE concerns</textarea>" in page
    hearing.refresh_from_db()
    assert hearing.decision == AwaitingHearing.Decision.PENDING


def test_screen_offer_then_accept_starts_my_futures(client, team_manager, child, hearing):
    """Offer, then the child accepts: a My Future programme from the acceptance date, linked."""
    client.force_login(team_manager)
    url = reverse("awaiting_hearing_screen", args=[hearing.pk])
    page = client.post(url, screen_post(decision="no_offer")).content.decode()
    assert "The App. C answers suggest an offer" in page
    assert client.post(url, screen_post()).status_code == 302
    hearing.refresh_from_db()
    assert hearing.decision == AwaitingHearing.Decision.OFFER
    page = client.get(url).content.decode()
    assert "Did the child accept the offer of My Futures?" in page
    response = client.post(url, {"respond": "1", "answer": "accepted", **date_parts("responded_on", today())})
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.decision == AwaitingHearing.Decision.ACCEPTED
    assert hearing.programme.kind == Programme.Kind.MY_FUTURE and hearing.programme.start_date == today()
    page = client.get(url).content.decode()
    assert reverse("child_allocation", args=[child.pk]) in page
    assert 'name="decision"' not in page  # no more screening once answered
    assert client.post(url, screen_post()).status_code == 404


def test_screening_a_child_already_on_a_programme_says_so(client, team_manager, child, hearing):
    """003 §10: the page warns that the child is already on a programme; an offer is refused with the
    reason in the error summary; No offer is saved without a note; the list tags the child."""
    ProgrammeFactory(
        child=child, kind=Programme.Kind.REFERRAL_ORDER, start_date=today() - datetime.timedelta(days=30)
    )
    client.force_login(team_manager)
    url = reverse("awaiting_hearing_screen", args=[hearing.pk])
    page = client.get(url).content.decode()
    assert 'id="already-on-programme"' in page and "is already on a programme" in page
    assert "Referral Order since" in page
    page = client.post(url, screen_post()).content.decode()
    assert "There is a problem" in page and "My Futures would start a second, parallel programme" in page
    assert client.post(url, screen_post(decision="no_offer")).status_code == 302
    hearing.refresh_from_db()
    assert hearing.decision == AwaitingHearing.Decision.NO_OFFER and hearing.programme is None
    assert "Already on a programme" in client.get(reverse("court_home")).content.decode()
