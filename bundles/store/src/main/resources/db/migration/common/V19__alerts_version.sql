-- A number that moves on whenever a customer's alerts change: grading's writes, an investigation
-- settled, retention removing some. The reseller overview keeps each customer's open-alert counts
-- with the number they were counted at and counts again only for customers whose number moved (or
-- whose oldest counted alert left the 90-day window), so a morning page of a hundred quiet customers
-- reads no alerts at all (docs/store.md "Reseller overview").
ALTER TABLE customers ADD COLUMN alerts_version BIGINT DEFAULT 0 NOT NULL;
