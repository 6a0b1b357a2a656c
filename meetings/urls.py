"""URLs for meetings: every page sits under the child it belongs to, so access follows the child."""

from django.urls import path

from .views import booking, documents, record

M = "children/<int:pk>/meetings/<int:mpk>/"

urlpatterns = [
    path("meetings/", booking.meetings_mine, name="meetings_mine"),
    path("children/<int:pk>/meetings/", booking.meeting_list, name="meeting_list"),
    path("children/<int:pk>/meetings/book/", booking.meeting_book, name="meeting_book"),
    path("children/<int:pk>/further-offence/", booking.further_offence_add, name="further_offence_add"),
    path("children/<int:pk>/bail-application/", booking.bail_application_add, name="bail_application_add"),
    path(M + "invitations/", booking.meeting_invitations, name="meeting_invitations"),
    path(M + "participation/", booking.meeting_participation, name="meeting_participation"),
    path(M + "compliance-report/", booking.meeting_compliance_report, name="meeting_compliance_report"),
    path(M + "cancel/", booking.meeting_cancel, name="meeting_cancel"),
    path(M, record.meeting_detail, name="meeting_detail"),
    path(M + "held/", record.meeting_held, name="meeting_held"),
    path(M + "record/<slug:section>/", record.meeting_section, name="meeting_section"),
    path(M + "actions/", record.meeting_actions, name="meeting_actions"),
    path(M + "finalise/", record.meeting_finalise, name="meeting_finalise"),
    path("tasks/<int:tpk>/complete/", record.task_complete, name="task_complete"),
    path(M + "record.pdf", documents.meeting_pdf, name="meeting_pdf"),
    path(M + "send-minutes/", documents.meeting_send_minutes, name="meeting_send_minutes"),
    path(M + "send-to-mappa-unit/", documents.meeting_send_mappa, name="meeting_send_mappa"),
]
