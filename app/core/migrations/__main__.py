"""Alembic's own commands on the portal's database, configured in code:

    .venv/bin/python -m app.core.migrations revision --autogenerate -m "what changes"
    .venv/bin/python -m app.core.migrations current | history | heads | check | upgrade head

`revision` compares the models with a scratch SQLite database brought to the latest revision (never with
your data) and numbers the new revision after the last one. Every other command works on the database of
the settings (STOCKFRONT_DATABASE_URL, or data/stockfront.db).
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from alembic.config import CommandLine

from app.core import config, migrations


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.INFO, format='%(message)s')
    logging.getLogger('alembic').setLevel(logging.INFO)  # here its lines are what the developer asked for
    cli = CommandLine(prog='python -m app.core.migrations')
    options = cli.parser.parse_args(argv)
    if not hasattr(options, 'cmd'):
        cli.parser.error('name a command, e.g. revision --autogenerate -m "what changes"')
    if options.cmd[0].__name__ == 'revision':
        if getattr(options, 'rev_id', None) is None:
            options.rev_id = f'{len(list(migrations.scripts().walk_revisions())) + 1:04d}'
        with tempfile.TemporaryDirectory(prefix='stockfront-revision-') as scratch:
            url = f'sqlite:///{Path(scratch) / "scratch.db"}'
            migrations.upgrade(url)
            _run(cli, options, url)
        return
    url = config.load().database_url
    if options.cmd[0].__name__ == 'upgrade' and options.revision == 'head':  # as the start does it
        ran = migrations.upgrade(url)
        print(f'Ran {", ".join(ran)}.' if ran else 'Up to date.')
        return
    _run(cli, options, url)


def _run(cli: CommandLine, options, url: str) -> None:
    engine = migrations.migration_engine(url)
    try:
        with engine.begin() as conn:
            settings = migrations.alembic_config(conn)
            settings.cmd_opts = options
            cli.run_cmd(settings, options)
    finally:
        engine.dispose()


if __name__ == '__main__':
    main(sys.argv[1:])
