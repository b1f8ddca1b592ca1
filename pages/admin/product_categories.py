"""A section of the supplier's product page: the product's categories and its attribute values (the attributes its
categories and their parents list)."""

from __future__ import annotations

from nicegui import ui

from app.catalogue import categories
from app.core import db
from app.core.i18n import _
from app.identity.auth import Identity
from components import guard
from components.section import note, section


@guard.admin_action
def save_categories(who: Identity, product_id: int, picker: ui.select, fields: dict, done: object) -> None:
    """The chosen categories and the attribute fields, in one transaction."""
    chosen = picker.value or []
    if not isinstance(chosen, list) or not all(isinstance(i, int) for i in chosen):
        chosen = []
    with db.write_session() as session:
        categories.set_product_categories(session, actor=who, product_id=product_id, category_ids=chosen)
        categories.set_product_attributes(
            session,
            actor=who,
            product_id=product_id,
            values={name: field.value or '' for name, field in (fields or {}).items()},
        )
    ui.notify(_('Categories and attributes saved'), type='positive')
    if callable(done):
        done()


def categories_section(who: Identity, product_id: int) -> None:
    @ui.refreshable
    def content() -> None:
        with db.read_session() as session:
            tree = categories.category_tree(session, actor=who)
            chosen = categories.product_category_ids(session, actor=who, product_id=product_id)
            values = categories.product_attributes(session, actor=who, product_id=product_id)
        if not tree.by_id:
            note(_('No categories yet: make them under Categories.'))
            return
        picker = (
            ui.select(
                {node.id: tree.label(node.id) for node in tree.walk()},
                value=chosen,
                multiple=True,
                label=_('Categories'),
            )
            .props('outlined dense use-chips options-dense')
            .classes('w-full')
            .mark('product-categories')
        )
        fields: dict[str, ui.input] = {}

        @ui.refreshable
        def attribute_fields() -> None:
            names = tree.attributes_of(picker.value or [])
            kept = {name: field.value for name, field in fields.items()}
            fields.clear()
            if not names:
                ui.label(_('The categories chosen list no attributes.')).classes('text-caption text-grey-7')
                return
            with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 md:grid-cols-3 gap-3'):
                for name in names:
                    fields[name] = (
                        ui.input(name, value=kept.get(name, values.get(name, '')))
                        .props('outlined dense maxlength=80')
                        .mark(f'attribute-{name}')
                    )

        picker.on_value_change(attribute_fields.refresh)
        attribute_fields()
        with ui.row().classes('w-full justify-end'):
            ui.button(
                _('Save'), icon='save', on_click=lambda: save_categories(product_id, picker, fields, content.refresh)
            ).props('outline no-caps').mark('save-categories')

    with section(
        _('Categories and attributes'),
        'account_tree',
        _('Customers find the product in these categories and read its attributes as specifications.'),
        mark='categories-card',
    ):
        content()
