"""A Case Discussion Record with every App. 5 section blank is not a case discussion (issue 17): the
form and the service refuse it, so it is never counted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supervision.models import CaseDiscussion
from supervision.services import discussions as services
from supervision.services.discussions.case import NOTHING_WRITTEN

from .test_discussions_views import form_post, held, today

pytestmark = pytest.mark.django_db
SECTIONS = ("previous_actions", "overview", "new_concerns", "multi_agency", "exit_strategy")


def test_the_form_refuses_every_section_blank(client, child, team_manager, case_manager):
    """Blank or only spaces: the error summary links to the first section; nothing is saved."""
    client.force_login(team_manager)
    blank = {name: "  \r\n " for name in SECTIONS}
    response = client.post(
        reverse("discussion_create", args=[child.pk]), form_post(team_manager, case_manager, **blank)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and NOTHING_WRITTEN in html
    assert 'href="#id_previous_actions"' in html
    assert not CaseDiscussion.objects.filter(child=child).exists()


def test_one_section_is_enough(client, child, team_manager, case_manager):
    client.force_login(team_manager)
    blank = {name: "" for name in SECTIONS}
    data = form_post(team_manager, case_manager, **{**blank, "exit_strategy": "Mentor to continue."})
    response = client.post(reverse("discussion_create", args=[child.pk]), data)
    assert response.status_code == 302
    assert CaseDiscussion.objects.filter(child=child, exit_strategy="Mentor to continue.").exists()


def test_the_service_refuses_it_on_create_and_on_update(child, team_manager, case_manager):
    with pytest.raises(ValidationError) as refused:
        services.case_discussion_create(
            child=child, user=team_manager, held_on=today(), manager=team_manager, worker=case_manager
        )
    assert refused.value.messages == [NOTHING_WRITTEN]
    discussion = held(child, team_manager)
    with pytest.raises(ValidationError):
        services.case_discussion_update(discussion=discussion, user=team_manager, overview="   ")
    discussion.refresh_from_db()
    assert discussion.overview == "Progressing well."
