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
