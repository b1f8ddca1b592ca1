"""One logging set-up (app/core/logging.py): readable lines or JSON lines, and audit lines that never hold a secret."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from app.core.config import ConfigError
from app.core.logging import AUDIT_LOGGER, audit, audit_fields, configure_logging


@pytest.fixture(autouse=True)
def _root_logger_restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def logged_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_json_lines_carry_time_level_logger_message_and_the_extra_fields(monkeypatch, capsys) -> None:
    monkeypatch.setenv('STOCKFRONT_LOG_FORMAT', 'json')
    configure_logging()
    logging.getLogger('stockfront.orders').info('order %s placed', 'SO-1', extra={'order_id': 7, 'units': [1, 2]})
    try:
        raise ValueError('no such product')
    except ValueError:
        logging.getLogger('stockfront').exception('failed "badly"\non two lines')

    first, second = (json.loads(line) for line in logged_lines(capsys))  # one object per line, nothing else
    assert first['level'] == 'INFO' and first['logger'] == 'stockfront.orders'
    assert first['message'] == 'order SO-1 placed'
    assert (first['order_id'], first['units']) == (7, [1, 2])
    assert first['time'].endswith('+00:00') and 'T' in first['time']
    assert second['message'] == 'failed "badly"\non two lines' and second['level'] == 'ERROR'
    assert 'ValueError: no such product' in second['exception']


def test_configuring_twice_keeps_one_line_per_record(monkeypatch, capsys) -> None:
    monkeypatch.setenv('STOCKFRONT_LOG_FORMAT', 'json')
    configure_logging()
    configure_logging()  # tests start main.py again and again in one process
    logging.getLogger('stockfront').warning('once')
    assert len(logged_lines(capsys)) == 1


def test_readable_lines_by_default_show_the_fields_as_key_value(monkeypatch, capsys) -> None:
    monkeypatch.delenv('STOCKFRONT_LOG_FORMAT', raising=False)
    configure_logging()
    audit('product.updated', actor_id=3, product_id=12)
    (line,) = logged_lines(capsys)
    assert line.endswith(' INFO stockfront.audit: product.updated actor_id=3 product_id=12')


def test_an_unknown_log_format_is_an_error_at_start(monkeypatch) -> None:
    monkeypatch.setenv('STOCKFRONT_LOG_FORMAT', 'xml')
    with pytest.raises(ConfigError, match='STOCKFRONT_LOG_FORMAT'):
        configure_logging()


def test_the_audit_line_drops_every_field_that_holds_a_secret(monkeypatch, capsys) -> None:
    monkeypatch.setenv('STOCKFRONT_LOG_FORMAT', 'json')
    configure_logging()
    audit(
        'sign_in.refused',
        username='customer',
        client_address='203.0.113.9',
        password='hunter2-password',
        new_Password='n3w-Pa55',
        session_token='tok-abc123',
        ticket='tkt-999',
        storage_secret='s3cr3t',
        Authorization='Bearer xyz',
        api_key='sk-live-1',
        form={'username': 'customer', 'password': 'nested-pw'},
    )
    out = capsys.readouterr().err
    (entry,) = (json.loads(line) for line in out.splitlines() if line)
    for secret in (
        'hunter2-password',
        'n3w-Pa55',
        'tok-abc123',
        'tkt-999',
        's3cr3t',
        'Bearer xyz',
        'sk-live-1',
        'nested-pw',
    ):
        assert secret not in out
    assert entry['logger'] == AUDIT_LOGGER and entry['message'] == 'sign_in.refused'
    assert (entry['username'], entry['client_address'], entry['form']) == (
        'customer',
        '203.0.113.9',
        {'username': 'customer'},
    )
    assert sorted(entry['dropped']) == sorted(
        [
            'password',
            'new_Password',
            'session_token',
            'ticket',
            'storage_secret',
            'Authorization',
            'api_key',
            'form.password',
        ]
    )


def test_audit_fields_named_like_the_log_records_own_attributes_do_not_break_the_line(caplog) -> None:
    with caplog.at_level(logging.INFO, logger=AUDIT_LOGGER):
        audit('product.renamed', name='Claw hammer', msg='x', message='y', level=3, product_id=12)
    (record,) = caplog.records
    assert record.getMessage() == 'product.renamed'
    assert (record.name_, record.msg_, record.message_, record.level_, record.product_id) == (
        'Claw hammer',
        'x',
        'y',
        3,
        12,
    )


def test_audit_fields_without_secrets_come_back_unchanged() -> None:
    assert audit_fields(actor_id=1, order_ids=[4, 5]) == {'actor_id': 1, 'order_ids': [4, 5]}
