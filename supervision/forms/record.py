"""The one-page Record of Supervision (000 App. C with its case discussions, 001 App. 5): the record's own
form and a fieldset form per case discussion, read and checked together, with one error summary listing
every error on the page in the page's order.

The page's POST carries `discussions` (how many fieldsets it shows) and, for each fieldset `n` from 0,
its answers prefixed `cd-<n>-`; a fieldset writing a saved draft carries its `cd-<n>-id` and
`cd-<n>-version`. "Add another case discussion" sends the page back with one more, empty, fieldset and
every answer kept, showing no errors (`add_another`).
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet

from cases.models import Child
from core.forms import parse_id

from ..models import CaseDiscussion, SupervisionSession
from .discussions.in_session import SessionDiscussionForm
from .sessions import SessionEditForm

# More fieldsets than any caseload (and a bound on what a crafted POST can ask the server to build).
MAX_DISCUSSIONS = 40
# The record's fields App. C puts after "Cases Discussed": their errors come after the discussions'.
AFTER_CASES = (
    "performance",
    "training_development",
    "team_relationships",
    "policies_procedures",
    "aob",
    "discussion_notes",
    "leave_gap",
    "next_date",
    "next_time",
    "next_place",
)


def _is_after_cases(href: str) -> bool:
    """Whether an error link points at one of the fields after "Cases Discussed"."""
    return any(href.startswith(f"#id_{name}") for name in AFTER_CASES)


class RecordPage:
    """The record's form (`session_form`) and its case discussions' (`discussion_forms`), as one form."""

    def __init__(
        self,
        data=None,
        *,
        session: SupervisionSession,
        show_restricted: bool,
        drafts: list[CaseDiscussion],
        children: QuerySet[Child],
        partial: bool = False,
        add_child: int | None = None,
    ):
        """Bound to a POST, one fieldset per fieldset sent; unbound, one per saved draft, and an empty one
        (for `add_child`, if given) when there is none yet or one is asked for."""
        self.session, self.partial = session, partial
        self.page_errors: list[tuple[str, str]] = []
        self.session_form = SessionEditForm(
            data, session=session, show_restricted=show_restricted, partial=partial
        )
        self.drafts = {d.pk: d for d in drafts}
        self.children = children
        self.discussion_forms: list[SessionDiscussionForm] = []
        if data is None:
            for saved in drafts:
                self._add(None, discussion=saved)
            if not drafts or add_child is not None:
                self._add(None, initial={"child": add_child} if add_child else None)
            return
        count = parse_id(data.get("discussions")) or 0
        for index in range(min(count, MAX_DISCUSSIONS)):
            draft = self.drafts.get(parse_id(data.get(f"cd-{index}-id")) or 0)
            self._add(data, discussion=draft)

    def _add(self, data, *, discussion: CaseDiscussion | None = None, initial=None) -> SessionDiscussionForm:
        """Another fieldset: a saved draft's, or a new one offering the supervisee's open cases."""
        index = len(self.discussion_forms)
        form = SessionDiscussionForm(
            data,
            prefix=f"cd-{index}",
            number=index + 1,
            discussion=discussion,
            children=self.children if discussion is None else Child.objects.none(),
            partial=self.partial,
            initial=initial,
        )
        self.discussion_forms.append(form)
        return form

    def add_another(self) -> SessionDiscussionForm:
        """'Add another case discussion': every answer kept as sent, nothing checked, one more fieldset."""
        for form in self.forms:  # shown as typed, with no errors on the way
            form.errors.pop(NON_FIELD_ERRORS, None)
            for name in list(form.errors):
                form.drop_errors(name)
        added = self._add(None)
        added.fields["child"].widget.attrs["autofocus"] = True  # the new fieldset, as MoJ "add another" does
        return added

    @property
    def forms(self) -> list[SessionEditForm | SessionDiscussionForm]:
        """Every form on the page."""
        return [self.session_form, *self.discussion_forms]

    def is_valid(self) -> bool:
        """Every form valid, and no child discussed twice on the page."""
        valid = all([form.is_valid() for form in self.forms])  # every form checked, not the first only
        seen: dict[int, int] = {}
        for form in self.discussion_forms:
            if not hasattr(form, "cleaned_data"):
                continue
            child_id = (
                form.discussion.child_id
                if form.discussion
                else getattr(form.cleaned_data.get("child"), "pk", None)
            )
            if child_id is None:
                continue
            if child_id in seen:
                form.add_error(
                    "child" if form.is_new else None,
                    f"This child is already discussed in case discussion {seen[child_id]}: write both in one",
                )
                valid = False
            else:
                seen[child_id] = form.number
        return valid

    @property
    def errors(self) -> bool:
        """Whether anything on the page is in error (the error summary's test)."""
        return any(form.errors for form in self.forms)

    def error_links(self) -> list[tuple[str, str]]:
        """(href, message) for every error on the page, in the page's order (App. C's)."""
        links = self.session_form.error_links()
        before = [link for link in links if not _is_after_cases(link[0])]
        after = [link for link in links if _is_after_cases(link[0])]
        middle = []
        for form in self.discussion_forms:
            for href, message in form.error_links():
                # A fieldset's own (non-field) error points at the fieldset.
                middle.append(
                    (f"#{form.anchor}" if href == "#" else href, f"Case discussion {form.number}: {message}")
                )
        return before + middle + after

    def answers(self) -> list[tuple[SessionDiscussionForm, dict]]:
        """Each fieldset that says something, with its answers (untouched new fieldsets left out)."""
        return [(form, form.service_data()) for form in self.discussion_forms if not form.is_untouched()]


__all__ = ["MAX_DISCUSSIONS", "RecordPage"]
