"""The registry apps plug into (docs/adr/0008-core-and-registry.md).

The base (core, then cases) never imports the apps above it. Each app contributes what the base needs
from it here, in its ``AppConfig.ready()``:

- **facts**: a function giving the facts a child's (or a worker's) records state, for the rules module,
  and fields an app records about a programme (Crown Court tracking's first appearance);
- **child visibility**: a function giving extra children a user may see (a transfer's receiving team);
- **child tabs** and **header links**: the child record's sub-navigation and the service navigation,
  each shown exactly when the named permission (django-rules) lets the user open the page behind it;
- **work links**: where an obligation (by code or code prefix) is done, for My work and What is due;
- **My work sections**: extra context for a worker's My work page (their upcoming meetings);
- **record sections**: each app's part of a child's whole record, for a subject access export
  (records/, UK GDPR Art. 15);
- **waiting work**: steps waiting on named people that the policy gives no timescale of their own (a
  transfer's endorsement, allocation or escalation, 003 §11.4; Form H, 001 §8), shown on My work as
  "Waiting for you" and raised at once as notifications (alerts).

Hooks that run when something happens to a child (levels rising, a programme closing) are Django
signals in ``cases/signals.py``: the sender does not know who listens.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import resolve, reverse

FactProvider = Callable[..., list[dict]]


@dataclass(frozen=True)
class ChildTab:
    """One tab of the child's record: the url name (taking the child's pk), its label and key."""

    url_name: str
    label: str
    key: str
    order: int
    permission: str = ""  # shown only when this named permission (django-rules) allows; blank: to all


@dataclass(frozen=True)
class HeaderLink:
    """One item of the service navigation, shown when `permission` (django-rules) allows the user.

    `badge` names a template context value shown beside the label (the unread notifications count).
    """

    key: str
    label: str
    url_name: str
    order: int
    permission: str
    badge: str = ""
    # The top-level item it sits under (a NavGroup key), or "" for an item of its own; "account" puts it
    # in the header's top bar with Sign out (issue 20: a navigation that fits on one line at 1280 px).
    group: str = ""


@dataclass(frozen=True)
class NavGroup:
    """A top-level item of the service navigation holding several header links: it leads to the first
    the user may follow, and the group's landing pages show the others as a secondary navigation."""

    key: str
    label: str


@dataclass(frozen=True)
class NavSection:
    """Which header link's section a page belongs to, so the navigation highlights it on every page.

    `url_names`: exact url names, or prefixes ending in "*"; `modules`: view modules (a prefix, e.g.
    "cases."). Only pages the app's own header link does not place need one (Registry.section_for)."""

    section: str  # a HeaderLink key
    url_names: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkLink:
    """Where an obligation is done: a code (exact) or a prefix ending in ".", the url name taking the
    child's pk, and a query string to add (an event type to preselect, a meeting kind to book).

    `permission` (django-rules, checked with the child) names who may use that page; anyone else is sent
    to `fallback` (a url name taking the child's pk), where they can see it and act on it their way (a
    case manager asks a manager to book the CMM that only a manager books, 001 §6.2)."""

    code: str
    url_name: str
    query: str = ""
    permission: str = ""
    fallback: str = ""

    def matches(self, code: str) -> bool:
        return code == self.code or (self.code.endswith(".") and code.startswith(self.code))


@dataclass(frozen=True)
class WaitingItem:
    """A step waiting on the people who must act on it (not an obligation: no timescale of its own).

    `key` names the step and stays the same while it waits ("transfer:12:endorse"), so a notification is
    raised once per recipient; `recipients` are user pks; `link` is where the step is done."""

    key: str
    code: str
    title: str
    link: str
    since: Any  # datetime.date: when the step began waiting
    recipients: tuple[int, ...]
    child_id: int | None = None
    child_name: str = ""
    case_number: str = ""
    basis: str = ""
    detail: str = ""


WaitingProvider = Callable[..., list[WaitingItem]]


# --- Subject access (UK GDPR Art. 15): each app's part of a child's whole record (records/) ---------
@dataclass
class RecordSection:
    """One app's records about a child, for a subject access export: `items` are plain dicts (see
    core/records.py `record_item`: id, label, fields, versions, restricted); `restricted` says why the
    whole section is to be considered for redaction (MAPPA: other agencies' information), if it is."""

    title: str
    items: list[dict]
    restricted: str = ""


RecordProvider = Callable[[Any], RecordSection]


@dataclass
class Registry:
    """What the apps have plugged in. One instance, `registry`, filled at start-up."""

    child_facts: list[FactProvider] = field(default_factory=list)
    worker_facts: list[FactProvider] = field(default_factory=list)
    child_visibility: list[Callable[[Any], Any]] = field(default_factory=list)
    child_tabs: list[ChildTab] = field(default_factory=list)
    header_links: list[HeaderLink] = field(default_factory=list)
    nav_groups: dict[str, NavGroup] = field(default_factory=dict)
    nav_sections: list[NavSection] = field(default_factory=list)
    child_section: str = ""  # the section of a child's record pages no other rule places
    work_links: list[WorkLink] = field(default_factory=list)
    my_work_sections: dict[str, Callable[..., Any]] = field(default_factory=dict)
    programme_fact_fields: dict[str, list[Callable[[Any], dict]]] = field(default_factory=dict)
    waiting_work: list[WaitingProvider] = field(default_factory=list)
    record_sections: dict[str, tuple[int, RecordProvider]] = field(default_factory=dict)
    # A named permission's answer for many children at once, for lists of work links (issue 20: My work
    # must not cost a query per row). `bulk(user, children)` returns the pks of the children it allows.
    bulk_permissions: dict[str, Callable[[Any, list], set[int]]] = field(default_factory=dict)

    def add_child_facts(self, provider: FactProvider) -> None:
        """`provider(child=...)` returns the facts the app's records state about the child."""
        if provider not in self.child_facts:
            self.child_facts.append(provider)

    def add_worker_facts(self, provider: FactProvider) -> None:
        """`provider(worker=...)` returns the facts the app's records state about a member of staff."""
        if provider not in self.worker_facts:
            self.worker_facts.append(provider)

    def add_programme_fact_fields(self, kind: str, fields: Callable[[Any], dict]) -> None:
        """`fields(programme)` returns more fields for a programme of this kind's `programme_started`."""
        providers = self.programme_fact_fields.setdefault(kind, [])
        if fields not in providers:
            providers.append(fields)

    def add_child_visibility(self, extension: Callable[[Any], Any]) -> None:
        """`extension(user)` returns a queryset of child ids the user may also see, or None."""
        if extension not in self.child_visibility:
            self.child_visibility.append(extension)

    def add_child_tab(self, tab: ChildTab) -> None:
        if tab not in self.child_tabs:
            self.child_tabs.append(tab)
            self.child_tabs.sort(key=lambda t: t.order)

    def add_header_link(self, link: HeaderLink) -> None:
        if link not in self.header_links:
            self.header_links.append(link)
            self.header_links.sort(key=lambda link: link.order)

    def add_nav_group(self, group: NavGroup) -> None:
        self.nav_groups[group.key] = group

    def add_nav_section(self, section: NavSection) -> None:
        if section not in self.nav_sections:
            self.nav_sections.append(section)

    def section_for(self, url_name: str, module: str, route: str = "") -> str:
        """The header link key whose section holds the page with this url name, view module and route
        ("" for a page outside every section), the most specific rule first:

        1. a header link's own page;
        2. a registered `NavSection` (an exact url name, then the longest name prefix, then the longest
           module prefix);
        3. the app's own header link (the first, by order, whose page's view is in the same app);
        4. a page of a child's record (its route starts "children/"): `child_section`.
        """
        for link in self.header_links:
            if link.url_name == url_name:
                return link.key
        for section in self.nav_sections:
            if url_name in section.url_names:
                return section.section
        best: tuple[int, int, str] = (-1, -1, "")
        for section in self.nav_sections:
            for name in section.url_names:
                if name.endswith("*") and url_name.startswith(name[:-1]):
                    best = max(best, (1, len(name), section.section))
            for prefix in section.modules:
                if module.startswith(prefix):
                    best = max(best, (0, len(prefix), section.section))
        if best[2]:
            return best[2]
        app = module.split(".", 1)[0]
        for link in self.header_links:
            if self._link_module(link.url_name).split(".", 1)[0] == app:
                return link.key
        return self.child_section if route.startswith("children/") else ""

    @staticmethod
    @functools.cache
    def _link_module(url_name: str) -> str:
        """The module of the view behind a url name (read once)."""
        return resolve(reverse(url_name)).func.__module__

    def add_work_links(self, *links: WorkLink) -> None:
        """Exact codes are matched before prefixes, whatever the order apps register in."""
        for link in links:
            if link not in self.work_links:
                self.work_links.append(link)
        self.work_links.sort(key=lambda link: link.code.endswith("."))

    def add_bulk_permission(self, name: str, bulk: Callable[[Any, list], set[int]]) -> None:
        """`bulk(user, children)` answers the named permission for every child in one go (same answers as
        `rules.has_perm(name, user, child)`, in a fixed number of queries)."""
        self.bulk_permissions[name] = bulk

    def add_my_work_section(self, name: str, section: Callable[..., Any]) -> None:
        """`section(user=..., today=...)` is shown on My work as the context value `name`."""
        self.my_work_sections[name] = section

    def add_waiting_work(self, provider: WaitingProvider) -> None:
        """`provider(user=None)` returns the steps waiting now (with `user`, only those waiting on them)."""
        if provider not in self.waiting_work:
            self.waiting_work.append(provider)

    def waiting_for(self, user=None) -> list[WaitingItem]:
        """Every step waiting now (on `user`, when given), oldest first, from every app that registered."""
        items = [item for provider in self.waiting_work for item in provider(user=user)]
        if user is not None:
            items = [item for item in items if user.pk in item.recipients]
        return sorted(items, key=lambda item: (item.since, item.key))

    def add_record_section(self, name: str, order: int, provider: RecordProvider) -> None:
        """`provider(child)` returns the app's `RecordSection` of the child's whole record (a SAR)."""
        self.record_sections[name] = (order, provider)

    def record_sections_for(self, child) -> list[tuple[str, RecordSection]]:
        """Every registered section of the child's record, as (name, section), in their order."""
        ordered = sorted(self.record_sections.items(), key=lambda item: (item[1][0], item[0]))
        return [(name, provider(child)) for name, (_, provider) in ordered]

    def work_link_for(self, code: str) -> WorkLink | None:
        """The registered place where the obligation with this code is done, if any."""
        return next((link for link in self.work_links if link.matches(code)), None)

    # Erasure (retention/, issue 19; UK GDPR Art. 5(1)(e), Art. 17). `provider(child_id=..., owned=...)`
    # runs after the Child row and all that cascades from it are deleted, in the same transaction; `owned`
    # maps each model to the pks the deletion removed or detached (SET_NULL). It deletes the app's rows
    # about the child that the cascade cannot reach (history rows, which have no foreign key constraint;
    # rows only detached) and returns how many it deleted.
    erasure: list[Callable[..., int]] = field(default_factory=list)

    def add_erasure(self, provider: Callable[..., int]) -> None:
        """Register an app's erasure provider (above); retention/ runs every one in the erasure."""
        if provider not in self.erasure:
            self.erasure.append(provider)


registry = Registry()
