"""URLs for transfers."""

from django.urls import path

from .views import external, internal

urlpatterns = [
    path("transfers/", internal.transfers_home, name="transfers_home"),
    path("children/<int:pk>/transfers/", internal.child_transfers, name="child_transfers"),
    path(
        "children/<int:pk>/transfers/internal/new/",
        internal.internal_transfer_propose,
        name="internal_transfer_propose",
    ),
    path(
        "children/<int:pk>/transfers/internal/<int:tpk>/",
        internal.internal_transfer_detail,
        name="internal_transfer_detail",
    ),
    path(
        "children/<int:pk>/transfers/internal/<int:tpk>/decide/",
        internal.internal_transfer_decide,
        name="internal_transfer_decide",
    ),
    path(
        "children/<int:pk>/transfers/internal/<int:tpk>/escalation/",
        internal.internal_transfer_escalation,
        name="internal_transfer_escalation",
    ),
    path(
        "children/<int:pk>/transfers/internal/<int:tpk>/mappa/",
        internal.internal_transfer_mappa,
        name="internal_transfer_mappa",
    ),
    path(
        "children/<int:pk>/transfers/internal/<int:tpk>/allocate/",
        internal.internal_transfer_allocate,
        name="internal_transfer_allocate",
    ),
    path(
        "children/<int:pk>/transfers/internal/<int:tpk>/meeting/",
        internal.internal_transfer_meeting,
        name="internal_transfer_meeting",
    ),
    path(
        "children/<int:pk>/transfers/internal/<int:tpk>/withdraw/",
        internal.internal_transfer_withdraw,
        name="internal_transfer_withdraw",
    ),
    path("transfers/in/", external.transfer_in_list, name="transfer_in_list"),
    path("transfers/in/new/", external.transfer_in_new, name="transfer_in_new"),
    path("transfers/in/<int:ipk>/", external.transfer_in_detail, name="transfer_in_detail"),
    path("transfers/in/<int:ipk>/decide/", external.transfer_in_decide, name="transfer_in_decide"),
    path(
        "transfers/in/<int:ipk>/requirements/",
        external.transfer_in_requirements,
        name="transfer_in_requirements",
    ),
    path("children/<int:pk>/caretaking/new/", external.caretaking_new, name="caretaking_new"),
    path("children/<int:pk>/caretaking/<int:apk>/", external.caretaking_detail, name="caretaking_detail"),
    path(
        "children/<int:pk>/caretaking/<int:apk>/review/", external.caretaking_review, name="caretaking_review"
    ),
    path("children/<int:pk>/caretaking/<int:apk>/end/", external.caretaking_end, name="caretaking_end"),
    path("children/<int:pk>/host-contacts/new/", external.host_contact_new, name="host_contact_new"),
    path("children/<int:pk>/transfers/out/new/", external.transfer_out_new, name="transfer_out_new"),
    path(
        "children/<int:pk>/transfers/out/<int:opk>/", external.transfer_out_detail, name="transfer_out_detail"
    ),
    path(
        "children/<int:pk>/transfers/out/<int:opk>/update/",
        external.transfer_out_update,
        name="transfer_out_update",
    ),
]
