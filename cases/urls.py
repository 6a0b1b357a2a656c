"""URLs for the cases app: the record basics here, each area's routes in its views module."""

from django.urls import path

from .views import allocation, assessments, core, leave, mywork, plans_contacts, programmes, requests, staff

urlpatterns = [
    path("", mywork.home, name="home"),
    path("caseload/", core.caseload, name="caseload"),
    path("children/<int:pk>/", core.child_detail, name="child_detail"),
    path("children/<int:pk>/details/", core.child_details, name="child_details"),
    path("children/<int:pk>/due/", core.child_obligations, name="child_obligations"),
    path("children/<int:pk>/events/new/", core.event_add, name="event_add"),
    path("children/<int:pk>/ask-a-manager/", requests.ask_manager, name="ask_manager"),
    path("children/<int:pk>/events/<int:event_pk>/correct/", core.event_correct, name="event_correct"),
    path("children/<int:pk>/events/<int:event_pk>/history/", core.event_history, name="event_history"),
    path("audit/", core.audit_log, name="audit_log"),
    path("policy-timescales/", core.policy_timescales, name="policy_timescales"),
    *mywork.urlpatterns,
    *programmes.urlpatterns,
    *assessments.urlpatterns,
    *plans_contacts.urlpatterns,
    *allocation.urlpatterns,
    *leave.urlpatterns,
    *staff.urlpatterns,
]
