"""The one engine, sessions and transactions.

SQLite (the default) gets on every connection:
- journal_mode=WAL: readers never block the writer and the writer never blocks readers;
- foreign_keys=ON;
- busy_timeout=8000: a writer waits up to 8 s for the write lock before giving up;
- synchronous=FULL: an order the customer saw confirmed survives a power cut, not only a crash
  (NORMAL would be faster but may lose the last commits on power loss; orders are worth an fsync).

Write transactions begin with BEGIN IMMEDIATE, so they take the write lock before their first read:
a read-then-write (free stock, then allocate) can never lose an update to another writer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlmodel import Session, create_engine

from app import models as _models  # noqa: F401 - registers the tables
from app.core import events
from app.core.errors import Message, NotFound
from app.core.i18n import N_

BUSY_TIMEOUT_MS = 8000
MAX_ID = 2**63 - 1  # the largest integer SQLite (and PostgreSQL's bigint) holds

Row = TypeVar('Row')


class DatabaseBusy(Message, RuntimeError):
    """The write lock could not be had in time; nothing was written. The user may try again (the message says so,
    in the reader's language)."""

    def __init__(self) -> None:
        super().__init__(N_('The system is busy right now. Nothing was saved, please try again.'))


_engine: Engine | None = None
_write_engine: Engine | None = None

# SQLite lets one transaction write at a time. Writers of this process queue here for their turn, which passes
# straight to the next one; waiting in SQLite instead means polling with sleeps of up to 100 ms, and under
# contention (many customers placing orders at once, bench/load.py) most of the time went to sleeping.
# Other processes on the same file still wait in SQLite (busy_timeout). Re-entrant, as SQLite's own wait was.
_writer = threading.RLock()
_writing = 0  # write transactions of this process in progress (0 or 1 on SQLite, and nested ones)


def write_in_progress() -> bool:
    """Whether a write transaction of this process is running (lets less urgent work on the event loop make way)."""
    return _writing > 0


def is_id(value: object) -> bool:
    """Whether `value` can be a row's id: a whole number (not a bool) from 1 to MAX_ID; asking the database for
    anything else fails (a bigger number does not even fit in SQLite's integer)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def get_or_not_found(session: Session, model: type[Row], row_id: object, what: str) -> Row:
    """The row of `model` with this id, else NotFound(`what`, a catalogue entry: N_('This product'))."""
    row = session.get(model, row_id) if is_id(row_id) else None
    if row is None:
        raise NotFound(what)
    return row


def hold(session: Session, row: Any) -> None:
    """Hold a row read by a query for the rest of the session, as `kept` holds what it gets."""
    session.info.setdefault('kept_rows', {})[type(row), getattr(row, 'id', None)] = row


def kept(session: Session, model: type[Row], row_id: object) -> Row | None:
    """`session.get`, the row held for the rest of the session. SQLAlchemy's identity map holds rows weakly: a row a
    service read and let go was read again by the next one (a products page read its customer eleven times)."""
    held: dict[tuple[type, object], Any] = session.info.setdefault('kept_rows', {})
    row = held.get((model, row_id))
    if row is None and (row := session.get(model, row_id)) is not None:
        held[model, row_id] = row
    return row


def is_sqlite(bind: Engine | Connection | Session | None = None) -> bool:
    """Whether the database (of a session, a connection, an engine; by default the portal's) is SQLite."""
    if isinstance(bind, Session):
        bind = bind.get_bind()
    return (bind or get_engine()).dialect.name == 'sqlite'


def _setup_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below be the only one
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA foreign_keys=ON')
        cursor.execute(f'PRAGMA busy_timeout={BUSY_TIMEOUT_MS}')
        cursor.execute('PRAGMA synchronous=FULL')
        cursor.close()

    @event.listens_for(engine, 'begin')
    def _on_begin(conn) -> None:
        mode = conn.get_execution_options().get('sqlite_begin', 'DEFERRED')
        conn.exec_driver_sql(f'BEGIN {mode}')


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be used (no driver, not reachable, from a newer version); said at start, in
    one line."""


def configure(url: str) -> Engine:
    """Create the engine for `url` (replacing any earlier one) and bring the database to this version's tables."""
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        shown = repr(url)
    try:
        return _configure(url)
    except (ModuleNotFoundError, NoSuchModuleError) as error:
        dispose()
        raise DatabaseUnavailable(
            f"No driver for the database {shown} ({error}). For PostgreSQL: .venv/bin/pip install -e '.[postgres]'"
        ) from error
    except (OperationalError, ArgumentError) as error:
        dispose()
        reason = str(getattr(error, 'orig', None) or error).strip().splitlines()[0]
        raise DatabaseUnavailable(f'Cannot use the database {shown}: {reason}') from error


def open_for_reading(url: str) -> Engine:
    """The engine for `url` without bringing the database to this version (a helper process that only reads a
    database the portal has opened already, e.g. the import's check, app/transfer/checking.py)."""
    return _configure(url, migrate=False)


def _configure(url: str, *, migrate: bool = True) -> Engine:
    global _engine, _write_engine
    dispose()
    if url.startswith('sqlite:///'):
        Path(url.removeprefix('sqlite:///')).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={'check_same_thread': False, 'timeout': BUSY_TIMEOUT_MS / 1000},
            pool_size=8,
            max_overflow=24,
        )
        _setup_sqlite(engine)
        _write_engine = engine.execution_options(sqlite_begin='IMMEDIATE')
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        _write_engine = engine
    _engine = engine
    if not migrate:
        return engine
    from app.core import migrations  # it builds on this module

    try:
        migrations.upgrade(engine)  # a database this version cannot use: migrations.SchemaError, a DatabaseUnavailable
    except BaseException:
        dispose()
        raise
    return engine


def get_engine() -> Engine:
    if _engine is None:
        raise RuntimeError('database not configured: call app.db.configure(url) first')
    return _engine


def dispose() -> None:
    global _engine, _write_engine
    if _engine is not None:
        _engine.dispose()
    _engine = _write_engine = None


class _Reading:
    """The reads of one piece of work on one thread (`one_reading`): a session opened when first asked for."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        self.session: Session | None = None
        self.done: list[Session] = []  # read before a write: closed at the end (a read may still be using one)
        self.over = False

    def shared(self) -> Session | None:
        # a thread the work handed something to reads on its own, and so does a task it started (which inherits
        # the context) once the work is over
        if self.over or self.thread != threading.get_ident():
            return None
        if self.session is not None and self.session.get_bind() is not get_engine():
            self.written()
        if self.session is None:
            self.session = Session(get_engine(), expire_on_commit=False)
        return self.session

    def written(self) -> None:
        """After a write: what is read next is read anew."""
        if self.session is not None:
            self.done.append(self.session)
            self.session = None

    def close(self) -> None:
        """What was read stays as it was read (closing detaches, it does not expire)."""
        self.over = True
        self.written()
        for session in self.done:
            session.close()
        self.done.clear()


_reading: ContextVar[_Reading | None] = ContextVar('stockfront_one_reading', default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Every `read_session` inside (on this thread) is one session: a page build's dozen services read in one
    transaction, a row one of them read (the customer, the user) is not read again by the next (a products page
    opened six sessions and read its customer five times; `reading_memo` keeps what is worked out from it, the
    settings for one). After a write in between (`write_session`) the reads go to a new session, so they see it."""
    if _reading.get() is not None:
        yield
        return
    reading = _Reading()
    token = _reading.set(reading)
    try:
        yield
    finally:
        _reading.reset(token)
        reading.close()


def reading_memo(session: Session) -> dict[str, Any] | None:
    """Where values worked out from `session`'s reads may be kept while it is the session of the `one_reading` in
    progress (they go with it: after a write, after the reading, on another thread, nothing is found); else None."""
    reading = _reading.get()
    if reading is None or reading.over or reading.session is not session:
        return None
    return session.info.setdefault('reading_memo', {})


@contextmanager
def read_session() -> Iterator[Session]:
    """A session for reads; on SQLite it sees one consistent snapshot (WAL). Inside `one_reading`, that one's."""
    reading = _reading.get()
    shared = reading.shared() if reading is not None else None
    if shared is not None:
        yield shared
        return
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


@contextmanager
def write_session(*, wait: bool = True) -> Iterator[Session]:
    """One write transaction: commits at the end, rolls back on any error, publishes its events after commit.

    A lock that cannot be had in time becomes `DatabaseBusy`, with nothing written. With `wait=False` the
    transaction does not queue behind another writer of this process: `DatabaseBusy` at once instead (for
    bookkeeping that can as well be done next time, on the event loop that must not stall).
    """
    assert _write_engine is not None, 'database not configured'
    global _writing
    serialize = is_sqlite(_write_engine)
    if serialize and not _writer.acquire(timeout=BUSY_TIMEOUT_MS / 1000 if wait else 0):
        raise DatabaseBusy()
    _writing += 1
    try:
        with Session(_write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except OperationalError as e:
                session.rollback()
                events.discard(session)
                if 'locked' in str(e).lower() or 'busy' in str(e).lower():
                    raise DatabaseBusy() from e
                raise
            except BaseException:
                session.rollback()
                events.discard(session)
                raise
    finally:
        _writing -= 1
        if serialize:
            _writer.release()
        if (reading := _reading.get()) is not None and reading.thread == threading.get_ident():
            reading.written()
    events.flush(session)


def integrity_check() -> str:
    with get_engine().connect() as conn:
        return str(conn.execute(text('PRAGMA integrity_check')).scalar())
