"""URLs for notifications."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_mark_all_read, name="notifications_mark_all_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("emails/", views.email_list, name="emails"),
    path("emails/<int:pk>/retry/", views.email_retry, name="email_retry"),
]
