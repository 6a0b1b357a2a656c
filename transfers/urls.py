"""URLs for transfers."""

from django.urls import path

from .views import internal
from .views.external import caretaking, host_contacts, transfer_in, transfer_out

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
    path("transfers/in/", transfer_in.transfer_in_list, name="transfer_in_list"),
    path("transfers/in/new/", transfer_in.transfer_in_new, name="transfer_in_new"),
    path("transfers/in/<int:ipk>/", transfer_in.transfer_in_detail, name="transfer_in_detail"),
    path("transfers/in/<int:ipk>/decide/", transfer_in.transfer_in_decide, name="transfer_in_decide"),
    path(
        "transfers/in/<int:ipk>/requirements/",
        transfer_in.transfer_in_requirements,
        name="transfer_in_requirements",
    ),
    path("children/<int:pk>/caretaking/new/", caretaking.caretaking_new, name="caretaking_new"),
    path(
        "children/<int:pk>/caretaking/review/",
        caretaking.caretaking_review_current,
        name="caretaking_review_current",
    ),
    path("children/<int:pk>/caretaking/<int:apk>/", caretaking.caretaking_detail, name="caretaking_detail"),
    path(
        "children/<int:pk>/caretaking/<int:apk>/review/",
        caretaking.caretaking_review,
        name="caretaking_review",
    ),
    path("children/<int:pk>/caretaking/<int:apk>/end/", caretaking.caretaking_end, name="caretaking_end"),
    path("children/<int:pk>/host-contacts/new/", host_contacts.host_contact_new, name="host_contact_new"),
    path("children/<int:pk>/transfers/out/new/", transfer_out.transfer_out_new, name="transfer_out_new"),
    path(
        "children/<int:pk>/transfers/out/<int:opk>/",
        transfer_out.transfer_out_detail,
        name="transfer_out_detail",
    ),
    path(
        "children/<int:pk>/transfers/out/<int:opk>/update/",
        transfer_out.transfer_out_update,
        name="transfer_out_update",
    ),
]
