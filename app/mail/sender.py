"""Delivering the outbox over SMTP: run by the portal process every few seconds, off the event loop.

Each due mail is sent and then marked sent in a transaction of its own, so a restart resumes with the mails not
yet marked and never sends a marked one again. (A crash in the instant between the server's acceptance and the
mark would send that one mail again, with the same Message-ID, which receivers use to tell a repeat.) A mail the
server refuses, or that cannot be sent because the server is down, is retried after a growing delay (30 s,
1 min, 2 min, ... at most an hour); one still undelivered a day after it was written (or resent) is marked
failed, for the supplier's admin to see and resend. Without STOCKFRONT_SMTP_HOST nothing is sent: mails stay in
the outbox.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlmodel import col, select

from app.core import clock, config, db, faults
from app.models import MailStatus, OutboxMail

log = logging.getLogger('stockfront.mail')

BATCH = 50  # mails per run; the rest wait for the next run, seconds later
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=1)
SMTP_TIMEOUT_S = 30

_running = threading.Lock()  # one run at a time in this process: a slow server must not make two runs overlap


@dataclass(frozen=True)
class _Due:
    id: int
    recipient: str
    subject: str
    text_body: str
    html_body: str
    message_id: str
    created_at: datetime


def send_due(*, limit: int = BATCH) -> int:
    """Send the queued mails that are due; returns how many were sent. Blocking: call it through run.io_bound."""
    settings = config.get()
    if not settings.smtp_host or not _running.acquire(blocking=False):
        return 0
    try:
        due = _due(limit)
        if not due:
            return 0
        faults.point(faults.CRASH_BEFORE_SENDING)  # test-only: a no-op unless STOCKFRONT_FAULT names it
        try:
            server = _connect(settings)
        except (OSError, smtplib.SMTPException) as e:
            log.warning('mail server %s:%s unavailable: %s', settings.smtp_host, settings.smtp_port, e)
            for mail in due:
                _attempt_failed(mail, e)
            return 0
        sent = 0
        with server:
            for index, mail in enumerate(due):
                try:
                    server.send_message(_message(mail, settings.mail_from))
                except (smtplib.SMTPServerDisconnected, OSError) as e:  # the connection is gone: all the rest wait
                    for waiting in due[index:]:
                        _attempt_failed(waiting, e)
                    break
                except smtplib.SMTPException as e:  # this mail refused (recipient, size ...): the others go on
                    _attempt_failed(mail, e)
                    continue
                _mark_sent(mail)
                sent += 1
        return sent
    finally:
        _running.release()


def _due(limit: int) -> list[_Due]:
    with db.read_session() as session:
        rows = session.exec(
            select(OutboxMail)
            .where(OutboxMail.status == MailStatus.QUEUED, col(OutboxMail.next_attempt_at) <= clock.now())
            .order_by(col(OutboxMail.next_attempt_at), col(OutboxMail.id))
            .limit(limit)
        ).all()
        return [
            _Due(r.id, r.recipient, r.subject, r.text_body, r.html_body, r.message_id, r.created_at)
            for r in rows
            if r.id is not None
        ]


def _connect(settings: config.Settings) -> smtplib.SMTP:
    if settings.smtp_security == 'ssl':
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S)
    try:
        if settings.smtp_security == 'starttls':
            server.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password)
    except BaseException:
        server.close()
        raise
    return server


def _message(mail: _Due, sender: str) -> EmailMessage:
    message = EmailMessage()
    message['From'] = sender
    message['To'] = mail.recipient
    message['Subject'] = mail.subject
    message['Message-ID'] = mail.message_id
    message['Date'] = format_datetime(_aware(mail.created_at))
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype='html')
    return message


def _mark_sent(mail: _Due) -> None:
    with db.write_session() as session:
        row = session.get(OutboxMail, mail.id)
        if row is not None:
            row.status, row.sent_at, row.attempts, row.last_error = MailStatus.SENT, clock.now(), row.attempts + 1, ''
            session.add(row)


def _attempt_failed(mail: _Due, error: BaseException) -> None:
    now = clock.now()
    with db.write_session() as session:
        row = session.get(OutboxMail, mail.id)
        if row is None or row.status != MailStatus.QUEUED:
            return
        row.attempts += 1
        row.last_error = f'{type(error).__name__}: {error}'[:1000]
        if now - _aware(row.queued_at) >= GIVE_UP_AFTER:
            row.status = MailStatus.FAILED
            log.warning('mail %s to %s failed for good: %s', row.id, row.recipient, row.last_error)
        else:
            row.next_attempt_at = now + min(FIRST_RETRY * 2 ** (row.attempts - 1), LONGEST_RETRY)
        session.add(row)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back the UTC moment without its zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.now().tzinfo)
