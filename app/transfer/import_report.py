"""What an import reports: the kinds of file, each row's outcome (new, changed or unchanged) and its refusals."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.core.errors import Message
from app.transfer import bulk
from app.transfer.tables import Table


class Kind(StrEnum):
    PRODUCTS = 'products'
    STOCK = 'stock'
    CUSTOMERS = 'customers'
    USERS = 'users'
    PRICE_LISTS = 'price_lists'


@dataclass(frozen=True)
class Refusal:
    row: int
    column: str  # the column's name as the file writes it; '' when the reason is about the whole row
    reason: str


@dataclass(frozen=True)
class Change:
    row: int
    key: str  # the product or customer code
    fields: tuple[str, ...] = ()  # of a changed row: the fields it changes


@dataclass
class Report:
    kind: Kind
    new: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    applied: bool = False  # whether the changes were committed
    notes: list[str] = field(default_factory=list)  # what the supplier should know besides the rows
    record_id: int | None = None  # its entry in the import history

    @property
    def rows(self) -> int:
        return len(self.new) + len(self.changed) + len(self.unchanged) + len({r.row for r in self.refused})


Outcome = tuple[str, tuple[str, ...]]  # ('new' | 'changed' | 'unchanged', the changed fields)


def refuse(table: Table, column: str, text: str, **params: object) -> bulk.Refused:
    return bulk.Refused(table.headers.get(column, ''), Message(text, **params).message)
