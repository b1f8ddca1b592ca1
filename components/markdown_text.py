"""Markdown the supplier writes (the dashboard text), with any raw HTML in it shown as text.

ui.markdown passes raw HTML through to the browser, where DOMPurify only strips what it deems dangerous:
an `<img src=/logout>`, a form or a styled overlay would survive it. Here markdown2's safe mode escapes
raw HTML (and neutralises `javascript:` links) on the server first; DOMPurify still runs as a second layer.

Markdown's own images are requests every reader's browser makes with the reader's cookies (`![x](/logout)`,
or a tracking pixel), so only the portal's product images (/media/images/<id>) stay images; any other
image becomes its alt text, on the server, before the HTML leaves it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown2
from nicegui import ui
from nicegui.helpers import remove_indentation

PORTAL_IMAGE = re.compile(r'/media/images/[1-9][0-9]{0,18}(\?size=(thumb|full))?')


class _ImageFilter(HTMLParser):
    """Copies HTML as it came, tag for tag, but for <img> elements whose source is not a portal image."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == 'img' and not PORTAL_IMAGE.fullmatch(dict(attrs).get('src') or ''):
            self.out.append(html.escape(dict(attrs).get('alt') or ''))
        else:
            self.out.append(self.get_starttag_text() or '')

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f'</{tag}>')

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f'&{name};')

    def handle_charref(self, name: str) -> None:
        self.out.append(f'&#{name};')

    # comments, declarations and processing instructions: markdown2's safe mode makes none; dropped if it ever did


def only_portal_images(markup: str) -> str:
    """The HTML with every image that is not one of the portal's product images replaced by its alt text."""
    if '<img' not in markup.lower():
        return markup
    parser = _ImageFilter()
    parser.feed(markup)
    parser.close()
    return ''.join(parser.out)


def render(content: str, extras: list[str] | dict | None = None) -> str:
    """The dashboard text as the browser gets it: raw HTML escaped, only portal images kept."""
    return only_portal_images(markdown2.markdown(remove_indentation(content), extras=extras, safe_mode='escape'))


class SafeMarkdown(ui.markdown):
    def _handle_content_change(self, content: str) -> None:
        markup = render(content, self.extras)
        if self._props.get('innerHTML') != markup:
            self._props['innerHTML'] = markup
