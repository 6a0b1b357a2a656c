"""The tamper-evident audit log (issue 18): sealed into a keyed hash chain; `audit_verify` names the
first altered, deleted or inserted entry, and a deleted tail."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.audit import audit_record
from core.audit_chain import audit_seal, audit_verify
from core.models import AuditChain, AuditEntry
from demo.factories import ChildFactory

pytestmark = pytest.mark.django_db
LATER = datetime.timedelta(minutes=10)


def entries(user, child, n=5) -> list[AuditEntry]:
    """n entries about the child, as pages write them."""
    return [
        audit_record(
            user=user, action=AuditEntry.Action.VIEW, obj=child, child=child, description=f"Viewed page {i}"
        )
        for i in range(n)
    ]


def sealed(user, child, n=5) -> list[AuditEntry]:
    """n entries, sealed into the chain."""
    written = entries(user, child, n)
    assert audit_seal(now=timezone.now() + LATER) == n
    return written


def test_an_untouched_chain_verifies_and_the_page_says_when(client, case_manager, service_manager, child):
    """Sealed entries verify; the result is kept and shown on the audit log page."""
    sealed(case_manager, child)
    result = audit_verify()
    assert result.ok and result.entries == 5
    head = AuditChain.objects.get()
    assert head.verified_ok and head.verified_entries == 5
    client.force_login(service_manager)
    page = client.get("/audit/").content.decode()
    assert "last verified" in page and "5 entries" in page and "intact" in page


def test_only_entries_older_than_the_margin_are_sealed(case_manager, child):
    """A transaction still open may hold an earlier id: entries are sealed five minutes on."""
    entries(case_manager, child, 2)
    assert audit_seal() == 0
    assert audit_seal(now=timezone.now() + LATER) == 2
    assert audit_seal(now=timezone.now() + LATER) == 0  # idempotent


def test_an_altered_entry_is_named(case_manager, child):
    """A description changed after sealing breaks the chain at that entry."""
    written = sealed(case_manager, child)
    AuditEntry.objects.filter(pk=written[2].pk).update(description="Viewed nothing")
    result = audit_verify()
    assert result.broken_at == written[2].pk and "altered" in result.problem


def test_a_reassigned_child_is_named(case_manager, child, north):
    """Pointing an entry at another child is an alteration too."""
    other = ChildFactory(team=north)
    written = sealed(case_manager, child)
    AuditEntry.objects.filter(pk=written[1].pk).update(child=other)
    assert audit_verify().broken_at == written[1].pk


def test_a_deleted_entry_is_named_by_the_one_after_it(case_manager, child):
    """Deleting an entry breaks the link of the entry that followed it."""
    written = sealed(case_manager, child)
    AuditEntry.objects.filter(pk=written[2].pk).delete()
    result = audit_verify()
    assert result.broken_at == written[3].pk and "deleted or inserted" in result.problem


def test_an_inserted_entry_is_named(case_manager, child):
    """An entry slipped in among sealed ones (here into the gap a rolled-back write left) is not in
    the chain; one given a made-up hash does not verify either."""
    written = entries(case_manager, child, 4)
    gap = written[1].pk
    AuditEntry.objects.filter(pk=gap).delete()  # a write that rolled back leaves a gap in the ids
    audit_seal(now=timezone.now() + LATER)
    assert audit_verify().ok
    forged = AuditEntry.objects.create(
        pk=gap,
        user=case_manager,
        action="view",
        object_type="child",
        object_id=str(child.pk),
        description="Viewed",
    )
    result = audit_verify()
    assert result.broken_at == gap and "not in the chain" in result.problem
    before = AuditEntry.objects.get(pk=written[0].pk).entry_hash
    AuditEntry.objects.filter(pk=forged.pk).update(prev_hash=before, entry_hash="0" * 64)
    result = audit_verify()
    assert result.broken_at == gap and "forged hash" in result.problem


def test_a_deleted_tail_is_detected(case_manager, child):
    """The newest sealed entries deleted: the head still names the last one sealed."""
    written = sealed(case_manager, child)
    AuditEntry.objects.filter(pk__gte=written[3].pk).delete()
    result = audit_verify()
    assert not result.ok and "latest sealed entries were deleted" in result.problem


def test_who_acted_is_kept_with_their_name_then(case_manager, child):
    """The entry names the user as they were named when they acted, even after a change of name."""
    (entry,) = entries(case_manager, child, 1)
    name = entry.user_name
    case_manager.last_name = "Renamed"
    case_manager.save()
    entry.refresh_from_db()
    assert entry.user_name == name and "Renamed" not in name


def test_the_command_exits_1_naming_the_break(case_manager, child, capsys):
    """`manage.py audit_verify --seal` seals, verifies, and fails naming the first broken entry."""
    written = entries(case_manager, child, 3)
    AuditEntry.objects.filter(pk__in=[e.pk for e in written]).update(at=timezone.now() - LATER)
    call_command("audit_verify", "--seal")
    assert "The audit chain holds: 3 entries verified." in capsys.readouterr().out
    AuditEntry.objects.filter(pk=written[0].pk).update(path="/elsewhere/")
    with pytest.raises(CommandError, match=f"Entry {written[0].pk} was altered") as error:
        call_command("audit_verify")
    assert error.value.returncode == 1


def test_list_pages_are_audited_without_copying_a_search(client, case_manager, child):
    """The caseload is audited with how many children it showed and the filters, never the words
    searched for (they may be a child's name)."""
    client.force_login(case_manager)
    assert client.get("/caseload/", {"q": child.last_name, "scope": "mine"}).status_code == 200
    entry = AuditEntry.objects.filter(object_type="list").latest("pk")
    assert entry.description.startswith("Listed caseload: 1 shown") and "search used" in entry.description
    assert child.last_name not in entry.description and entry.user_name
