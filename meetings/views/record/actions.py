"""The agreed actions of a meeting (action, by whom, by when: 001 App. 4) through the shared agreed-actions
form and handler (meetings/actions.py), recording them on the child's file (001 §6.2: within 48 hours),
and marking the tasks they become as done."""

from functools import partial

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from core.models import Task
from core.views import audit_get, next_path, service_errors

from ... import services
from ...actions import AgreedActionForm, agreed_actions_post
from ...forms.common import ProblemsForm
from ...forms.record.actions import meeting_action_form
from ...models import Meeting
from ..common import child_and_meeting_for_edit, tab_context
from .detail import follow_ups


def meeting_actions(request, pk, mpk):
    """The agreed actions (action, by whom, by when: 001 App. 4); add or remove them, and record them on
    the child's file, where each becomes a task for the person named (001 §6.2: within 48 hours)."""
    child, meeting = child_and_meeting_for_edit(request, pk, mpk, open_only=False)
    audit_get(request, child, f"agreed actions of meeting {meeting.pk}")
    is_open = meeting.status != Meeting.Status.FINALISED
    adding = request.method == "POST" and "remove" not in request.POST and "record" not in request.POST
    form = meeting_action_form(request.POST if adding else None, meeting=meeting)
    problems = ProblemsForm()
    if request.method == "POST":
        if not is_open:
            raise Http404("The record is finalised")
        try:
            if _actions_post(request, meeting, form):
                return redirect("meeting_actions", pk=child.pk, mpk=meeting.pk)
        except ValidationError as exc:
            if adding:
                service_errors(form, exc)
            else:
                problems = ProblemsForm([("#actions", message) for message in exc.messages])
    return render(
        request,
        "meetings/actions.html",
        tab_context(
            child,
            meeting=meeting,
            form=form,
            problems=problems,
            actions=list(meeting.actions.all()),
            is_open=is_open,
            today=timezone.localdate(),
            follow_ups=[o for o in follow_ups(child, meeting) if o.code == "cmm.actions_recorded"],
        ),
    )


def _actions_post(request, meeting: Meeting, form: AgreedActionForm) -> bool:
    """Record the actions on the child's file, or remove or add one (the shared handler); True when done
    (redirect), False to show the add form's errors. A service's refusal propagates as ValidationError."""
    if "record" in request.POST and "remove" not in request.POST:
        services.meeting_actions_record(meeting=meeting, user=request.user)
        messages.success(
            request, "Actions recorded on the child's file; each is now a task for the person named"
        )
        return True
    return agreed_actions_post(
        request,
        form=form,
        actions=meeting.actions,
        add=partial(services.meeting_action_add, meeting=meeting),
        remove=services.meeting_action_remove,
    )


def _may_complete(user, task: Task) -> bool:
    """The task's assignee, or a manager who may see the task's child (001 §6.2 actions followed up)."""
    if task.assignee_id == user.pk:
        return True
    if task.child_id is None:
        return False
    if not rules.has_perm("cases.complete_team_tasks", user):
        return False
    return case_selectors.children_for_user(user=user).filter(pk=task.child_id).exists()


@require_POST
def task_complete(request, tpk):
    """Mark a task done, with an optional note; then back where the user came from (a local URL only)."""
    try:
        task = Task.objects.select_related("child").get(pk=tpk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("No task found") from None
    if not _may_complete(request.user, task):
        raise Http404("No task found")
    services.task_complete(task=task, user=request.user, note=request.POST.get("note", ""))
    messages.success(request, f"Marked as done: {task.title[:100]}")
    return HttpResponseRedirect(next_path(request, reverse("my_work")))
