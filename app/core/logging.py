"""One logging set-up for the portal (main.py) and the command (app/cli.py), and the audit trail.

Lines go to standard error: readable by default, one JSON object per line with STOCKFRONT_LOG_FORMAT=json
(time, level, logger, message and every extra field, for a log collector). STOCKFRONT_LOG_LEVEL sets the level
(default INFO). Uvicorn's loggers are left to this set-up too (main.py passes log_config=None).

Audit lines (logger `stockfront.audit`) record who did what to which ids: `audit('product.updated',
actor_id=3, product_id=12)`. Fields whose names say they hold a secret (password, token, ticket, secret, ...) are
dropped, whatever the caller passes; their names are listed under `dropped` so the omission shows.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

from app.core.config import ConfigError

AUDIT_LOGGER = 'stockfront.audit'
audit_log = logging.getLogger(AUDIT_LOGGER)

# a field is dropped when its name contains one of these (case-insensitive): `new_password`, `session_token`, ...
SECRET_WORDS = ('password', 'passwd', 'token', 'ticket', 'secret', 'cookie', 'authorization', 'credential', 'api_key')

_RECORD_FIELDS = frozenset(logging.makeLogRecord({}).__dict__) | {'message', 'asctime'}
_SHOWN_NAMES = {'time', 'level', 'logger', 'message'}


def _extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {key: value for key, value in record.__dict__.items() if key not in _RECORD_FIELDS}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, then the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            'time': datetime.fromtimestamp(record.created, UTC).isoformat(timespec='milliseconds'),
            'level': record.levelname,
            'logger': record.name,
            'message': record.getMessage(),
        }
        for key, value in _extra_fields(record).items():
            line[key if key not in _SHOWN_NAMES else f'{key}_'] = value
        if record.exc_info:
            line['exception'] = self.formatException(record.exc_info)
        if record.stack_info:
            line['stack'] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`2026-01-31 12:00:00,123 INFO stockfront.audit: product.updated actor_id=3 product_id=12`"""

    def __init__(self) -> None:
        super().__init__('%(asctime)s %(levelname)s %(name)s: %(message)s')

    def formatMessage(self, record: logging.LogRecord) -> str:
        extra = ' '.join(f'{key}={value!r}' for key, value in _extra_fields(record).items())
        return super().formatMessage(record) + (f' {extra}' if extra else '')


class _Handler(logging.StreamHandler):
    """The handler this module installs (so configuring again replaces it instead of adding a second)."""


def configure_logging() -> None:
    """Install the one handler on the root logger, in the format STOCKFRONT_LOG_FORMAT asks for."""
    kind = (os.environ.get('STOCKFRONT_LOG_FORMAT') or 'text').strip().lower()
    if kind not in {'text', 'json'}:
        raise ConfigError(f'STOCKFRONT_LOG_FORMAT must be text or json, not {kind!r}')
    level_name = (os.environ.get('STOCKFRONT_LOG_LEVEL') or 'INFO').strip().upper()
    level = logging.getLevelNamesMapping().get(level_name)
    if level is None:
        raise ConfigError(f'STOCKFRONT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level_name!r}')
    handler = _Handler(sys.stderr)
    handler.setFormatter(JsonFormatter() if kind == 'json' else TextFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Alembic tells at INFO how it sets itself up, at every start; app.core.migrations logs which revisions ran
    logging.getLogger('alembic').setLevel(level if level <= logging.DEBUG else logging.WARNING)


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_WORDS)


def _without_secrets(value: Any, dropped: list[str], path: str = '') -> Any:
    if isinstance(value, dict):
        kept = {}
        for key, inner in value.items():
            if _is_secret(str(key)):
                dropped.append(f'{path}{key}')
            else:
                kept[key] = _without_secrets(inner, dropped, f'{path}{key}.')
        return kept
    if isinstance(value, list | tuple):
        return [_without_secrets(inner, dropped, path) for inner in value]
    return value


def audit_fields(**fields: Any) -> dict[str, Any]:
    """The fields as they go into an audit line: secrets dropped (also inside dicts), their names under `dropped`."""
    dropped: list[str] = []
    kept = _without_secrets(fields, dropped)
    # names a LogRecord uses itself (name, msg, args, ...) cannot be extra fields: they get a trailing underscore
    safe = {(f'{key}_' if key in _RECORD_FIELDS or key in _SHOWN_NAMES else key): value for key, value in kept.items()}
    if dropped:
        safe['dropped'] = dropped
    return safe


def audit(event: str, **fields: Any) -> None:
    """One audit line: the event (`sign_in.refused`, `order.cancelled`, ...) and who and which ids, never a secret."""
    audit_log.info(event, extra=audit_fields(**fields))
