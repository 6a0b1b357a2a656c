"""The service manager's compliance dashboard: reads (figures, trend, drill-down, caseload profile,
overdue supervisions), the period form and the CSV/XLSX/JSON exports the dashboard and the
`compliance_report` command share.

- figures.py: `compliance_figures` (the one place the arithmetic is done), `compliance_trend`,
  `drilldown_obligations`, `default_period`
- profile.py: `caseload_profile`, `overdue_supervisions`
- exports.py: `report_csv`, `report_xlsx`, `report_json`
- forms.py: `PeriodForm` (dashboard and exports), `DrilldownForm`
"""
