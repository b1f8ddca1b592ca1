"""What putting several lines in the current order at once did (order again, a saved list): a message, and the
notes for the lines that did not go in as they were, in a dialog that leads to the current order."""

from __future__ import annotations

from nicegui import ui

from app.core.i18n import _, ngettext
from app.orders.order_again import Note, NoteKind, Outcome
from components import theme


def show_outcome(outcome: Outcome, currency: str) -> None:
    if outcome.repeated:
        ui.notify(_('These lines are in your current order already.'), type='info')
        return
    if outcome.lines:
        ui.notify(
            ngettext('{n} line added to your current order', '{n} lines added to your current order', outcome.lines),
            type='positive',
        )
    elif not outcome.notes:
        ui.notify(_('Nothing was added.'), type='warning')
    if not outcome.notes:
        return
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-lg q-pa-lg gap-3').mark('batch-notes'):
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon('info', size='28px').classes('text-primary')
            ui.label(_('Please note')).classes('text-h6')
        with ui.column().classes('w-full gap-2'):
            for note in outcome.notes:
                with ui.row().classes('w-full items-start gap-2 no-wrap').mark(f'note-{note.kind.value}'):
                    ui.icon(_ICONS[note.kind], size='20px').classes(_TONES[note.kind])
                    ui.label(note_text(note, currency)).classes('text-body2')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(_('Close'), on_click=dialog.close).props('flat no-caps')
            ui.button(
                _('Go to your current order'), icon='shopping_cart', on_click=lambda: ui.navigate.to('/current-order')
            ).props('unelevated no-caps').mark('to-current-order')
    dialog.open()


_ICONS = {NoteKind.UNAVAILABLE: 'block', NoteKind.REFUSED: 'error', NoteKind.CHANGED: 'edit', NoteKind.PRICE: 'sell'}
_TONES = {
    NoteKind.UNAVAILABLE: 'text-negative',
    NoteKind.REFUSED: 'text-negative',
    NoteKind.CHANGED: 'text-orange-9',
    NoteKind.PRICE: 'text-primary',
}


def note_text(note: Note, currency: str) -> str:
    product = _('{name} ({code})').format(name=note.name, code=note.code) if note.name else note.code
    if note.kind == NoteKind.UNAVAILABLE:
        if not product:
            return _('A product that is no longer available to you was not added.')
        return _('{product} is no longer available and was not added.').format(product=product)
    if note.kind == NoteKind.PRICE:
        return _('{product}: the price is now {new} (it was {old}).').format(
            product=product, new=theme.price(note.new_cents, currency), old=theme.price(note.old_cents, currency)
        )
    reason = note.message.message if note.message else ''
    if note.kind == NoteKind.REFUSED:
        return _('{product} was not added: {reason}').format(product=product, reason=reason)
    return _('{product}: {reason}').format(product=product, reason=reason)
