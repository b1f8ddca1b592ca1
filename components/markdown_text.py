"""Markdown the supplier writes (the dashboard text), with any raw HTML in it shown as text.

ui.markdown passes raw HTML through to the browser, where DOMPurify only strips what it deems dangerous:
an `<img src=/logout>`, a form or a styled overlay would survive it. Here markdown2's safe mode escapes
raw HTML (and neutralises `javascript:` links) on the server first; DOMPurify still runs as a second layer.
"""

from __future__ import annotations

import markdown2
from nicegui import ui
from nicegui.helpers import remove_indentation


class SafeMarkdown(ui.markdown):
    def _handle_content_change(self, content: str) -> None:
        html = markdown2.markdown(remove_indentation(content), extras=self.extras, safe_mode='escape')
        if self._props.get('innerHTML') != html:
            self._props['innerHTML'] = html
