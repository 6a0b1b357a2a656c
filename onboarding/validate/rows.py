"""A checked row: its spreadsheet row number and its values by heading."""

from dataclasses import dataclass


@dataclass
class Row:
    """A row with no errors: its spreadsheet row number and its values by heading."""

    number: int
    values: dict

    def __getitem__(self, heading: str):
        return self.values.get(heading)
