"""Reading tables from files as people make them, and writing them so that no spreadsheet runs a cell
(app/transfer/tables.py)."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from app.transfer import tables
from app.transfer.tables import FileRefused

COLUMNS = {
    'code': ('product code', 'sku', 'artikelnummer', 'artikel nr'),
    'name': ('naam', 'bezeichnung', 'produktname'),
    'price': ('prijs', 'preis'),
    'active': ('actief',),
}


def read(content: bytes, filename: str = 'products.csv') -> tables.Table:
    return tables.read_table(content, filename, columns=COLUMNS, required=('code',))


def xlsx(rows: list[list[object]], *, cached: dict[str, str] | None = None) -> bytes:
    """An XLSX file; `cached` gives formula cells the value Excel saves beside the formula (openpyxl saves none)."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not cached:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w') as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == 'xl/worksheets/sheet1.xml':
                text = data.decode()
                for formula, value in cached.items():
                    text = text.replace(f'<f>{formula}</f><v />', f'<f>{formula}</f><v>{value}</v>')
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_a_dutch_excel_csv_reads_with_semicolons_windows_1252_and_dutch_column_names() -> None:
    content = 'Artikelnummer;Naam;Prijs;Actief\r\nKR-1;Kruiwagen groß;12,50;ja\r\n'.encode('cp1252')
    table = read(content)
    assert table.headers == {'code': 'Artikelnummer', 'name': 'Naam', 'price': 'Prijs', 'active': 'Actief'}
    assert [(row.number, row.values) for row in table.rows] == [
        (2, {'code': 'KR-1', 'name': 'Kruiwagen groß', 'price': '12,50', 'active': 'ja'})
    ]


@pytest.mark.parametrize(
    ('content', 'separator'),
    [
        ('\ufeffPRODUCT CODE,Bezeichnung,Preis\n', ','),
        ('product_code\tname\tprice\n', '\t'),
        ('Artikel-Nr;Produktname;Preis\n', ';'),
    ],
)
def test_utf8_with_or_without_bom_any_separator_and_column_names_in_any_case(content: str, separator: str) -> None:
    row = separator.join(['ab-1', 'Säge, fein', '3.10']) if separator != ',' else 'ab-1,"Säge, fein",3.10'
    table = read((content + row + '\n').encode('utf-8'))
    assert set(table.headers) == {'code', 'name', 'price'}
    assert table.rows[0].values == {'code': 'ab-1', 'name': 'Säge, fein', 'price': '3.10'}


def test_unknown_columns_are_ignored_and_named_empty_rows_skipped_and_row_numbers_as_the_spreadsheet_shows() -> None:
    table = read(b'code;colour;name\n\nA;red;Apple\n;;\nB;blue;Pear\n')
    assert table.ignored == ('colour',)
    assert [row.number for row in table.rows] == [3, 5]


@pytest.mark.parametrize(
    ('content', 'message'),
    [
        (b'', 'The file is empty.'),
        (b'  \r\n\r\n', 'The file is empty.'),
        (bytes(range(256)) * 8, 'This is not a CSV or Excel file.'),
        (b'PK\x03\x04garbage that is no zip', 'This is not an Excel file that can be read'),
        (b'A-1;Hammer;12,50\nA-2;Saw;3,00\n', 'The first row must name the columns'),
        (b'name;price\nHammer;12,50\n', 'The file has no column code.'),
        (b'code;name\n', 'The file has no rows below its header.'),
        (b'code;sku;name\nA;B;C\n', 'The columns code and sku are the same column.'),
    ],
)
def test_a_file_that_is_no_table_is_refused_with_a_clear_message(content: bytes, message: str) -> None:
    with pytest.raises(FileRefused) as refused:
        read(content)
    assert refused.value.message.startswith(message)
    assert refused.value.field == 'file'


def test_an_xlsx_with_a_formula_reads_the_value_excel_saved() -> None:
    content = xlsx([['Code', 'Name', 'Price'], ['F-1', 'Formula', '=10+2.5'], ['F-2', 'Number', 4.0]],
                   cached={'10+2.5': '12.5'})  # fmt: skip
    table = read(content, 'products.xlsx')
    assert [row.values['price'] for row in table.rows] == ['12.5', '4']


def test_written_cells_that_a_spreadsheet_would_run_are_escaped_and_read_back_as_they_were() -> None:
    risky = ['=HYPERLINK("http://x","y")', '+31 20 123', '-5', '@SUM(A1)', 'plain']
    text = ''.join(tables.csv_text(['code', 'name'], [[f'C{n}', value] for n, value in enumerate(risky)]))
    assert "'=HYPERLINK" in text and "'+31" in text and "'-5" in text and "'@SUM" in text and "'plain" not in text
    assert [row.values['name'] for row in read(text.encode()).rows] == risky

    buffer = io.BytesIO()
    tables.write_xlsx(buffer, ['code', 'name'], [[f'C{n}', value] for n, value in enumerate(risky)], title='x')
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [sheet.cell(row=n + 2, column=2) for n in range(len(risky))]
    assert all(cell.data_type == 's' for cell in cells)  # text, never a formula
    assert cells[0].value == "'" + risky[0]
    assert [row.values['name'] for row in read(buffer.getvalue(), 'x.xlsx').rows] == risky
