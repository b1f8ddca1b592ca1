"""The checks `stockfront check` runs on a database, without changing it: SQLite's integrity and foreign keys, the
stock invariant (app/orders/invariants.py) and the image files the image rows name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, func, select

from app.core import db
from app.models import OrderLine, Product, ProductImage
from app.orders import invariants

SHOWN_PER_CHECK = 20  # a broken database can have thousands of problems; the first ones tell the story


@dataclass
class Finding:
    check: str
    summary: str = ''  # what was looked at, when all is well
    problems: list[str] = field(default_factory=list)
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _integrity(engine: Engine) -> Finding:
    finding = Finding('database integrity')
    if not db.is_sqlite(engine):
        return Finding('database integrity', summary='not applicable on PostgreSQL', skipped=True)
    with engine.connect() as conn:
        verdict = [str(row[0]) for row in conn.execute(text('PRAGMA integrity_check'))]
        if verdict != ['ok']:
            finding.problems += verdict
        for table, rowid, parent, _key in conn.execute(text('PRAGMA foreign_key_check')):
            finding.problems.append(f'{table} row {rowid} refers to a missing {parent} row.')
    finding.summary = 'PRAGMA integrity_check and foreign_key_check'
    return finding


def _stock(engine: Engine) -> Finding:
    with Session(engine) as session:
        problems = invariants.check_stock(session)
        products = session.exec(select(func.count()).select_from(Product)).one()
        lines = session.exec(select(func.count()).select_from(OrderLine)).one()
    return Finding('stock invariant', summary=f'{products} products, {lines} order lines', problems=problems)


def _image_files(engine: Engine, upload_dir: Path) -> Finding:
    with Session(engine) as session:
        rows = session.exec(select(ProductImage.id, ProductImage.filename, ProductImage.thumb_filename)).all()
    present = {path.name for path in upload_dir.iterdir()} if upload_dir.is_dir() else set()
    problems = [
        f'Image {image_id}: file {name} is missing from {upload_dir}.'
        for image_id, *names in rows
        for name in names
        if name not in present
    ]
    return Finding('image files', summary=f'{2 * len(rows)} files of {len(rows)} images', problems=problems)


def run_checks(engine: Engine, *, upload_dir: Path) -> list[Finding]:
    """Every check, each reported on its own; a check that cannot read the database reports that as its problem."""
    findings = []
    for name, check in (
        ('database integrity', lambda: _integrity(engine)),
        ('stock invariant', lambda: _stock(engine)),
        ('image files', lambda: _image_files(engine, upload_dir)),
    ):
        try:
            findings.append(check())
        except SQLAlchemyError as error:
            reason = str(getattr(error, 'orig', None) or error).strip().splitlines()[0]
            findings.append(Finding(name, problems=[f'Cannot read the database: {reason} (run `stockfront migrate`?)']))
    return findings


def report(findings: list[Finding]) -> str:
    """The findings as lines for a person: one per check, its problems indented below it."""
    lines = []
    for finding in findings:
        mark = 'skipped' if finding.skipped else 'ok' if finding.ok else 'PROBLEM'
        lines.append(f'{mark:8} {finding.check}' + (f' ({finding.summary})' if finding.summary else ''))
        lines += [f'         {problem}' for problem in finding.problems[:SHOWN_PER_CHECK]]
        if len(finding.problems) > SHOWN_PER_CHECK:
            lines.append(f'         ... and {len(finding.problems) - SHOWN_PER_CHECK} more')
    count = sum(len(finding.problems) for finding in findings)
    lines.append('All checks passed.' if count == 0 else f'{count} problem{"s" * (count != 1)} found.')
    return '\n'.join(lines)
