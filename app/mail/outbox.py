"""Writing mails to the outbox, in the caller's transaction, and composing them as plain text plus simple HTML;
the supplier's view of the outbox ("Sent mail") and resending a failed mail."""

from __future__ import annotations

import html
import secrets

from sqlmodel import Session, col, select

from app.core import clock, config, paging, portal_settings
from app.core.errors import NotFound, ValidationError
from app.core.paging import Page
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import MailStatus, OutboxMail

MAX_PAGE_SIZE = 100
MAX_ID = 2**63 - 1


def write(session: Session, *, event_key: str, recipient: str, subject: str, mail: Composer) -> OutboxMail:
    """Queue the composed mail in the caller's transaction: it is sent only if that commits. An event key already
    written (the same event reported again) gives the mail written then, not a second one."""
    known = session.exec(select(OutboxMail).where(OutboxMail.event_key == event_key)).first()
    if known is not None:
        return known
    text, html_body = mail.parts()
    queued = OutboxMail(
        event_key=event_key,
        recipient=recipient,
        subject=subject[:300],
        text_body=text,
        html_body=html_body,
        message_id=new_message_id(),
        status=MailStatus.QUEUED,
        next_attempt_at=clock.now(),
    )
    session.add(queued)
    session.flush()
    return queued


def admin_mails(
    session: Session, *, actor: Identity, status: str | None = None, page: int = 1, page_size: int = 50
) -> Page[OutboxMail]:
    """The outbox, newest first, optionally of one status (queued, sent, failed)."""
    ensure_admin(actor)
    query = select(OutboxMail)
    if status:
        if status not in set(MailStatus):
            raise ValidationError('Choose a status from the list.', 'status')
        query = query.where(OutboxMail.status == MailStatus(status))
    newest_first = (col(OutboxMail.created_at).desc(), col(OutboxMail.id).desc())
    return paging.page_of(
        session, query, order_by=newest_first, page=page, page_size=page_size, max_page_size=MAX_PAGE_SIZE
    )


def resend(session: Session, *, actor: Identity, mail_id: int) -> OutboxMail:
    """Queue a failed mail again, due now, with a day of retries of its own; its Message-ID stays the same."""
    ensure_admin(actor)
    valid_id = isinstance(mail_id, int) and not isinstance(mail_id, bool) and 0 < mail_id <= MAX_ID
    mail = session.get(OutboxMail, mail_id, with_for_update=True) if valid_id else None
    if mail is None:
        raise NotFound('This mail')
    if mail.status != MailStatus.FAILED:
        raise ValidationError('Only a failed mail can be sent again.')
    now = clock.now()
    mail.status, mail.next_attempt_at, mail.queued_at = MailStatus.QUEUED, now, now
    session.add(mail)
    return mail


def new_message_id() -> str:
    """A Message-ID of its own for one outbox row (email.utils.make_msgid would look up the host name)."""
    sender = config.get().mail_from
    domain = sender.rpartition('@')[2] or 'stockfront.localhost'
    return f'<{secrets.token_hex(16)}@{domain}>'


def link(path: str) -> str:
    """An address in the portal, for a mail's links."""
    return config.get().public_url + path


class Composer:
    """A mail's body written once, as plain text and as simple HTML at the same time, in the supplier's name and
    main colour (portal settings). Every value is escaped in the HTML part: what users typed (names, references,
    addresses) is only ever text."""

    def __init__(self, heading: str, *, supplier: str = '', colour: str = '#1f4e79') -> None:
        self._supplier = supplier
        self._colour = colour if portal_settings.COLOUR_RE.fullmatch(colour) else '#1f4e79'
        self._text: list[str] = [heading, '']
        self._html: list[str] = [f'<h2 style="margin:0 0 16px;color:{self._colour}">{html.escape(heading)}</h2>']

    @classmethod
    def of(cls, session: Session, heading: str) -> Composer:
        """A mail in this portal's supplier name and colour."""
        return cls(
            heading,
            supplier=portal_settings.supplier_name(session),
            colour=portal_settings.brand_colour(session),
        )

    def paragraph(self, *lines: str) -> Composer:
        lines = tuple(line for line in lines if line)
        if lines:
            self._text.extend([*lines, ''])
            self._html.append('<p>' + '<br>'.join(html.escape(line) for line in lines) + '</p>')
        return self

    def table(self, head: list[str], rows: list[list[str]], *, notes: list[str] | None = None) -> Composer:
        """Rows of cells; in the text part each row is one line (and its note, if any, under it)."""
        for index, row in enumerate(rows):
            self._text.append('- ' + ' | '.join(cell for cell in row if cell))
            if notes and notes[index]:
                self._text.append('  ' + notes[index])
        self._text.append('')
        cell = 'style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left"'
        parts = ['<table style="border-collapse:collapse;margin:0 0 16px">', '<tr>']
        parts += [f'<th {cell}>{html.escape(title)}</th>' for title in head]
        parts.append('</tr>')
        for index, row in enumerate(rows):
            parts.append('<tr>' + ''.join(f'<td {cell}>{html.escape(value)}</td>' for value in row) + '</tr>')
            if notes and notes[index]:
                parts.append(
                    f'<tr><td colspan="{len(head)}" {cell}><small>{html.escape(notes[index])}</small></td></tr>'
                )
        parts.append('</table>')
        self._html.append(''.join(parts))
        return self

    def amounts(self, rows: list[tuple[str, str]]) -> Composer:
        """Label and amount pairs (totals)."""
        self._text.extend([f'{label}: {amount}' if amount else label for label, amount in rows] + [''])
        cells = ''.join(
            f'<tr><td style="padding:2px 8px">{html.escape(label)}</td>'
            f'<td style="padding:2px 8px;text-align:right">{html.escape(amount)}</td></tr>'
            for label, amount in rows
        )
        self._html.append(f'<table style="margin:0 0 16px">{cells}</table>')
        return self

    def link_line(self, label: str, text: str, url: str | None) -> Composer:
        """'Label: text', the text a link to `url` when there is one (in the text part the address follows)."""
        if url:
            self._text.extend([f'{label}: {text} ({url})', ''])
            self._html.append(
                f'<p>{html.escape(label)}: <a href="{html.escape(url, quote=True)}" style="color:{self._colour}">'
                f'{html.escape(text)}</a></p>'
            )
        else:
            self.paragraph(f'{label}: {text}')
        return self

    def button(self, label: str, url: str) -> Composer:
        self._text.extend([f'{label}: {url}', ''])
        self._html.append(
            f'<p><a href="{html.escape(url, quote=True)}" style="background:{self._colour};color:#fff;'
            'padding:8px 16px;border-radius:4px;text-decoration:none;display:inline-block">'
            f'{html.escape(label)}</a></p>'
        )
        return self

    def text(self) -> str:
        lines = self._text + (['--', self._supplier] if self._supplier else [])
        return '\n'.join(lines).rstrip() + '\n'

    def html(self, *, footer: str = '') -> str:
        footer = footer or self._supplier
        end = f'<p style="color:#777;font-size:12px">{html.escape(footer)}</p>' if footer else ''
        band = (
            f'<div style="background:{self._colour};color:#fff;padding:12px 16px;font-size:16px;font-weight:bold">'
            f'{html.escape(self._supplier)}</div>'
            if self._supplier
            else ''
        )
        return (
            '<!DOCTYPE html><html><body style="margin:0;font-family:Arial,sans-serif;font-size:14px;color:#222">'
            + band
            + '<div style="padding:16px">'
            + ''.join(self._html)
            + end
            + '</div></body></html>'
        )

    def parts(self) -> tuple[str, str]:
        """The text and the HTML part."""
        return self.text(), self.html()
