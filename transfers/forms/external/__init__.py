"""Forms for transfers into and out of the service (003 §12, App. A-B), one module each:
`transfer_in` (the Transfer In Summary), `transfer_in_decision` (the decision and the supervision
requirements), `caretaking` (the agreement, its review and end), `host_contacts`, and `transfer_out`
(the request and its progress)."""
