"""The service manager's retention pages (issue 19): the list of records due (closed only, paginated,
from the header), keeping a record with a reason (history kept), erasing with the case number typed;
everyone else gets 404 on every URL."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import Child
from core.models import AuditEntry
from core.registry import registry
from demo.factories import ChildFactory
from retention.models import RetentionExtension, RetentionReview
from retention.views import PAGE_SIZE

from .conftest import TODAY, at, close

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.fixture
def sm_client(client, service_manager, frozen):
    client.force_login(service_manager)
    return client


def listed(client) -> str:
    """The case numbers in the list's table (a flash message may also name one)."""
    page = client.get(reverse("retention_due")).content.decode()
    return " ".join(part.split("</td>")[0] for part in page.split('<td class="govuk-table__cell">')[1:])


def urls(child) -> list[str]:
    return [
        reverse("retention_due"),
        reverse("retention_extend", args=[child.pk]),
        reverse("retention_erase", args=[child.pk]),
    ]


def test_only_closed_records_due_are_listed(sm_client, closed_child, north, case_manager):
    """Due: closed long enough ago and 25 or over. Not listed: open (however old), closed too recently,
    or closed but not yet 25."""
    old_open = ChildFactory(team=north, date_of_birth=datetime.date(1990, 1, 1), case_number="YJ900010")
    recent = close(
        ChildFactory(team=north, date_of_birth=datetime.date(1990, 1, 1), case_number="YJ900011"),
        datetime.date(2031, 1, 1),
    )
    young = close(
        ChildFactory(team=north, date_of_birth=datetime.date(2012, 1, 1), case_number="YJ900012"),
        datetime.date(2020, 1, 1),
    )
    page = sm_client.get(reverse("retention_due")).content.decode()
    assert "YJ900001" in page and "15 Jun 2030" in page
    for child in (old_open, recent, young):
        assert child.case_number not in page
    assert "1 record due" in page
    assert "25 years from the child's date of birth" in page and "six years from the day" in page


def test_the_list_is_paginated_with_a_bounded_number_of_queries(
    sm_client, north, django_assert_max_num_queries
):
    for n in range(PAGE_SIZE + 2):
        close(
            ChildFactory(team=north, date_of_birth=datetime.date(1990, 1, 1), case_number=f"YJ95{n:04d}"),
            datetime.date(2020, 1, 1),
        )
    with django_assert_max_num_queries(15):
        page = sm_client.get(reverse("retention_due")).content.decode()
    assert f"{PAGE_SIZE + 2} records due" in page and "1 of 2" in page
    assert "YJ950026" in sm_client.get(reverse("retention_due") + "?page=2").content.decode()


def test_the_header_links_the_page_for_the_service_manager_only(
    client, service_manager, case_manager, frozen
):
    # Under "Management" (issue 20: a grouped navigation), listed on that group's pages.
    client.force_login(service_manager)
    assert "Records due for review" in client.get(reverse("audit_log")).content.decode()
    client.force_login(case_manager)
    assert "Records due for review" not in client.get(reverse("my_work")).content.decode()
    assert ">Management<" not in client.get(reverse("my_work")).content.decode()


@pytest.mark.parametrize("role", ["case_manager", "team_manager", "administrator", "outsider"])
def test_everyone_but_the_service_manager_gets_404_on_every_url(client, role, request, closed_child, frozen):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for url in urls(closed_child):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"confirmation": "YJ900001", "reason": "x"}).status_code == 404, url
    assert Child.objects.filter(pk=closed_child.pk).exists()
    assert not RetentionExtension.objects.exists()


def test_an_open_record_has_no_extend_or_erase_page(sm_client, child):
    for url in urls(child)[1:]:
        assert sm_client.get(url).status_code == 404
    response = sm_client.post(urls(child)[2], {"confirmation": child.case_number, "reason": "x"})
    assert response.status_code == 404 and Child.objects.filter(pk=child.pk).exists()


def test_keeping_a_record_records_the_reason_and_moves_the_date(sm_client, closed_child, service_manager):
    url = reverse("retention_extend", args=[closed_child.pk])
    assert "15 June 2030" in sm_client.get(url).content.decode()
    response = sm_client.post(
        url,
        {
            "review_on_0": "1",
            "review_on_1": "4",
            "review_on_2": "2038",
            "reason": "A claim has been notified",
        },
    )
    assert response.status_code == 302
    extension = RetentionExtension.objects.get()
    assert (extension.previous_due, extension.review_on) == (
        datetime.date(2030, 6, 15),
        datetime.date(2038, 4, 1),
    )
    assert extension.reason == "A claim has been notified" and extension.decided_by == service_manager
    assert RetentionReview.objects.get(child=closed_child).review_on == datetime.date(2038, 4, 1)
    assert "YJ900001" not in listed(sm_client)
    assert AuditEntry.objects.filter(
        child=closed_child, description__startswith="Kept the closed record"
    ).exists()
    # Due again on the new date; a second extension keeps the first.
    with time_machine.travel(at(datetime.date(2038, 4, 1)), tick=False):
        sm_client.force_login(service_manager)  # two years on, the earlier session has expired
        assert "YJ900001" in listed(sm_client)
        sm_client.post(
            url,
            {"review_on_0": "1", "review_on_1": "4", "review_on_2": "2040", "reason": "The claim continues"},
        )
        page = sm_client.get(url).content.decode()
    assert RetentionExtension.objects.count() == 2
    assert "A claim has been notified" in page and "The claim continues" in page


def test_a_date_not_after_the_review_date_is_refused_with_the_error_summary(sm_client, closed_child):
    url = reverse("retention_extend", args=[closed_child.pk])
    page = sm_client.post(
        url, {"review_on_0": "1", "review_on_1": "1", "review_on_2": "2030", "reason": "x"}
    ).content.decode()
    assert "govuk-error-summary" in page and "The new review date must be after 3 March 2036" in page
    assert not RetentionExtension.objects.exists()


def test_a_wrong_case_number_re_renders_the_form_with_the_error_summary(sm_client, closed_child):
    url = reverse("retention_erase", args=[closed_child.pk])
    page = sm_client.post(url, {"confirmation": "YJ900002", "reason": "Retention ended"}).content.decode()
    assert "govuk-error-summary" in page
    assert 'href="#id_confirmation"' in page and "Enter the case number exactly as shown" in page
    missing = sm_client.post(url, {"confirmation": "", "reason": ""}).content.decode()
    assert "Enter the case number" in missing and "Enter the reason for erasure" in missing
    assert Child.objects.filter(pk=closed_child.pk).exists()


def test_erasing_from_the_page_then_again_is_a_404(sm_client, closed_child):
    url = reverse("retention_erase", args=[closed_child.pk])
    page = sm_client.get(url).content.decode()
    assert "Erasure cannot be undone" in page and "YJ900001" in page
    response = sm_client.post(url, {"confirmation": " yj900001 ", "reason": "Retention period ended"})
    assert response.status_code == 302 and response["Location"] == reverse("retention_due")
    assert not Child.objects.filter(pk=closed_child.pk).exists()
    assert sm_client.post(url, {"confirmation": "YJ900001", "reason": "again"}).status_code == 404
    assert sm_client.get(url).status_code == 404
    assert AuditEntry.objects.filter(object_type="erasure").count() == 1


def test_the_audit_log_shows_entries_of_an_erased_child_as_erased(sm_client, closed_child):
    sm_client.post(
        reverse("retention_erase", args=[closed_child.pk]), {"confirmation": "YJ900001", "reason": "Ended"}
    )
    assert "Erased" in sm_client.get(reverse("audit_log")).content.decode()


def test_an_incomplete_erasure_is_a_message_not_a_500(sm_client, closed_child, monkeypatch):
    """An app that registered no provider leaves rows: the page says nothing was erased."""
    monkeypatch.setattr(registry, "erasure", [])
    url = reverse("retention_erase", args=[closed_child.pk])
    page = sm_client.post(url, {"confirmation": "YJ900001", "reason": "Ended"}).content.decode()
    assert "govuk-error-summary" in page and "nothing was erased" in page
    assert Child.objects.filter(pk=closed_child.pk).exists()
