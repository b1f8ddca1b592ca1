"""Database tables and the form models around them, named in the supplier's words.

Money is integer cents. Times are aware UTC. Stock per product: `on_hand` is physical, `allocated`
is what open order lines hold; free = on_hand - allocated.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core import clock
from app.core.i18n import N_

# Constraint names as PostgreSQL gives them when none is given: a PostgreSQL database made before this convention
# has them already, SQLite's get them in revision 0002, and a revision can drop or change a constraint by name.
# Set before the tables below are defined.
SQLModel.metadata.naming_convention = {
    'ix': 'ix_%(column_0_label)s',
    'uq': '%(table_name)s_%(column_0_N_name)s_key',
    'ck': '%(table_name)s_%(constraint_name)s_check',
    'fk': '%(table_name)s_%(column_0_N_name)s_fkey',
    'pk': '%(table_name)s_pkey',
}


class Role(StrEnum):
    CUSTOMER = 'customer'
    ADMIN = 'admin'  # the supplier's staff


class OrderStatus(StrEnum):
    CONCEPT = 'concept'  # placed, awaiting the supplier's check
    PROCESSING = 'processing'
    PARTIALLY_DELIVERED = 'partially_delivered'
    COMPLETED = 'completed'
    CANCELLED = 'cancelled'

    @property
    def label(self) -> str:
        """The status as a heading says it ('Awaiting check'), marked for the catalogue: shown through `_`."""
        return STATUS_LABELS[self]

    @property
    def state(self) -> str:
        """The status inside a sentence ('this order is awaiting check'), marked for the catalogue."""
        return STATUS_STATES[self]

    @property
    def is_open(self) -> bool:
        return self not in {OrderStatus.COMPLETED, OrderStatus.CANCELLED}


STATUS_LABELS = {
    OrderStatus.CONCEPT: N_('Awaiting check'),
    OrderStatus.PROCESSING: N_('Processing'),
    OrderStatus.PARTIALLY_DELIVERED: N_('Partially delivered'),
    OrderStatus.COMPLETED: N_('Completed'),
    OrderStatus.CANCELLED: N_('Cancelled'),
}
STATUS_STATES = {
    OrderStatus.CONCEPT: N_('awaiting check'),
    OrderStatus.PROCESSING: N_('processing'),
    OrderStatus.PARTIALLY_DELIVERED: N_('partially delivered'),
    OrderStatus.COMPLETED: N_('completed'),
    OrderStatus.CANCELLED: N_('cancelled'),
}


class CatalogueMode(StrEnum):
    ALL = 'all'  # every active product
    SELECTION = 'selection'  # only the products chosen for this customer


class VatClass(StrEnum):
    """A product's VAT class; the rates are portal settings (app/pricing/terms.py), zero is always 0 %."""

    STANDARD = 'standard'
    REDUCED = 'reduced'
    ZERO = 'zero'


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default='')


# --- customers and portal users ----------------------------------------------------------------


class CustomerBase(SQLModel):
    name: str = Field(max_length=120)
    code: str = Field(max_length=32)
    language: str = Field(default='en', max_length=8)
    catalogue_mode: CatalogueMode = Field(default=CatalogueMode.ALL)


class Customer(CustomerBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    created_at: datetime = Field(default_factory=lambda: clock.now())
    # the customer's prices and terms, set through app/pricing (not by the customer form)
    price_list_id: int | None = Field(default=None, foreign_key='pricelist.id', index=True)  # None: list prices
    discount_bp: int = Field(default=0)  # its own extra discount, in hundredths of a percent (250 = 2.5 %)
    vat_exempt_reason: str = Field(default='', max_length=200)  # not empty: charged no VAT, orders say why
    minimum_order_cents: int | None = Field(default=None)  # None: the portal's minimum order value


class CustomerCreate(CustomerBase):
    pass


class AddressBase(SQLModel):
    label: str = Field(default='', max_length=60)
    recipient: str = Field(max_length=120)
    street: str = Field(max_length=200)
    postal_code: str = Field(max_length=20)
    city: str = Field(max_length=100)
    country: str = Field(default='', max_length=60)


class Address(AddressBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key='customer.id', index=True)
    is_default: bool = Field(default=False)


class AddressCreate(AddressBase):
    pass


class PortalUserBase(SQLModel):
    username: str = Field(max_length=64)
    full_name: str = Field(default='', max_length=120)
    role: Role = Field(default=Role.CUSTOMER)
    customer_id: int | None = Field(default=None, foreign_key='customer.id', index=True)
    active: bool = Field(default=True)
    language: str | None = Field(default=None, max_length=8)  # None: the customer's language (staff: the default)
    email: str | None = Field(default=None, max_length=254)  # where the portal's mails go; None: no mails


class PortalUser(PortalUserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)  # stored lower-case
    password_hash: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=lambda: clock.now())
    catalogue_view: str = Field(default='grid', max_length=8)  # the products page as a grid or a list


class PortalUserCreate(PortalUserBase):
    password: str


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the cookie's token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key='portaluser.id', index=True)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    client_address: str = Field(default='', max_length=64)


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per account name or per client address (key 'user:…' / 'ip:…')."""

    key: str = Field(primary_key=True, max_length=200)
    failures: int = Field(default=0)
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None


# --- catalogue ------------------------------------------------------------------------------------


class ProductBase(SQLModel):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    description: str = Field(default='', max_length=5000)
    barcode: str = Field(default='', max_length=40)
    unit: str = Field(default='piece', max_length=20)
    price_cents: int = Field(ge=0)
    active: bool = Field(default=True)


class Product(ProductBase, table=True):
    __table_args__ = (
        Index('ix_product_active_name', 'active', 'name'),
        Index('ix_product_active_code', 'active', 'code'),
        Index('ix_product_active_price', 'active', 'price_cents'),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    on_hand: int = Field(default=0)
    allocated: int = Field(default=0)
    created_at: datetime = Field(default_factory=lambda: clock.now())
    updated_at: datetime = Field(default_factory=lambda: clock.now())
    # VAT and ordering rules, set through app/pricing (not by the product form)
    vat_class: VatClass = Field(default=VatClass.STANDARD)
    min_quantity: int = Field(default=1)  # the least a line may hold; a multiple of order_multiple
    order_multiple: int = Field(default=1)  # the pack size: a line holds a multiple of it
    backorders: bool | None = Field(default=None)  # None: the portal's setting

    @property
    def free(self) -> int:
        return max(self.on_hand - self.allocated, 0)


class ProductCreate(ProductBase):
    pass


class ProductTranslation(SQLModel, table=True):
    """A product's name and description in a language besides the supplier's default one.

    Each is optional: an empty one falls back to the product's own; a row with neither is not kept
    (app/catalogue/translations.py)."""

    __table_args__ = (
        UniqueConstraint('language', 'product_id'),
        Index('ix_producttranslation_language_name', 'language', 'name'),  # the catalogue in the order of these names
    )
    id: int | None = Field(default=None, primary_key=True)  # a stable rowid: the search index's key (revision 0005)
    product_id: int = Field(foreign_key='product.id', index=True)
    language: str = Field(max_length=8)
    name: str = Field(default='', max_length=200)
    description: str = Field(default='', max_length=5000)


class ProductImage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key='product.id', index=True)
    filename: str = Field(max_length=80)  # generated, never the uploaded name
    thumb_filename: str = Field(max_length=80)
    position: int = Field(default=0)
    width: int = 0
    height: int = 0


class Category(SQLModel, table=True):
    """A place in the supplier's tree of categories (at most MAX_DEPTH levels, app/catalogue/categories.py)."""

    __table_args__ = (Index('ix_category_parent_id_position', 'parent_id', 'position'),)
    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key='category.id')  # None: a top-level category
    name: str = Field(max_length=80)  # in the supplier's default language
    position: int = Field(default=0)  # the order among its siblings


class CategoryTranslation(SQLModel, table=True):
    """A category's name in a language besides the supplier's default one (none: the category's own)."""

    __table_args__ = (UniqueConstraint('category_id', 'language'),)
    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key='category.id')  # led by the unique constraint's index
    language: str = Field(max_length=8)
    name: str = Field(max_length=80)


class CategoryAttribute(SQLModel, table=True):
    """An attribute the products of a category are described by (size, material, colour), in the category's order."""

    category_id: int = Field(foreign_key='category.id', primary_key=True)
    name: str = Field(primary_key=True, max_length=40)
    position: int = Field(default=0)


class ProductCategory(SQLModel, table=True):
    """A product in a category; a product may sit in several. Keyed (category, product): a category's products are
    one range of the key, a product's categories one range of the (product, category) index (covering: no row
    read)."""

    __table_args__ = (Index('ix_productcategory_product_id_category_id', 'product_id', 'category_id'),)
    category_id: int = Field(foreign_key='category.id', primary_key=True)
    product_id: int = Field(foreign_key='product.id', primary_key=True)


class ProductAttribute(SQLModel, table=True):
    """A product's value of one attribute ('Material': 'Stainless steel A2'), shown and filtered by."""

    # (name, value, product): the attribute filters; (product, name, value): the counts of a category's values,
    # read from its products without a row read each
    __table_args__ = (
        Index('ix_productattribute_name_value', 'name', 'value', 'product_id'),
        Index('ix_productattribute_product_id_name_value', 'product_id', 'name', 'value'),
    )
    product_id: int = Field(foreign_key='product.id', primary_key=True)
    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=80)


class CustomerProduct(SQLModel, table=True):
    """A product chosen for a customer whose catalogue mode is 'selection'."""

    customer_id: int = Field(foreign_key='customer.id', primary_key=True)
    product_id: int = Field(foreign_key='product.id', primary_key=True, index=True)


class ProductDocument(SQLModel, table=True):
    """A PDF the supplier uploaded for a product (a data sheet, a safety sheet: app/catalogue/documents.py)."""

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key='product.id', index=True)
    filename: str = Field(max_length=80)  # generated, never the uploaded name
    title: str = Field(max_length=120)  # the uploaded name cleaned (shown, and the name it downloads as)
    size_bytes: int = 0
    position: int = Field(default=0)
    created_at: datetime = Field(default_factory=lambda: clock.now())


class RelationKind(StrEnum):
    ALTERNATIVE = 'alternative'  # instead of the product (both ways: each is the other's alternative)
    ACCESSORY = 'accessory'  # with the product (one way)


class RelatedProduct(SQLModel, table=True):
    """A product the supplier linked to another (app/catalogue/related.py)."""

    product_id: int = Field(foreign_key='product.id', primary_key=True)
    related_id: int = Field(foreign_key='product.id', primary_key=True, index=True)
    kind: RelationKind = Field(default=RelationKind.ALTERNATIVE)
    position: int = Field(default=0)


class StockMovement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key='product.id', index=True)
    change: int
    on_hand_after: int
    kind: str = Field(max_length=20)  # receipt, count, delivery
    note: str = Field(default='', max_length=500)
    created_at: datetime = Field(default_factory=lambda: clock.now())
    user_id: int | None = Field(default=None, foreign_key='portaluser.id')


# --- prices ----------------------------------------------------------------------------------------


class PriceListBase(SQLModel):
    name: str = Field(max_length=80)
    discount_bp: int = Field(default=0)  # off the list price, in hundredths of a percent (1000 = 10 %)


class PriceList(PriceListBase, table=True):
    """A named set of prices the supplier gives one or more customers (Customer.price_list_id)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    created_at: datetime = Field(default_factory=lambda: clock.now())
    updated_at: datetime = Field(default_factory=lambda: clock.now())


class PriceListCreate(PriceListBase):
    pass


class PriceListItemBase(SQLModel):
    product_id: int = Field(foreign_key='product.id', index=True)
    min_quantity: int = Field(default=1)  # from this quantity on; the lowest one is the product's fixed price
    price_cents: int


class PriceListItem(PriceListItemBase, table=True):
    """A fixed unit price in a price list for a product from a quantity on (a quantity tier)."""

    __table_args__ = (UniqueConstraint('price_list_id', 'product_id', 'min_quantity'),)
    id: int | None = Field(default=None, primary_key=True)
    price_list_id: int = Field(foreign_key='pricelist.id')  # led by the unique constraint's index


class PriceListItemCreate(PriceListItemBase):
    pass


# --- current order ---------------------------------------------------------------------------------


class CurrentOrder(SQLModel, table=True):
    """The order a portal user is putting together; one per user, kept across visits."""

    user_id: int = Field(foreign_key='portaluser.id', primary_key=True)
    placement_key: str = Field(max_length=64)  # new after each placement; makes placing idempotent
    comment: str = Field(default='', max_length=2000)
    reference: str = Field(default='', max_length=60)
    updated_at: datetime = Field(default_factory=lambda: clock.now())


class CurrentOrderLine(SQLModel, table=True):
    __table_args__ = (UniqueConstraint('user_id', 'product_id'),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='portaluser.id', index=True)
    product_id: int = Field(foreign_key='product.id')
    quantity: int
    added_at: datetime = Field(default_factory=lambda: clock.now())


class CurrentOrderBatch(SQLModel, table=True):
    """Lines put in a current order at once (quick order, order again, a saved list) under the key of the page
    that sent them: the same key again (a double click, a retry) adds nothing (app/orders/quick_order.py)."""

    key: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key='portaluser.id', index=True)
    lines: int = 0  # how many lines it added
    created_at: datetime = Field(default_factory=lambda: clock.now())


# --- saved lists -----------------------------------------------------------------------------------


class SavedList(SQLModel, table=True):
    """A named list of products a customer keeps (the Friday order), shared by all its portal users."""

    __tablename__ = 'savedlist'
    __table_args__ = (UniqueConstraint('customer_id', 'name'),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key='customer.id')  # led by the unique constraint's index
    name: str = Field(max_length=80)
    created_by_user_id: int | None = Field(default=None, foreign_key='portaluser.id')
    created_at: datetime = Field(default_factory=lambda: clock.now())
    updated_at: datetime = Field(default_factory=lambda: clock.now())


class SavedListLine(SQLModel, table=True):
    __tablename__ = 'savedlistline'
    __table_args__ = (UniqueConstraint('list_id', 'product_id'),)
    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(foreign_key='savedlist.id')  # led by the unique constraint's index
    product_id: int = Field(foreign_key='product.id', index=True)
    quantity: int
    added_at: datetime = Field(default_factory=lambda: clock.now())


# --- orders, deliveries, backorders ----------------------------------------------------------------


class Order(SQLModel, table=True):
    __tablename__ = 'salesorder'
    __table_args__ = (Index('ix_order_customer_created', 'customer_id', 'created_at'),)
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True, index=True)
    customer_id: int = Field(foreign_key='customer.id')
    placed_by_user_id: int | None = Field(default=None, foreign_key='portaluser.id')
    placed_by_supplier: bool = Field(default=False)
    placement_key: str | None = Field(default=None, max_length=64, unique=True)
    status: OrderStatus = Field(default=OrderStatus.CONCEPT, index=True)
    comment: str = Field(default='', max_length=2000)
    reference: str = Field(default='', max_length=60, index=True)
    ship_recipient: str = Field(default='', max_length=120)
    ship_street: str = Field(default='', max_length=200)
    ship_postal_code: str = Field(default='', max_length=20)
    ship_city: str = Field(default='', max_length=100)
    ship_country: str = Field(default='', max_length=60)
    subtotal_cents: int = 0  # the lines, excluding VAT
    vat_cents: int = 0  # per rate, rounded half up, added up (0 when VAT-exempt)
    total_cents: int = 0  # including VAT
    vat_exempt_reason: str = Field(default='', max_length=200)  # the customer's, when it was placed
    created_at: datetime = Field(default_factory=lambda: clock.now(), index=True)
    checked_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancelled_by_user_id: int | None = Field(default=None, foreign_key='portaluser.id')
    cancel_reason: str = Field(default='', max_length=300)
    # a customer's change while it awaits the check (app/orders/order_changes.py); `version` counts every change, so
    # a page that shows an older one cannot change it
    version: int = 0
    customer_changed_at: datetime | None = None
    customer_changed_by_user_id: int | None = Field(default=None, foreign_key='portaluser.id')


class OrderLine(SQLModel, table=True):
    """ordered = delivered + allocated + backorder + cancelled, always."""

    __table_args__ = (Index('ix_orderline_product_backorder', 'product_id', 'backorder'),)
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key='salesorder.id', index=True)
    product_id: int = Field(foreign_key='product.id')
    product_code: str = Field(max_length=40)
    product_name: str = Field(max_length=200)
    unit_price_cents: int  # what the customer pays per unit, excluding VAT
    list_price_cents: int = 0  # the product's list price when placed
    discount_bp: int = 0  # unit price against list price, in hundredths of a percent (1000 = 10 % off)
    vat_rate_bp: int = 0  # the product's VAT rate when placed (2100 = 21 %)
    quantity: int
    delivered: int = 0
    allocated: int = 0
    backorder: int = 0
    cancelled: int = 0
    backordered: int = 0  # units that went on backorder when placed: the line stays a backorder until delivered

    @property
    def total_cents(self) -> int:
        """Excluding VAT."""
        return self.unit_price_cents * (self.quantity - self.cancelled)


class ExpectedDelivery(SQLModel, table=True):
    """Stock the supplier expects (app/orders/expected.py): `quantity` is what is still to come; receiving it
    reduces it, and at 0 (or closed by hand) it is closed."""

    __table_args__ = (Index('ix_expecteddelivery_product_closed', 'product_id', 'closed_at'),)
    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key='product.id')  # led by the index above
    quantity: int  # still expected
    received: int = 0  # received against it so far
    expected_on: date
    note: str = Field(default='', max_length=200)
    created_at: datetime = Field(default_factory=lambda: clock.now())
    created_by_user_id: int | None = Field(default=None, foreign_key='portaluser.id')
    closed_at: datetime | None = None


class Delivery(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key='salesorder.id', index=True)
    tracking_code: str = Field(default='', max_length=80)
    created_at: datetime = Field(default_factory=lambda: clock.now())
    created_by_user_id: int | None = Field(default=None, foreign_key='portaluser.id')


class DeliveryLine(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key='delivery.id', index=True)
    order_line_id: int = Field(foreign_key='orderline.id', index=True)
    quantity: int


# --- mail -----------------------------------------------------------------------------------------


class MailStatus(StrEnum):
    QUEUED = 'queued'  # waiting to be sent (or to be retried)
    SENT = 'sent'
    FAILED = 'failed'  # still not delivered a day after it was written


class OutboxMail(SQLModel, table=True):
    """A mail written in the transaction of the change it reports, delivered afterwards by app/mail/sender.py."""

    __tablename__ = 'outbox'
    __table_args__ = (Index('ix_outbox_status_next_attempt_at', 'status', 'next_attempt_at'),)
    id: int | None = Field(default=None, primary_key=True)
    event_key: str = Field(max_length=200, unique=True)  # one event never makes two mails
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    text_body: str
    html_body: str
    message_id: str = Field(max_length=200)  # the same at every attempt, so a receiver can tell a repeat
    status: MailStatus = Field(default=MailStatus.QUEUED)
    attempts: int = 0
    next_attempt_at: datetime
    last_error: str = Field(default='', max_length=1000)
    created_at: datetime = Field(default_factory=lambda: clock.now(), index=True)
    queued_at: datetime = Field(default_factory=lambda: clock.now())  # written or resent: a day from then, failed
    sent_at: datetime | None = None


class LinkPurpose(StrEnum):
    INVITATION = 'invitation'  # a new portal user chooses its first password (valid 72 hours)
    PASSWORD_RESET = 'password_reset'  # noqa: S105 - a link's purpose: "Forgot your password?" (valid one hour)


class PasswordLink(SQLModel, table=True):
    """A single-use link, mailed to a portal user, to choose a password. Only the SHA-256 of its token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key='portaluser.id', index=True)
    purpose: LinkPurpose
    created_at: datetime = Field(default_factory=lambda: clock.now())
    expires_at: datetime
    used_at: datetime | None = None  # used, or made void by a newer link or a password set otherwise


class MailOptOut(SQLModel, table=True):
    """A kind of customer mail a portal user chose not to get (app/mail/preferences.py); no row: it gets it."""

    user_id: int = Field(foreign_key='portaluser.id', primary_key=True)
    kind: str = Field(max_length=40, primary_key=True)


# --- imports ---------------------------------------------------------------------------------------


class ImportRecord(SQLModel, table=True):
    """One import run, a preview or applied, from the admin area or the command (app/transfer/history.py)."""

    __tablename__ = 'importrecord'
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=lambda: clock.now(), index=True)
    kind: str = Field(max_length=20)  # products, stock, customers, users, price_lists
    filename: str = Field(max_length=255)
    images_filename: str = Field(default='', max_length=255)  # the ZIP of images that came with it
    source: str = Field(max_length=20)  # 'admin' (the admin area) or 'command' (stockfront import)
    user_id: int | None = Field(default=None, foreign_key='portaluser.id')
    who: str = Field(max_length=120)  # the user name, or the operating-system user of the command
    dry_run: bool = Field(default=True)  # a preview: nothing was meant to change
    applied: bool = Field(default=False)  # the changes were committed
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: int = 0
    seconds: float = 0.0
    report: str = Field(default='')  # JSON: the refused rows (row, column, reason) and the changed ones
