"""Booking and preparing meetings, one module per page group: the child's Meetings tab, booking,
cancelling and "Meetings" in the top navigation (book); invitations, participation and the compliance
report (preparation); the further offences and bail applications that call a CMM (triggers). Thin
views: access checks, a form, a service call."""
