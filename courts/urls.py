"""URLs for courts."""

from django.urls import path

from .views import tracking

urlpatterns = [
    path("court/", tracking.court_home, name="court_home"),
    path("court/awaiting/new/", tracking.awaiting_hearing_new, name="awaiting_hearing_new"),
    path(
        "court/awaiting/<int:apk>/screen/", tracking.awaiting_hearing_screen, name="awaiting_hearing_screen"
    ),
    path("children/<int:pk>/court/", tracking.child_court, name="child_court"),
    path("children/<int:pk>/court/crown/new/", tracking.crown_court_new, name="crown_court_new"),
    path("children/<int:pk>/court/crown/<int:cpk>/", tracking.crown_court_detail, name="crown_court_detail"),
    path(
        "children/<int:pk>/court/crown/<int:cpk>/update/",
        tracking.crown_court_update,
        name="crown_court_update",
    ),
]
