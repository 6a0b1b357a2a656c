"""Reading a set of import files: a folder or a ZIP of CSV files, or one XLSX workbook with a sheet per
kind (docs/import-format.md). What cannot be read at all is an `ImportFormatError` (the command exits 2);
what is read is rows of text, checked by `onboarding.validate`."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import openpyxl

from .format import BY_NAME

# A cell our own export neutralised (core.downloads.csv_cell: a leading apostrophe before = + - @).
NEUTRALISED = ("'=", "'+", "'-", "'@")
MAX_ROWS = 200_000


class ImportFormatError(Exception):
    """The files cannot be read as an import set at all (no such path, not a ZIP/XLSX/folder, no files)."""


@dataclass
class Sheet:
    """One kind's rows as text: the headings as given, and each row with its spreadsheet row number
    (the heading is row 1, so the first record is row 2)."""

    kind: str
    headings: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _cell(value) -> str:
    """A cell as trimmed text: dates as ISO, whole numbers without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if (value.hour, value.minute) != (0, 0)
            else value.date().isoformat()
        )
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text[1:] if text.startswith(NEUTRALISED) else text


def _sheet(kind: str, records) -> Sheet:
    """Rows (lists of cells) as a Sheet keyed by heading; blank rows are skipped."""
    iterator = iter(records)
    headings = [_cell(h) for h in next(iterator, [])]
    while headings and not headings[-1]:
        headings.pop()
    sheet = Sheet(kind=kind, headings=headings)
    for number, record in enumerate(iterator, start=2):
        cells = [_cell(v) for v in record]
        if not any(cells):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            raise ImportFormatError(f"{kind} has more than {MAX_ROWS} rows: split the import")
        sheet.rows.append(
            (number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headings) if h})
        )
    return sheet


def _decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's byte order mark), else Windows-1252, which older exports use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv(kind: str, data: bytes) -> Sheet:
    return _sheet(kind, csv.reader(io.StringIO(_decode(data), newline="")))


def _kind_of(name: str) -> str | None:
    path = PurePosixPath(name)
    if path.suffix.lower() != ".csv" or path.name.startswith((".", "~")) or "__MACOSX" in path.parts:
        return None
    return path.stem.lower() if path.stem.lower() in BY_NAME else None


def read_xlsx(data: bytes | Path) -> dict[str, Sheet]:
    """Every sheet named as a kind (teams, staff, children...), read-only."""
    try:
        book = openpyxl.load_workbook(
            data if isinstance(data, Path) else io.BytesIO(data), read_only=True, data_only=True
        )
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFormatError(f"not a readable XLSX workbook ({type(error).__name__})") from error
    try:
        return {
            ws.title.strip().lower(): _sheet(ws.title.strip().lower(), ws.iter_rows(values_only=True))
            for ws in book.worksheets
            if ws.title.strip().lower() in BY_NAME
        }
    finally:
        book.close()


def read_zip(data: bytes | Path) -> dict[str, Sheet]:
    """Every `<kind>.csv` in the archive, at its top or in one folder."""
    try:
        archive = zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFormatError("not a readable ZIP file") from error
    sheets: dict[str, Sheet] = {}
    with archive:
        for info in archive.infolist():
            kind = _kind_of(info.filename)
            if kind is None or info.is_dir():
                continue
            if kind in sheets:
                raise ImportFormatError(f"the ZIP holds more than one {kind}.csv")
            if info.file_size > 512 * 1024 * 1024:
                raise ImportFormatError(f"{kind}.csv is too large")
            sheets[kind] = _csv(kind, archive.read(info))
    return sheets


def read_folder(path: Path) -> dict[str, Sheet]:
    """Every `<kind>.csv` in the folder."""
    return {
        kind: _csv(kind, child.read_bytes())
        for child in sorted(path.iterdir())
        if (kind := _kind_of(child.name))
    }


def read_bytes(data: bytes, name: str) -> dict[str, Sheet]:
    """An uploaded file: a ZIP of CSV files or an XLSX workbook (by its name, then by its content)."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        sheets = read_xlsx(data)
    elif lower.endswith(".zip"):
        sheets = read_zip(data)
    else:
        raise ImportFormatError("upload a ZIP of CSV files or an XLSX workbook")
    return _some(sheets)


def read_path(path: Path) -> dict[str, Sheet]:
    """A folder of CSV files, a ZIP of them, or an XLSX workbook on disk."""
    if not path.exists():
        raise ImportFormatError(f"{path} does not exist")
    if path.is_dir():
        sheets = read_folder(path)
    elif path.suffix.lower() == ".xlsx":
        sheets = read_xlsx(path)
    elif path.suffix.lower() == ".zip":
        sheets = read_zip(path)
    else:
        raise ImportFormatError(f"{path.name} is not a folder, a .zip or an .xlsx file")
    return _some(sheets)


def _some(sheets: dict[str, Sheet]) -> dict[str, Sheet]:
    if not sheets:
        names = ", ".join(BY_NAME)
        raise ImportFormatError(f"no import files found (expected any of {names} as .csv files or sheets)")
    return sheets
