"""A click counts on its page even when a refresh takes the clicked element away before the click's turn comes.

NiceGUI runs an async handler in a task of its own, a moment after the event, and a refresh not awaited runs in one
too (NiceGUI 3.18). A click on a list that was just being redrawn used to find its page gone and said the session
had ended (and sent the person to sign in again): the supplier's click on an import's report right after an import.
"""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from app.core import db
from app.core.i18n import N_
from app.identity import auth
from app.identity.auth import Identity
from app.models import Role
from components import guard
from components.page import portal_page
from tests.conftest import identity
from tests.ui.conftest import signed_in

SEEN: list[tuple[str, int]] = []


@guard.customer_action
async def show_report(who: Identity, report_id: int) -> None:
    SEEN.append((who.username, report_id))
    ui.notify(f'Report {report_id} for {who.username}')


def redrawn_list_page() -> None:
    @portal_page('/test-redrawn-list', role=Role.CUSTOMER, title=N_('Orders'), menu='/orders')
    def page(who: Identity) -> None:
        @ui.refreshable
        def reports() -> None:
            with ui.row():
                ui.button('Report', on_click=lambda: show_report(7)).mark('report')

        reports()
        ui.button('Redraw', on_click=reports.refresh).mark('redraw')


async def test_a_click_on_an_element_a_refresh_takes_away_meanwhile_still_counts_on_its_page(user: User) -> None:
    SEEN.clear()
    redrawn_list_page()
    await signed_in(user, at='/test-redrawn-list')
    old = user.find(marker='report').elements.pop()
    user.find(marker='redraw').click()  # the redraw's task comes first ...
    user.find(marker='report').click()  # ... then the click's: its button is gone when its turn comes
    await user.should_see('Report 7 for customer')
    assert SEEN == [('customer', 7)]
    assert old not in user.find(marker='report').elements  # (it really was taken away)
    await user.should_not_see('Your session has ended. Please sign in again.')
    await user.should_see(marker='redraw')  # still on its page, not sent to sign in


async def test_a_click_of_an_ended_session_still_asks_to_sign_in_again(user: User) -> None:
    SEEN.clear()
    redrawn_list_page()
    await signed_in(user, at='/test-redrawn-list')
    with db.write_session() as session:
        auth.end_sessions(session, user_id=identity('customer').user_id)
    user.find(marker='report').click()
    await user.should_see('Your session has ended. Please sign in again.')
    assert SEEN == []
