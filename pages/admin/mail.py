"""Sent mail: the outbox as the supplier's admin sees it, newest first, with what each mail says and a Resend for
the failed ones. Without a mail server set, the portal's mails wait here and can be read."""

from __future__ import annotations

from nicegui import ui

from app.core import config, db, i18n, portal_settings
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.mail import outbox
from app.mail import settings as mail_settings
from app.models import MailStatus, OutboxMail, Role
from components import guard, theme
from components.form import Form
from components.page import portal_page
from components.pager import page_links, parse_page, url_with

PATH = '/admin/mail'
STATUS_NAMES = {MailStatus.QUEUED: N_('Waiting'), MailStatus.SENT: N_('Sent'), MailStatus.FAILED: N_('Failed')}
STATUS_COLOURS = {MailStatus.QUEUED: 'orange-8', MailStatus.SENT: 'positive', MailStatus.FAILED: 'negative'}


@guard.admin_action
def save_mail_settings(who: Identity, form: Form) -> None:
    with form.showing_errors(), db.write_session() as session:
        saved = mail_settings.set_alert_addresses(session, actor=who, addresses=form.text('order_alerts'))
        portal_settings.set_brand_colour(session, actor=who, colour=form.text('brand_colour'))
    form.fields['order_alerts'].value = ', '.join(saved)
    ui.notify(_('Mail settings saved'), type='positive')


def _settings(who: Identity) -> None:
    with db.read_session() as session:
        alerts = mail_settings.alert_settings(session, actor=who)
        colour = portal_settings.brand_colour(session)
    form = Form()
    with (
        ui.expansion(_('Mail settings'), icon='tune')
        .classes('w-full bg-white rounded-borders')
        .props('dense-toggle')
        .mark('mail-settings'),
        ui.column().classes('w-full gap-3 q-pa-sm'),
    ):
        alerts_field = form.add(
            'order_alerts',
            ui.input(_('New-order alerts go to'), value=', '.join(alerts.addresses))
            .props('outlined dense maxlength=2000')
            .classes('w-full')
            .mark('order-alerts'),
        )
        alerts_field.props['hint'] = (
            _('Addresses separated by commas. Until you save here: STOCKFRONT_ORDER_ALERTS.')
            if alerts.from_environment
            else _('Addresses separated by commas; empty: no alerts.')
        )
        form.add(
            'brand_colour',
            ui.color_input(_('Brand colour of the portal and its mails'), value=colour)
            .props('outlined dense')
            .classes('w-full max-w-xs')
            .mark('brand-colour'),
        )
        ui.button(_('Save mail settings'), icon='check', on_click=lambda: save_mail_settings(form)).props(
            'unelevated no-caps'
        ).classes('self-start').mark('save-mail-settings')


@guard.admin_action
def resend_mail(who: Identity, mail_id: int, refresh) -> None:
    with db.write_session() as session:
        outbox.resend(session, actor=who, mail_id=mail_id)
    ui.notify(_('The mail is queued again.'), type='positive')
    refresh()


def _mail(mail: OutboxMail, refresh) -> None:
    with ui.card().classes('w-full q-pa-md gap-2').props('flat bordered').mark(f'mail-{mail.id}'):
        with ui.row().classes('w-full items-start gap-3 no-wrap'):
            with ui.column().classes('gap-0 col min-w-0'):  # col, not col-grow: a long subject shrinks to its ellipsis
                ui.label(mail.subject).classes('w-full text-subtitle1 text-weight-medium ellipsis').mark('mail-subject')
                ui.label(_('To {recipient}').format(recipient=mail.recipient)).classes('text-body2 text-grey-8')
            ui.badge(_(STATUS_NAMES[mail.status]), color=STATUS_COLOURS[mail.status]).props('rounded').classes(
                'q-px-sm q-py-xs flex-none'
            ).mark(f'mail-status-{mail.status.value}')
        details = [_('Written {moment}').format(moment=i18n.moment(mail.created_at))]
        if mail.sent_at:
            details.append(_('sent {moment}').format(moment=i18n.moment(mail.sent_at)))
        if mail.attempts and mail.status != MailStatus.SENT:
            details.append(ngettext('{n} attempt', '{n} attempts', mail.attempts))
        ui.label(' · '.join(details)).classes('text-caption text-grey-7')
        if mail.last_error and mail.status != MailStatus.SENT:
            ui.label(mail.last_error).classes('text-caption text-negative').mark('mail-error')
        with ui.expansion(_('Read the mail')).classes('w-full').props('dense'):
            ui.label(mail.text_body).classes('text-body2 whitespace-pre-wrap').mark('mail-text')
        if mail.status == MailStatus.FAILED:
            ui.button(_('Resend'), icon='send', on_click=lambda: resend_mail(mail.id, refresh)).props(
                'outline no-caps'
            ).mark('mail-resend')


@portal_page(PATH, role=Role.ADMIN, title=N_('Sent mail'), menu=PATH)
def admin_mail_page(who: Identity, status: str = '', page: str = '1') -> None:
    status = status if status in {s.value for s in MailStatus} else ''
    if not config.get().smtp_host:
        with ui.row().classes('w-full items-center gap-2 no-wrap text-grey-8').mark('no-mail-server'):
            ui.icon('info', size='20px')
            ui.label(
                _('No mail server is set (STOCKFRONT_SMTP_HOST): mails wait here and are sent once one is set.')
            ).classes('text-body2')
    _settings(who)
    options = {'': _('All'), **{s.value: _(name) for s, name in STATUS_NAMES.items()}}
    ui.toggle(options, value=status, on_change=lambda e: ui.navigate.to(url_with(PATH, {'status': e.value}))).props(
        'no-caps unelevated toggle-color=primary'
    ).mark('mail-status-filter')

    @ui.refreshable
    def mail_list() -> None:
        with db.read_session() as session:
            result = outbox.admin_mails(session, actor=who, status=status or None, page=parse_page(page))
        if not result.items:
            theme.empty_state('mail', _('No mail'), _("The portal's mails show up here, newest first."))
            return
        ui.label(ngettext('{n} mail', '{n} mails', result.total)).classes('text-subtitle2 text-grey-8')
        with ui.column().classes('w-full gap-3'):
            for mail in result.items:
                _mail(mail, mail_list.refresh)
        page_links(
            result.page, result.pages, on_change=lambda n: ui.navigate.to(url_with(PATH, {'status': status, 'page': n}))
        )

    mail_list()
