"""The check of a large import file in a process of its own, so the portal's process keeps answering customers.

Reading 100,000 rows and checking them is a few seconds of pure Python: in the portal's process it competes with
the event loop for the GIL and customers' clicks wait (bench/import.py measured p95 349 ms). `check` runs it in a
fresh Python (`python -m app.transfer.checking`, importing only the domain, never the portal's main module): the
job goes in pickled on its stdin; progress and the result (the table and the plan, pickled) come back on its
stdout. The child opens its own read session from the database URL (no migration: the portal has done it). Any
failure there (the file refused, a child that could not start) gives None: the caller checks in its own process,
where the same error is raised as it always was.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

from app.core import config, i18n

IN_PROCESS_BYTES = 400_000  # smaller files (some 5,000 product or 30,000 stock rows): checked in the caller's process
_ROOT = config.ROOT


def check(
    *, kind: str, content: bytes, filename: str, images: bytes | None, progress: Callable | None
) -> tuple[Any, Any] | None:
    """(table, plan) as imports.check_rows makes them, made in a child process; None when that failed. The table
    comes without its rows (sending 100,000 back costs seconds): the caller reads the file again in the rare case
    that it must check it again under the write lock."""
    language = i18n.current()  # the child writes the refused rows' reasons in the language of who imports
    job = pickle.dumps((config.get(), kind, content, filename, images, language), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        child = subprocess.Popen(
            [sys.executable, '-m', 'app.transfer.checking'],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=_ROOT,
            env={
                **os.environ,
                'PYTHONPATH': os.pathsep.join(p for p in (str(_ROOT), os.environ.get('PYTHONPATH')) if p),
            },
        )
    except OSError:
        return None
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(job)
        child.stdin.close()
        while (message := _receive(child.stdout)) is not None:
            if message[0] == 'progress':
                if progress:
                    progress(*message[1:])
            elif message[0] == 'done':
                return message[1], message[2]
            else:
                return None
        return None
    except (OSError, pickle.UnpicklingError, EOFError, BrokenPipeError):
        return None
    finally:
        child.kill() if child.poll() is None else None
        child.wait()


def _send(out: BinaryIO, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(struct.pack('>Q', len(data)) + data)
    out.flush()


def _receive(stream: BinaryIO) -> tuple | None:
    head = stream.read(8)
    if len(head) < 8:
        return None
    (size,) = struct.unpack('>Q', head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # noqa: S301 - our own child's answer over a pipe


def main() -> None:
    out = os.fdopen(os.dup(1), 'wb')
    os.dup2(2, 1)  # whatever else prints goes to stderr, never into the answer
    settings, kind, content, filename, images, language = pickle.loads(sys.stdin.buffer.read())  # noqa: S301
    from app.core import db
    from app.transfer import imports
    from app.transfer.tables import Table

    config.set_settings(settings)
    db.open_for_reading(settings.database_url)
    try:
        with i18n.speaking(language):
            table, planned = imports.check_rows(
                kind=kind,
                content=content,
                filename=filename,
                images=images,
                progress=lambda what, done, total: _send(out, ('progress', what, done, total)),
            )
        _send(out, ('done', Table(table.headers, [], table.ignored), planned))  # the rows stay here: see check()
    except Exception as error:  # the parent checks again itself and meets the error there
        _send(out, ('failed', type(error).__name__))
    finally:
        db.dispose()


if __name__ == '__main__':
    main()
