"""Bad input that used to be accepted (issue 17): text cut by the browser or never bounded, ids no
database holds, `next` values that are not a path on this site."""

import pytest
from django import forms
from django.test import Client, RequestFactory
from django.urls import reverse

from cases.models import Event, Team
from core.forms import (
    GovCharField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    gov_text,
    gov_textarea,
    parse_id,
)
from core.models import Task
from core.views import is_local_path, next_path

pytestmark = pytest.mark.django_db

HUGE_IDS = ["9223372036854775808", "-9223372036854775809", "9" * 5000, "0x41", "²", "١", "1e5", " "]


def _event(**overrides) -> dict:
    data = {
        "event_type": "note",
        "occurred_on_0": "3",
        "occurred_on_1": "6",
        "occurred_on_2": "2024",
        "summary": "Fictional summary",
        "details": "",
    }
    data.update(overrides)
    return data


class TestLengths:
    def test_the_browser_is_never_told_to_cut(self):
        """No `maxlength` attribute: a paste over the limit arrives whole and is refused by the server."""
        field = gov_textarea("Notes", max_length=50)
        assert "maxlength" not in field.widget.attrs
        assert "maxlength" not in gov_text("Name", max_length=20).widget.attrs

    def test_the_server_refuses_with_the_gov_uk_words(self):
        field = gov_text("Summary", max_length=200)
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("x" * 201)
        assert refused.value.messages == ["Summary must be 200 characters or fewer"]
        big = gov_textarea("Details", max_length=10000)
        with pytest.raises(forms.ValidationError) as refused:
            big.clean("x" * 10001)
        assert refused.value.messages == ["Details must be 10,000 characters or fewer"]

    def test_a_new_line_counts_once_as_in_the_browser(self):
        """Browsers send CRLF but count one character: 5 lines of 9 + 4 new lines is 49, within 50."""
        field = gov_textarea("Notes", max_length=49)
        text = "\r\n".join(["x" * 9] * 5)
        assert field.clean(text) == "\n".join(["x" * 9] * 5)

    def test_every_textarea_of_the_kit_has_a_character_count(self):
        field = gov_textarea("Notes", max_length=300)
        assert isinstance(field, GovCharField) and field.character_count == 300

    def test_the_event_page_shows_the_count_and_keeps_the_whole_paste(self, client, case_manager, child):
        """Over the limit: the error summary, the count's wrapper and message, the 20,000 characters."""
        client.force_login(case_manager)
        pasted = "y" * 20_000
        response = client.post(
            reverse("event_add", args=[child.pk]), _event(summary="s" * 250, details=pasted)
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in html
        assert "Summary must be 200 characters or fewer" in html
        assert "Details must be 10,000 characters or fewer" in html
        assert 'data-module="govuk-character-count" data-maxlength="200"' in html
        assert 'data-module="govuk-character-count" data-maxlength="10000"' in html
        assert 'id="id_details-info"' in html and "You can enter up to 10,000 characters" in html
        assert "govuk-js-character-count" in html and "id_details-info" in html
        assert pasted in html and "s" * 250 in html
        assert " maxlength=" not in html
        assert not Event.objects.filter(child=child, summary__startswith="s").exists()

    def test_within_the_limit_it_is_saved_whole(self, client, case_manager, child):
        client.force_login(case_manager)
        response = client.post(
            reverse("event_add", args=[child.pk]), _event(summary="s" * 200, details="d" * 10_000)
        )
        assert response.status_code == 302
        event = Event.objects.get(child=child, summary="s" * 200)
        assert len(event.details) == 10_000


class TestIds:
    @pytest.mark.parametrize("value", HUGE_IDS)
    def test_parse_id_refuses_what_no_database_holds(self, value):
        assert parse_id(value) is None

    def test_parse_id_reads_a_plain_id(self):
        assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(str(2**63 - 1)) == 2**63 - 1

    @pytest.mark.parametrize("value", [*HUGE_IDS, "-1"])
    def test_model_choices_are_a_form_error_not_a_500(self, value, north):
        """Django's own ModelMultipleChoiceField raises OverflowError on SQLite for 2**63 (issue 17)."""
        single = ModelChoiceField(queryset=Team.objects.all())
        many = ModelMultipleChoiceField(queryset=Team.objects.all())
        for field, data in ((single, value), (many, [str(north.pk), value])):
            with pytest.raises(forms.ValidationError) as refused:
                field.clean(data)
            # The message never repeats what was sent (5,000 nines would fill the error summary).
            assert all(value not in m or not value.strip() for m in refused.value.messages)

    def test_model_choices_still_choose(self, north, south):
        many = ModelMultipleChoiceField(queryset=Team.objects.all())
        assert set(many.clean([str(north.pk), str(south.pk)])) == {north, south}
        assert ModelChoiceField(queryset=Team.objects.all()).clean(str(north.pk)) == north


class TestNext:
    @pytest.mark.parametrize(
        "target",
        [
            "-1",
            "my_work",
            "//evil.example/",
            "https://evil.example/",
            "javascript:alert(1)",
            "../../etc",
            "/\\evil.example",
            "/my-work/\r\nSet-Cookie: x=y",
            "/a\x00b",
            "/" + "a" * 2000,
            "",
        ],
    )
    def test_only_a_path_on_this_site_is_followed(self, target):
        assert not is_local_path(target)
        request = RequestFactory().post("/", {"next": target})
        assert next_path(request, "/fallback/") == "/fallback/"

    def test_a_local_path_is_followed(self):
        assert is_local_path("/children/1/due/?page=2")
        request = RequestFactory().post("/", {"next": "/children/1/due/?page=2"})
        assert next_path(request, "/fallback/") == "/children/1/due/?page=2"

    @pytest.mark.parametrize("target", ["-1", "javascript:alert(1)", "//evil.example/", "/x\ny"])
    def test_mark_all_read_ignores_a_bad_next(self, target, case_manager):
        """Was a 500 (NoReverseMatch) for `next=-1`."""
        client = Client(raise_request_exception=False)
        client.force_login(case_manager)
        response = client.post(reverse("notifications_mark_all_read"), {"next": target})
        assert response.status_code == 302 and response["Location"] == reverse("notifications")

    @pytest.mark.parametrize("target", ["-1", "https://evil.example/", "/x\r\ny"])
    def test_task_complete_ignores_a_bad_next(self, target, case_manager, child):
        """Was a 500 (NoReverseMatch) for `next=-1`; the task is still marked done."""
        task = Task.objects.create(
            child=child, assignee=case_manager, title="Fictional task", created_by=case_manager
        )
        client = Client(raise_request_exception=False)
        client.force_login(case_manager)
        response = client.post(reverse("task_complete", args=[task.pk]), {"next": target})
        assert response.status_code == 302 and response["Location"] == reverse("my_work")
        task.refresh_from_db()
        assert task.done_on is not None

    def test_task_complete_goes_back_to_a_local_page(self, case_manager, child):
        task = Task.objects.create(
            child=child, assignee=case_manager, title="Fictional task", created_by=case_manager
        )
        client = Client()
        client.force_login(case_manager)
        back = reverse("child_obligations", args=[child.pk])
        response = client.post(reverse("task_complete", args=[task.pk]), {"next": back})
        assert response["Location"] == back


def test_the_compliance_drill_down_refuses_a_superscript_team(service_manager):
    """`"²".isdigit()` is true and `int("²")` raises: the team is now read with parse_id (was a 500)."""
    client = Client(raise_request_exception=False)
    client.force_login(service_manager)
    answer = client.get(
        reverse("compliance_drilldown"),
        {"status": "overdue", "team": "²", "from_0": "1", "from_1": "1", "from_2": "2024"},
    )
    assert answer.status_code != 500
