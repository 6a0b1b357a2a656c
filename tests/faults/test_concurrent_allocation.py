"""Issue 16: two managers allocating the same child at the same moment, for real, on PostgreSQL (the
tests' own cluster). The child's row is locked before the current allocation is read, so the second
waits for the first and then replaces it: one open allocation, and each is told what actually
happened ("Allocated to" the first, "Reallocated from" the first "to" the second)."""

import json

import pytest

from .test_sweep_faults import _python

pytestmark = pytest.mark.slow

RACE = """
import datetime, json, threading, time
from django.db import connection, transaction
from cases.models import Allocation, Child, Event, Gender, RiskLevel, Role
from cases.services.allocation import case_allocate
from demo.factories import ChildFactory, TeamFactory, UserFactory

team = TeamFactory(name="Race team")
managers = [UserFactory(username=f"race-tm-{n}", role=Role.TEAM_MANAGER, team=team) for n in (1, 2)]
workers = [UserFactory(username=f"race-cm-{n}", role=Role.CASE_MANAGER, team=team, gender=Gender.MALE)
           for n in (1, 2)]
# A low-risk boy: no policy check asks either manager for a rationale.
child = ChildFactory(team=team, case_manager=None, gender_identity=Gender.MALE, rosh=RiskLevel.LOW,
                     saw=RiskLevel.LOW, lor=RiskLevel.LOW)
start = threading.Barrier(2)
told = {}

def allocate(n):
    try:
        with transaction.atomic():
            start.wait()
            allocation = case_allocate(child=Child.objects.get(pk=child.pk), worker=workers[n], role="case_manager",
                                       started_on=datetime.date(2026, 12, 4), allocated_by=managers[n])
            time.sleep(0.5)  # hold the child's row: the other manager's allocation must wait for this one
            told[n] = {"worker": workers[n].username, "replaced": getattr(allocation.replaced_worker, "username", None),
                       "at": time.monotonic()}
    finally:
        connection.close()

threads = [threading.Thread(target=allocate, args=(n,)) for n in (0, 1)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(json.dumps({
    "told": told,
    "open": list(Allocation.objects.filter(child=child, role="case_manager", ended_on__isnull=True)
                 .values_list("worker__username", flat=True)),
    "holder": Child.objects.get(pk=child.pk).case_manager.username,
    "timeline": sorted(Event.objects.filter(child=child, event_type="allocation").values_list("summary", flat=True)),
}))
"""


def test_two_managers_allocating_at_once_leave_one_allocation_and_the_truth(private_postgres):
    """Both started together: the first committed is "Allocated to" its worker; the second waited for
    it, replaced it and says so; one open allocation, held by the second's worker."""
    url = private_postgres.create_database("faults_allocation")
    _python(
        "from django.core.management import call_command\ncall_command('migrate', verbosity=0)",
        DATABASE_URL=url,
    )
    result = json.loads(_python(RACE, DATABASE_URL=url).strip().splitlines()[-1])
    told = result["told"]
    assert len(told) == 2, result  # neither was refused or failed
    first, second = sorted(told.values(), key=lambda t: t["at"])
    assert first["replaced"] is None and second["replaced"] == first["worker"]
    assert result["open"] == [second["worker"]] and result["holder"] == second["worker"]
    names = {
        t["worker"]: private_postgres.execute(
            f"SELECT first_name || ' ' || last_name FROM cases_user WHERE username = '{t['worker']}'",
            database="faults_allocation",
        )[0][0]
        for t in told.values()
    }
    first_name, second_name = names[first["worker"]], names[second["worker"]]
    assert result["timeline"] == sorted(
        [
            f"Allocated to {first_name} as case manager",
            f"Reallocated from {first_name} to {second_name} as case manager",
        ]
    ), result["timeline"]
