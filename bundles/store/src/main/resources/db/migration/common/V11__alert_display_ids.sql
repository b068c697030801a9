-- The alert ID the portal shows (e.g. 1593757050-9): a prefix of 10 digits, the epoch second of
-- the ingest batch that raised the alert, a hyphen, and a sequence of 1 to 9 digits. Given once,
-- when grading first inserts the alert's row, and never changed (docs/store.md "Alert display id").
-- Unique per customer: grading holds the customer's row locked (the grading_seq UPDATE), and the
-- last (prefix, seq) given is kept on that row; the next one is strictly greater
-- (prefix = max(batch second, last prefix); seq = last seq + 1 on the same prefix, else 1).
-- The unique key lives in alert_display_ids, not on alerts: on PostgreSQL alerts is partitioned by
-- id, and a unique index there must hold id. Retention deletes its rows with the alerts' (by id).
ALTER TABLE customers ADD COLUMN alert_display_prefix BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE customers ADD COLUMN alert_display_seq BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE alerts ADD COLUMN display_id VARCHAR(20);
CREATE INDEX alerts_customer_display ON alerts (customer_id, display_id);

CREATE TABLE alert_display_ids (
    customer_id  BIGINT NOT NULL,
    display_id   VARCHAR(20) NOT NULL,
    alert_id     UUID NOT NULL,
    CONSTRAINT alert_display_ids_pk PRIMARY KEY (customer_id, display_id)
);
CREATE INDEX alert_display_ids_alert ON alert_display_ids (alert_id);

-- Existing alerts: prefix = the second their row was made, seq = 1, 2, 3... per customer and
-- second in id order; each customer's counter continues from its greatest pair.
-- [jooq ignore start]
CREATE TABLE alert_display_backfill AS
    SELECT id, customer_id, CAST(FLOOR(EXTRACT(EPOCH FROM created_at)) AS BIGINT) AS prefix,
           ROW_NUMBER() OVER (PARTITION BY customer_id, CAST(FLOOR(EXTRACT(EPOCH FROM created_at)) AS BIGINT) ORDER BY id) AS seq
    FROM alerts;
-- Indexed before use: the UPDATE below looks a row up per alert and the customers' UPDATEs per
-- customer; without these each lookup scanned the whole table (quadratic: 38,786 alerts took 58 s).
CREATE INDEX alert_display_backfill_key ON alert_display_backfill (id, customer_id);
CREATE INDEX alert_display_backfill_customer ON alert_display_backfill (customer_id, prefix, seq);
UPDATE alerts SET display_id = (
    SELECT CAST(b.prefix AS VARCHAR(20)) || '-' || CAST(b.seq AS VARCHAR(20)) FROM alert_display_backfill b
    WHERE b.id = alerts.id AND b.customer_id = alerts.customer_id);
INSERT INTO alert_display_ids (customer_id, display_id, alert_id)
    SELECT customer_id, display_id, id FROM alerts;
UPDATE customers SET alert_display_prefix = COALESCE(
    (SELECT MAX(b.prefix) FROM alert_display_backfill b WHERE b.customer_id = customers.id), 0);
UPDATE customers SET alert_display_seq = COALESCE(
    (SELECT MAX(b.seq) FROM alert_display_backfill b
     WHERE b.customer_id = customers.id AND b.prefix = customers.alert_display_prefix), 0);
DROP TABLE alert_display_backfill;
-- [jooq ignore stop]
