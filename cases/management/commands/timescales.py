"""``python manage.py timescales FILE|-``: facts (JSON) in, policy obligations (JSON) out.

The contract is docs/spec/timescales.md: one JSON object on stdout and exit 0; on bad input one line
on stderr naming the fact's index and field, and exit 2. No database is touched.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from cases.rules import RulesInputError, compute

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    """Compute the obligations of a timeline of facts, as the rules module sees them."""

    help = "Compute policy obligations from a JSON timeline of facts (FILE, or - for standard input)."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        """One positional argument: a JSON file, or - for standard input."""
        parser.add_argument("file", help="JSON input file, or - to read standard input")

    def handle(self, *args, **options) -> None:
        """Read, compute, print; on any bad input write one line to stderr and exit 2."""
        path = options["file"]
        try:
            text = self._read(path)
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise RulesInputError(
                    f"input: malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
                ) from None
            result = compute(data)
        except RulesInputError as exc:
            self._fail(str(exc))
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as exc:
            # Defensive: anything the validation missed is still bad input, never a traceback.
            self._fail(f"input: {type(exc).__name__}: {exc}")
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def _read(self, path: str) -> str:
        """The input text from a file or standard input; unreadable input is bad input."""
        try:
            if path == "-":
                stream = getattr(self, "_stdin", None) or sys.stdin
                return stream.read()
            with open(path, encoding="utf-8") as fh:
                return fh.read()
        except UnicodeDecodeError:
            raise RulesInputError(f"{path}: not UTF-8 text") from None
        except OSError as exc:
            raise RulesInputError(f"{path}: cannot read ({exc.strerror or exc})") from None

    def _fail(self, message: str) -> None:
        """Write one line to stderr and exit 2 (CommandError would exit 1)."""
        line = " ".join(str(message).split())
        self.stderr.write(line, style_func=lambda s: s)
        raise SystemExit(EXIT_BAD_INPUT)
