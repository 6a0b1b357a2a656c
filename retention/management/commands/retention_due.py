"""`manage.py retention_due [--format text|csv] [--today YYYY-MM-DD]`: the closed records due for review.

One line per record (case number, team, closed, review due; no name: the output may be kept or mailed),
in the order of the "Records due for review" page, read a batch at a time. Bad input (an unknown format,
a date that is not one) is one line on stderr and exit 2, as the `timescales` command does.
"""

from __future__ import annotations

import csv
import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from retention.selectors import records_due, review_for

EXIT_BAD_INPUT = 2
FORMATS = ("text", "csv")
HEADER = ["case_number", "team", "closed_on", "review_due", "extended"]


class Command(BaseCommand):
    help = "List the closed children's records due for review under the retention schedule (issue 19)."

    def create_parser(self, prog_name, subcommand, **kwargs) -> CommandParser:
        """argparse prints its usage before an error (and Django raises CommandError, exit 1): the
        contract is one line and exit 2."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            parser.exit(EXIT_BAD_INPUT, f"retention_due: {' '.join(message.split())}\n")

        parser.error = error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", default="text", help="text (default) or csv")
        parser.add_argument("--today", default="", help="the day to ask for (YYYY-MM-DD; default today)")

    def handle(self, *args, **options) -> None:
        fmt = options["format"]
        if fmt not in FORMATS:
            self._fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                self._fail(f"--today must be a date as YYYY-MM-DD, not {options['today']!r}")
        rows = (
            [
                review.child.case_number,
                str(review.child.team),
                f"{review.closed_on:%Y-%m-%d}",
                f"{review_for(review):%Y-%m-%d}",
                "yes" if review.review_on else "no",
            ]
            for review in records_due(today=today).iterator(chunk_size=500)
        )
        if fmt == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
            return
        count = 0
        for row in rows:
            count += 1
            self.stdout.write(
                f"{row[0]}  {row[1]}  closed {row[2]}  review due {row[3]}"
                + (" (extended)" if row[4] == "yes" else "")
            )
        self.stdout.write(f"{count} record{'' if count == 1 else 's'} due for review on {today:%Y-%m-%d}.")

    def _fail(self, message: str) -> None:
        self.stderr.write(" ".join(message.split()), style_func=lambda s: s)
        raise SystemExit(EXIT_BAD_INPUT)
