"""Asking a manager to do what is due when only a manager may (issue 20; cases/services/requests.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.views import next_path

from .. import selectors
from ..services.requests import manager_request


@require_POST
def ask_manager(request, pk):
    """Ask the team's manager to do an obligation due on the child (a CMM to book, a case discussion to
    record): anyone who may see the child and may not do it themselves; then back where they were."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    try:
        task, new = manager_request(child=child, user=request.user, code=request.POST.get("code", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        who = task.assignee.get_full_name() if task.assignee else "A manager"
        if new:
            messages.success(request, f"Asked {who}. It is on their My work.")
        else:
            messages.success(request, f"{who} has already been asked.")
    return HttpResponseRedirect(next_path(request, reverse("child_obligations", args=[child.pk])))
