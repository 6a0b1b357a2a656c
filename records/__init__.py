"""Subject access requests (UK GDPR Art. 15): a child's whole record exported for release."""
