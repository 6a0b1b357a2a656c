"""Forms to book and prepare meetings, one module per page: booking and cancelling (book), invitations
and replies (invitations), the child's participation and the compliance report (preparation), and the
further offences and bail applications that call a CMM (triggers)."""
