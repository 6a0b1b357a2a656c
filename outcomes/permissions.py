"""Named permissions of the KPI facts (django-rules), registered when the app is ready.

A child's circumstances are seen by whoever may see the child and recorded by whoever does case work on
them (the cases access helper decides the child; `cases.do_case_work` the writing). The management board
is the service manager's to record; team managers and advanced practitioners may read it (they answer to
the board for their teams' figures)."""

import rules

from cases.permissions import case_worker, manager_or_service_manager, service_manager

rules.add_perm("outcomes.view_circumstances", case_worker)
rules.add_perm("outcomes.view_board", manager_or_service_manager)
rules.add_perm("outcomes.record_board", service_manager)
