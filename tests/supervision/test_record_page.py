"""The one-page Record of Supervision (issue 20; 000 App. C, 001 App. 5, 002): the record and its case
discussions saved together, every error on the page at once, "Add another case discussion" keeping every
answer, a double submit stored once, 404 outside the chain, the audit, the check before finalising, and
the partial draft an autosave keeps (ADR 0018, with the versions of ADR 0009)."""

import datetime
import json
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Leave, Role
from core.models import AuditEntry
from core.submissions import ALREADY_SAVED
from demo.factories import ChildFactory, UserFactory
from supervision.forms.record import MAX_DISCUSSIONS
from supervision.models import CaseDiscussion, SupervisionMethod, SupervisionSession
from supervision.services import discussions as discussion_services
from supervision.services import sessions as services
from supervision.services.sessions import SESSION_RENDER
from tests.renders import capture_renders

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=LONDON)  # Tue 15 Sep 2026
D = datetime.date
TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def pinned():
    """Every test runs on Tue 15 Sep 2026 at 10:00 London time."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def queued(monkeypatch):
    """Capture the PDF render task instead of running WeasyPrint (the PDF has its own tests)."""
    return capture_renders(monkeypatch, SESSION_RENDER, "session_id")


@pytest.fixture
def worker(case_manager):
    """The case manager, who joined on 1 Jun 2026."""
    case_manager.date_joined = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
    case_manager.save(update_fields=["date_joined"])
    return case_manager


@pytest.fixture
def children(north, worker):
    """Two of the worker's open cases."""
    return [
        ChildFactory(
            team=north, case_manager=worker, first_name="Ada", last_name="Onecase", case_number="YJ700001"
        ),
        ChildFactory(
            team=north, case_manager=worker, first_name="Ben", last_name="Twocase", case_number="YJ700002"
        ),
    ]


@pytest.fixture
def session(worker, team_manager):
    """A draft Record of Supervision held yesterday, nothing written yet."""
    return services.session_create(
        supervisee=worker,
        supervisor=team_manager,
        held_on=D(2026, 9, 14),
        method=SupervisionMethod.ONE_TO_ONE,
        user=team_manager,
    )


def url(session, name="session_edit") -> str:
    return reverse(name, args=[session.pk])


def page_data(session, *discussions: dict, **fields) -> dict:
    """The page's POST: the record's fields (its date and method as saved) and a fieldset per discussion."""
    data = {
        "version": session.version,
        "held_on_0": session.held_on.day,
        "held_on_1": session.held_on.month,
        "held_on_2": session.held_on.year,
        "method": session.method,
        "discussions": len(discussions),
        **fields,
    }
    for index, discussion in enumerate(discussions):
        data.update({f"cd-{index}-{name}": value for name, value in discussion.items()})
    return data


def summary_links(html: str) -> list[str]:
    """The error summary's messages, in order."""
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', summary)


# ----------------------------------------------------------------------------------------- the page


def test_the_page_holds_the_record_and_an_empty_case_discussion(client, team_manager, session, children):
    """Unbound: App. C's sections, the progress list and one fieldset offering the open cases."""
    client.force_login(team_manager)
    html = client.get(url(session)).content.decode()
    assert 'id="id_personal_wellbeing"' in html and 'id="id_next_date_0"' in html
    assert 'id="discussion-1"' in html and 'name="cd-0-child"' in html and 'id="discussion-2"' not in html
    assert "Onecase, Ada (YJ700001)" in html and "Twocase, Ben (YJ700002)" in html
    assert "Progress: what is saved so far" in html and 'href="#cases-discussed"' in html
    assert 'name="discussions" value="1"' in html
    form = html.split('id="record-of-supervision"', 1)[1].split("</form>", 1)[0]
    assert form.count('name="submission_token"') == 1  # one form for the whole record, one token


def test_one_save_writes_the_record_and_two_case_discussions(client, team_manager, session, children):
    """The record's sections and two new case discussions in one POST, then the check page."""
    client.force_login(team_manager)
    response = client.post(
        url(session),
        page_data(
            session,
            {"child": children[0].pk, "overview": "Engaging well; ETE place confirmed."},
            {"child": children[1].pk, "exit_strategy": "Youth club offer", "significant": "on"},
            personal_wellbeing="Well",
            training_development="AIM3 booked",
            next_date_0="12",
            next_date_1="10",
            next_date_2="2026",
            **{"continue": "1"},
        ),
    )
    assert response.status_code == 302 and response["Location"] == url(session, "session_finalise")
    session.refresh_from_db()
    assert session.personal_wellbeing == "Well" and session.next_date == D(2026, 10, 12)
    first, second = CaseDiscussion.objects.filter(session=session).order_by("pk")
    assert (first.child, first.overview, first.kind) == (
        children[0],
        "Engaging well; ETE place confirmed.",
        "supervision",
    )
    assert (first.manager, first.worker, first.held_on) == (team_manager, session.supervisee, session.held_on)
    assert second.significant and second.exit_strategy == "Youth club offer" and second.is_draft


def test_save_and_come_back_later_returns_to_the_record(client, team_manager, session):
    """The secondary button saves and opens the record's page, not the check."""
    client.force_login(team_manager)
    response = client.post(url(session), page_data(session, aob="Fire drill", save_draft="1"))
    assert response["Location"] == url(session, "session_detail")
    assert SupervisionSession.objects.get(pk=session.pk).aob == "Fire drill"


def test_every_error_on_the_page_at_once_and_nothing_saved(client, team_manager, session, children):
    """The record's errors and each fieldset's, in one summary in the page's order; no part saved."""
    client.force_login(team_manager)
    response = client.post(
        url(session),
        page_data(
            session,
            {"overview": "Written, but no child chosen"},
            {"child": children[1].pk},
            {"child": children[0].pk, "overview": "x" * 10001},
            personal_wellbeing="y" * 10001,
            matters_arising="Kept in the form",
            next_date_0="14",
            next_date_1="9",
            next_date_2="2026",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert summary_links(html) == [
        "1. Personal Wellbeing must be 10,000 characters or fewer",
        "Case discussion 1: Choose the child this case discussion is about",
        "Case discussion 2: Write at least one section of the case discussion: the update on actions, the case "
        "overview, new concerns, multi-agency working or the exit strategy",
        "Case discussion 3: Case overview / progress of case must be 10,000 characters or fewer",
        "Date of the next supervision must be after the date of this one",
    ]
    assert 'href="#id_cd-0-child"' in html and 'href="#id_personal_wellbeing"' in html
    assert "Kept in the form" in html and "Written, but no child chosen" in html
    assert not CaseDiscussion.objects.exists()
    assert SupervisionSession.objects.get(pk=session.pk).matters_arising == ""


def test_the_same_child_twice_on_the_page_is_an_error(client, team_manager, session, children):
    """Two fieldsets for one child: written in one, never two records."""
    client.force_login(team_manager)
    response = client.post(
        url(session),
        page_data(
            session, {"child": children[0].pk, "overview": "a"}, {"child": children[0].pk, "overview": "b"}
        ),
    )
    assert (
        "Case discussion 2: This child is already discussed in case discussion 1" in response.content.decode()
    )
    assert not CaseDiscussion.objects.exists()


def test_a_service_refusal_of_one_part_rolls_back_the_rest(client, team_manager, session, north, children):
    """A child who is not the supervisee's case is refused: the record's sections are not saved either."""
    stranger = ChildFactory(team=north, first_name="Cal", last_name="Other")
    client.force_login(team_manager)
    data = page_data(session, {"child": children[0].pk, "overview": "a"}, aob="Not kept")
    data.update({"discussions": 2, "cd-1-child": stranger.pk, "cd-1-overview": "b"})
    html = client.post(url(session), data).content.decode()
    assert "Case discussion 2: Choose the child from the list" in html  # not offered, so not a choice
    assert not CaseDiscussion.objects.exists() and SupervisionSession.objects.get(pk=session.pk).aob == ""


def test_add_another_keeps_every_answer_and_checks_nothing(client, team_manager, session, children):
    """A round trip: every answer back as typed, a second empty fieldset, no errors, nothing saved."""
    client.force_login(team_manager)
    response = client.post(
        url(session),
        page_data(
            session,
            {"child": children[0].pk, "overview": "Typed before adding", "brief_check": "on"},
            personal_wellbeing="Typed wellbeing " + "z" * 10001,  # over its limit: not checked yet
            add_discussion="1",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" not in html
    assert "Typed before adding" in html and "Typed wellbeing" in html
    assert f'<option value="{children[0].pk}" selected>' in html
    assert re.search(r'<input type="checkbox" name="cd-0-brief_check"[^>]*checked', html)
    assert 'id="discussion-2"' in html and 'name="discussions" value="2"' in html
    assert re.search(r'name="cd-1-child"[^>]*autofocus', html)
    assert not CaseDiscussion.objects.exists()
    assert SupervisionSession.objects.get(pk=session.pk).personal_wellbeing == ""


def test_a_saved_draft_is_its_own_fieldset_with_its_version(client, team_manager, session, children):
    """A draft held in the record comes back as a fieldset with its id and version, and is changed in
    place; a stale version shows what is saved now (ADR 0009)."""
    draft = discussion_services.case_discussion_create(
        child=children[0],
        user=team_manager,
        session=session,
        held_on=session.held_on,
        manager=team_manager,
        worker=session.supervisee,
        overview="First words",
    )
    client.force_login(team_manager)
    html = client.get(url(session)).content.decode()
    assert f'name="cd-0-id" value="{draft.pk}"' in html and "Case discussion 1: AO YJ700001" in html
    assert 'name="cd-0-child"' not in html and 'id="discussion-2"' not in html  # no empty fieldset needed
    fieldset = {"id": draft.pk, "version": draft.version, "overview": "Second words"}
    assert client.post(url(session), page_data(session, fieldset)).status_code == 302
    draft.refresh_from_db()
    assert draft.overview == "Second words" and CaseDiscussion.objects.count() == 1
    stale = client.post(url(session), page_data(session, {**fieldset, "overview": "Third words"}))
    text = stale.content.decode()
    assert stale.status_code == 200 and "What is saved now" in text and "Second words" in text
    assert CaseDiscussion.objects.get().overview == "Second words"


def test_double_submit_stores_once(client, team_manager, session, children):
    """The same page sent twice with its token (a double click) saves once and lands on the same page."""
    client.force_login(team_manager)
    data = page_data(
        session,
        {"child": children[0].pk, "overview": "Once"},
        {"child": children[1].pk, "overview": "Only once"},
        submission_token=TOKEN,
        **{"continue": "1"},
    )
    first = client.post(url(session), data)
    second = client.post(url(session), data, follow=True)
    assert first.status_code == 302 and second.redirect_chain[0][0] == first["Location"]
    assert ALREADY_SAVED in second.content.decode()
    assert CaseDiscussion.objects.filter(session=session).count() == 2


def test_the_page_sent_again_without_its_token_changes_the_drafts(client, team_manager, session, children):
    """Sent again without a token (a script, a page kept by the browser): one discussion per child
    still, each new fieldset writing that child's draft."""
    client.force_login(team_manager)
    data = page_data(session, {"child": children[0].pk, "overview": "Once"})
    client.post(url(session), data)
    data = page_data(
        SupervisionSession.objects.get(pk=session.pk), {"child": children[0].pk, "overview": "Again"}
    )
    assert client.post(url(session), data).status_code == 302
    assert list(CaseDiscussion.objects.values_list("overview", flat=True)) == ["Again"]


# ------------------------------------------------------------------------------------------- access


def test_another_teams_manager_gets_404(client, south, session, children):
    """Another team's manager: 404 on the page, its POST, its autosave and the check page."""
    other = UserFactory(username="tm.south", role=Role.TEAM_MANAGER, team=south)
    client.force_login(other)
    for target in (url(session), url(session, "session_finalise")):
        assert client.get(target).status_code == 404
        assert client.post(target, page_data(session, aob="x")).status_code == 404
    assert client.post(url(session), page_data(session, aob="x", autosave="1")).status_code == 404
    assert SupervisionSession.objects.get(pk=session.pk).aob == ""


def test_the_supervisee_and_a_colleague_get_404(client, worker, colleague, session):
    """The supervisee reads the record but does not write it; a colleague sees neither."""
    for user in (worker, colleague):
        client.force_login(user)
        assert client.get(url(session)).status_code == 404
        assert client.post(url(session), page_data(session, autosave="1", aob="x")).status_code == 404


def test_a_finalised_record_has_no_page_to_write(client, team_manager, session, queued):
    """Once finalised the page is gone (404); the check page shows the confirmation."""
    services.session_update(session=session, user=team_manager, aob="Done", next_date=D(2026, 10, 12))
    services.session_finalise(session=session, user=team_manager)
    client.force_login(team_manager)
    assert client.get(url(session)).status_code == 404
    assert "Record of Supervision finalised" in client.get(url(session, "session_finalise")).content.decode()


def test_a_fieldset_never_names_a_discussion_of_another_record(
    client, team_manager, session, worker, children
):
    """`cd-0-id` of another record's draft is not taken: the fieldset is a new one, naming no child."""
    other = services.session_create(
        supervisee=worker,
        supervisor=team_manager,
        held_on=D(2026, 9, 1),
        method="one_to_one",
        user=team_manager,
    )
    theirs = discussion_services.case_discussion_create(
        child=children[0],
        user=team_manager,
        session=other,
        held_on=other.held_on,
        manager=team_manager,
        worker=worker,
        overview="Theirs",
    )
    client.force_login(team_manager)
    html = client.post(
        url(session), page_data(session, {"id": theirs.pk, "overview": "Mine"})
    ).content.decode()
    assert "Case discussion 1: Choose the child this case discussion is about" in html
    assert CaseDiscussion.objects.get(pk=theirs.pk).overview == "Theirs"


def test_a_crafted_count_of_fieldsets_is_bounded(client, team_manager, session):
    """`discussions` beyond any caseload builds at most MAX_DISCUSSIONS fieldsets (and one added)."""
    client.force_login(team_manager)
    response = client.post(url(session), page_data(session, discussions=10**9, add_discussion="1"))
    assert response.content.decode().count('id="discussion-') == MAX_DISCUSSIONS + 1


def test_add_opens_the_page_with_that_childs_case_discussion(client, team_manager, session, children):
    """`?add=` from the record's list of open cases chooses that child; anything else is ignored."""
    client.force_login(team_manager)
    html = client.get(f"{url(session)}?add={children[1].pk}").content.decode()
    assert f'<option value="{children[1].pk}" selected>' in html
    for odd in ("²", "-1", "9" * 40, "99999"):
        response = client.get(f"{url(session)}?add={odd}")
        assert (
            response.status_code == 200
            and '<option value="" selected>Choose the child' in response.content.decode()
        )


# -------------------------------------------------------------------------------------------- audit


def test_the_page_is_audited_for_the_record_and_each_child_shown(client, team_manager, session, children):
    """A GET: the record's view, and one entry per child whose case discussion it shows."""
    for child in children:
        discussion_services.case_discussion_create(
            child=child,
            user=team_manager,
            session=session,
            held_on=session.held_on,
            manager=team_manager,
            worker=session.supervisee,
            overview="Written",
        )
    client.force_login(team_manager)
    before = AuditEntry.objects.count()
    client.get(url(session))
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert [(e.object_type, e.child_id) for e in entries] == [
        ("supervisionsession", None),
        ("child", children[0].pk),
        ("child", children[1].pk),
    ]
    before = AuditEntry.objects.count()
    client.get(url(session, "session_finalise"))
    assert {e.child_id for e in AuditEntry.objects.order_by("pk")[before:]} == {
        None,
        *(c.pk for c in children),
    }


def test_a_save_is_audited_by_its_services(client, team_manager, session, children):
    """The POST: the record's update and each discussion's creation, against the child."""
    client.force_login(team_manager)
    client.post(url(session), page_data(session, {"child": children[0].pk, "overview": "a"}, aob="b"))
    described = list(
        AuditEntry.objects.filter(action="update", object_type="supervisionsession").values_list(
            "description", flat=True
        )
    )
    assert described == ["Updated Record of Supervision: aob"]
    assert (
        AuditEntry.objects.filter(action="create", object_type="casediscussion", child=children[0]).count()
        == 1
    )


def test_the_page_reads_a_fixed_number_of_queries(client, team_manager, session, north, worker):
    """One case discussion or five: the same number of queries for the page."""
    client.force_login(team_manager)

    def add(count):
        for n in range(count):
            child = ChildFactory(team=north, case_manager=worker)
            discussion_services.case_discussion_create(
                child=child,
                user=team_manager,
                session=session,
                held_on=session.held_on,
                manager=team_manager,
                worker=worker,
                overview=f"Discussion {n}",
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(session)).status_code == 200
        return len(ctx)

    add(1)
    one = queries()
    add(4)
    assert queries() == one


# ------------------------------------------------------------------------------- check and finalise


def test_check_page_lists_the_answers_and_finalises(
    client, team_manager, session, children, queued, django_capture_on_commit_callbacks
):
    """The answers with where to change each; finalising puts both discussions on the children's files."""
    client.force_login(team_manager)
    client.post(
        url(session),
        page_data(
            session,
            {"child": children[0].pk, "overview": "Engaging well"},
            {"child": children[1].pk, "new_concerns": "Missed two sessions"},
            matters_arising="Mileage",
            next_date_0="12",
            next_date_1="10",
            next_date_2="2026",
        ),
    )
    html = client.get(url(session, "session_finalise")).content.decode()
    assert (
        "Check the Record of Supervision" in html
        and "Engaging well" in html
        and "Missed two sessions" in html
    )
    assert "AO YJ700001" in html and "BT YJ700002" in html and "Mileage" in html
    assert (
        f'href="{url(session)}#id_matters_arising"' in html and f'href="{url(session)}#discussion-2"' in html
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(session, "session_finalise"))
    assert response.status_code == 302
    assert set(CaseDiscussion.objects.values_list("status", flat=True)) == {"recorded"}
    assert SupervisionSession.objects.get(pk=session.pk).is_finalised and queued == [session.pk]


def test_check_page_lists_what_is_missing(client, team_manager, session):
    """Nothing written and no next date: the error summary links each to the record's page."""
    client.force_login(team_manager)
    html = client.get(url(session, "session_finalise")).content.decode()
    assert "The record is not ready to finalise" in html
    assert f'href="{url(session)}#id_next_date_0"' in html and f'href="{url(session)}#agenda"' in html
    assert client.post(url(session, "session_finalise")).status_code == 200
    assert SupervisionSession.objects.get(pk=session.pk).is_draft


# ------------------------------------------------------------------------------------------ autosave


def autosave(client, session, *discussions, **fields):
    response = client.post(url(session), page_data(session, *discussions, autosave="1", **fields))
    return response, json.loads(response.content)


def test_autosave_keeps_a_partial_draft_without_asking_for_anything(client, team_manager, worker, session):
    """No completeness check: the leave gap 002 asks for and the date left blank do not stop it."""
    Leave.objects.create(
        worker=worker,
        kind=Leave.Kind.PLANNED,
        start_date=D(2026, 7, 1),
        end_date=D(2026, 8, 20),
        recorded_by=worker,
    )
    client.force_login(team_manager)
    response, body = autosave(
        client, session, held_on_0="", held_on_1="", held_on_2="", method="", aob="Half a thought"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    saved = SupervisionSession.objects.get(pk=session.pk)
    assert saved.aob == "Half a thought" and saved.held_on == D(2026, 9, 14) and saved.leave_gap == ""
    assert body == {
        "saved": True,
        "at": "10:00",
        "saved_at": "2026-09-15T10:00:00+01:00",
        "version": saved.version,
        "fields": {"version": str(saved.version)},
    }
    # The full save still asks for the leave gap.
    html = client.post(url(session), page_data(saved, aob="Whole")).content.decode()
    assert "Record the gap in supervision caused by leave" in html


def test_autosave_still_enforces_lengths(client, team_manager, session):
    """Too long is refused (400, with the message and the input), and nothing is saved."""
    client.force_login(team_manager)
    response, body = autosave(client, session, aob="a" * 10001, matters_arising="kept?")
    assert response.status_code == 422
    assert body == {
        "saved": False,
        "errors": ["8. AOB must be 10,000 characters or fewer"],
        "where": [{"field": "id_aob", "message": "8. AOB must be 10,000 characters or fewer"}],
    }
    assert SupervisionSession.objects.get(pk=session.pk).matters_arising == ""


def test_autosave_keeps_the_version_check(client, team_manager, session):
    """A page loaded before someone else's save is refused (409), not written over (ADR 0009)."""
    client.force_login(team_manager)
    loaded = SupervisionSession.objects.get(pk=session.pk)
    services.session_update(session=session, user=team_manager, aob="Someone else's words")
    response, body = autosave(client, loaded, aob="Mine")
    assert response.status_code == 409 and body["stale"] and not body["saved"]
    assert SupervisionSession.objects.get(pk=session.pk).aob == "Someone else's words"


def test_autosave_creates_a_discussion_once_and_says_its_id(client, team_manager, session, children):
    """A fieldset naming a child and saying something is kept; the answer gives its id and version for
    the page's hidden inputs, and a second autosave changes the same draft."""
    client.force_login(team_manager)
    response, body = autosave(
        client, session, {"child": children[0].pk, "overview": "Start"}, {"child": children[1].pk}
    )
    draft = CaseDiscussion.objects.get()
    assert response.status_code == 200 and draft.overview == "Start" and draft.child == children[0]
    assert body["fields"] == {
        "version": str(session.version),
        "cd-0-id": str(draft.pk),
        "cd-0-version": str(draft.version),
    }
    fieldset = {
        "child": children[0].pk,
        "overview": "Start, then more",
        "id": draft.pk,
        "version": draft.version,
    }
    response, body = autosave(client, session, fieldset)
    draft.refresh_from_db()
    assert response.status_code == 200 and CaseDiscussion.objects.count() == 1
    assert draft.overview == "Start, then more" and body["fields"]["cd-0-version"] == str(draft.version)
    # Sent without the id the first answer gave (an older page): still the same draft, by its child.
    autosave(client, session, {"child": children[0].pk, "overview": "By child"})
    assert list(CaseDiscussion.objects.values_list("overview", flat=True)) == ["By child"]
