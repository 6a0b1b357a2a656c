"""What our management commands share: bad input is one line and exit 2 (ADR 0013's rule for the
command line), including argparse's own errors (a missing argument, an unknown option), which Django
would print as a usage block and, when called from code, raise with exit code 1."""

import sys
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

EXIT_BAD_INPUT = 2


def one_line(message: object) -> str:
    """The message on one line (a wrapped error would break a script that reads one line)."""
    return " ".join(str(message).split())


def bad_input(message: object) -> CommandError:
    """The error a command raises for input it cannot use: one line, exit 2."""
    return CommandError(one_line(message), returncode=EXIT_BAD_INPUT)


class OneLineErrorParser(CommandParser):
    """Django's parser whose errors are one line and exit 2, from the shell and from call_command."""

    def error(self, message: str) -> NoReturn:
        """From the shell: the line on stderr and exit 2; from code: CommandError with returncode 2."""
        if self.called_from_command_line:
            sys.stderr.write(one_line(message) + "\n")
            raise SystemExit(EXIT_BAD_INPUT)
        raise bad_input(message)


class OneLineCommand(BaseCommand):
    """A command whose argparse errors are one line and exit 2, like the rest of its bad input."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        """Django's parser with the one-line error (only `error` differs)."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = OneLineErrorParser
        return parser
