"""One page of a longer list of results, as every paged service returns it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar('T')


@dataclass(frozen=True)
class Page(Generic[T]):
    """The items of page `page` of `pages` (at least 1), `page_size` a page, `total` in all."""

    items: list[T]
    total: int
    page: int
    pages: int
    page_size: int


def bounds(total: int, page: int, page_size: int, *, max_page_size: int) -> tuple[int, int, int]:
    """(page, pages, page_size): the page size kept within 1..max_page_size, the page within the pages there are
    (a page past the end is the last one)."""
    page_size = max(1, min(int(page_size), max_page_size))
    pages = max(1, math.ceil(total / page_size))
    return max(1, min(int(page), pages)), pages, page_size
