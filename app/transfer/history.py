"""The import history: every import run, a preview or applied, from the admin area or the command.

A run is recorded with who (the portal user, or `command line (os user)`), the kind, the file, a dry run or
applied, the counts and the report (refused rows with row, column and reason; changed rows with their fields),
so the supplier can read afterwards what a nightly job did. An applied import is recorded in its own
transaction, so the record and the changes are kept or lost together.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import ImportRecord, PortalUser

MAX_REPORTED = 2000  # refused and changed rows kept per run; the counts say the rest
PAGE_SIZE = 20


def command_line_user() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = '?'
    return f'command line ({name})'


@dataclass(frozen=True)
class RecordedReport:
    refused: list[tuple[int, str, str]]  # row, column, reason
    changed: list[tuple[int, str, str]]  # row, key, fields


def record(
    session: Session,
    *,
    actor: Identity,
    report: object,
    filename: str,
    images_filename: str = '',
    source: str,
    dry_run: bool,
    seconds: float,
) -> ImportRecord:
    """Write the run's record (an imports.Report) in the session's transaction."""
    ensure_admin(actor)
    user = session.get(PortalUser, actor.user_id) if actor.user_id else None
    who = user.username if user is not None else command_line_user()
    refused_rows = len({refusal.row for refusal in report.refused})
    kept = {
        'refused': [[r.row, r.column, r.reason] for r in report.refused[:MAX_REPORTED]],
        'changed': [[c.row, c.key, ', '.join(c.fields)] for c in report.changed[:MAX_REPORTED]],
        'notes': list(getattr(report, 'notes', [])),
    }
    entry = ImportRecord(
        kind=str(report.kind.value),
        filename=filename[:255],
        images_filename=images_filename[:255],
        source=source,
        user_id=user.id if user is not None else None,
        who=who[:120],
        dry_run=dry_run,
        applied=bool(report.applied),
        new=len(report.new),
        changed=len(report.changed),
        unchanged=len(report.unchanged),
        refused=refused_rows,
        seconds=round(seconds, 2),
        report=json.dumps(kept, ensure_ascii=False),
    )
    session.add(entry)
    session.flush()
    return entry


def history(session: Session, *, actor: Identity, page: int = 1) -> tuple[list[ImportRecord], int]:
    """A page of runs, newest first, and how many there are."""
    ensure_admin(actor)
    total = session.exec(select(func.count()).select_from(ImportRecord)).one()
    page = max(1, page)
    rows = session.exec(
        select(ImportRecord)
        .order_by(col(ImportRecord.created_at).desc(), col(ImportRecord.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(rows), total


def report_of(session: Session, *, actor: Identity, record_id: int) -> tuple[ImportRecord, RecordedReport] | None:
    """A run and its report, or None when there is no such run."""
    ensure_admin(actor)
    valid = isinstance(record_id, int) and not isinstance(record_id, bool) and 0 < record_id < 2**63
    entry = session.get(ImportRecord, record_id) if valid else None
    if entry is None:
        return None
    try:
        kept = json.loads(entry.report or '{}')
    except ValueError:
        kept = {}
    return entry, RecordedReport(
        refused=[tuple(r) for r in kept.get('refused', [])], changed=[tuple(c) for c in kept.get('changed', [])]
    )
