"""The supplier's Sent mail page on the demo portal (no mail server set): the outbox readable, failed mails resent.

The demo's customer orders were placed through the services, so their confirmations wait in the outbox."""

from __future__ import annotations

from nicegui.testing import User
from sqlmodel import col, select

from app.core import db
from app.core.i18n import _
from app.models import MailStatus, Order, OutboxMail
from tests.ui.conftest import signed_in


def confirmation_of(reference: str) -> OutboxMail:
    with db.read_session() as s:
        number = s.exec(select(Order.number).where(Order.reference == reference)).one()
        return s.exec(select(OutboxMail).where(col(OutboxMail.event_key).contains(f'{number}:confirmation'))).one()


async def test_without_a_mail_server_the_supplier_reads_the_portals_mails(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/mail')
    await user.should_see(marker='no-mail-server')
    mail = confirmation_of('PO-2026-0458')
    await user.should_see(mail.subject)
    await user.should_see(_('To {recipient}').format(recipient='casey@demo-retail.example'))
    texts = [element.text for element in user.find(marker='mail-text').elements]
    assert mail.text_body in texts and 'PO-2026-0458' in mail.text_body  # the mail's text, under 'Read the mail'
    await user.should_not_see(marker='mail-resend')  # nothing failed: nothing to resend


async def test_the_supplier_resends_a_failed_mail(user: User) -> None:
    mail = confirmation_of('PO-2026-0458')
    with db.write_session() as s:
        row = s.get(OutboxMail, mail.id)
        row.status, row.attempts, row.last_error = MailStatus.FAILED, 31, 'SMTPRecipientsRefused: mailbox full'
        s.add(row)
    await signed_in(user, 'supplier', at='/admin/mail?status=failed')
    await user.should_see('SMTPRecipientsRefused: mailbox full')
    await user.should_see(marker='mail-status-failed')
    user.find(marker='mail-resend').click()
    await user.should_see('The mail is queued again.')
    with db.read_session() as s:
        assert s.get(OutboxMail, mail.id).status == MailStatus.QUEUED
    await user.should_not_see(marker='mail-resend')


async def test_the_menu_leads_to_sent_mail(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin')
    user.find(marker='menu-Sent mail').click()
    await user.should_see(marker='mail-status-filter')
