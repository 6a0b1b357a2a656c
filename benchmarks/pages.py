"""Each role's main pages, as benchmarks/growth.py renders them and benchmarks/load.py goes round them.
"{child}" is a child the member of staff holds (or, for a manager, one in their team)."""

ROUTES = {
    "cm.north.1": [
        "/my-work/",
        "/caseload/",
        "/children/{child}/",
        "/children/{child}/due/",
        "/notifications/",
        "/meetings/",
    ],
    "tm.north": [
        "/dashboards/team/",
        "/caseload/",
        "/meetings/",
        "/supervision/",
        "/children/{child}/",
        "/transfers/",
    ],
    "sm": [
        "/dashboards/compliance/",
        "/dashboards/compliance/figures.xlsx",
        "/caseload/",
        "/audit/",
        "/retention/",
        "/notifications/",
    ],
}
ROLES = {"cm.north.1": "case manager", "tm.north": "team manager", "sm": "service manager"}


def child_for(user) -> int:
    """A child the user may open: one they hold, else one in their team."""
    from django.db.models import Q

    from cases.models import Child

    pk = (
        Child.objects.filter(Q(case_manager=user) | Q(team=user.team_id), is_open=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return pk or 0
