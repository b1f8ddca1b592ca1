"""Quick order benchmark: previewing a pasted box of 1,000 lines (issue 16: within 2 s), and adding its valid lines.

Run: .venv/bin/python bench/quick_order.py [--products 100000] [--lines 1000] [--runs 5]

A temporary SQLite database (never the portal's) is filled as bench/catalogue.py fills it (varied products, a
price list with fixed prices and tiers, a customer with a few current-order lines). The box is a paste as Excel
gives it: a header line, then codes with tabs and quantities, a quarter of the codes typed in lower case without
the dash, some unknown, some inactive products, quantities with a thousands separator. It times
quick_order.preview as the page calls it (a read session of its own) and once quick_order.add_valid_lines.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select

from app.core import db
from app.models import Product
from app.orders import quick_order
from bench.catalogue import bench_database, fill

TARGET_PREVIEW_S = 2.0


def box(codes: list[str], lines: int, rng: random.Random) -> str:
    rows = ['Code\tQuantity']
    for n in range(lines):
        code = rng.choice(codes)
        if n % 4 == 1:
            code = code.replace('-', '').lower()
        if n % 50 == 7:
            code = f'NOPE-{n:05d}'
        quantity = rng.choice(['1', '2', '5', '12', '24', '1,000', '3'])
        rows.append(f'{code}\t{quantity}')
    return '\n'.join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--products', type=int, default=100_000)
    parser.add_argument('--lines', type=int, default=1000)
    parser.add_argument('--runs', type=int, default=5)
    options = parser.parse_args()
    rng = random.Random(16)
    with bench_database():
        started = time.perf_counter()
        who = fill(options.products, rng)
        print(f'{options.products:,} products filled in {time.perf_counter() - started:.1f} s', flush=True)
        with db.read_session() as s:
            codes = list(s.exec(select(Product.code)).all())
        text = box(codes, options.lines, rng)
        times = []
        for _ in range(options.runs):
            started = time.perf_counter()
            with db.read_session() as s:
                shown = quick_order.preview(s, actor=who, text=text)
            times.append(time.perf_counter() - started)
        valid, problems = len(shown.valid), len(shown.problems)
        print(
            f'preview of {options.lines:,} lines ({valid} valid, {problems} with a problem): '
            f'median {statistics.median(times):.2f} s, slowest {max(times):.2f} s (target {TARGET_PREVIEW_S} s)'
        )
        started = time.perf_counter()
        with db.write_session() as s:
            added, _shown = quick_order.add_valid_lines(s, actor=who, text=text, key=secrets.token_urlsafe(16))
        print(f'adding the {added.lines:,} valid lines (one transaction): {time.perf_counter() - started:.2f} s')
        return 0 if max(times) <= TARGET_PREVIEW_S else 1


if __name__ == '__main__':
    sys.exit(main())
