"""URLs for meetings: every page sits under the child it belongs to, so access follows the child."""

from django.urls import path

from .views import documents
from .views.booking import book, preparation, triggers
from .views.record import actions, detail, finalise, sections, whole

M = "children/<int:pk>/meetings/<int:mpk>/"

urlpatterns = [
    path("meetings/", book.meetings_mine, name="meetings_mine"),
    path("children/<int:pk>/meetings/", book.meeting_list, name="meeting_list"),
    path("children/<int:pk>/meetings/book/", book.meeting_book, name="meeting_book"),
    path("children/<int:pk>/further-offence/", triggers.further_offence_add, name="further_offence_add"),
    path("children/<int:pk>/bail-application/", triggers.bail_application_add, name="bail_application_add"),
    path(M + "invitations/", preparation.meeting_invitations, name="meeting_invitations"),
    path(M + "participation/", preparation.meeting_participation, name="meeting_participation"),
    path(M + "compliance-report/", preparation.meeting_compliance_report, name="meeting_compliance_report"),
    path(M + "cancel/", book.meeting_cancel, name="meeting_cancel"),
    path(M, detail.meeting_detail, name="meeting_detail"),
    path(M + "held/", sections.meeting_held, name="meeting_held"),
    path(M + "record/", whole.meeting_record, name="meeting_record"),
    path(M + "record/<slug:section>/", sections.meeting_section, name="meeting_section"),
    path(M + "actions/", actions.meeting_actions, name="meeting_actions"),
    path(M + "finalise/", finalise.meeting_finalise, name="meeting_finalise"),
    path("tasks/<int:tpk>/complete/", actions.task_complete, name="task_complete"),
    path(M + "record.pdf", documents.meeting_pdf, name="meeting_pdf"),
    path(M + "send-minutes/", documents.meeting_send_minutes, name="meeting_send_minutes"),
    path(M + "send-to-mappa-unit/", documents.meeting_send_mappa, name="meeting_send_mappa"),
]
