"""URLs for the KPI facts: the child's Circumstances tab (one add and one change page per kind of record)
and the management board."""

from django.urls import path

from . import views
from .kinds import KINDS

urlpatterns = [
    path("children/<int:pk>/circumstances/", views.child_circumstances, name="child_circumstances"),
    path("board/", views.board_list, name="board_list"),
    path("board/new/", views.board_new, name="board_new"),
    path("board/<int:mpk>/", views.board_change, name="board_change"),
]
for slug in KINDS:
    name = slug.replace("-", "_")
    urlpatterns += [
        path(
            f"children/<int:pk>/circumstances/{slug}/new/",
            views.record_add,
            {"kind": slug},
            name=f"{name}_add",
        ),
        path(
            f"children/<int:pk>/circumstances/{slug}/<int:rpk>/",
            views.record_change,
            {"kind": slug},
            name=f"{name}_change",
        ),
    ]
