"""URLs for the child's record, caseload, audit log and policy timescales."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("caseload/", views.caseload, name="caseload"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("children/<int:pk>/details/", views.child_details, name="child_details"),
    path("children/<int:pk>/due/", views.child_obligations, name="child_obligations"),
    path("children/<int:pk>/events/new/", views.event_add, name="event_add"),
    path("children/<int:pk>/events/<int:event_pk>/correct/", views.event_correct, name="event_correct"),
    path("children/<int:pk>/events/<int:event_pk>/history/", views.event_history, name="event_history"),
    path("audit/", views.audit_log, name="audit_log"),
    path("policy-timescales/", views.policy_timescales, name="policy_timescales"),
]
