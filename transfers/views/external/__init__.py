"""Views for transfers into and out of the service (003 §12, App. A-B), one module each: `transfer_in`,
`caretaking`, `host_contacts` and `transfer_out`."""
