"""Run a command against a throw-away PostgreSQL server.

    .venv/bin/python -m tests.with_postgres .venv/bin/python -m pytest tests/unit

Finds PostgreSQL's server programs (on PATH or in /usr/lib/postgresql/<version>/bin), makes a database
cluster in a temporary directory, starts it on a free loopback port (fsync off: the data is thrown away),
runs the command with STOCKFRONT_TEST_DATABASE_URL pointing at an empty database there (tests/conftest.py
empties it for every test), then stops the server and removes the directory. PostgreSQL refuses to run as
root; as root the cluster belongs to the `postgres` user that Debian's package creates.
Exit status: the command's, or 77 when no PostgreSQL server is installed.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

NO_SERVER = 77  # "skipped", as automake has it (pytest itself uses 0 to 5)


def server_programs() -> Path | None:
    found = shutil.which('pg_ctl')
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob('/usr/lib/postgresql/*/bin/pg_ctl'), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def as_owner(command: list[str], owner: str | None) -> list[str]:
    return ['runuser', '-u', owner, '--', *command] if owner else command


def main(command: list[str]) -> int:
    programs = server_programs()
    if programs is None:
        print('No PostgreSQL server installed (apt-get install postgresql); not run.', file=sys.stderr)
        return NO_SERVER
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam('postgres').pw_name
        except KeyError:
            print('Running as root without a `postgres` user to own the test server; not run.', file=sys.stderr)
            return NO_SERVER
    port = free_port()
    with tempfile.TemporaryDirectory(prefix='stockfront-pg-') as tmp:
        cluster = Path(tmp) / 'data'
        if owner:
            shutil.chown(tmp, owner)
        run = lambda *args: subprocess.run(as_owner([str(a) for a in args], owner), check=True)  # noqa: E731
        run(programs / 'initdb', '-D', cluster, '-A', 'trust', '-U', 'stockfront', '--no-sync', '-E', 'UTF8')
        options = f'-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off'
        run(programs / 'pg_ctl', '-D', cluster, '-o', options, '-l', Path(tmp) / 'server.log', '-w', 'start')
        try:
            url = f'postgresql+psycopg://stockfront@127.0.0.1:{port}/postgres'
            print(f'PostgreSQL test server on port {port}', file=sys.stderr)
            return subprocess.run(command, env={**os.environ, 'STOCKFRONT_TEST_DATABASE_URL': url}).returncode
        finally:
            run(programs / 'pg_ctl', '-D', cluster, '-m', 'fast', '-w', 'stop')


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
