"""Who may import a service's records: the service manager only (issue 22); everyone else gets 404."""

import rules

from cases.permissions import service_manager

rules.add_perm("onboarding.import_service", service_manager)
