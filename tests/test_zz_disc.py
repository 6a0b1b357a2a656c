import time
import time_machine
from django.test import Client
from django.urls import reverse
from tests.test_fuzz import NOW, patterns, kwargs_for, SKIPPED_PREFIXES, page_forms, world  # noqa
import pytest

pytestmark = pytest.mark.django_db
WANT = {
    "event_correct",
    "discussion_edit",
    "discussion_actions",
    "co_allocation_end",
    "internal_transfer_allocate",
    "internal_transfer_escalation",
    "meeting_finalise",
    "meeting_send_minutes",
    "closure_check_review",
    "assessment_edit",
    "assessment_request_sign_off",
    "discussion_record",
    "discussion_delete",
    "meeting_send_mappa",
    "leave_detail",
    "internal_transfer_detail",
    "meeting_compliance_report",
    "supervision_prepare",
}


def test_d(world):
    c = Client(raise_request_exception=False)
    with time_machine.travel(NOW, tick=False):
        t = time.time()
        n = 0
        for route, p in patterns():
            if p.name not in WANT:
                continue
            kws = kwargs_for(p.name, route)
            res = []
            for kw, users in kws:
                path = reverse(p.name, kwargs=kw)
                for u in users:
                    c.force_login(u)
                    r = c.get(path)
                    n += 1
                    forms = (
                        [f.action for f in page_forms(path, r.content.decode())]
                        if r.status_code == 200
                        else []
                    )
                    res.append((path, u.username, r.status_code, forms[:3]))
            print(p.name, len(kws), res[:6])
        print("gets", n, time.time() - t)
