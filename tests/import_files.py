"""Files as a supplier uploads them to the imports: CSVs the way Dutch Excel saves them, a few good product rows,
and issue 17's ten thousand with three bad ones."""

from __future__ import annotations

HEADER = 'Artikelnummer;Naam;Omschrijving;EAN;Eenheid;Prijs;Actief'


def dutch_excel(lines: list[str], *, header: str = HEADER) -> bytes:
    """A CSV as Dutch Excel saves it: semicolons, Windows-1252, CR LF, decimal commas in the rows given."""
    return ('\r\n'.join([header, *lines]) + '\r\n').encode('cp1252')


def good_rows(count: int) -> list[str]:
    return [
        f'KW-{n:03d};Kruiwagen {n} groß;Stevig, met één wiel;87{n:011d};stuk;{n},50;ja' for n in range(1, count + 1)
    ]


def ten_thousand(*, bad: bool) -> bytes:
    """10,000 products (BK-00001 to BK-10000); `bad`: rows 101 (a price in words), 5001 (no name) and 10000 (letters
    for an EAN) are refused."""
    rows = [f'BK-{n:05d};Kruiwagen {n} groß;Stevig, één wiel;;stuk;{n % 500},95;ja' for n in range(1, 10_001)]
    if bad:
        rows[99] = 'BK-00100;Kruiwagen 100;;;stuk;twaalf;ja'  # row 101
        rows[4999] = 'BK-05000;;;;stuk;3,00;ja'  # row 5001
        rows[9998] = 'BK-09999;Kruiwagen 9999;;ABC;stuk;3,00;ja'  # row 10000
    return dutch_excel(rows)
