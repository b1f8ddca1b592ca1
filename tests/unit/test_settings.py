"""Settings that decide who can reach the portal."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import config


def test_the_portal_listens_on_this_machine_only_unless_told_otherwise(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv('STOCKFRONT_HOST', raising=False)
    assert config.load().host == '127.0.0.1'  # the demo with its published passwords is not on every interface
    monkeypatch.setenv('STOCKFRONT_HOST', '0.0.0.0')  # noqa: S104 - an operator's explicit choice
    assert config.load().host == '0.0.0.0'  # noqa: S104


def test_the_mails_links_go_where_the_portal_listens_unless_a_public_address_is_set(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ('STOCKFRONT_HOST', 'STOCKFRONT_PORT', 'STOCKFRONT_PUBLIC_URL'):
        monkeypatch.delenv(name, raising=False)
    assert config.load().public_url == 'http://127.0.0.1:8080'
    monkeypatch.setenv('STOCKFRONT_PORT', '8765')  # a second portal beside the first: its reset links open it
    assert config.load().public_url == 'http://127.0.0.1:8765'
    monkeypatch.setenv('STOCKFRONT_HOST', '0.0.0.0')  # noqa: S104 - every interface: this machine's address
    assert config.load().public_url == 'http://127.0.0.1:8765'
    monkeypatch.setenv('STOCKFRONT_PUBLIC_URL', 'https://portal.northwind.example/')
    assert config.load().public_url == 'https://portal.northwind.example'
