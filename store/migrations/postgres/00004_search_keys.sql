-- +goose Up
-- Search keys number the storefront rows in the order they went on sale: the
-- "newest" order of search on both engines (SQLite's rows have them already,
-- as the rowids of its full-text index).
CREATE SEQUENCE storefront_search_key;
ALTER TABLE storefront ADD COLUMN search_key BIGINT;
UPDATE storefront s SET search_key = k.n
FROM (SELECT product_id, row_number() OVER (ORDER BY published_at, product_id) AS n FROM storefront) k
WHERE k.product_id = s.product_id;
SELECT setval('storefront_search_key', COALESCE((SELECT MAX(search_key) FROM storefront), 0) + 1, false);
ALTER TABLE storefront ALTER COLUMN search_key SET NOT NULL;
CREATE UNIQUE INDEX storefront_search_key_order ON storefront (search_key);

-- +goose Down
DROP INDEX storefront_search_key_order;
ALTER TABLE storefront DROP COLUMN search_key;
DROP SEQUENCE storefront_search_key;
