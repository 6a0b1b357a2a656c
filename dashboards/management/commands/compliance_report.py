"""``python manage.py compliance_report --from YYYY-MM-DD --to YYYY-MM-DD [--format json|csv]``.

The compliance dashboard's figures for reporting: per obligation code and team, how many fell due in
the period, met on time, met late, still overdue, not yet due and the percentage on time, with the
totals. The same selector and writers as the dashboard's exports, so the CSV is byte-identical to the
dashboard's CSV for the same period. Bad input (a missing or malformed date, from after to, an unknown
format): one line on stderr and exit 2, like `timescales` (CommandError would exit 1).
"""

import datetime
import json
import re
import sys
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandParser

from core.forms import EARLIEST_YEAR, LATEST_YEAR
from dashboards.compliance.exports import report_csv, report_json
from dashboards.compliance.figures import compliance_figures

EXIT_BAD_INPUT = 2
FORMATS = ("json", "csv")


class BadInput(Exception):
    """Input the command cannot use; its message is the one line written to stderr."""


def _date(value: str | None, option: str) -> datetime.date:
    """A YYYY-MM-DD date for `option`, or BadInput naming the option."""
    if value is None:
        raise BadInput(f"{option} is required (YYYY-MM-DD)")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise BadInput(f"{option}: {value!r} is not a date in the form YYYY-MM-DD")
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{option}: {value!r} is not a real date") from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:  # the dashboard's and exports' range, so they agree
        raise BadInput(f"{option}: {value} is not between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return day


class OneLineErrorParser(CommandParser):
    """Django's parser, but argparse's own errors (an option without its value, an unknown option) are
    one line on stderr and exit 2, like the command's other bad input."""

    def error(self, message: str) -> NoReturn:
        """Bad input: the message on stderr and exit code 2."""
        sys.stderr.write(" ".join(message.split()) + "\n")
        raise SystemExit(EXIT_BAD_INPUT)


class Command(BaseCommand):
    """The compliance figures for a period, as JSON (default) or CSV."""

    help = (
        "Compliance figures per obligation code and team for obligations due in a period "
        "(both dates included): due, met on time, met late, overdue, open and % on time."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        """argparse's own errors (an option without its value, an unknown option) are one line too."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a CommandParser with the base options and ours; only its error() changes.
        parser.__class__ = OneLineErrorParser
        return parser

    def add_arguments(self, parser) -> None:
        """--from and --to (YYYY-MM-DD) and --format; checked in handle() so bad input exits 2."""
        parser.add_argument("--from", dest="date_from", help="First due date counted (YYYY-MM-DD)")
        parser.add_argument("--to", dest="date_to", help="Last due date counted (YYYY-MM-DD)")
        parser.add_argument("--format", dest="fmt", default="json", help="json (default) or csv")

    def handle(self, *args, **options) -> None:
        """Check the input, compute the figures once, write them in the chosen format."""
        try:
            date_from = _date(options["date_from"], "--from")
            date_to = _date(options["date_to"], "--to")
            if date_from > date_to:
                raise BadInput(f"--from {date_from} is after --to {date_to}")
            fmt = (options["fmt"] or "").lower()
            if fmt not in FORMATS:
                raise BadInput(f"--format must be json or csv, not {options['fmt']!r}")
        except BadInput as exc:
            self.stderr.write(" ".join(str(exc).split()), style_func=lambda s: s)
            raise SystemExit(EXIT_BAD_INPUT) from None
        report = compliance_figures(date_from=date_from, date_to=date_to)
        if fmt == "csv":
            self.stdout.write(report_csv(report), ending="")
        else:
            self.stdout.write(json.dumps(report_json(report), indent=2, ensure_ascii=False))
