"""One submission per form (core/submissions.py, ADR 0009): an identical resend of a saved form is not
saved twice; a form that failed keeps its token; a write that rolls back frees it; no token, no change."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cases.models import Event
from core.models import Submission
from core.services import submissions_prune
from core.submissions import ALREADY_SAVED, FIELD, SubmissionMiddleware
from core.tasks import submissions_prune as submissions_prune_task

TOKEN = "0123456789abcdef0123456789abcdef"


def _event(**overrides) -> dict:
    """A valid add-event form's POST data."""
    data = {
        "event_type": "contact",
        "occurred_on_0": "4",
        "occurred_on_1": "3",
        "occurred_on_2": "2024",
        "summary": "Home visit, spoke with carer",
        "details": "",
    }
    data.update(overrides)
    return data


def _token_in(html: str) -> str:
    """The submission token rendered in the page's (first) form."""
    match = re.search(rf'name="{FIELD}" value="([0-9a-f]{{32}})"', html)
    assert match, "no submission token in the page"
    return match.group(1)


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.mark.django_db
class TestDoublePost:
    def test_every_form_page_carries_a_token(self, client, case_manager, child):
        """The add-event form (rendered by crispy-forms) carries a fresh token on each GET."""
        client.force_login(case_manager)
        url = reverse("event_add", args=[child.pk])
        first, second = (_token_in(client.get(url).content.decode()) for _ in range(2))
        assert first != second

    def test_a_double_post_stores_one_event(self, client, case_manager, child):
        """The same form sent twice (a double click): one event, and the second goes where the first went
        with a message that it was already saved."""
        client.force_login(case_manager)
        url = reverse("event_add", args=[child.pk])
        token = _token_in(client.get(url).content.decode())
        first = client.post(url, _event(**{FIELD: token}))
        second = client.post(url, _event(**{FIELD: token}))
        assert Event.objects.filter(child=child).count() == 1
        assert first.status_code == second.status_code == 302
        assert second["Location"] == first["Location"] == reverse("child_detail", args=[child.pk])
        # The first answer's message is still waiting (the browser followed only the second redirect).
        assert _messages(second) == ["Event added to the timeline", ALREADY_SAVED]
        assert Submission.objects.get().response_location == first["Location"]
        # The banner says so, as an "Important" notice rather than a success.
        page = client.get(second["Location"]).content.decode()
        assert "This was already saved" in page and "Important" in page

    def test_without_a_token_each_post_is_saved(self, client, case_manager, child):
        """The token is a safeguard, not a requirement: POSTs without one behave as before."""
        client.force_login(case_manager)
        url = reverse("event_add", args=[child.pk])
        client.post(url, _event())
        client.post(url, _event())
        assert Event.objects.filter(child=child).count() == 2
        assert not Submission.objects.exists()

    def test_a_failed_form_keeps_its_token_and_saves_once(self, client, case_manager, child):
        """A form that fails validation is shown again with the same token, which then saves once."""
        client.force_login(case_manager)
        url = reverse("event_add", args=[child.pk])
        failed = client.post(url, _event(summary="", **{FIELD: TOKEN}))
        assert failed.status_code == 200 and _token_in(failed.content.decode()) == TOKEN
        assert not Submission.objects.exists()
        assert client.post(url, _event(**{FIELD: TOKEN})).status_code == 302
        assert client.post(url, _event(**{FIELD: TOKEN})).status_code == 302
        assert Event.objects.filter(child=child).count() == 1

    def test_a_changed_resend_is_a_new_submission(self, client, case_manager, child):
        """The same token with different words (the back button, then an edit) is saved, not dropped."""
        client.force_login(case_manager)
        url = reverse("event_add", args=[child.pk])
        client.post(url, _event(**{FIELD: TOKEN}))
        response = client.post(url, _event(summary="A second visit", **{FIELD: TOKEN}))
        assert response.status_code == 302 and ALREADY_SAVED not in _messages(response)
        assert Event.objects.filter(child=child).count() == 2

    def test_another_users_token_is_theirs(self, client, case_manager, colleague, child):
        """The same token and data from someone else is their own submission."""
        url = reverse("event_add", args=[child.pk])
        client.force_login(case_manager)
        client.post(url, _event(**{FIELD: TOKEN}))
        client.force_login(colleague)
        client.post(url, _event(**{FIELD: TOKEN}))
        assert Event.objects.filter(child=child).count() == 2

    def test_a_malformed_token_is_ignored(self, client, case_manager, child):
        """Anything but 32 hex digits is no token at all."""
        client.force_login(case_manager)
        url = reverse("event_add", args=[child.pk])
        for _ in range(2):
            client.post(url, _event(**{FIELD: "not-a-token"}))
        assert Event.objects.filter(child=child).count() == 2 and not Submission.objects.exists()


def _request(user, data):
    """A POST with a user, a session and messages, for the middleware on its own."""
    request = RequestFactory().post("/somewhere/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.django_db
class TestMiddleware:
    def test_a_write_that_rolls_back_frees_the_token(self, case_manager):
        """A view that fails after writing: the claim goes with the write, so a resend is handled afresh."""

        def failing(request):
            Submission.objects.create(key="x" * 64, user=case_manager, path="/the-write/")
            raise RuntimeError("the write failed")

        middleware = SubmissionMiddleware(failing)
        with pytest.raises(RuntimeError):
            middleware(_request(case_manager, {FIELD: TOKEN}))
        assert not Submission.objects.exists()
        answered = SubmissionMiddleware(lambda request: HttpResponseRedirect("/done/"))(
            _request(case_manager, {FIELD: TOKEN})
        )
        assert answered["Location"] == "/done/" and Submission.objects.count() == 1

    def test_a_refusal_does_not_use_the_token(self, case_manager):
        """Any answer but a redirect (a refusal, an error page) leaves the token free."""
        for status in (200, 404, 500):
            SubmissionMiddleware(lambda request, s=status: HttpResponse(status=s))(
                _request(case_manager, {FIELD: TOKEN})
            )
        assert not Submission.objects.exists()


@pytest.mark.django_db
def test_old_submissions_are_pruned(case_manager):
    """Rows older than a day go; newer ones stay (the daily task)."""
    old = Submission.objects.create(key="a" * 64, user=case_manager, path="/")
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    Submission.objects.create(key="b" * 64, user=case_manager, path="/")
    assert submissions_prune_task() == 1
    assert list(Submission.objects.values_list("key", flat=True)) == ["b" * 64]
    assert submissions_prune(now=timezone.now() + datetime.timedelta(days=2)) == 1


def test_every_post_form_in_the_templates_carries_the_token():
    """Every `{% csrf_token %}` in the templates (and crispy-forms' form, overridden in templates/gds) is
    followed by `{% submission_token %}`, so no POST form goes without one."""
    root = settings.BASE_DIR / "templates"
    missing = []
    for path in root.rglob("*.html"):
        text = path.read_text()
        if text.count("{% csrf_token %}") != text.count("{% csrf_token %}{% submission_token %}"):
            missing.append(str(path.relative_to(root)))
    assert missing == []
    assert "{% submission_token %}" in (root / "gds" / "whole_uni_form.html").read_text()
