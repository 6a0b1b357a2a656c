"""Thin views for the cases app; one module per area, routed in cases/urls.py."""
