"""Invitations and "Forgot your password?": single-use links by mail (only their SHA-256 stored), valid 72 hours or
one hour; asking answers the same for any name and is throttled; using a link ends the user's sessions. Mailed to
a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlmodel import select

from app.core import clock, db, i18n
from app.core.errors import AccessDenied, ValidationError
from app.core.i18n import _
from app.identity import auth, links
from app.mail import account_mails, outbox, sender
from app.models import Customer, LinkPurpose, OutboxMail, PasswordLink, PortalUser, PortalUserCreate
from tests.rows import customer_of
from tests.smtp import Inbox, body, links_in
from tests.unit.test_mail import email_of, identity, mail_server, portal  # noqa: F401

PUBLIC = 'https://portal.northwind.example'
ADDRESS = '198.51.100.20'


@pytest.fixture(autouse=True)
def _demo_portal(portal):  # noqa: F811 - every test here on its own copy of the demo portal
    return portal


@pytest.fixture
def inbox(mail_server) -> Inbox:  # noqa: F811
    mail_server.start()
    return mail_server.inbox


def token_in(inbox: Inbox, address: str, path: str) -> str:
    """The token of the one link to `path` in the one mail to `address`."""
    [message] = inbox.to(address)
    [url] = [url for url in links_in(message) if url.startswith(PUBLIC + path)]
    assert url in body(message, 'plain')  # the text part has the same link
    return parse_qs(urlparse(url).query)['token'][0]


def ask(name: str, address: str = ADDRESS) -> None:
    account_mails.request_password_reset(name=name, client_address=address)


def use(token: str, password: str, purpose: LinkPurpose = LinkPurpose.PASSWORD_RESET) -> str:
    with db.write_session() as s:
        return links.use_link(s, token=token, purpose=purpose, password=password)


def state(token: str, purpose: LinkPurpose = LinkPurpose.PASSWORD_RESET) -> str:
    with db.read_session() as s:
        return links.link_state(s, token=token, purpose=purpose).state


def sign_in(username: str, password: str) -> str:
    return auth.sign_in(username=username, password=password, client_address='203.0.113.5')


def test_forgot_password_mails_a_single_use_link_that_sets_the_password_and_ends_the_sessions(inbox):
    session_token = sign_in('customer', 'customer-demo')
    ask('customer')
    sender.send_due()
    token = token_in(inbox, email_of('customer'), '/reset-password?token=')
    [message] = inbox.to(email_of('customer'))
    assert 'customer' in body(message, 'plain') and 'one hour' in body(message, 'plain')
    with db.read_session() as s:
        [link] = s.exec(select(PasswordLink)).all()
        stored = [mail.text_body + mail.html_body for mail in s.exec(select(OutboxMail)).all()]
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in link.token_hash
    assert state(token) == links.VALID

    assert use(token, 'a-new-password-1') == 'customer'
    assert auth.resolve(session_token) is None  # signed out everywhere
    with pytest.raises(auth.SignInRefused):
        sign_in('customer', 'customer-demo')
    assert auth.resolve(sign_in('customer', 'a-new-password-1')).username == 'customer'
    assert state(token) == links.USED
    with pytest.raises(ValidationError) as again:
        use(token, 'another-password-2')
    assert again.value.message == _(links.STATE_MESSAGES[links.USED])
    assert auth.resolve(sign_in('customer', 'a-new-password-1'))  # the second try changed nothing
    assert stored  # the token is in the mail, which is what carries it


def test_a_reset_link_expires_after_an_hour_and_a_newer_link_voids_the_older(inbox):
    start = clock.now()
    clock.set_now(lambda: start)
    ask('customer')
    ask('customer')
    sender.send_due()
    older, newer = (
        parse_qs(urlparse(next(u for u in links_in(m) if '/reset-password' in u)).query)['token'][0]
        for m in inbox.to(email_of('customer'))
    )
    assert state(older) == links.USED and state(newer) == links.VALID  # only the newest link works
    clock.set_now(lambda: start + timedelta(minutes=59))
    assert state(newer) == links.VALID
    clock.set_now(lambda: start + timedelta(minutes=61))
    assert state(newer) == links.EXPIRED
    with pytest.raises(ValidationError) as expired:
        use(newer, 'a-new-password-1')
    assert 'expired' in expired.value.message
    assert auth.resolve(sign_in('customer', 'customer-demo'))  # the password stayed


def test_a_name_without_an_account_gets_the_same_answer_and_nothing_is_sent_or_kept(inbox, monkeypatch):
    composed = []
    original = outbox.Composer.parts
    monkeypatch.setattr(outbox.Composer, 'parts', lambda self: composed.append(1) or original(self))
    ask('customer')
    ask('nobody-here')  # no exception, no different answer
    assert len(composed) == 2  # the same work was done for both: a mail composed ...
    with db.read_session() as s:
        assert len(s.exec(select(PasswordLink)).all()) == 1  # ... but only the real user's link kept
        assert [m.recipient for m in s.exec(select(OutboxMail)).all()] == [email_of('customer')]
    sender.send_due()
    assert len(inbox.received) == 1


def test_a_deactivated_user_or_one_without_an_address_gets_no_link(inbox):
    with db.write_session() as s:
        kunde = s.exec(select(PortalUser).where(PortalUser.username == 'kunde')).one()
        kunde.active = False
        casey = s.exec(select(PortalUser).where(PortalUser.username == 'customer')).one()
        casey.email = None
        s.add_all([kunde, casey])
    ask('kunde')
    ask('customer')
    with db.read_session() as s:
        assert s.exec(select(PasswordLink)).all() == [] and s.exec(select(OutboxMail)).all() == []


def test_the_user_may_ask_by_its_e_mail_address(inbox):
    ask('  Casey@Demo-Retail.example ')
    sender.send_due()
    assert token_in(inbox, 'casey@demo-retail.example', '/reset-password?token=')


def test_asking_is_throttled_per_name_known_or_not_and_per_address(inbox):
    start = clock.now()
    clock.set_now(lambda: start)
    for name in ['customer', 'nobody-here']:
        for _attempt in range(account_mails.NAME_FREE_REQUESTS):
            ask(name)
        ask(name)  # the first past the free ones is answered, and locks the name
        with pytest.raises(account_mails.ResetThrottled) as held:
            ask(name)
        assert 'Please wait' in held.value.message
    with db.read_session() as s:
        mailed = len(s.exec(select(OutboxMail)).all())
    assert mailed == account_mails.NAME_FREE_REQUESTS + 1  # the refused ask sent nothing
    ask('customer2')  # another name from the same address is not held back
    for index in range(account_mails.ADDRESS_FREE_REQUESTS + 1):  # many names from one address: it is held too
        ask(f'someone-{index}', address='192.0.2.77')
    with pytest.raises(account_mails.ResetThrottled):
        ask('kunde', address='192.0.2.77')
    clock.set_now(lambda: start + timedelta(hours=2))
    ask('customer')  # the locks end by themselves


def test_the_supplier_invites_a_user_who_chooses_its_password_through_the_mailed_link(inbox):
    supplier = identity('supplier')
    with db.write_session() as s:
        cologne = s.exec(select(Customer).where(Customer.code == 'KOELN')).one()  # reads German
        user = account_mails.invite_user(
            s,
            actor=supplier,
            data=PortalUserCreate(
                username='lena',
                full_name='Lena Vogel',
                customer_id=cologne.id,
                email='lena@werkstatt.example',
                password='',
            ),
        )
        assert links.is_invited(user)
    with pytest.raises(auth.SignInRefused):
        sign_in('lena', '')  # nobody can sign in before the password is chosen
    sender.send_due()
    token = token_in(inbox, 'lena@werkstatt.example', '/invitation?token=')
    [message] = inbox.to('lena@werkstatt.example')
    with i18n.speaking('de'):
        assert message['Subject'] == _('Your account for the {supplier} portal').format(
            supplier='Northwind Workshop Supply'
        )
    assert 'lena' in body(message, 'plain')
    assert state(token, LinkPurpose.PASSWORD_RESET) == links.UNKNOWN  # an invitation is no reset link
    start = clock.now()
    clock.set_now(lambda: start + timedelta(hours=71))
    assert state(token, LinkPurpose.INVITATION) == links.VALID
    assert use(token, 'lena-chose-this', LinkPurpose.INVITATION) == 'lena'
    assert auth.resolve(sign_in('lena', 'lena-chose-this')).username == 'lena'
    with db.read_session() as s:
        assert not links.is_invited(s.exec(select(PortalUser).where(PortalUser.username == 'lena')).one())


def test_an_invitation_expires_after_72_hours_and_can_be_sent_again(inbox):
    start = clock.now()
    clock.set_now(lambda: start)
    with db.write_session() as s:
        demo = s.exec(select(Customer).where(Customer.code == 'DEMO')).one()
        user = account_mails.invite_user(
            s,
            actor=identity('supplier'),
            data=PortalUserCreate(username='dana', customer_id=demo.id, email='dana@demo-retail.example', password=''),
        )
    sender.send_due()
    first = token_in(inbox, 'dana@demo-retail.example', '/invitation?token=')
    clock.set_now(lambda: start + timedelta(hours=73))
    assert state(first, LinkPurpose.INVITATION) == links.EXPIRED
    with db.write_session() as s:
        account_mails.invite_again(s, actor=identity('supplier'), user_id=user.id)
    sender.send_due()
    second = parse_qs(
        urlparse(next(u for u in links_in(inbox.to('dana@demo-retail.example')[1]) if 'token' in u)).query
    )
    assert use(second['token'][0], 'dana-password-1', LinkPurpose.INVITATION) == 'dana'
    with pytest.raises(ValidationError), db.write_session() as s:  # she has a password now
        account_mails.invite_again(s, actor=identity('supplier'), user_id=user.id)


def test_an_invitation_needs_an_address_and_a_supplier_and_nothing_is_made_without(inbox):
    demo = customer_of('DEMO')
    for actor, address, error in [
        (identity('supplier'), '', ValidationError),
        (identity('supplier'), 'not-an-address', ValidationError),
        (identity('customer'), 'eve@example.com', AccessDenied),
    ]:
        with pytest.raises(error), db.write_session() as s:
            account_mails.invite_user(
                s,
                actor=actor,
                data=PortalUserCreate(username='eve', customer_id=demo.id, email=address, password=''),
            )
    with db.read_session() as s:
        assert s.exec(select(PortalUser).where(PortalUser.username == 'eve')).first() is None
        assert s.exec(select(OutboxMail)).all() == [] and s.exec(select(PasswordLink)).all() == []


def test_a_password_through_a_link_follows_the_password_rules_and_a_refused_one_changes_nothing(inbox):
    ask('customer')
    sender.send_due()
    token = token_in(inbox, email_of('customer'), '/reset-password?token=')
    for bad in ['short', ' ' * 12, 'x' * 129]:
        with pytest.raises(ValidationError) as refused:
            use(token, bad)
        assert refused.value.field == 'password'
    assert state(token) == links.VALID
    for forged in ['', 'x', token + 'x', token.upper(), 'a' * 500, None, 12]:
        assert state(forged) == links.UNKNOWN


def test_a_link_token_is_never_in_the_database_only_its_hash(inbox):
    ask('customer')
    with db.read_session() as s:
        [mail] = s.exec(select(OutboxMail)).all()
        [link] = s.exec(select(PasswordLink)).all()
    token = re.search(r'token=([A-Za-z0-9_-]+)', mail.text_body).group(1)
    assert auth.token_hash(token) == link.token_hash
    with db.get_engine().connect() as conn:  # no column of the link table holds it
        row = conn.exec_driver_sql('SELECT * FROM passwordlink').one()
    assert token not in ' '.join(str(value) for value in row)
