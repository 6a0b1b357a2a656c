"""The audit log at any length (issue 19): Newer/Older by (at, id), never a COUNT or an OFFSET, filters
kept across pages, the same queries at 60 entries or 600, and a bad cursor shows the first page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from demo.factories import ChildFactory

PAGE = 50


def _entries(how_many, *, user, child, start=0):
    """`how_many` view entries, numbered in their description, oldest first."""
    AuditEntry.objects.bulk_create(
        AuditEntry(
            user=user,
            action="view",
            child=child,
            object_type="child",
            object_id=str(child.pk),
            description=f"Entry {i}",
        )
        for i in range(start, start + how_many)
    )


def _walk(client, params):
    """Every page from the first by "Older": each page's descriptions, and the responses."""
    pages, responses = [], []
    response = client.get(reverse("audit_log"), params)
    while True:
        responses.append(response)
        page = response.context["keyset"]
        pages.append([e.description for e in page.items])
        if page.older is None:
            return pages, responses
        response = client.get(reverse("audit_log"), {**params, "before": page.older})


@pytest.mark.django_db
class TestAuditLogPaging:
    def test_older_and_newer_across_pages(self, client, service_manager, case_manager, child):
        """120 entries: 50, 50 and 20 by Older; Newer from the last page gives the middle page back."""
        _entries(120, user=case_manager, child=child)
        client.force_login(service_manager)
        pages, responses = _walk(client, {})
        ours = [[d for d in page if d.startswith("Entry ")] for page in pages]
        assert [d for page in ours for d in page] == [f"Entry {i}" for i in range(119, -1, -1)]
        assert [len(page) for page in pages][:2] == [PAGE, PAGE]
        last = responses[-1].context["keyset"]
        assert responses[0].context["keyset"].is_first and not last.is_first
        assert (
            'rel="prev"' in responses[-1].content.decode()
            and "Back to the newest" in responses[-1].content.decode()
        )
        back = client.get(reverse("audit_log"), {"after": last.newer})
        assert [e.description for e in back.context["keyset"].items] == pages[-2]
        # Newer from the second page is the first page again, with no Newer link.
        first = client.get(reverse("audit_log"), {"after": responses[1].context["keyset"].newer})
        assert first.context["keyset"].is_first and 'rel="prev"' not in first.content.decode()

    def test_entries_at_the_same_moment_page_by_id(self, client, service_manager, case_manager, child):
        """Entries with the same `at` are ordered by id, so none is skipped or shown twice."""
        _entries(75, user=case_manager, child=child)
        moment = AuditEntry.objects.order_by("pk").first().at
        AuditEntry.objects.update(at=moment)
        client.force_login(service_manager)
        pages, _ = _walk(client, {})
        assert [d for page in pages for d in page] == [f"Entry {i}" for i in range(74, -1, -1)]

    def test_filters_are_kept_across_pages(
        self, client, service_manager, case_manager, colleague, child, north
    ):
        """Filtered by a member of staff and a case number, each page links on with both filters."""
        other = ChildFactory(team=north, case_manager=case_manager)
        _entries(70, user=case_manager, child=child)
        _entries(30, user=colleague, child=child, start=1000)
        _entries(30, user=case_manager, child=other, start=2000)
        client.force_login(service_manager)
        params = {"user": case_manager.last_name, "case_number": child.case_number}
        pages, responses = _walk(client, params)
        assert [d for page in pages for d in page] == [f"Entry {i}" for i in range(69, -1, -1)]
        older = responses[0].context["keyset"].older
        assert f"user={case_manager.last_name}&amp;case_number={child.case_number}&amp;before={older}" in (
            responses[0].content.decode()
        )

    def test_no_count_and_no_offset_and_constant_queries(self, client, service_manager, case_manager, child):
        """The first page and a deep page: no COUNT, no OFFSET, and the same queries at 60 entries or 600."""
        client.force_login(service_manager)

        def run(params):
            client.get(reverse("audit_log"), params)  # the view itself writes nothing: warm anything lazy
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("audit_log"), params)
            assert response.status_code == 200
            sql = [q["sql"] for q in queries.captured_queries]
            log = [s for s in sql if '"cases_auditentry"' in s]
            assert not [s for s in log if "COUNT(" in s.upper() or "OFFSET" in s.upper()], log
            assert [s for s in log if s.endswith(f"LIMIT {PAGE + 1}")], log  # one page and one row more
            return len(sql), response

        _entries(60, user=case_manager, child=child)
        small_first, response = run({})
        small_deep, _ = run({"before": response.context["keyset"].older})
        _entries(540, user=case_manager, child=child, start=60)
        large_first, _ = run({})
        deep = AuditEntry.objects.order_by("pk").values_list("pk", flat=True)[30]
        large_deep, _ = run({"before": deep})
        assert small_first == large_first
        assert small_deep == large_deep

    @pytest.mark.parametrize(
        "bad",
        ["abc", "-5", "0", "1e3", "99999999999999999999999999", "9223372036854775808", "١٢", " ", "999999"],
    )
    def test_a_bad_cursor_shows_the_first_page(self, client, service_manager, case_manager, child, bad):
        _entries(60, user=case_manager, child=child)
        client.force_login(service_manager)
        for param in ("before", "after"):
            response = client.get(reverse("audit_log"), {param: bad})
            assert response.status_code == 200
            page = response.context["keyset"]
            assert page.is_first and page.items[0].description == "Entry 59"

    def test_a_cursor_outside_the_filter_shows_the_first_page(
        self, client, service_manager, case_manager, colleague, child
    ):
        _entries(60, user=case_manager, child=child)
        _entries(1, user=colleague, child=child, start=100)
        theirs = AuditEntry.objects.get(user=colleague).pk
        client.force_login(service_manager)
        response = client.get(reverse("audit_log"), {"user": case_manager.last_name, "before": theirs})
        assert response.context["keyset"].is_first

    def test_the_oldest_entry_as_cursor_shows_the_first_page(
        self, client, service_manager, case_manager, child
    ):
        _entries(60, user=case_manager, child=child)
        client.force_login(service_manager)
        oldest = AuditEntry.objects.order_by("at", "pk").first().pk
        response = client.get(reverse("audit_log"), {"before": oldest})
        assert response.status_code == 200 and response.context["keyset"].is_first
