-- The tables Stockfront made on an empty SQLite database before Alembic (commit e2441ca):
-- every statement it ran at its first start, as it ran them (create_all, the numbered steps' mark, the
-- search index). tests/unit/test_migrations.py starts the current code on a database made from this.

CREATE TABLE setting (
	"key" VARCHAR(64) NOT NULL,
	value VARCHAR NOT NULL,
	PRIMARY KEY ("key")
);

CREATE TABLE customer (
	name VARCHAR(120) NOT NULL,
	language VARCHAR(8) NOT NULL,
	catalogue_mode VARCHAR(9) NOT NULL,
	id INTEGER NOT NULL,
	code VARCHAR(32) NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_customer_code ON customer (code);

CREATE TABLE loginthrottle (
	"key" VARCHAR(200) NOT NULL,
	failures INTEGER NOT NULL,
	last_failure_at DATETIME,
	locked_until DATETIME,
	PRIMARY KEY ("key")
);

CREATE TABLE product (
	name VARCHAR(200) NOT NULL,
	description VARCHAR(5000) NOT NULL,
	barcode VARCHAR(40) NOT NULL,
	unit VARCHAR(20) NOT NULL,
	price_cents INTEGER NOT NULL,
	active BOOLEAN NOT NULL,
	id INTEGER NOT NULL,
	code VARCHAR(40) NOT NULL,
	on_hand INTEGER NOT NULL,
	allocated INTEGER NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (code)
);

CREATE INDEX ix_product_active_code ON product (active, code);

CREATE INDEX ix_product_active_price ON product (active, price_cents);

CREATE INDEX ix_product_active_name ON product (active, name);

CREATE TABLE schemaversion (
	id INTEGER NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (id)
);

CREATE TABLE address (
	label VARCHAR(60) NOT NULL,
	recipient VARCHAR(120) NOT NULL,
	street VARCHAR(200) NOT NULL,
	postal_code VARCHAR(20) NOT NULL,
	city VARCHAR(100) NOT NULL,
	country VARCHAR(60) NOT NULL,
	id INTEGER NOT NULL,
	customer_id INTEGER NOT NULL,
	is_default BOOLEAN NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(customer_id) REFERENCES customer (id)
);

CREATE INDEX ix_address_customer_id ON address (customer_id);

CREATE TABLE portaluser (
	full_name VARCHAR(120) NOT NULL,
	role VARCHAR(8) NOT NULL,
	customer_id INTEGER,
	active BOOLEAN NOT NULL,
	id INTEGER NOT NULL,
	username VARCHAR(64) NOT NULL,
	password_hash VARCHAR(100) NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(customer_id) REFERENCES customer (id)
);

CREATE INDEX ix_portaluser_customer_id ON portaluser (customer_id);

CREATE UNIQUE INDEX ix_portaluser_username ON portaluser (username);

CREATE TABLE productimage (
	id INTEGER NOT NULL,
	product_id INTEGER NOT NULL,
	filename VARCHAR(80) NOT NULL,
	thumb_filename VARCHAR(80) NOT NULL,
	position INTEGER NOT NULL,
	width INTEGER NOT NULL,
	height INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(product_id) REFERENCES product (id)
);

CREATE INDEX ix_productimage_product_id ON productimage (product_id);

CREATE TABLE customerproduct (
	customer_id INTEGER NOT NULL,
	product_id INTEGER NOT NULL,
	PRIMARY KEY (customer_id, product_id),
	FOREIGN KEY(customer_id) REFERENCES customer (id),
	FOREIGN KEY(product_id) REFERENCES product (id)
);

CREATE INDEX ix_customerproduct_product_id ON customerproduct (product_id);

CREATE TABLE authsession (
	id INTEGER NOT NULL,
	token_hash VARCHAR(64) NOT NULL,
	user_id INTEGER NOT NULL,
	created_at DATETIME NOT NULL,
	last_seen_at DATETIME NOT NULL,
	expires_at DATETIME NOT NULL,
	client_address VARCHAR(64) NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES portaluser (id)
);

CREATE UNIQUE INDEX ix_authsession_token_hash ON authsession (token_hash);

CREATE INDEX ix_authsession_user_id ON authsession (user_id);

CREATE TABLE stockmovement (
	id INTEGER NOT NULL,
	product_id INTEGER NOT NULL,
	change INTEGER NOT NULL,
	on_hand_after INTEGER NOT NULL,
	kind VARCHAR(20) NOT NULL,
	note VARCHAR(500) NOT NULL,
	created_at DATETIME NOT NULL,
	user_id INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(product_id) REFERENCES product (id),
	FOREIGN KEY(user_id) REFERENCES portaluser (id)
);

CREATE INDEX ix_stockmovement_product_id ON stockmovement (product_id);

CREATE TABLE currentorder (
	user_id INTEGER NOT NULL,
	placement_key VARCHAR(64) NOT NULL,
	comment VARCHAR(2000) NOT NULL,
	reference VARCHAR(60) NOT NULL,
	updated_at DATETIME NOT NULL,
	PRIMARY KEY (user_id),
	FOREIGN KEY(user_id) REFERENCES portaluser (id)
);

CREATE TABLE currentorderline (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	product_id INTEGER NOT NULL,
	quantity INTEGER NOT NULL,
	added_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (user_id, product_id),
	FOREIGN KEY(user_id) REFERENCES portaluser (id),
	FOREIGN KEY(product_id) REFERENCES product (id)
);

CREATE INDEX ix_currentorderline_user_id ON currentorderline (user_id);

CREATE TABLE salesorder (
	id INTEGER NOT NULL,
	number VARCHAR(20) NOT NULL,
	customer_id INTEGER NOT NULL,
	placed_by_user_id INTEGER,
	placed_by_supplier BOOLEAN NOT NULL,
	placement_key VARCHAR(64),
	status VARCHAR(19) NOT NULL,
	comment VARCHAR(2000) NOT NULL,
	reference VARCHAR(60) NOT NULL,
	ship_recipient VARCHAR(120) NOT NULL,
	ship_street VARCHAR(200) NOT NULL,
	ship_postal_code VARCHAR(20) NOT NULL,
	ship_city VARCHAR(100) NOT NULL,
	ship_country VARCHAR(60) NOT NULL,
	total_cents INTEGER NOT NULL,
	created_at DATETIME NOT NULL,
	checked_at DATETIME,
	completed_at DATETIME,
	cancelled_at DATETIME,
	PRIMARY KEY (id),
	FOREIGN KEY(customer_id) REFERENCES customer (id),
	FOREIGN KEY(placed_by_user_id) REFERENCES portaluser (id),
	UNIQUE (placement_key)
);

CREATE INDEX ix_salesorder_created_at ON salesorder (created_at);

CREATE UNIQUE INDEX ix_salesorder_number ON salesorder (number);

CREATE INDEX ix_salesorder_reference ON salesorder (reference);

CREATE INDEX ix_order_customer_created ON salesorder (customer_id, created_at);

CREATE INDEX ix_salesorder_status ON salesorder (status);

CREATE TABLE orderline (
	id INTEGER NOT NULL,
	order_id INTEGER NOT NULL,
	product_id INTEGER NOT NULL,
	product_code VARCHAR(40) NOT NULL,
	product_name VARCHAR(200) NOT NULL,
	unit_price_cents INTEGER NOT NULL,
	quantity INTEGER NOT NULL,
	delivered INTEGER NOT NULL,
	allocated INTEGER NOT NULL,
	backorder INTEGER NOT NULL,
	cancelled INTEGER NOT NULL,
	backordered INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(order_id) REFERENCES salesorder (id),
	FOREIGN KEY(product_id) REFERENCES product (id)
);

CREATE INDEX ix_orderline_product_backorder ON orderline (product_id, backorder);

CREATE INDEX ix_orderline_order_id ON orderline (order_id);

CREATE TABLE delivery (
	id INTEGER NOT NULL,
	order_id INTEGER NOT NULL,
	tracking_code VARCHAR(80) NOT NULL,
	created_at DATETIME NOT NULL,
	created_by_user_id INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(order_id) REFERENCES salesorder (id),
	FOREIGN KEY(created_by_user_id) REFERENCES portaluser (id)
);

CREATE INDEX ix_delivery_order_id ON delivery (order_id);

CREATE TABLE deliveryline (
	id INTEGER NOT NULL,
	delivery_id INTEGER NOT NULL,
	order_line_id INTEGER NOT NULL,
	quantity INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(delivery_id) REFERENCES delivery (id),
	FOREIGN KEY(order_line_id) REFERENCES orderline (id)
);

CREATE INDEX ix_deliveryline_delivery_id ON deliveryline (delivery_id);

CREATE INDEX ix_deliveryline_order_line_id ON deliveryline (order_line_id);

INSERT INTO schemaversion (id, version) VALUES (1, 1);

CREATE VIRTUAL TABLE IF NOT EXISTS product_fts USING fts5(
        name, code, barcode, description,
        content='product', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3');

CREATE TRIGGER IF NOT EXISTS product_fts_ai AFTER INSERT ON product BEGIN
        INSERT INTO product_fts(rowid, name, code, barcode, description)
        VALUES (new.id, new.name, new.code, new.barcode, new.description);
    END;

CREATE TRIGGER IF NOT EXISTS product_fts_ad AFTER DELETE ON product BEGIN
        INSERT INTO product_fts(product_fts, rowid, name, code, barcode, description)
        VALUES ('delete', old.id, old.name, old.code, old.barcode, old.description);
    END;

CREATE TRIGGER IF NOT EXISTS product_fts_au AFTER UPDATE OF name, code, barcode, description ON product BEGIN
        INSERT INTO product_fts(product_fts, rowid, name, code, barcode, description)
        VALUES ('delete', old.id, old.name, old.code, old.barcode, old.description);
        INSERT INTO product_fts(rowid, name, code, barcode, description)
        VALUES (new.id, new.name, new.code, new.barcode, new.description);
    END;

