"""``python manage.py kpi_report --quarter 2026Q3 [--format json|csv]``.

The YJB's ten KPIs for a quarter (`2026Q3` is July to September 2026; the YJB's financial-year name for
it, 2026/27 Q2, is in the output): each measure's numerator, denominator and percentage, start and end,
for all children, by team and by programme type. The same selector and writers as the KPI page's
exports, so the CSV is byte-identical to the page's. Bad input (a missing or malformed quarter, an
unknown format or option): one line on stderr and exit 2.
"""

import json
import sys
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandParser

from kpis.exports import figures_csv, figures_json
from kpis.selectors.figures import kpi_figures
from kpis.selectors.quarters import BadQuarter, Quarter

EXIT_BAD_INPUT = 2
FORMATS = ("json", "csv")


class OneLineErrorParser(CommandParser):
    """argparse's own errors (an option without its value, an unknown option): one line, exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(" ".join(message.split()) + "\n")
        raise SystemExit(EXIT_BAD_INPUT)


class Command(BaseCommand):
    """The KPI figures for a quarter, as JSON (default) or CSV."""

    help = (
        "The YJB's ten key performance indicators for a quarter (YYYYQn, calendar quarters: 2026Q3 is "
        "July to September 2026): numerator, denominator and percentage of each measure."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        """argparse's own errors are one line too."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = OneLineErrorParser
        return parser

    def add_arguments(self, parser) -> None:
        """--quarter and --format; checked in handle() so bad input exits 2."""
        parser.add_argument("--quarter", help="YYYYQn, e.g. 2026Q3 (July to September 2026)")
        parser.add_argument("--format", dest="fmt", default="json", help="json (default) or csv")

    def _bad(self, message: str) -> NoReturn:
        self.stderr.write(" ".join(message.split()), style_func=lambda s: s)
        raise SystemExit(EXIT_BAD_INPUT)

    def handle(self, *args, **options) -> None:
        """Check the input, compute the figures once, write them in the chosen format."""
        if options["quarter"] is None:
            self._bad("--quarter is required (YYYYQn, e.g. 2026Q3 for July to September 2026)")
        try:
            quarter = Quarter.parse(options["quarter"])
        except BadQuarter as exc:
            self._bad(f"--quarter: {exc}")
        fmt = (options["fmt"] or "").lower()
        if fmt not in FORMATS:
            self._bad(f"--format must be json or csv, not {options['fmt']!r}")
        report = kpi_figures(quarter=quarter)
        if fmt == "csv":
            self.stdout.write(figures_csv(report), ending="")
        else:
            self.stdout.write(json.dumps(figures_json(report), indent=2, ensure_ascii=False))
