"""The supplier's categories: the tree (up to three levels), names per language, attributes, order, moving and
deleting. Products are put in categories on each product's page (pages/admin/product_categories.py)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.catalogue import categories
from app.catalogue.categories import CategoryNode, CategoryTree
from app.core import db, i18n, portal_settings
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.models import Role
from components import guard, live, theme
from components.confirm import confirm
from components.form import Form, choice_field
from components.form_dialog import FormDialog
from components.page import portal_page
from components.section import note, section

PATH = '/admin/categories'
TOP = 'top'  # the parent picker's value for the top level


@guard.admin_action
def add_category(who: Identity, parent_id: int | None, form: Form, done: Callable[[], object]) -> None:
    with form.showing_errors(), db.write_session() as session:
        made = categories.create_category(session, actor=who, name=form.text('name'), parent_id=parent_id)
    form.empty('name')
    ui.notify(_('Category {name} made').format(name=made.name), type='positive')
    done()


@guard.admin_action
def save_category(who: Identity, category_id: int, form: Form, dialog: FormDialog, done: Callable[[], object]) -> None:
    """Names per language, attributes (one per line) and the parent, in one transaction: all or nothing."""
    with form.showing_errors(), db.write_session() as session:
        names = {language: form.text(f'name_{language}') for language in i18n.LANGUAGES}
        categories.set_category_names(session, actor=who, category_id=category_id, names=names)
        categories.set_category_attributes(
            session, actor=who, category_id=category_id, names=form.text('attributes').splitlines()
        )
        parent = form.fields['parent'].value
        categories.move_category(
            session, actor=who, category_id=category_id, parent_id=None if parent in (TOP, None) else int(parent)
        )
    dialog.close()
    ui.notify(_('Changes saved'), type='positive')
    done()


@guard.admin_action
def shift_category(who: Identity, category_id: int, by: int, done: Callable[[], object]) -> None:
    with db.write_session() as session:
        categories.shift_category(session, actor=who, category_id=category_id, by=by)
    done()


@guard.admin_action
def delete_category(who: Identity, category_id: int, done: Callable[[], object]) -> None:
    with db.write_session() as session:
        left = categories.delete_category(session, actor=who, category_id=category_id)
    ui.notify(
        ngettext(
            'Category deleted; {n} product left it and stays in the catalogue.',
            'Category deleted; {n} products left it and stay in the catalogue.',
            left,
        ),
        type='positive',
    )
    done()


def _ask_delete(who: Identity, node: CategoryNode, done: Callable[[], object]) -> object:
    with db.read_session() as session:
        effect = categories.deletion_effect(session, actor=who, category_id=node.id)
    if effect.subcategories:
        ui.notify(
            ngettext(
                '{name} has {n} subcategory: move or delete it first.',
                '{name} has {n} subcategories: move or delete them first.',
                effect.subcategories,
            ).format(name=node.name),
            type='warning',
        )
        return None
    text = (
        ngettext(
            '{n} product is in this category; it stays in the catalogue and leaves this category.',
            '{n} products are in this category; they stay in the catalogue and leave this category.',
            effect.products,
        )
        if effect.products
        else _('No products are in this category.')
    )
    return confirm(
        _('Delete {name}?').format(name=node.name),
        text,
        yes=_('Delete category'),
        yes_icon='delete',
        mark='confirm-delete-category',
        then=lambda: delete_category(node.id, done),
    )


def _edit_dialog(who: Identity, node: CategoryNode, tree: CategoryTree, done: Callable[[], object]) -> None:
    with db.read_session() as session:
        names = categories.category_names(session, actor=who, category_id=node.id)
        default = portal_settings.default_language(session)
    dialog = FormDialog('edit', _('Change {name}').format(name=node.name), wide=True)
    form = Form()
    below = set(tree.subtree_ids(node.id))
    height = max((n.depth for n in tree.walk() if n.id in below), default=node.depth) - node.depth + 1
    parents = {TOP: _('At the top level')} | {
        str(n.id): tree.label(n.id)
        for n in tree.walk()
        if n.id not in below and n.depth + height <= categories.MAX_DEPTH
    }
    with dialog.card:
        for language in sorted(i18n.LANGUAGES, key=lambda lang: lang != default):
            label = _('Name in {language}').format(language=i18n.language_name(language))
            field = ui.input(label, value=names[language]).props('outlined dense maxlength=80').classes('w-full')
            if language != default:
                field.props['hint'] = _('Empty: the {language} name is shown.').format(
                    language=i18n.language_name(default)
                )
            form.add(f'name_{language}', field.mark(f'category-name-{language}'), required=language == default)
        form.add(
            'parent',
            choice_field(parents, str(node.parent_id) if node.parent_id else TOP, _('Place it under'))
            .classes('w-full')
            .mark('category-parent'),
        )
        form.add(
            'attributes',
            ui.textarea(
                _('Attributes, one per line'),
                value='\n'.join(node.attributes),
                placeholder=_('Material\nSize\nColour'),
            )
            .props('outlined dense autogrow')
            .classes('w-full')
            .mark('category-attributes'),
        )
        ui.label(_('Products in this category and its subcategories get a field for each on their page.')).classes(
            'text-caption text-grey-7'
        )
    dialog.buttons(
        _('Save changes'),
        icon='save',
        on_click=lambda: save_category(node.id, form, dialog, done),
        mark='save-category',
    )
    dialog.open()


def _row(who: Identity, node: CategoryNode, siblings: int, index: int, counts: dict[int, int], tree: CategoryTree,
         done: Callable[[], object]) -> None:  # fmt: skip
    with (
        ui.row()
        .classes('w-full items-center gap-2 no-wrap q-py-xs border-b border-gray-200')
        .style(f'padding-left: calc({node.depth - 1} * min(28px, 3vw))')  # less indented on a phone
        .mark(f'category-row-{node.own_name}')
    ):
        ui.icon('folder' if node.depth == 1 else 'subdirectory_arrow_right', size='20px').classes('text-grey-6')
        with ui.column().classes('col gap-0 min-w-0 overflow-hidden'):
            ui.label(node.own_name).classes('w-full text-body1 text-weight-medium leading-tight')
            details = [theme.count(counts.get(node.id, 0), 'product')]
            if node.children:  # its subcategories' products are not counted here: '0 products' read as empty
                details = [_('{count} of its own').format(count=details[0])]
            if node.attributes:
                details.append(_('Attributes: {names}').format(names=', '.join(node.attributes)))
            ui.label(' · '.join(details)).classes('w-full text-caption text-grey-7 ellipsis')
        with ui.row().classes('flex-none items-center gap-0 no-wrap'):
            up = (
                ui.button(icon='arrow_upward', on_click=lambda: shift_category(node.id, -1, done))
                .props('flat round dense')
                .props(theme.aria_label(_('Move up')))
            )
            up.set_enabled(index > 0)
            up.mark(f'up-{node.own_name}')
            down = (
                ui.button(icon='arrow_downward', on_click=lambda: shift_category(node.id, 1, done))
                .props('flat round dense')
                .props(theme.aria_label(_('Move down')))
            )
            down.set_enabled(index < siblings - 1)
            down.mark(f'down-{node.own_name}')
            ui.button(icon='edit', on_click=lambda: _edit_dialog(who, node, tree, done)).props(
                'flat round dense'
            ).props(theme.aria_label(_('Change category'))).mark(f'edit-{node.own_name}')
            ui.button(icon='delete', on_click=lambda: _ask_delete(who, node, done)).props(
                'flat round dense color=negative'
            ).props(theme.aria_label(_('Delete'))).mark(f'delete-{node.own_name}')


def _new_category_form(tree: CategoryTree, done: Callable[[], object]) -> None:
    form = Form()
    options = {TOP: _('At the top level')} | {
        str(n.id): tree.label(n.id) for n in tree.walk() if n.depth < categories.MAX_DEPTH
    }
    with ui.row().classes('w-full items-start gap-2 wrap'):
        name = ui.input(_('New category')).props('outlined dense maxlength=80').classes('col-grow min-w-[200px]')
        form.add('name', name.mark('new-category-name'), required=True)
        parent = choice_field(options, TOP, _('Under')).classes('min-w-[200px]').mark('new-category-parent')

        def submit() -> object:
            chosen = parent.value
            return add_category(None if chosen in (TOP, None) else int(chosen), form, done)

        name.on('keydown.enter', submit)
        ui.button(_('Add category'), icon='add', on_click=submit).props('unelevated no-caps').mark('add-category')


@portal_page(PATH, role=Role.ADMIN, title=N_('Categories'), menu=PATH)
def categories_page(who: Identity) -> None:
    @ui.refreshable
    def tree_view() -> None:
        with db.read_session() as session:
            tree = categories.category_tree(session, actor=who)
            counts = categories.product_counts(session, actor=who)
        with section(
            _('Categories'),
            'account_tree',
            _(
                'Up to three levels. A category with subcategories cannot be deleted; '
                "a deleted category's products stay in the catalogue."
            ),
            mark='categories-card',
        ):
            _new_category_form(tree, tree_view.refresh)
            if not tree.roots:
                note(_('No categories yet: make the first one above.'))
                return
            with ui.column().classes('w-full gap-0').mark('category-tree'):

                def rows(nodes: list[CategoryNode]) -> None:
                    for index, node in enumerate(nodes):
                        _row(who, node, len(nodes), index, counts, tree, tree_view.refresh)
                        rows(node.children)

                rows(tree.roots)

    with ui.column().classes('w-full max-w-4xl gap-4'):
        tree_view()
    live.listen([('categories',), ('category_products',)], tree_view.refresh)  # (its products' counts too)
