"""The mail pages on the demo portal (no mail server set: mails wait in the outbox, where the tests read them):
"Forgot your password?", the reset and invitation pages, the user's own account page (address and mails), the
supplier's invitations and e-mail addresses in the customer's users, and the mail settings."""

from __future__ import annotations

import re

from nicegui import ui
from nicegui.testing import User
from sqlmodel import col, select

from app.core import db
from app.core.i18n import _
from app.identity import auth, links
from app.mail import account_mails, preferences
from app.mail import settings as mail_settings
from app.models import OutboxMail, PasswordLink
from tests.rows import customer_of, user_named
from tests.ui.conftest import signed_in
from tests.ui.forms import fill, send


def mails_to(address: str) -> list[OutboxMail]:
    with db.read_session() as s:
        return list(s.exec(select(OutboxMail).where(OutboxMail.recipient == address).order_by(col(OutboxMail.id))))


def link_in(mail: OutboxMail, path: str) -> str:
    """The portal-relative address of the link to `path` in the mail's text."""
    found = re.search(rf'https?://[^/\s]+({re.escape(path)}\?token=[A-Za-z0-9_-]+)', mail.text_body)
    assert found, mail.text_body
    return found.group(1)


async def ask_for_a_link(user: User, name: str) -> None:
    await user.open('/login')
    user.find(marker='forgot-password').click()
    await user.should_see(marker='reset-name')
    await send(user, {'reset-name': name}, 'reset-ask', marker='reset-asked', retries=150)


async def choose_password(user: User, password: str, repeated: str, *expect: str, **options: object) -> None:
    """The reset or invitation page's form: the new password, typed twice, saved."""
    await send(user, {'new-password': password, 'repeat-password': repeated}, 'save-password', *expect, **options)


async def test_forgot_password_on_the_login_page_mails_a_link_that_sets_a_new_password(user: User) -> None:
    await ask_for_a_link(user, 'customer')
    await user.should_see(_(account_mails.ASKED))
    [mail] = [m for m in mails_to('casey@demo-retail.example') if '/reset-password' in m.text_body]
    await user.open(link_in(mail, '/reset-password'))
    await user.should_see(marker='link-for')
    await choose_password(user, 'casey-new-pass', 'casey-other', 'The two passwords are not the same.')
    await choose_password(user, 'short', 'short', 'The password must be at least 8 characters long.', retries=150)
    await choose_password(user, 'casey-new-pass', 'casey-new-pass', marker='password-set', retries=150)
    assert auth.sign_in(username='customer', password='casey-new-pass', client_address='203.0.113.1')

    await user.open(link_in(mail, '/reset-password'))  # a used link says so
    await user.should_see(marker='link-used')
    await user.should_not_see(marker='new-password')


async def test_the_answer_is_the_same_for_a_name_without_an_account(user: User) -> None:
    await ask_for_a_link(user, 'no-such-user')
    await user.should_see(_(account_mails.ASKED))
    with db.read_session() as s:
        assert s.exec(select(PasswordLink)).all() == []


async def test_a_link_that_is_not_one_or_of_another_kind_shows_a_clear_message(user: User) -> None:
    await user.open('/reset-password?token=made-up')
    await user.should_see(_(links.STATE_MESSAGES[links.UNKNOWN]))
    await user.should_see(marker='ask-new-link')
    await user.open('/invitation')
    await user.should_see(marker='link-unknown')


async def test_the_supplier_invites_a_portal_user_who_then_chooses_its_password(user: User) -> None:
    demo = customer_of('DEMO')
    await signed_in(user, 'supplier', at=f'/admin/customers/{demo.id}')
    user.find(marker='new-user').click()
    fill(user, 'new-username', 'dana')
    fill(user, 'new-full-name', 'Dana Demo')
    user.find(marker='new-invite').elements.pop().value = True
    user.find(marker='create-user').click()
    await user.should_see('An invitation needs the e-mail address it goes to.', retries=150)
    await send(user, {'new-email': 'dana@demo-retail.example'}, 'create-user', marker='invited-dana', retries=150)
    assert len(mails_to('dana@demo-retail.example')) == 1
    assert links.is_invited(user_named('dana'))

    user.find(marker='invite-dana').click()  # again: a new link, the first one stops working
    await user.should_see('A new invitation is mailed to dana; the earlier link stops working.')
    first, second = mails_to('dana@demo-retail.example')
    await user.open(link_in(first, '/invitation'))
    await user.should_see(marker='link-used')
    await user.open(link_in(second, '/invitation'))
    await user.should_see('Welcome, Dana Demo. Choose the password you sign in with as dana.')


async def test_the_supplier_sets_a_users_address_and_a_wrong_one_changes_nothing(user: User) -> None:
    demo = customer_of('DEMO')
    await signed_in(user, 'supplier', at=f'/admin/customers/{demo.id}')
    await user.should_see('casey@demo-retail.example')
    user.find(marker='edit-email-customer').click()
    await send(user, {'user-email': 'casey@'}, 'save-user-email', 'Enter an e-mail address such as name@example.com.')
    assert user_named('customer').email == 'casey@demo-retail.example'
    await send(user, {'user-email': 'buyer@demo-retail.example'}, 'save-user-email', 'E-mail address saved')
    await user.should_see('buyer@demo-retail.example')
    assert user_named('customer').email == 'buyer@demo-retail.example'


async def test_the_user_edits_its_address_and_chooses_its_mails_from_the_header(user: User) -> None:
    await signed_in(user)
    user.find(marker='signed-in-as').click()
    await user.should_see(marker='own-email')
    assert user.back_history[-1] == '/account'
    await send(user, {'own-email': 'not an address'}, 'save-email', 'Enter an e-mail address such as name@example.com.')
    assert user_named('customer').email == 'casey@demo-retail.example'
    await send(user, {'own-email': 'casey.b@demo-retail.example'}, 'save-email', 'Your e-mail address is saved.')
    assert user_named('customer').email == 'casey.b@demo-retail.example'

    user.find(marker=f'mail-{preferences.DELIVERY_SENT}').elements.pop().value = False
    user.find(marker='save-mail-preferences').click()
    await user.should_see('Your choice of mails is saved.')
    casey = user_named('customer').id
    with db.read_session() as s:
        assert preferences.wanting(s, user_ids=[casey], kind=preferences.DELIVERY_SENT) == set()
        assert preferences.wanting(s, user_ids=[casey], kind=preferences.ORDER_CHECKED) == {casey}
    await user.open('/account')
    [box] = user.find(marker=f'mail-{preferences.DELIVERY_SENT}').elements
    assert isinstance(box, ui.checkbox) and box.value is False  # kept


async def test_the_supplier_has_its_own_account_page_and_sets_where_alerts_go(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/account')
    await user.should_see(marker='own-email')
    await user.should_not_see(marker='save-mail-preferences')  # the customer mails are for customers

    await user.open('/admin/mail')
    await send(
        user,
        {'order-alerts': 'orders@northwind.example, sales@'},
        'save-mail-settings',
        'sales@ is not an e-mail address.',
    )
    await send(
        user,
        {'order-alerts': 'orders@northwind.example, sales@northwind.example'},
        'save-mail-settings',
        'Mail settings saved',
    )
    with db.read_session() as s:
        assert mail_settings.alert_addresses(s) == ('orders@northwind.example', 'sales@northwind.example')
