"""`{% timescale %}` states a timescale from the active profile's table, so the words follow the dates."""

import pytest
from django.template import Template, TemplateSyntaxError
from django.template.context import Context
from django.test import override_settings
from django.urls import reverse

TAG = '{% load timescales %}Supervision at least every {% timescale "supervision.staff" %}'


def test_the_words_change_with_the_profile():
    """Nottinghamshire's six weeks (000 §4.1) become Islington's calendar month (002 Frequency)."""
    assert Template(TAG).render(Context()) == "Supervision at least every six weeks"
    with override_settings(POLICY_PROFILE="islington"):
        assert Template(TAG).render(Context()) == "Supervision at least every calendar month"


def test_workflow_durations_and_codes_render():
    """A duration id and an obligation code both render in words."""
    text = Template(
        '{% load timescales %}{% timescale "cmm.notice" %}; {% timescale "cmm.actions_recorded" %}'
    ).render(Context())
    assert text == "two weeks; 48 hours"


def test_an_unknown_key_fails_loudly():
    """A typo in a template is caught by the page's test, not shown as blank text."""
    with pytest.raises(KeyError):
        Template('{% load timescales %}{% timescale "cmm.nonsense" %}').render(Context())
    with pytest.raises(TemplateSyntaxError):
        Template("{% load timescales %}{% timescale %}").render(Context())


@pytest.mark.django_db
def test_a_page_states_the_active_profiles_timescale(client, case_manager):
    """The supervision page says six weeks under Nottinghamshire and a calendar month under Islington
    (000 §4.1, 002 Frequency): the words come from the profile, like the due dates."""
    client.force_login(case_manager)
    assert "at least every six weeks" in client.get(reverse("supervision_home")).content.decode()
    with override_settings(POLICY_PROFILE="islington"):
        assert "at least every calendar month" in client.get(reverse("supervision_home")).content.decode()
