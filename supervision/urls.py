"""URLs for supervision: staff supervision under /supervision/, case oversight under the child."""

from django.urls import path

from .views import discussions, oocd, record, schedule, sessions

W = "supervision/staff/<int:wpk>/"
S = "supervision/sessions/<int:spk>/"
C = "children/<int:pk>/oversight/"

urlpatterns = [
    # Schedules, the chain report and preparing for supervision (views/schedule.py)
    path("supervision/", schedule.supervision_home, name="supervision_home"),
    path("supervision/chain/", schedule.supervision_chain, name="supervision_chain"),
    path("supervision/overdue/", schedule.supervision_overdue, name="supervision_overdue"),
    path(W + "prepare/", schedule.supervision_prepare, name="supervision_prepare"),
    # Records of Supervision (views/sessions.py)
    path(W, sessions.supervision_worker, name="supervision_worker"),
    path(W + "frequency/", sessions.supervision_frequency, name="supervision_frequency"),
    path(W + "record/", sessions.session_create, name="session_create"),
    path(S, sessions.session_detail, name="session_detail"),
    path(S + "edit/", record.session_edit, name="session_edit"),
    path(S + "finalise/", record.session_finalise, name="session_finalise"),
    path(S + "cancel/", sessions.session_cancel, name="session_cancel"),
    path(S + "record.pdf", sessions.session_pdf, name="session_pdf"),
    # Case discussions and oversight decisions on the child's file (views/discussions.py)
    path(C, discussions.child_oversight, name="child_oversight"),
    path(C + "discussions/new/", discussions.discussion_create, name="discussion_create"),
    path(C + "discussions/<int:dpk>/", discussions.discussion_detail, name="discussion_detail"),
    path(C + "discussions/<int:dpk>/edit/", discussions.discussion_edit, name="discussion_edit"),
    path(C + "discussions/<int:dpk>/actions/", discussions.discussion_actions, name="discussion_actions"),
    path(C + "discussions/<int:dpk>/record/", discussions.discussion_record, name="discussion_record"),
    path(C + "discussions/<int:dpk>/delete/", discussions.discussion_delete, name="discussion_delete"),
    path(C + "decisions/new/", discussions.decision_create, name="decision_create"),
    path(C + "decisions/<int:opk>/", discussions.decision_detail, name="decision_detail"),
    # Out-of-court and My Future oversight (views/oocd.py)
    path(C + "holder/", oocd.oversight_holder_set, name="oversight_holder_set"),
    path(C + "closure-check/", oocd.closure_check_request, name="closure_check_request"),
    path(C + "closure-check/<int:cpk>/", oocd.closure_check_review, name="closure_check_review"),
    path("supervision/closure-checks/", oocd.closure_checks_mine, name="closure_checks_mine"),
]
