"""Tables in files as people make them: CSV from any spreadsheet and XLSX, read and written.

Reading: UTF-8 with or without BOM, else Windows-1252 (Excel's 'CSV' on Windows); comma, semicolon (Dutch and
German Excel) or tab, whichever the header row uses most; column names in any case, spacing and punctuation, in
English, Dutch or German (each kind of import gives its aliases); the first non-empty row must name the columns.
XLSX through openpyxl with data_only=True: a formula gives the value Excel saved with it.

Writing: a cell of text that begins with =, +, -, @ (or a tab or carriage return) gets a leading apostrophe, so a
spreadsheet shows it as text and never runs it as a formula (CSV injection); reading takes that apostrophe off
again, so an export re-imports unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from app.core.errors import Message, ValidationError
from app.core.i18n import N_

MAX_ROWS = 200_000
MAX_BYTES = 100 * 1024 * 1024
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')
SEPARATORS = (';', ',', '\t')
_BINARY = re.compile(r'[\x00-\x08\x0e-\x1f]')


class FileRefused(ValidationError):
    """The file as a whole cannot be read as a table; nothing was changed."""

    def __init__(self, text: str, **params: Any) -> None:
        super().__init__(text, 'file', **params)


@dataclass(frozen=True)
class Row:
    number: int  # the row number a spreadsheet shows (the header is row 1 when it is the first row)
    values: dict[str, str]  # field -> the cell's text, stripped; only the columns the file has


@dataclass(frozen=True)
class Table:
    headers: dict[str, str]  # field -> the column's name as the file writes it
    rows: list[Row]
    ignored: tuple[str, ...]  # column names no field is known by

    def repeated(self, field: str = 'code') -> dict[int, tuple[int, int]]:
        """Rows whose `field` (a code: case and surrounding spaces aside) another row has too: row number -> (the
        first row, the other row) of each pair."""
        first_row: dict[str, int] = {}
        found: dict[int, tuple[int, int]] = {}
        for row in self.rows:
            key = row.values.get(field, '').strip().upper()
            if not key:
                continue
            if key in first_row:
                found[row.number] = (first_row[key], row.number)
                found.setdefault(first_row[key], (first_row[key], row.number))
            else:
                first_row[key] = row.number
        return found


def repeated_code(code: str, rows: tuple[int, int]) -> str:
    """Why a row is refused whose code another row has too (`rows`: the pair `Table.repeated` names)."""
    first, second = rows
    return Message('The code {code} is in rows {first} and {second}.', code=code, first=first, second=second).message


def header_key(name: str) -> str:
    """'Product code', 'PRODUCT_CODE' and 'product-code' are one column name."""
    return ''.join(ch for ch in name.casefold() if ch.isalnum())


def read_table(
    content: bytes, filename: str, *, columns: Mapping[str, Iterable[str]], required: Sequence[str]
) -> Table:
    """The rows of a CSV or XLSX file under the fields of `columns` (field -> its names), or FileRefused."""
    if not content.strip():
        raise FileRefused(N_('The file is empty.'))
    if len(content) > MAX_BYTES:
        raise FileRefused(N_('The file is larger than {limit} MB.'), limit=MAX_BYTES // (1024 * 1024))
    if content.startswith(b'PK\x03\x04') or filename.lower().endswith(('.xlsx', '.xlsm')):
        cells = _xlsx_rows(content)
    else:
        cells = _csv_rows(content)
    return _table(cells, columns=columns, required=required)


def read_cells(content: bytes, filename: str, *, max_rows: int = MAX_ROWS) -> list[list[str]]:
    """The rows of a CSV or XLSX file as cells of text, read as `read_table` reads them, without looking for a
    header (quick order recognises its own); FileRefused for what cannot be read, or more than `max_rows` rows."""
    if not content.strip():
        raise FileRefused(N_('The file is empty.'))
    if len(content) > MAX_BYTES:
        raise FileRefused(N_('The file is larger than {limit} MB.'), limit=MAX_BYTES // (1024 * 1024))
    xlsx = content.startswith(b'PK\x03\x04') or filename.lower().endswith(('.xlsx', '.xlsm'))
    rows = []
    for cells in _xlsx_rows(content) if xlsx else _csv_rows(content):
        if any(cell.strip() for cell in cells):
            if len(rows) >= max_rows:
                raise FileRefused(N_('A file can have at most {limit} rows.'), limit=max_rows)
            rows.append([unescaped(cell.strip()) for cell in cells])
    if not rows:
        raise FileRefused(N_('The file is empty.'))
    return rows


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    text = _decoded(content)
    if _BINARY.search(text[:65536]):
        raise FileRefused(N_('This is not a CSV or Excel file.'))
    first_line = next((line for line in text.splitlines() if line.strip()), '')
    separator = max(SEPARATORS, key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=''), delimiter=separator)
    except csv.Error as error:
        raise FileRefused(N_('The file is not a readable CSV file: {reason}'), reason=str(error)) from error


def _decoded(content: bytes) -> str:
    if content.startswith(b'\xef\xbb\xbf'):
        content = content[3:]
    try:
        return content.decode('utf-8')
    except UnicodeDecodeError:
        pass
    try:
        return content.decode('cp1252')  # Excel's 'CSV' on Windows in Western Europe
    except UnicodeDecodeError as error:
        raise FileRefused(N_('This is not a CSV or Excel file.')) from error


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # only an XLSX needs it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileRefused(N_('This is not an Excel file that can be read (save it as .xlsx or .csv).')) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRefused(N_('The file is empty.'))
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    if isinstance(value, float):
        number = Decimal(repr(value))
        return format(number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize(), 'f')
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _table(cells: Iterable[list[str]], *, columns: Mapping[str, Iterable[str]], required: Sequence[str]) -> Table:
    names = {header_key(alias): field for field, aliases in columns.items() for alias in (field, *aliases)}
    rows = iter(enumerate(cells, start=1))
    for _number, header in rows:
        if any(cell.strip() for cell in header):
            break
    else:
        raise FileRefused(N_('The file is empty.'))
    headers: dict[str, str] = {}
    positions: list[tuple[int, str]] = []
    ignored = []
    for position, raw in enumerate(header):
        title = raw.strip().removeprefix('\ufeff')
        field = names.get(header_key(title))
        if field is None:
            if title:
                ignored.append(title)
            continue
        if field in headers:
            raise FileRefused(
                N_('The columns {first} and {second} are the same column.'), first=headers[field], second=title
            )
        headers[field] = title
        positions.append((position, field))
    if not headers:
        raise FileRefused(
            N_('The first row must name the columns, for example: {example}.'), example=', '.join(list(columns)[:4])
        )
    missing = [field for field in required if field not in headers]
    if missing:
        raise FileRefused(N_('The file has no column {column}.'), column=missing[0])
    found = []
    for number, cells_of_row in rows:
        if not any(cell.strip() for cell in cells_of_row):
            continue
        if len(found) >= MAX_ROWS:
            raise FileRefused(N_('A file can have at most {limit} rows.'), limit=MAX_ROWS)
        values = {
            field: unescaped(cells_of_row[position].strip()) if position < len(cells_of_row) else ''
            for position, field in positions
        }
        found.append(Row(number=number, values=values))
    if not found:
        raise FileRefused(N_('The file has no rows below its header.'))
    return Table(headers=headers, rows=found, ignored=tuple(ignored))


# --- writing --------------------------------------------------------------------------------------


def escaped(value: object) -> object:
    """A cell as it may be written: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescaped(value: str) -> str:
    """A cell as read: the apostrophe `escaped` put before a formula-like text taken off."""
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV file, a piece per row (UTF-8 text with a BOM, so Excel reads it as UTF-8; comma separated)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\r\n')
    buffer.write('\ufeff')
    writer.writerow([escaped(cell) for cell in header])
    for row in rows:
        writer.writerow(['' if cell is None else escaped(cell) for cell in row])
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(target: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> None:
    """An XLSX file of the rows, written as they come (openpyxl's write-only mode keeps no row in memory)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([escaped(cell) for cell in header])
    for row in rows:
        sheet.append([_xlsx_value(cell) for cell in row])
    workbook.save(target)


def _xlsx_value(value: object) -> object:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; the portal's times are UTC
    return escaped(value)
