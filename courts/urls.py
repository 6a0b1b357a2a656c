"""URLs for courts."""

from django.urls import path

from .views import crown_court, magistrates, overview

urlpatterns = [
    path("court/", overview.court_home, name="court_home"),
    path("court/awaiting/new/", magistrates.awaiting_hearing_new, name="awaiting_hearing_new"),
    path(
        "court/awaiting/<int:apk>/screen/",
        magistrates.awaiting_hearing_screen,
        name="awaiting_hearing_screen",
    ),
    path("children/<int:pk>/court/", overview.child_court, name="child_court"),
    path("children/<int:pk>/court/crown/new/", crown_court.crown_court_new, name="crown_court_new"),
    path(
        "children/<int:pk>/court/crown/<int:cpk>/",
        crown_court.crown_court_detail,
        name="crown_court_detail",
    ),
    path(
        "children/<int:pk>/court/crown/<int:cpk>/update/",
        crown_court.crown_court_update,
        name="crown_court_update",
    ),
]
