"""Hostile query strings on every page (issue 18: "every form and query filter"): never a 500.

Every GET page outside the admin and the sign-in pages whose only argument (if any) is a child is
opened by a case manager and the service manager (between them every page that is not a manager's
alone; the team dashboard's filters are the service manager's too) with every query parameter any view
reads (`PARAMS`) set at once to each hostile value in turn (the form fuzz test's `HOSTILE` list), then
with every parameter repeated (a list where one value is expected) and with an unsafe `next`.
Deterministic and quick: the pages' own records come from the shared fixtures.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from demo.factories import ProgrammeFactory

from .test_fuzz import HOSTILE

# Every query parameter a view or a GET form reads (grep request.GET and the filter forms' fields).
PARAMS = [
    "page", "q", "scope", "risk", "show", "tab", "team", "code", "kind", "obligation", "type", "status",
    "worker", "session", "decision", "outcome", "part", "download", "csc", "next", "from", "to",
    "trend_team", "trend_code", "user", "case_number", "unallocated_page", "cmm_page", "sign_off_page",
    "overdue_page", "quarter", "format", "date", "before", "after",
]  # fmt: skip
SKIP = ("admin:", "login", "logout", "password_reset_confirm", "healthz", "readyz")
UNSAFE_NEXT = [
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "\\\\evil",
    "/ok\r\nSet-Cookie: x=1",
]


def _patterns(resolver=None, prefix=""):
    """(name, route, argument names) of every URL pattern."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            namespace = f"{p.namespace}:" if p.namespace else ""
            for name, route, args in _patterns(p, prefix + str(p.pattern)):
                yield (namespace + name if name else name), route, args
        elif isinstance(p, URLPattern) and p.name:
            yield p.name, prefix + str(p.pattern), tuple(p.pattern.regex.groupindex)


def _pages(child) -> list[str]:
    """Every page with no argument, or only a child's."""
    urls = []
    for name, route, args in _patterns():
        if name.startswith(SKIP) or name in SKIP:
            continue
        if not args:
            urls.append(reverse(name))
        elif args == ("pk",) and route.startswith("children/"):
            urls.append(reverse(name, args=[child.pk]))
    return sorted(set(urls))


@pytest.mark.django_db
def test_hostile_query_strings_never_500(case_manager, service_manager, child):
    """No page answers 500 to any hostile value in any filter, to repeated keys or to an unsafe next."""
    ProgrammeFactory(child=child)
    pages = _pages(child)
    assert len(pages) > 50, pages  # the URLconf, not a handful
    queries = [urlencode({name: value for name in PARAMS}) for value in HOSTILE]
    queries.append(urlencode([(name, value) for name in PARAMS for value in ("1", "2")]))
    queries += [urlencode({"next": value}) for value in UNSAFE_NEXT]
    failures, requests = [], 0
    for user in (case_manager, service_manager):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in pages:
            for query in queries:
                response = client.get(f"{url}?{query}")
                requests += 1
                if response.status_code >= 500:
                    failures.append(f"{user.username} GET {url}?{query[:80]}: {response.status_code}")
    assert requests > 1000
    assert not failures, f"{len(failures)} of {requests}:\n" + "\n".join(failures[:20])
