"""Reads behind the KPI page, its exports, the `kpi_report` command and the quarterly return (issue 21).

- quarters.py: `Quarter` (`2026Q3` is July to September 2026; the YJB's financial-year label beside it)
- facts.py: `kpi_facts`, every fact dated in a span, in a fixed number of queries
- figures.py: `kpi_figures` (the one place the arithmetic is done), `kpi_trend`
- calcs.py: the snapshot measures (KPI 1-5 and 8), one function of `Snapshot.values` per measure code
- returns.py: `return_rows` (one row per child per intervention), `data_quality`
"""
