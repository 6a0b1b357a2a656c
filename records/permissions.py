"""The named permission of subject access exports (django-rules; ADR 0008): the service manager only.
Everyone else, the administrator included, gets 404 on every page of it."""

import rules

from cases.permissions import service_manager

rules.add_perm("records.export_subject_access", service_manager)
