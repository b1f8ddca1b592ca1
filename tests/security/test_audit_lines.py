"""Audit lines (logger `stockfront.audit`): sign-ins, refused sign-ins and every supplier click say who did what to
which ids, and never carry a password. ASVS 16.2.1 (who, what, when) / 16.2.5 (no secrets in logs)."""

from __future__ import annotations

import logging

import pytest
from nicegui.testing import User

from tests.rows import user_named
from tests.security.test_access_matrix import guarded_handlers
from tests.ui.conftest import sign_in, signed_in
from tests.ui.test_admin_customers import choose, deactivate, open_customer


def audit_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == 'stockfront.audit']


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record of the test, audit or not, with all its fields."""
    return '\n'.join(f'{r.getMessage()} {r.__dict__}' for r in caplog.records)


async def test_a_refused_sign_in_is_audited_with_the_name_as_typed_and_never_the_password(
    user: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await sign_in(user, 'Customer ', 'Sup3r-secret-guess')
    await user.should_see('Unknown user name or wrong password.')
    [line] = audit_records(caplog)
    assert line.getMessage() == 'sign_in.refused'
    assert (line.username, line.address, line.reason) == ('Customer ', '127.0.0.1', 'credentials')
    assert 'Sup3r-secret-guess' not in everything_logged(caplog)


async def test_a_supplier_click_is_audited_with_who_what_and_which_ids(
    user: User, caplog: pytest.LogCaptureFixture
) -> None:
    await signed_in(user, 'supplier')
    caplog.set_level(logging.INFO)
    await open_customer(user, 'OTHER')
    await deactivate(user, 'customer2')
    [line] = [r for r in audit_records(caplog) if r.getMessage() == 'admin.set_user_active']
    supplier = user_named('supplier')
    assert (line.actor, line.actor_id, line.outcome) == ('supplier', supplier.id, 'done')
    assert (line.user_id, line.active) == (user_named('customer2').id, False)


async def test_a_password_reset_is_audited_without_the_password(user: User, caplog: pytest.LogCaptureFixture) -> None:
    await signed_in(user, 'supplier')
    caplog.set_level(logging.INFO)
    await open_customer(user, 'OTHER')
    user.find(marker='reset-customer2').click()
    choose(user, 'reset-password-mode', 'type')
    user.find(marker='reset-password').clear().type('a-new-typed-password')
    user.find(marker='set-password').click()
    await user.should_see('Password of customer2 changed')
    [line] = [r for r in audit_records(caplog) if r.getMessage() == 'admin.reset_user_password']
    assert (line.actor, line.outcome) == ('supplier', 'done')
    assert 'a-new-typed-password' not in everything_logged(caplog)


async def test_a_customer_calling_a_supplier_handler_is_audited_as_refused(
    user: User, caplog: pytest.LogCaptureFixture
) -> None:
    await signed_in(user, 'customer', at='/')
    caplog.set_level(logging.INFO)
    customer2 = user_named('customer2')
    [set_user_active] = [
        handler for name, (handler, _) in guarded_handlers().items() if name.endswith('.set_user_active')
    ]
    with user.client:  # as a forged event on the customer's own page would run it
        await set_user_active(customer2.id, False, lambda: None)
    [line] = [r for r in audit_records(caplog) if r.getMessage() == 'admin.set_user_active']
    assert (line.actor, line.actor_role, line.outcome) == ('customer', 'customer', 'no access')
    assert line.user_id == customer2.id
    assert user_named('customer2').active
