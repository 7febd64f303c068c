-- +goose Up
-- The storefront's products in the order of each price list (currency, and
-- billing mode or '' for all): one row per product and price list it is in,
-- with its lowest price there. A price sort without words walks one of the
-- ordered indexes, which are covering, and stops after the page; one with
-- words finds the price of a match by its search key (docs/catalogue.md).
-- SQLite only: PostgreSQL sorts the matches of one statement.
CREATE TABLE storefront_prices (
    product_id    TEXT NOT NULL,
    currency      TEXT NOT NULL,
    mode          TEXT NOT NULL,
    price         INTEGER NOT NULL,
    search_key    INTEGER NOT NULL,
    seller_org_id TEXT NOT NULL,
    type          TEXT NOT NULL,
    category      TEXT NOT NULL,
    PRIMARY KEY (product_id, currency, mode)
) WITHOUT ROWID;
CREATE INDEX storefront_prices_order ON storefront_prices (currency, mode, price, product_id, search_key, seller_org_id, type, category);
CREATE INDEX storefront_prices_category ON storefront_prices (currency, mode, category, price, product_id, search_key, seller_org_id, type);
CREATE INDEX storefront_prices_type ON storefront_prices (currency, mode, type, price, product_id, search_key, seller_org_id, category);
CREATE INDEX storefront_prices_key ON storefront_prices (currency, mode, search_key, price, seller_org_id);

INSERT INTO storefront_prices (product_id, currency, mode, price, search_key, seller_org_id, type, category)
SELECT p.product_id, p.currency, p.mode, MIN(p.price_minor), s.search_key, s.seller_org_id, s.type, s.category
FROM storefront_plans p JOIN storefront s ON s.product_id = p.product_id
GROUP BY p.product_id, p.currency, p.mode;
INSERT INTO storefront_prices (product_id, currency, mode, price, search_key, seller_org_id, type, category)
SELECT p.product_id, p.currency, '', MIN(p.price_minor), s.search_key, s.seller_org_id, s.type, s.category
FROM storefront_plans p JOIN storefront s ON s.product_id = p.product_id
GROUP BY p.product_id, p.currency;

-- +goose Down
DROP TABLE storefront_prices;
