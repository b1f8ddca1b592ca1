"""One page of a longer list of results, as every paged service returns it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlmodel import Session, func, select

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


def page_of(
    session: Session, query: Select, *, order_by: Sequence[Any], page: int, page_size: int, max_page_size: int
) -> Page[Any]:
    """Page `page` of the rows `query` finds, in the order of `order_by`, counted and kept within bounds (above)."""
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page, pages, page_size = bounds(total, page, page_size, max_page_size=max_page_size)
    rows = session.exec(query.order_by(*order_by).offset((page - 1) * page_size).limit(page_size)).all()
    return Page(items=list(rows), total=total, page=page, pages=pages, page_size=page_size)
