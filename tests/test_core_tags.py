"""core_tags: the one status-to-tag table and the due-date formats give the HTML the pages always had."""

import datetime

import pytest
from django.template import Context, Template

from core.templatetags.core_tags import STATUS_TAGS


def render(source: str, **context) -> str:
    return Template("{% load core_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "context", "html"),
    [
        (
            '{% status_tag "obligation" s %}',
            {"s": "overdue"},
            '<strong class="moj-badge moj-badge--red">Overdue</strong>',
        ),
        (
            '{% status_tag "obligation" s %}',
            {"s": "open"},
            '<strong class="moj-badge moj-badge--blue">Due</strong>',
        ),
        (
            '{% status_tag "obligation" s %}',
            {"s": "anything"},
            '<strong class="moj-badge moj-badge--green">Met</strong>',
        ),
        (
            '{% status_tag "supervision" s %}',
            {"s": None},
            '<strong class="govuk-tag govuk-tag--grey">Not scheduled</strong>',
        ),
        (
            '{% status_tag "meeting" s %}',
            {"s": "held"},
            '<strong class="govuk-tag govuk-tag--yellow">Held – record in progress</strong>',
        ),
        (
            '{% status_tag "session" s draft="Record in progress" %}',
            {"s": "draft"},
            '<strong class="govuk-tag govuk-tag--yellow">Record in progress</strong>',
        ),
        (
            '{% status_tag "session" s draft="Record in progress" %}',
            {"s": "finalised"},
            '<strong class="govuk-tag govuk-tag--green">Finalised</strong>',
        ),
        (
            '{% status_tag "chain_break" s label=text classes="govuk-!-margin-bottom-1" %}',
            {"s": "loop", "text": "A <loop>"},
            '<strong class="govuk-tag govuk-tag--orange govuk-!-margin-bottom-1">A &lt;loop&gt;</strong>',
        ),
        ('{% status_tag "section" s %}', {"s": "Completed"}, "Completed"),
        (
            '{% status_tag "meeting" "not_recorded" %}',
            {},
            '<strong class="govuk-tag govuk-tag--red">Not yet recorded as held</strong>',
        ),
        (
            '{% include "includes/risk_badge.html" with level=s label="RoSH" %}',
            {"s": "very_high"},
            '<strong class="moj-badge moj-badge--red app-risk-badge">RoSH very high</strong>\n',
        ),
        (
            '{% include "includes/risk_badge.html" with level=s label="SaW" %}',
            {"s": None},
            '<strong class="moj-badge moj-badge--grey app-risk-badge">SaW not rated</strong>\n',
        ),
        (
            '{% status_tag "task" t|task_state:today none="Not yet a task" %}',
            {"t": None, "today": datetime.date(2025, 3, 3)},
            '<strong class="govuk-tag govuk-tag--grey">Not yet a task</strong>',
        ),
    ],
)
def test_status_tag(source, context, html):
    assert render(source, **context) == html


def test_every_status_has_a_colour_and_the_default_is_in_the_table():
    for kind in STATUS_TAGS.values():
        assert kind.default is None or kind.default in kind.tags
        assert all(colour for colour, _ in kind.tags.values())


class Task:
    def __init__(self, due=None, done_on=None):
        self.due, self.done_on = due, done_on


@pytest.mark.parametrize(
    ("task", "state"),
    [
        (Task(done_on=datetime.date(2025, 3, 1)), "done"),
        (Task(due=datetime.date(2025, 3, 2)), "overdue"),
        (Task(due=datetime.date(2025, 3, 3)), "open"),
        (Task(), "open"),
        (None, "none"),
    ],
)
def test_task_state(task, state):
    assert render("{{ t|task_state:today }}", t=task, today=datetime.date(2025, 3, 3)) == state


def test_due_date_styles():
    at = datetime.datetime(2025, 7, 3, 13, 0, tzinfo=datetime.UTC)  # 14:00 in London (BST)
    day = datetime.date(2025, 7, 3)
    assert render('{{ o|due_date:"short" }}', o={"due_at": at, "due": day}) == "3 Jul 2025 14:00"
    assert render('{{ o|due_date:"short" }}', o={"due_at": None, "due": day}) == "Thu 3 Jul 2025"
    assert render('{{ o|due_date:"compact" }}', o={"due": day}) == "3 Jul 2025"
    assert render('{{ o|due_date:"medium" }}', o={"due_at": at}) == "3 July 2025, 14:00"
    assert render('{{ o|due_date:"long" }}', o={"due": day}) == "Thursday 3 July 2025"
    assert render('{{ o|due_date:"digest" }}', o={"due_at": at}) == "14:00 on Thu 3 Jul 2025"
    assert (
        render('{{ o|due_date:"short"|default:"No date set" }}', o={"due_at": None, "due": None})
        == "No date set"
    )
