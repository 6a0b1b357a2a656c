"""Issue 18: an administrator without child data, and changes to staff access made by two people.

The administration never renders a child (every admin page is fetched and searched for every child's
name and case number); nobody grants a role alone; every change of role, team, line manager or sign-in
is audited; staff are deactivated, never deleted."""

import pytest
from django.urls import reverse

from cases.models import Role, StaffChange, User
from cases.services import staff as services
from core.models import AuditEntry
from demo.factories import ChildFactory, UserFactory
from transfers.models import InternalTransfer

pytestmark = pytest.mark.django_db


def ask(client, **data):
    """Post the Staff access form."""
    return client.post(
        reverse("staff_changes"), {"role": "", "team": "", "line_manager": "", "active": "", **data}
    )


class TestTwoPeople:
    def test_a_role_change_waits_for_a_second_person_then_is_made_and_audited(
        self, client, case_manager, service_manager, administrator
    ):
        """The administrator asks; the service manager approves; the audit log says what changed."""
        client.force_login(administrator)
        response = ask(client, user=case_manager.pk, role=Role.TEAM_MANAGER)
        assert response.status_code == 302
        change = StaffChange.objects.get()
        case_manager.refresh_from_db()
        assert change.status == StaffChange.Status.PENDING and case_manager.role == Role.CASE_MANAGER
        client.force_login(service_manager)
        page = client.get(reverse("staff_changes")).content.decode()
        assert "Approve" in page and str(case_manager) in page
        client.post(reverse("staff_change_decide", args=[change.pk]), {"decision": "approve"})
        case_manager.refresh_from_db()
        assert case_manager.role == Role.TEAM_MANAGER
        described = list(AuditEntry.objects.filter(object_type="user").values_list("description", flat=True))
        assert (
            f"Changed the access of {case_manager}: role from Case manager (Band A) to Team manager"
            in described
        )

    def test_nobody_approves_their_own_request(self, case_manager, service_manager):
        """The person who asked cannot be the second person."""
        change = services.staff_change_request(
            user=case_manager, requested_by=service_manager, role=Role.STUDENT
        )
        with pytest.raises(services.ValidationError, match="second person"):
            services.staff_change_decide(change=change, decided_by=service_manager, approve=True)
        case_manager.refresh_from_db()
        assert case_manager.role == Role.CASE_MANAGER

    def test_nobody_changes_their_own_access(self, client, administrator, service_manager):
        """The administrator cannot ask to make themselves service manager; nor approve a change to
        themselves that someone else asked for."""
        with pytest.raises(services.ValidationError, match="your own access"):
            services.staff_change_request(
                user=administrator, requested_by=administrator, role=Role.SERVICE_MANAGER
            )
        change = services.staff_change_request(
            user=administrator, requested_by=service_manager, role=Role.SERVICE_MANAGER
        )
        with pytest.raises(services.ValidationError, match="second person"):
            services.staff_change_decide(change=change, decided_by=administrator, approve=True)
        administrator.refresh_from_db()
        assert administrator.role == Role.ADMINISTRATOR
        client.force_login(administrator)
        assert client.get(reverse("child_detail", args=[ChildFactory().pk])).status_code == 404

    def test_only_the_service_manager_approves_a_managers_role(
        self, case_manager, service_manager, administrator
    ):
        """A second administrator may not approve making someone a manager: only the service manager."""
        other_admin = UserFactory(username="admin2", role=Role.ADMINISTRATOR, team=None, is_staff=True)
        change = services.staff_change_request(
            user=case_manager, requested_by=administrator, role=Role.ADVANCED_PRACTITIONER
        )
        with pytest.raises(services.ValidationError, match="Only the service manager"):
            services.staff_change_decide(change=change, decided_by=other_admin, approve=True)
        services.staff_change_decide(change=change, decided_by=service_manager, approve=True)
        case_manager.refresh_from_db()
        assert case_manager.role == Role.ADVANCED_PRACTITIONER

    def test_deactivation_and_team_are_changed_and_audited(
        self, case_manager, service_manager, administrator, south
    ):
        """A leaver is deactivated (they can no longer sign in), a mover changes team; both audited."""
        change = services.staff_change_request(
            user=case_manager, requested_by=administrator, is_active=False, change_team=True, team=south
        )
        services.staff_change_decide(change=change, decided_by=service_manager, approve=True)
        case_manager.refresh_from_db()
        assert not case_manager.is_active and case_manager.team == south
        (entry,) = AuditEntry.objects.filter(description__startswith=f"Changed the access of {case_manager}")
        assert "team from North" in entry.description and "active from yes to no" in entry.description

    def test_a_rejection_changes_nothing_and_is_audited(self, case_manager, service_manager, administrator):
        """Rejected: nothing changes, and the decision is in the audit log."""
        change = services.staff_change_request(
            user=case_manager, requested_by=administrator, role=Role.STUDENT
        )
        services.staff_change_decide(change=change, decided_by=service_manager, approve=False)
        case_manager.refresh_from_db()
        assert case_manager.role == Role.CASE_MANAGER
        assert AuditEntry.objects.filter(description__startswith="Rejected the change of access").exists()

    def test_everyone_else_gets_404(self, client, case_manager, team_manager):
        """Case managers and team managers neither see nor use Staff access."""
        for user in (case_manager, team_manager):
            client.force_login(user)
            assert client.get(reverse("staff_changes")).status_code == 404
            assert ask(client, user=user.pk, role=Role.SERVICE_MANAGER).status_code == 404
        assert not StaffChange.objects.exists()

    def test_all_errors_at_once(self, client, service_manager, case_manager):
        """Nothing chosen to change: the form says so, with the error summary."""
        client.force_login(service_manager)
        page = ask(client, user=case_manager.pk).content.decode()
        assert "govuk-error-summary" in page and "Choose what to change" in page


class TestAdministration:
    def test_no_admin_page_shows_a_child(
        self, client, administrator, case_manager, team_manager, north, south
    ):
        """Every admin page an administrator can open (lists, changes, history, add, the delete pages
        that are refused) is searched for every child's name and case number: none appears."""
        children = [ChildFactory(team=north, case_manager=case_manager) for _ in range(3)]
        InternalTransfer.objects.create(
            child=children[0],
            from_team=north,
            to_team=south,
            proposed_by=team_manager,
            proposed_on=children[0].date_of_birth.replace(year=2026),
        )
        AuditEntry.objects.create(user=case_manager, action="view", child=children[0], object_type="child",
                                  object_id=str(children[0].pk), description=f"Viewed {children[0].full_name}")  # fmt: skip
        client.force_login(administrator)
        urls = [
            "/admin/",
            "/admin/cases/",
            "/admin/cases/team/",
            "/admin/cases/user/",
            "/admin/cases/user/add/",
        ]
        for obj, name in ((north, "team"), (case_manager, "user"), (team_manager, "user")):
            base = f"/admin/cases/{name}/{obj.pk}"
            urls += [f"{base}/change/", f"{base}/history/", f"{base}/delete/"]
        secrets = (
            [c.case_number for c in children]
            + [c.last_name for c in children]
            + [c.first_name for c in children]
        )
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 302, 403), (url, response.status_code)
            body = response.content.decode()
            assert not [s for s in secrets if s in body], (url, [s for s in secrets if s in body])
        assert client.get(f"/admin/cases/team/{north.pk}/delete/").status_code == 403
        assert client.get(f"/admin/cases/user/{case_manager.pk}/delete/").status_code == 403
        assert client.get("/admin/core/auditentry/").status_code == 404

    def test_the_admin_cannot_change_a_role_or_grant_superuser(self, client, administrator, case_manager):
        """Access fields are read-only in the admin: a posted role or superuser flag changes nothing."""
        client.force_login(administrator)
        url = f"/admin/cases/user/{case_manager.pk}/change/"
        page = client.get(url).content.decode()
        assert "Staff access" in page and 'name="role"' not in page
        client.post(
            url,
            {
                "username": case_manager.username,
                "first_name": case_manager.first_name,
                "last_name": case_manager.last_name,
                "email": case_manager.email,
                "gender": case_manager.gender,
                "role": Role.SERVICE_MANAGER,
                "is_superuser": "on",
                "is_staff": "on",
                "date_joined_0": "2026-01-01",
                "date_joined_1": "09:00:00",
            },
        )
        case_manager.refresh_from_db()
        assert case_manager.role == Role.CASE_MANAGER and not case_manager.is_superuser
        assert not case_manager.is_staff

    def test_staff_are_never_deleted(self, case_manager):
        """Who acted is kept: a user with audit entries cannot be deleted from the database either."""
        AuditEntry.objects.create(
            user=case_manager, action="view", object_type="child", object_id="1", description="Viewed"
        )
        with pytest.raises(Exception, match="protected"):
            User.objects.filter(pk=case_manager.pk).delete()


def test_a_password_set_in_the_administration_is_audited(client, administrator, case_manager):
    """The admin's own password form still works, and the change is in the audit log."""
    client.force_login(administrator)
    response = client.post(
        f"/admin/cases/user/{case_manager.pk}/password/",
        {
            "password1": "a-Long-enough-passphrase-42",
            "password2": "a-Long-enough-passphrase-42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    case_manager.refresh_from_db()
    assert case_manager.check_password("a-Long-enough-passphrase-42")
    assert AuditEntry.objects.filter(
        description=f"Set the password of {case_manager} in the administration"
    ).exists()
