"""The one access predicate: lists and detail pages agree on who may see which child."""

import pytest
from django.http import Http404

from cases import selectors
from cases.models import Role, Team
from demo.factories import ChildFactory, TeamFactory, UserFactory


@pytest.mark.django_db
class TestChildAccess:
    def test_case_manager_sees_own_team_and_allocated(self, case_manager, child, south):
        """A case manager sees their team's children and children allocated to them in other teams."""
        elsewhere = ChildFactory(team=south, case_manager=case_manager)
        hidden = ChildFactory(team=south)
        visible = set(selectors.children_for_user(user=case_manager))
        assert visible == {child, elsewhere}
        assert hidden not in visible

    def test_co_allocated_worker_sees_child(self, child):
        """An intervention worker co-allocated to a child sees that child and no other (003 §5)."""
        interventions = TeamFactory(name="Interventions team", kind=Team.Kind.INTERVENTIONS)
        worker = UserFactory(role=Role.INTERVENTION_WORKER, team=interventions)
        other = ChildFactory(team=child.team)
        child.co_workers.add(worker)
        assert list(selectors.children_for_user(user=worker)) == [child]
        assert selectors.child_get_for_user(user=worker, pk=child.pk) == child
        with pytest.raises(Http404):
            selectors.child_get_for_user(user=worker, pk=other.pk)

    def test_outsider_gets_404(self, outsider, child):
        """Someone in another team cannot fetch the child: 404, not 403."""
        with pytest.raises(Http404):
            selectors.child_get_for_user(user=outsider, pk=child.pk)

    def test_service_manager_sees_everyone(self, service_manager, child, south):
        """The service manager sees every child in every team."""
        other = ChildFactory(team=south)
        assert set(selectors.children_for_user(user=service_manager)) == {child, other}

    def test_administrator_sees_no_children(self, administrator, child):
        """Administrators run the system, not cases: no child records."""
        assert not selectors.children_for_user(user=administrator).exists()

    def test_team_manager_sees_team_only(self, team_manager, child, south):
        """A team manager sees their team, not another team's children."""
        other = ChildFactory(team=south)
        visible = set(selectors.children_for_user(user=team_manager))
        assert child in visible and other not in visible

    def test_no_duplicates_when_allocated_and_co_allocated(self, case_manager, child):
        """Matching several ways (team, allocation, co-allocation) still lists a child once."""
        child.co_workers.add(case_manager)
        assert list(selectors.children_for_user(user=case_manager)).count(child) == 1

    def test_bad_pk_is_404(self, case_manager):
        """A pk that is not a number is simply not found."""
        with pytest.raises(Http404):
            selectors.child_get_for_user(user=case_manager, pk="abc")


@pytest.mark.django_db
class TestCaseload:
    def test_mine_lists_held_children_only(self, case_manager, colleague, child):
        """'Children I hold' leaves out a colleague's children in the same team."""
        theirs = ChildFactory(team=child.team, case_manager=colleague)
        mine = list(selectors.caseload_for_worker(user=case_manager, scope="mine"))
        assert mine == [child]
        team = list(selectors.caseload_for_worker(user=case_manager, scope="team"))
        assert set(team) == {child, theirs}

    def test_filters(self, case_manager, child):
        """Search by name or case number, and filter by RoSH or SaW level."""
        ChildFactory(team=child.team, case_manager=case_manager, first_name="Sam", rosh="low", saw="low")
        child.rosh = "very_high"
        child.save()
        assert list(selectors.caseload_for_worker(user=case_manager, query="testchild")) == [child]
        assert list(selectors.caseload_for_worker(user=case_manager, query=child.case_number)) == [child]
        assert list(selectors.caseload_for_worker(user=case_manager, risk="very_high")) == [child]
