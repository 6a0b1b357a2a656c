"""The Circumstances tab and the management board's pages (outcomes/views.py, issue 21)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import Programme
from core.models import AuditEntry
from demo.factories import ChildFactory
from outcomes import services
from outcomes.kinds import KINDS
from outcomes.models import Accommodation, BoardMeeting, VictimContact
from outcomes.snapshots import snapshots_refresh

from .factories import (
    AccommodationFactory,
    EducationFactory,
    HealthNeedFactory,
    OffenceFactory,
    SpecialNeedFactory,
    VictimContactFactory,
    WiderServiceFactory,
)

TODAY = datetime.date(2026, 3, 3)
ATTENDED = {"attended": True, "senior": True, "contributed_data": True}


@pytest.fixture(autouse=True)
def _today():
    """A fixed day (Tuesday 3 March 2026)."""
    with time_machine.travel(datetime.datetime(2026, 3, 3, 10, 0), tick=False):
        yield


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _one_of_each(child, user, n=1):
    """n records of every kind for the child (fictional)."""
    made = {}
    for i in range(n):
        day = datetime.date(2025, 1, 6) + datetime.timedelta(days=20 * i)
        common = {"child": child, "recorded_by": user}
        offence = OffenceFactory(committed_on=day, **common)
        made = {
            "accommodation": AccommodationFactory(from_date=day, **common),
            "ete": EducationFactory(from_date=day, **common),
            "send": SpecialNeedFactory(from_date=day, **common),
            "health": HealthNeedFactory(from_date=day, **common),
            "wider-services": WiderServiceFactory(from_date=day, **common),
            "offences": offence,
            "victims": VictimContactFactory(
                identified_on=day, offence=offence, reference=f"VR-{i}", **common
            ),
        }
    return made


def _urls(child, records):
    urls = [
        reverse("child_circumstances", args=[child.pk]),
        reverse("child_circumstances", args=[child.pk]) + "?kind=ete",
    ]
    for slug, record in records.items():
        name = slug.replace("-", "_")
        urls += [
            reverse(f"{name}_add", args=[child.pk]),
            reverse(f"{name}_change", args=[child.pk, record.pk]),
        ]
    return urls


def test_outsider_gets_404_on_every_page_get_and_post(client, outsider, child, case_manager):
    """Someone outside the child's team gets 404 on the tab and every add and change page."""
    records = _one_of_each(child, case_manager)
    client.force_login(outsider)
    for url in _urls(child, records):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"kind": "foster", "suitable": "no"}).status_code == 404, url
    assert not AuditEntry.objects.filter(user=outsider).exists()
    assert Accommodation.objects.get().kind == "parents"


def test_another_childs_record_is_404(client, case_manager, child):
    """A record of another child is not found under this child."""
    other = ChildFactory(team=child.team)
    records = _one_of_each(other, case_manager)
    client.force_login(case_manager)
    for slug, record in records.items():
        url = reverse(f"{slug.replace('-', '_')}_change", args=[child.pk, record.pk])
        assert client.get(url).status_code == 404, url


def test_the_tab_shows_each_kind_and_is_audited(client, case_manager, child):
    """The tab lists each kind with the current record marked, and the snapshots; the view is audited."""
    _one_of_each(child, case_manager)
    Programme.objects.create(child=child, kind="yro", start_date=datetime.date(2026, 1, 12))
    client.force_login(case_manager)
    response = client.get(reverse("child_circumstances", args=[child.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for spec in KINDS.values():
        assert spec.heading in content
    assert "Accommodation: with parents or carers (suitable)" in content and "Current" in content
    assert "Victim VR-0" in content
    assert AuditEntry.objects.filter(
        user=case_manager, child=child, description="Viewed circumstances"
    ).exists()


def test_the_tab_queries_do_not_grow_with_records(client, case_manager, child, django_assert_max_num_queries):
    """Twelve records of each kind cost no more queries than one."""
    _one_of_each(child, case_manager, n=1)
    client.force_login(case_manager)
    url = reverse("child_circumstances", args=[child.pk])
    client.get(url)
    with django_assert_max_num_queries(45) as few:
        client.get(url)
    _one_of_each(child, case_manager, n=12)
    for i in range(6):
        Programme.objects.create(child=child, kind="yro", start_date=datetime.date(2025, 1, 6 + i))
    snapshots_refresh(child_ids=[child.pk])
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert "View all 13" in response.content.decode()
    with django_assert_max_num_queries(len(few)):
        client.get(url + "?kind=victims")


def test_record_accommodation_from_the_page(client, case_manager, child):
    """Adding accommodation saves it and returns to the tab with a confirmation."""
    client.force_login(case_manager)
    response = client.post(
        reverse("accommodation_add", args=[child.pk]),
        {
            "kind": "foster",
            "suitable": "yes",
            "notes": "Placed with foster carers",
            **_date("from_date", TODAY),
        },
    )
    assert response.status_code == 302
    record = Accommodation.objects.get(child=child)
    assert (record.kind, record.suitable, record.from_date) == ("foster", True, TODAY)
    assert (
        "Accommodation: foster care (suitable): recorded" in client.get(response["Location"]).content.decode()
    )


def test_change_a_record_keeps_what_was_there(client, case_manager, child):
    """The change form starts from the stored record and saves the correction."""
    record = AccommodationFactory(child=child, recorded_by=case_manager, kind="parents")
    client.force_login(case_manager)
    url = reverse("accommodation_change", args=[child.pk, record.pk])
    content = client.get(url).content.decode()
    assert 'value="parents" checked' in content or 'value="parents"\n' in content or "checked" in content
    response = client.post(
        url,
        {"kind": "supported", "suitable": "no", "notes": "", **_date("from_date", datetime.date(2026, 1, 5))},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.kind, record.suitable) == ("supported", False)


def test_bad_input_lists_every_error_and_keeps_the_input(client, case_manager, child):
    """An empty or malformed form re-renders with every error in the summary, the input kept, never a 500."""
    client.force_login(case_manager)
    response = client.post(
        reverse("ete_add", args=[child.pk]),
        {"provision": "college", "hours_offered": "ten", "hours_attended": "99", "notes": "x" * 5001,
         "from_date_0": "31", "from_date_1": "2", "from_date_2": "2026"},
    )  # fmt: skip
    content = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in content
    for message in (
        "Choose whether it is suitable",
        "Hours offered a week must be a number, like 25 or 12.5",
        "Hours attended a week must be 60 or fewer",
        "Notes must be 5,000 characters or fewer",
        "Start date must be a real date",
    ):
        assert message in content, message
    assert 'value="college"' in content and "govuk-js-character-count" in content


def test_the_services_checks_show_on_the_field(client, case_manager, child):
    """A check only the service makes (hours attended over offered) shows against its field."""
    client.force_login(case_manager)
    response = client.post(
        reverse("ete_add", args=[child.pk]),
        {"provision": "college", "hours_offered": "10", "hours_attended": "12", "suitable": "yes", "notes": "",
         **_date("from_date", TODAY)},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Hours attended must not be more than the hours offered" in response.content.decode()


def test_victims_are_by_reference_only(client, case_manager, child):
    """The victim form says never to enter a name, and records the reference."""
    client.force_login(case_manager)
    url = reverse("victims_add", args=[child.pk])
    assert "Never enter the victim" in client.get(url).content.decode()
    response = client.post(
        url,
        {"reference": "VR-0042", "kind": "person", "offence": "", "programme": "", "consented": "yes",
         "views_sought": "yes", "information_given": "yes", "rj_offered": "yes", "rj_taken_part": "no",
         "notes": "", **_date("identified_on", TODAY)},
    )  # fmt: skip
    assert response.status_code == 302
    victim = VictimContact.objects.get(child=child)
    assert (victim.reference, victim.consented, victim.rj_taken_part) == ("VR-0042", True, False)


# ---------------------------------------------------------------------------------------------------
# The management board


def _board_post(day, **overrides):
    data = {"notes": "", **_date("held_on", day)}
    for partner in services.PARTNERS:
        data[f"{partner}_attendance"] = "senior"
        data[f"{partner}_data"] = "on"
    data.update(overrides)
    return data


def test_only_managers_see_the_board_and_only_the_service_manager_records(
    client, case_manager, outsider, team_manager, service_manager
):
    """A case manager gets 404; a team manager reads without a form; the service manager records."""
    meeting = services.board_meeting_record(
        user=service_manager,
        held_on=datetime.date(2026, 1, 20),
        attendance={p: ATTENDED for p in services.PARTNERS},
    )
    for user in (case_manager, outsider):
        client.force_login(user)
        for url in (reverse("board_list"), reverse("board_new"), reverse("board_change", args=[meeting.pk])):
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(team_manager)
    assert client.get(reverse("board_list")).status_code == 200
    assert client.get(reverse("board_new")).status_code == 404
    detail = client.get(reverse("board_change", args=[meeting.pk]))
    assert detail.status_code == 200 and "Save meeting" not in detail.content.decode()
    assert client.post(reverse("board_change", args=[meeting.pk]), _board_post(TODAY)).status_code == 404
    client.force_login(service_manager)
    response = client.post(reverse("board_new"), _board_post(datetime.date(2026, 2, 24), police_attendance="absent",
                                                             police_data=""))  # fmt: skip
    assert response.status_code == 302
    content = client.get(reverse("board_list")).content.decode()
    assert "24 February 2026" in content and "4 of 5" in content
    assert AuditEntry.objects.filter(user=service_manager, object_type="list").exists()


def test_the_board_form_refuses_what_does_not_add_up(client, service_manager):
    """A partner not answered, data from an absent partner, a date already used: each named, nothing saved."""
    services.board_meeting_record(
        user=service_manager,
        held_on=datetime.date(2026, 1, 20),
        attendance={p: ATTENDED for p in services.PARTNERS},
    )
    client.force_login(service_manager)
    response = client.post(
        reverse("board_new"),
        _board_post(TODAY, health_attendance="", police_attendance="absent", police_data="on"),
    )
    content = response.content.decode()
    assert (
        "Choose whether health attended" in content and "Police did not attend, so brought no data" in content
    )
    response = client.post(reverse("board_new"), _board_post(datetime.date(2026, 1, 20)))
    assert "A meeting is already recorded on this date" in response.content.decode()
    assert BoardMeeting.objects.count() == 1


def test_the_board_list_queries_do_not_grow(client, service_manager, django_assert_max_num_queries):
    """Thirty meetings cost no more queries than one; the list paginates."""
    services.board_meeting_record(
        user=service_manager,
        held_on=datetime.date(2019, 1, 1),
        attendance={p: ATTENDED for p in services.PARTNERS},
    )
    client.force_login(service_manager)
    client.get(reverse("board_list"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("board_list"))
    for i in range(30):
        services.board_meeting_record(
            user=service_manager,
            held_on=datetime.date(2019, 2, 1) + datetime.timedelta(days=30 * i),
            attendance={p: ATTENDED for p in services.PARTNERS},
        )
    with django_assert_max_num_queries(len(few)):
        content = client.get(reverse("board_list")).content.decode()
    assert "Next" in content
